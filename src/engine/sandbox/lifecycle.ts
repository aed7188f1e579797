// What every backend does around its own work: claim the name (taking over the remains of a
// dead owner first), and tear a sandbox down from what its state file says, which is also how
// `sandbox cleanup` and a restarted engine remove what a killed engine left behind.
import { posix } from 'node:path';
import { mkdir, realpath, stat, unlink } from 'node:fs/promises';
import { loadExeca } from '../execa';
import type { BackendName } from './types';
import { SandboxError, errnoCode } from './errors';
import { checkRootAndBase } from './paths';
import { StateFile, currentHolder, newHolder, readState, statePathFor, privateDirFor, type OwnerRecord, type StateView } from './state';
import { teardown, type TeardownReport } from './teardown';
import type { ProcessGroups } from './exec';

export type Warn = (message: string) => void;

export const defaultWarn: Warn = (m) => process.stderr.write(`pkgsrc-bulk: warning: ${m}\n`);

export interface ClaimRequest {
  root: string;
  base: string;
  backend: BackendName;
  persistent: boolean;
  createScript?: string;
  deleteScript?: string;
  warn: Warn;
}

/**
 * Checks root and base, creates the base, and resolves it if it is reached through a symlink
 * (a /chroot that links to a data disk): from then on the canonical path is used, so every
 * later check on the path compares like with like.
 */
export async function prepareRootAndBase(specRoot: string, specBase: string | undefined): Promise<{ root: string; base: string }> {
  const { root, base } = checkRootAndBase(specRoot, specBase);
  let real: string;
  try {
    await mkdir(base, { recursive: true, mode: 0o755 });
    real = await realpath(base);
  } catch (e) {
    throw new SandboxError('unsafe-path', `cannot create the sandbox base ${base} (${errnoCode(e) ?? String(e)})`);
  }
  if (!(await stat(real)).isDirectory()) throw new SandboxError('unsafe-path', `sandbox base ${base} is not a directory`);
  if (real === base) return { root, base };
  return checkRootAndBase(posix.join(real, posix.basename(root)), real);
}

export async function claimName(req: ClaimRequest): Promise<StateFile> {
  const h = newHolder(req.persistent ? null : process.pid);
  const owner: OwnerRecord = {
    kind: 'owner',
    v: 1,
    ...h,
    name: posix.basename(req.root),
    root: req.root,
    base: req.base,
    backend: req.backend,
    uid: process.getuid?.() ?? -1,
    persistent: req.persistent,
    created: new Date().toISOString(),
    ...(req.createScript ? { createScript: req.createScript } : {}),
    ...(req.deleteScript ? { deleteScript: req.deleteScript } : {}),
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    const got = await StateFile.claim(owner);
    if (got !== 'taken') return got;
    const path = statePathFor(req.root);
    const view = await readState(path);
    if (!view) continue; // released meanwhile: try again
    const { holder, state } = currentHolder(view);
    if (state !== 'dead') {
      const who = holder.pid === null ? 'kept by `pkgsrc-bulk sandbox create`' : `in use by pid ${holder.pid} on ${holder.host}`;
      throw new SandboxError('owned', `sandbox ${req.root} exists and is ${who} (state ${path}); destroy it with \`pkgsrc-bulk sandbox destroy ${req.root}\``);
    }
    req.warn(`removing sandbox ${req.root} left by a dead process (pid ${holder.pid}, ${view.owner.created})`);
    await reapState(path, { warn: req.warn });
  }
  throw new SandboxError('owned', `could not claim sandbox name ${req.root}: it keeps being taken`);
}

/** Checks that a state file describes a sandbox beside it, inside its own base: never trust a path from a file blindly. */
export function checkStateConsistent(view: StateView): void {
  const { root, base } = checkRootAndBase(view.owner.root, view.owner.base);
  if (statePathFor(root) !== view.path || posix.dirname(view.path) !== base) {
    throw new SandboxError(
      'unsafe-path',
      `${view.path}:1: names root ${view.owner.root} in base ${view.owner.base}, which is not where the state file lies; not touching it`,
    );
  }
}

