// Finding and removing what a killed engine left: sandboxes whose owner is dead, claim files
// and scratch dirs of half-made ones, snapshots nothing refers to any more. Everything goes
// through the same checked teardown as a normal destroy; live and kept sandboxes are listed,
// never touched.
import { readdir, unlink } from 'node:fs/promises';
import { posix } from 'node:path';
import { SandboxError, errorText } from './errors';
import { checkAbsolute } from './paths';
import { mountsUnder, readMountinfo } from './mountinfo';
import { hostKind } from './paths';
import { currentHolder, listStaleClaimTemps, listStateFiles, readState, statePathFor, STATE_SUFFIX, type StateView } from './state';
import { checkStateConsistent, reapState, type Warn } from './lifecycle';
import { listSnapshots, removeSnapshotDirIfEmpty } from './snapshot';
import { removeTree } from './remove';
import type { TeardownReport } from './teardown';

export type SandboxStatus = 'running' | 'kept' | 'stale' | 'other-host' | 'unreadable';

export interface SandboxListing {
  root: string;
  statePath: string;
  status: SandboxStatus;
  backend?: string;
  pid?: number | null;
  host?: string;
  created?: string;
  rootExists: boolean;
  /** Mounts at or below the root right now. */
  mounts: number;
  problems: string[];
}

function statusOf(view: StateView): SandboxStatus {
  const { state } = currentHolder(view);
  if (state === 'alive') return 'running';
  if (state === 'dead') return 'stale';
  return view.owner.persistent && currentHolder(view).holder === view.owner ? 'kept' : 'other-host';
}

export async function listSandboxes(base: string): Promise<SandboxListing[]> {
  const b = checkAbsolute(base, 'sandbox base');
  const info = await readMountinfo();
  const out: SandboxListing[] = [];
  for (const path of await listStateFiles(b)) {
    const root = posix.join(b, posix.basename(path).slice(1, -STATE_SUFFIX.length));
    try {
      const view = await readState(path);
      if (!view) continue;
      checkStateConsistent(view);
      const h = currentHolder(view).holder;
      out.push({
        root: view.owner.root,
        statePath: path,
        status: statusOf(view),
        backend: view.owner.backend,
        pid: h.pid,
        host: h.host,
        created: view.owner.created,
        rootExists: hostKind(view.owner.root) !== null,
        mounts: mountsUnder(info, view.owner.root).length,
        problems: view.problems,
      });
    } catch (e) {
      out.push({
        root,
        statePath: path,
        status: 'unreadable',
        rootExists: hostKind(root) !== null,
        mounts: mountsUnder(info, root).length,
        problems: [errorText(e)],
      });
    }
  }
  return out;
}

export interface CleanupOptions {
  warn: Warn;
  /** Also remove sandboxes kept by `sandbox create` (no owner process). */
  includeKept?: boolean;
  /** Only report what would be removed. */
  dryRun?: boolean;
}

export interface CleanupReport {
  removed: string[];
  skipped: { root: string; reason: string }[];
  failed: { root: string; error: string }[];
  /** Snapshots, scratch dirs and claim files removed. */
  leftovers: string[];
}

export async function cleanupBase(base: string, o: CleanupOptions): Promise<CleanupReport> {
  const b = checkAbsolute(base, 'sandbox base');
  const report: CleanupReport = { removed: [], skipped: [], failed: [], leftovers: [] };
  for (const s of await listSandboxes(b)) {
    if (s.status === 'running') {
      report.skipped.push({ root: s.root, reason: `in use by pid ${s.pid}` });
      continue;
    }
    if (s.status === 'other-host') {
      report.skipped.push({ root: s.root, reason: `owned by a process on host ${s.host}; clean it up there` });
      continue;
    }
    if (s.status === 'kept' && !o.includeKept) {
      report.skipped.push({ root: s.root, reason: 'kept by `sandbox create`; remove it with `sandbox destroy` or cleanup --kept' });
      continue;
    }
    if (s.status === 'unreadable') {
      report.failed.push({ root: s.root, error: `${s.problems.join('; ')} (not touching it)` });
      continue;
    }
    if (o.dryRun) {
      report.removed.push(s.root);
      continue;
    }
    try {
      const r = await reapState(s.statePath, { warn: o.warn, includePersistent: o.includeKept === true });
      if (r) report.removed.push(s.root);
      else report.skipped.push({ root: s.root, reason: 'taken over by another process meanwhile' });
    } catch (e) {
      report.failed.push({ root: s.root, error: errorText(e) });
    }
  }
  if (!o.dryRun) await removeLeftovers(b, report);
  return report;
}

/** Claim temps of dead processes, scratch dirs without a state file, snapshots nobody refers to. */
async function removeLeftovers(base: string, report: CleanupReport): Promise<void> {
  for (const t of await listStaleClaimTemps(base)) {
    await unlink(t).catch(() => undefined);
    report.leftovers.push(t);
  }
  let names: string[] = [];
  try {
    names = await readdir(base);
  } catch {
    return;
  }
  const referenced = new Set<string>();
  for (const path of await listStateFiles(base)) {
    try {
      const v = await readState(path);
      for (const s of v?.steps ?? []) if (s.kind === 'snapshot') referenced.add(s.path);
    } catch {
      // an unreadable state file keeps nothing alive, but its sandbox was not touched either
    }
  }
  for (const n of names) {
    if (!n.startsWith('.') || !n.endsWith(`${STATE_SUFFIX}.d`)) continue;
    const state = posix.join(base, n.slice(0, -2));
    if (hostKind(state) !== null) continue;
    try {
      await removeTree(posix.join(base, n), base);
      report.leftovers.push(posix.join(base, n));
    } catch (e) {
      report.failed.push({ root: posix.join(base, n), error: errorText(e) });
    }
  }
  const now = Date.now();
  for (const s of await listSnapshots(base)) {
    // A fresh unreferenced snapshot may be about to be used by a sandbox being created right now.
    const unused = s.temp ? s.deadTemp : !referenced.has(s.path) && now - s.mtimeMs > 60_000;
    if (!unused) continue;
    try {
      await removeTree(s.path, base);
      report.leftovers.push(s.path);
    } catch (e) {
      report.failed.push({ root: s.path, error: errorText(e) });
    }
  }
  await removeSnapshotDirIfEmpty(base);
}

/** `sandbox destroy`: removes one sandbox by its root, unless a live process owns it. */
export async function destroyByRoot(root: string, o: { warn: Warn }): Promise<TeardownReport> {
  const r = checkAbsolute(root, 'sandbox');
  const path = statePathFor(r);
  const view = await readState(path);
  if (!view) {
    throw new SandboxError('foreign', `${r} has no state file (${path}): it was not made by pkgsrc-bulk, or is already gone; not touching it`);
  }
  checkStateConsistent(view);
  const { holder, state } = currentHolder(view);
  if (state === 'alive')
    throw new SandboxError('owned', `sandbox ${r} is in use by pid ${holder.pid}; stop that process first (it removes its sandboxes on SIGTERM)`);
  if (state === 'unknown' && !(view.owner.persistent && holder === view.owner)) {
    throw new SandboxError('owned', `sandbox ${r} belongs to a process on host ${holder.host}; destroy it there`);
  }
  const rep = await reapState(path, { warn: o.warn, includePersistent: true });
  if (!rep) throw new SandboxError('owned', `sandbox ${r} was taken over by another process meanwhile`);
  return rep;
}
