import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, readFileSync, appendFileSync, mkdirSync } from 'node:fs';
import fc from 'fast-check';
import { StateFile, currentHolder, newHolder, readState, statePathFor, listStateFiles, type OwnerRecord } from '../../src/engine/sandbox/state';
import { SandboxError } from '../../src/engine/sandbox/errors';
import { dropScratch, scratch } from './fixtures';

function owner(root: string, pid: number | null = process.pid): OwnerRecord {
  return {
    kind: 'owner',
    v: 1,
    ...newHolder(pid),
    name: root.split('/').pop()!,
    root,
    base: root.replace(/\/[^/]+$/, ''),
    backend: 'chroot',
    uid: 0,
    persistent: pid === null,
    created: new Date().toISOString(),
  };
}

/** A pid that certainly belonged to a process that is gone now. */
function deadPid(): number {
  const r = spawnSync('/bin/sh', ['-c', 'echo $$']);
  return Number(String(r.stdout).trim());
}

test('claiming a name is exclusive: of 16 parallel claims exactly one wins', async () => {
  const base = scratch('state');
  try {
    const root = `${base}/sbx`;
    const results = await Promise.all(Array.from({ length: 16 }, () => StateFile.claim(owner(root))));
    const won = results.filter((r) => r !== 'taken') as StateFile[];
    assert.equal(won.length, 1);
    const view = await readState(statePathFor(root));
    assert.equal(view!.owner.token, won[0]!.token);
    assert.deepEqual(await listStateFiles(base), [statePathFor(root)]);
    await won[0]!.release();
    assert.deepEqual(await listStateFiles(base), []);
  } finally {
    await dropScratch(base);
  }
});

test('the holder is the owner while it lives, and a dead owner is recognised as dead', async () => {
  const base = scratch('state');
  try {
    const live = await StateFile.claim(owner(`${base}/a`));
    assert.notEqual(live, 'taken');
    const v = (await readState(statePathFor(`${base}/a`)))!;
    assert.equal(currentHolder(v).state, 'alive');

    const dead = owner(`${base}/b`, deadPid());
    writeFileSync(statePathFor(`${base}/b`), JSON.stringify(dead) + '\n');
    assert.equal(currentHolder((await readState(statePathFor(`${base}/b`)))!).state, 'dead');

    // Same pid, another boot: dead too (pids restart at every boot).
    const rebooted = { ...owner(`${base}/c`), bootId: 'another-boot' };
    writeFileSync(statePathFor(`${base}/c`), JSON.stringify(rebooted) + '\n');
    assert.equal(currentHolder((await readState(statePathFor(`${base}/c`)))!).state, 'dead');

    // A reused pid shows a different start time.
    const reused = { ...owner(`${base}/d`), pidStart: '1' };
    writeFileSync(statePathFor(`${base}/d`), JSON.stringify(reused) + '\n');
    assert.equal(currentHolder((await readState(statePathFor(`${base}/d`)))!).state, 'dead');
    if (live !== 'taken') await live.release();
  } finally {
    await dropScratch(base);
  }
});

test('adopting a dead sandbox: concurrent adopters agree on exactly one; a live owner cannot be adopted', async () => {
  const base = scratch('state');
  try {
    const path = statePathFor(`${base}/x`);
    writeFileSync(path, JSON.stringify(owner(`${base}/x`, deadPid())) + '\n');
    const got = await Promise.all(Array.from({ length: 8 }, () => StateFile.adopt(path)));
    const winners = got.filter((g) => g !== null);
    assert.equal(winners.length, 1);
    for (const w of winners) await w!.file.close();

    const livePath = statePathFor(`${base}/y`);
    writeFileSync(livePath, JSON.stringify(owner(`${base}/y`)) + '\n');
    assert.equal(await StateFile.adopt(livePath), null);
  } finally {
    await dropScratch(base);
  }
});

test('a kept (persistent) sandbox is neither alive nor dead until someone adopts it', async () => {
  const base = scratch('state');
  try {
    const path = statePathFor(`${base}/k`);
    writeFileSync(path, JSON.stringify(owner(`${base}/k`, null)) + '\n');
    assert.equal(currentHolder((await readState(path))!).state, 'unknown');
    const a = await StateFile.adopt(path);
    assert.ok(a);
    assert.equal(currentHolder((await readState(path))!).holder.token, a.file.token);
    await a.file.close();
  } finally {
    await dropScratch(base);
  }
});

test('readState reports a torn last line with file:line and keeps the rest', async () => {
  const base = scratch('state');
  try {
    const path = statePathFor(`${base}/t`);
    writeFileSync(path, JSON.stringify(owner(`${base}/t`)) + '\n' + JSON.stringify({ kind: 'root' }) + '\n');
    appendFileSync(path, '{"kind":"mount","target":"/x","sou');
    const v = (await readState(path))!;
    assert.deepEqual(v.steps, [{ kind: 'root' }]);
    assert.equal(v.problems.length, 1);
    assert.match(v.problems[0]!, new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: unreadable line`));
  } finally {
    await dropScratch(base);
  }
});

test('readState on random or mutated content returns a view or a SandboxError, nothing else (property)', async () => {
  const base = scratch('state');
  try {
    mkdirSync(`${base}/p`);
    const path = `${base}/p/state`;
    const good =
      [
        JSON.stringify(owner(`${base}/p/s`)),
        JSON.stringify({ kind: 'root' }),
        JSON.stringify({ kind: 'mount', target: '/a', source: '/b', type: 'bind', ro: true }),
      ].join('\n') + '\n';
    const mutated = fc.tuple(fc.nat(good.length), fc.nat(20), fc.string()).map(([at, del, ins]) => good.slice(0, at) + ins + good.slice(at + del));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), mutated), async (text) => {
        writeFileSync(path, text);
        try {
          const v = await readState(path);
          assert.ok(v);
          assert.equal(readFileSync(path, 'utf8'), text);
          for (const p of v.problems) assert.match(p, /:\d+: /);
        } catch (e) {
          assert.ok(e instanceof SandboxError, `unexpected ${String(e)}`);
          assert.equal(e.code, 'foreign');
        }
      }),
      { numRuns: 300 },
    );
  } finally {
    await dropScratch(base);
  }
});
