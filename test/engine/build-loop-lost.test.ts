// The build loop when a build client goes away mid-package and its package is taken at once by
// another client. The pool here is scripted (a stand-in for a build master's clients): the
// loop's bookkeeping is what is tested, and real clients cannot be made to lose a package at
// a chosen moment. The real master and clients in network namespaces are in master.test.ts.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { BuildWorker, WorkerOutcome, WorkerPool } from '../../src/engine/core/workers';
import { runBuildLoop } from '../../src/engine/core/build-loop';
import { EventHub } from '../../src/engine/core/events';
import { readPresolve } from '../../src/engine/core/presolve';
import { loadWorkspaceConfig, makeWorkspace } from './harness';

const NO_REASONS = ['PKG_SKIP_REASON=', 'PKG_FAIL_REASON='];
const PRESOLVE = [
  ...['PKGNAME=liba-1.0', 'PKG_LOCATION=devel/liba', 'ALL_DEPENDS=', ...NO_REASONS],
  ...['PKGNAME=app-1.0', 'PKG_LOCATION=misc/app', 'ALL_DEPENDS=  liba-[0-9]*:../../devel/liba', ...NO_REASONS, 'DEPENDS=liba-1.0'],
  '',
].join('\n');

/** Two clients: "gone" loses the first package it gets, "stays" builds everything it gets and asks for more. */
function scriptedClients(): WorkerPool & { built: string[] } {
  let waiters: (() => void)[] = [];
  const notify = () => {
    for (const r of waiters.splice(0)) r();
  };
  const built: string[] = [];
  const free: BuildWorker[] = [];
  const gone: BuildWorker = {
    slot: 0,
    host: 'gone',
    build: () =>
      new Promise<WorkerOutcome>((resolve) => {
        // As the build master does: the job ends as lost, then the pool says something changed.
        setTimeout(() => {
          resolve({ kind: 'lost', message: 'gone went away' });
          notify();
        }, 20);
      }),
  };
  const stays: BuildWorker = {
    slot: 1,
    host: 'stays',
    build: (job) =>
      new Promise<WorkerOutcome>((resolve) =>
        setTimeout(() => {
          built.push(job.pkgname);
          resolve({ kind: 'built', phase: 'deinstall' });
          // As a pbulk client does: D, then at once G, asking for the next package.
          if (!free.includes(stays)) free.push(stays);
          notify();
        }, 20),
      ),
  };
  free.push(gone, stays);
  return {
    dynamic: true,
    built,
    take: () => free.shift(),
    release: (w) => {
      if (w !== gone && !free.includes(w)) free.push(w);
    },
    changed: () => new Promise<void>((r) => waiters.push(r)),
  };
}

test(
  'a package lost with its client and taken at once by another: the loop waits for that build and goes on to its dependents',
  { timeout: 20_000 },
  async (t) => {
    const ws = makeWorkspace('loop-lost', []);
    t.after(() => ws.remove());
    const cfg = await loadWorkspaceConfig(ws);
    mkdirSync(cfg.metaDir, { recursive: true });
    writeFileSync(join(cfg.metaDir, 'presolve'), PRESOLVE);
    const { records, errors } = await readPresolve(cfg.metaDir);
    assert.deepEqual(errors, []);
    const pool = scriptedClients();
    const hub = new EventHub();
    const events: string[] = [];
    hub.on((name, p) => {
      const x = p as { pkgname?: string; host?: string; state?: string };
      if (name === 'started' || name === 'finished') events.push(`${name} ${x.pkgname} ${x.host ?? ''}${x.state ? ` ${x.state}` : ''}`.trim());
    });
    const r = await runBuildLoop({
      cfg,
      hub,
      runId: 'r',
      records,
      slots: [],
      workers: pool,
      force: new Set(),
      followed: new Set(),
      signal: new AbortController().signal,
      running: new Map(),
    });
    assert.ok(r.ok);
    assert.deepEqual(pool.built, ['liba-1.0', 'app-1.0'], events.join('\n'));
    assert.deepEqual(events, [
      'started liba-1.0 gone',
      'started liba-1.0 stays',
      'finished liba-1.0 stays done',
      'started app-1.0 stays',
      'finished app-1.0 stays done',
    ]);
  },
);