/**
 * Creates the root with an exclusive mkdir, recording it only once it is ours. A directory that
 * is already there belongs to someone else: the claim is given up at once (so no teardown of
 * ours can ever touch that directory) and the create fails.
 */
export async function makeRoot(state: StateFile, root: string): Promise<void> {
  try {
    await mkdir(root, { mode: 0o755 });
  } catch (e) {
    if (errnoCode(e) !== 'EEXIST') throw e;
    await state.release();
    throw new SandboxError(
      'foreign',
      `${root} already exists and was not made by pkgsrc-bulk (no state file); remove it yourself or choose another chroot_dir`,
    );
  }
  await state.append([{ kind: 'root' }]);
}

/** Undoes a failed create from its state file, unless the claim was already given up. */
export async function rollBack(state: StateFile, root: string, cause: unknown, warn: Warn): Promise<void> {
  try {
    if (state.released) return;
    const view = await readState(state.path);
    if (view) await teardownByState(view, { warn });
  } catch (e) {
    const why = cause instanceof Error ? cause.message : String(cause);
    warn(`could not roll back sandbox ${root} after a failed create (${why}): ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    await state.close();
  }
}

export interface ReapOptions {
  warn: Warn;
  /** Take over even a persistent sandbox (explicit `sandbox destroy`). */
  includePersistent?: boolean;
  groups?: ProcessGroups;
}

/**
 * Removes a sandbox whose holder is dead (or persistent, when asked): adopts the state file,
 * tears down by its record, deletes it. Returns null if someone else is alive and holds it.
 */
export async function reapState(path: string, o: ReapOptions): Promise<TeardownReport | null> {
  const before = await readState(path);
  if (!before) return null;
  checkStateConsistent(before);
  const { state } = currentHolder(before);
  const persistentUnheld = before.owner.persistent && state === 'unknown';
  if (state !== 'dead' && !(persistentUnheld && o.includePersistent)) return null;
  const adopted = await StateFile.adopt(path);
  if (!adopted) return null;
  try {
    return await teardownByState(adopted.view, o);
  } finally {
    await adopted.file.close();
  }
}

/** The teardown of a sandbox described by view; the caller holds the state file. Removes it at the end. */
export async function teardownByState(view: StateView, o: { warn: Warn; groups?: ProcessGroups }): Promise<TeardownReport> {
  checkStateConsistent(view);
  const root = view.owner.root;
  const base = view.owner.base;
  const steps = view.steps;
  const scriptCreated = steps.some((s) => s.kind === 'script' && s.phase === 'create');
  const ownsRoot = steps.some((s) => s.kind === 'root') || scriptCreated;
  const deleteScript = view.owner.deleteScript;
  const report = await teardown({
    root,
    base,
    ...(o.groups ? { groups: o.groups } : {}),
    ...(steps.some((s) => s.kind === 'private') ? { privateDir: privateDirFor(root) } : {}),
    ownsRoot,
    ...(deleteScript && scriptCreated ? { beforeDelete: () => runUserScript(deleteScript, root, 'chroot_delete', o.warn, false) } : {}),
  });
  await unlink(view.path).catch((e: unknown) => {
    if (errnoCode(e) !== 'ENOENT') throw e;
  });
  return report;
}

/**
 * Runs a chroot_create / chroot_delete script with the sandbox dir as its argument, as pbulk
 * does, with the engine's environment. A failing create is an error; a failing delete only a
 * warning, since the sandbox is then removed by our own checked code anyway.
 */
export async function runUserScript(script: string, root: string, what: string, warn: Warn, fatal: boolean): Promise<void> {
  const r = await (await loadExeca()).execa(script, [root], { reject: false, stdin: 'ignore', all: true, timeout: 15 * 60_000 });
  if (r.exitCode === 0) return;
  const out = String(r.all ?? '')
    .trim()
    .split('\n')
    .slice(-15)
    .join('\n');
  const msg = `${what} script ${script} ${root} ${r.exitCode === undefined ? `could not run (${r.shortMessage})` : `exited ${r.exitCode ?? r.signal}`}${out ? `:\n${out}` : ''}`;
  if (fatal) throw new SandboxError('script-failed', msg);
  warn(msg);
}
