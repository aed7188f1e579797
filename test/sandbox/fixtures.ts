// Shared by the sandbox tests. Everything a test mounts read-write is a directory it made under
// /var/tmp/pkgsrc-bulk-sbx-*, with a canary file; scratch dirs are only ever removed after
// mountinfo shows nothing mounted below them, and through the sandbox layer's own checked remover.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, lstatSync, writeFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { buildSync } from 'esbuild';
import { posix } from 'node:path';
import { mountsUnder, readMountinfoSync } from '../../src/engine/sandbox/mountinfo';
import { removeTree } from '../../src/engine/sandbox/remove';
import type { Sandbox, SandboxSpec } from '../../src/engine/sandbox/types';
import { defaultSpec } from '../../src/engine/sandbox/plan';
import { listStateFiles, readState } from '../../src/engine/sandbox/state';

export const REPO = posix.resolve(__dirname, '../..');
export const SCRATCH_PARENT = '/var/tmp';

export function requireRoot(): void {
  assert.equal(process.getuid?.(), 0, 'this test mounts file systems and needs root (CI runs the suite as root)');
}

/** A fresh /var/tmp/pkgsrc-bulk-sbx-<tag>-XXXXXX. */
export function scratch(tag: string): string {
  return mkdtempSync(`${SCRATCH_PARENT}/pkgsrc-bulk-sbx-${tag}-`);
}

/** Removes a scratch dir, but only if nothing is mounted below it (else the test fails, deleting nothing). */
export async function dropScratch(dir: string): Promise<void> {
  assert.ok(dir.startsWith(`${SCRATCH_PARENT}/pkgsrc-bulk-sbx-`), `not a scratch dir: ${dir}`);
  assert.deepEqual(
    mountsUnder(readMountinfoSync(), dir).map((m) => m.mountPoint),
    [],
    `mounts left below ${dir}`,
  );
  await removeTree(dir, SCRATCH_PARENT);
}

/**
 * Runs body with a scratch dir; afterwards destroys every sandbox it registered with `keep`
 * and drops the dir. A failure of the body is what gets reported, never one of the cleanup.
 */
export async function withScratch(tag: string, body: (dir: string, keep: <T extends Sandbox>(s: T) => T) => Promise<void>): Promise<void> {
  const dir = scratch(tag);
  const made: Sandbox[] = [];
  let failed = false;
  try {
    await body(dir, (s) => {
      made.push(s);
      return s;
    });
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    const cleanup = (await Promise.allSettled(made.map((s) => s.destroy()))).find((r) => r.status === 'rejected');
    try {
      await dropScratch(dir);
    } catch (e) {
      if (!failed) throw e;
    }
    if (cleanup && !failed) throw (cleanup as PromiseRejectedResult).reason;
  }
}

export function mountPointsUnder(dir: string): string[] {
  return mountsUnder(readMountinfoSync(), dir).map((m) => m.mountPoint);
}

/** A host directory standing in for pkgsrc/packages: some files and a CANARY. */
export function hostTree(dir: string, files = 20): string {
  mkdirSync(`${dir}/sub/deeper`, { recursive: true });
  writeFileSync(`${dir}/CANARY`, 'do not delete\n');
  for (let i = 0; i < files; i++) writeFileSync(`${dir}/${i % 2 ? 'sub/deeper' : 'sub'}/f${i}`, `content ${i}\n`);
  return dir;
}

/** Content hash of a tree (names, types, file bytes, link texts), to prove it was not touched. */
export function treeHash(dir: string, skip: (rel: string) => boolean = () => false): string {
  const h = createHash('sha256');
  const walk = (d: string, rel: string) => {
    for (const n of readdirSync(d).sort()) {
      const r = `${rel}/${n}`;
      if (skip(r)) continue;
      const p = `${d}/${n}`;
      const st = lstatSync(p);
      if (st.isDirectory()) {
        h.update(`d ${r}\n`);
        walk(p, r);
      } else if (st.isSymbolicLink()) h.update(`l ${r} ${readlinkSync(p)}\n`);
      else h.update(`f ${r} ${createHash('sha256').update(readFileSync(p)).digest('hex')}\n`);
    }
  };
  walk(dir, '');
  return h.digest('hex');
}

/** The default (mksandbox-like) spec with a host tree read-write. */
export function specFor(root: string, rw: string[], extra: Partial<SandboxSpec> = {}): SandboxSpec {
  const base = defaultSpec(root, { prefix: '/usr/pkg', pkgdb: '/usr/pkg/pkgdb', extraRw: rw });
  return { ...base, ...extra };
}

let bundled: string | undefined;

/**
 * The CLI bundled as esbuild.mjs bundles it, built once per test process: tests that start
 * many CLI processes (kill -9 loops) then pay node's startup, not a TypeScript compile each time.
 */
export function engineBundle(): string {
  if (!bundled) {
    const dir = mkdtempSync(`${tmpdir()}/pkgsrc-bulk-sbx-cli-`);
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const out = `${dir}/engine.js`;
    buildSync({
      entryPoints: [posix.join(REPO, 'src/engine/main.ts')],
      outfile: out,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      logLevel: 'warning',
      define: { 'import.meta.url': 'importMetaUrl' },
      banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
    });
    bundled = out;
  }
  return bundled;
}

export const ENV = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' };

/** Every mount below base is in the state file of the sandbox it belongs to. */
export async function assertMountsRecorded(base: string): Promise<void> {
  const recorded = new Set<string>();
  for (const f of await listStateFiles(base)) {
    for (const x of (await readState(f))?.steps ?? []) if (x.kind === 'mount') recorded.add(x.target);
  }
  for (const m of mountPointsUnder(base)) assert.ok(recorded.has(m), `mount ${m} is in no state file`);
}
