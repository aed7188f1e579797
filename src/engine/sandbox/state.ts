// The sandbox's own state file: `<base>/.<name>.pkgsrc-bulk-sandbox`, JSON lines, append-only.
// The first line is the owner (pid + start time + boot id, or "persistent" for sandboxes made
// from the CLI), then one line per step *before* the step is taken: root created, each mount
// about to be made, script started, destroy started. Claiming a name is atomic (the file is
// written under a temporary name and link(2)ed into place, which fails if the name is taken),
// so parallel creates never share a sandbox, and a dead owner is recognised from the file alone.
//
// No fsync: the failure we defend against is a killed process, not a lost disk cache; data
// written before a kill -9 is visible to the next reader. After a reboot nothing is mounted.
import { link, open, readFile, readdir, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { posix } from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { SandboxError, errnoCode } from './errors';
import { bootId, liveness, processStartTime, type Liveness } from './procs';

export const STATE_SUFFIX = '.pkgsrc-bulk-sandbox';

const holder = z.object({
  token: z.string().min(8),
  pid: z.number().int().positive().nullable(),
  pidStart: z.string().nullable(),
  bootId: z.string(),
  host: z.string(),
});

const ownerRecord = holder.extend({
  kind: z.literal('owner'),
  v: z.literal(1),
  name: z.string(),
  root: z.string().startsWith('/'),
  base: z.string().startsWith('/'),
  backend: z.enum(['chroot', 'namespace', 'command', 'none']),
  uid: z.number().int(),
  /** Made with `pkgsrc-bulk sandbox create` to be kept: no process owns it. */
  persistent: z.boolean(),
  created: z.string(),
  /** command backend: the user's scripts. */
  createScript: z.string().optional(),
  deleteScript: z.string().optional(),
});

const stepRecord = z.discriminatedUnion('kind', [
  holder.extend({ kind: z.literal('adopt') }),
  z.object({ kind: z.literal('root') }),
  z.object({ kind: z.literal('private') }),
  z.object({
    kind: z.literal('mount'),
    target: z.string().startsWith('/'),
    source: z.string(),
    type: z.string(),
    ro: z.boolean(),
  }),
  z.object({ kind: z.literal('mounted') }),
  z.object({ kind: z.literal('snapshot'), path: z.string().startsWith('/') }),
  z.object({ kind: z.literal('script'), phase: z.enum(['create', 'delete']), argv: z.array(z.string()) }),
  z.object({ kind: z.literal('destroying') }),
]);

export type OwnerRecord = z.infer<typeof ownerRecord>;
export type StepRecord = z.infer<typeof stepRecord>;
export type Holder = z.infer<typeof holder>;

export interface StateView {
  path: string;
  owner: OwnerRecord;
  steps: StepRecord[];
  /** Lines that could not be read, as `file:line: reason` (a torn last line after a kill is normal). */
  problems: string[];
}

export function statePathFor(root: string): string {
  return posix.join(posix.dirname(root), `.${posix.basename(root)}${STATE_SUFFIX}`);
}

/** Scratch space of a sandbox that must not be visible inside it (overlay upper/work dirs). */
export function privateDirFor(root: string): string {
  return statePathFor(root) + '.d';
}

export function newHolder(pid: number | null = process.pid): Holder {
  return {
    token: randomBytes(8).toString('hex'),
    pid,
    pidStart: pid === null ? null : processStartTime(pid),
    bootId: bootId(),
    host: hostname(),
  };
}

function holderLiveness(h: Holder): Liveness {
  if (h.host !== hostname()) return 'unknown';
  return liveness(h.pid, h.pidStart, h.bootId);
}

export async function readState(path: string): Promise<StateView | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return null;
    throw e;
  }
  const problems: string[] = [];
  const lines = text.split('\n');
  let owner: OwnerRecord | undefined;
  const steps: StepRecord[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      problems.push(`${path}:${i + 1}: unreadable line (torn write?): ${JSON.stringify(line.slice(0, 80))}`);
      continue;
    }
    if (i === 0) {
      const r = ownerRecord.safeParse(json);
      if (r.success) owner = r.data;
      else problems.push(`${path}:1: not an owner record: ${r.error.issues[0]?.message ?? 'invalid'}`);
      continue;
    }
    const r = stepRecord.safeParse(json);
    if (r.success) steps.push(r.data);
    else problems.push(`${path}:${i + 1}: unknown step: ${JSON.stringify(line.slice(0, 80))}`);
  }
  if (!owner) {
    throw new SandboxError('foreign', `${path}:1: not a pkgsrc-bulk sandbox state file${problems.length ? ` (${problems[0]})` : ''}`);
  }
  return { path, owner, steps, problems };
}

/**
 * Who acts for the sandbox now: the owner, or, once it is dead, the earliest adopter still
 * alive. Appends are ordered, so concurrent adopters all agree on the same one.
 */
export function currentHolder(view: StateView): { holder: Holder; state: Liveness } {
  const chain: Holder[] = [view.owner, ...view.steps.filter((s): s is Extract<StepRecord, { kind: 'adopt' }> => s.kind === 'adopt')];
  if (view.owner.persistent && chain.length === 1) return { holder: view.owner, state: 'unknown' };
  for (const h of chain) {
    if (h === view.owner && view.owner.persistent) continue;
    const l = holderLiveness(h);
    if (l !== 'dead') return { holder: h, state: l };
  }
  return { holder: chain[chain.length - 1]!, state: 'dead' };
}

/** An open state file we hold; appends go straight to the file (O_APPEND) before each step. */
export class StateFile {
  private constructor(
    readonly path: string,
    readonly token: string,
    private fh: import('node:fs/promises').FileHandle | null,
  ) {}

  /**
   * Claims the name: writes the owner line to a temporary file and links it into place.
   * EEXIST means someone else holds (or held) the name: the caller inspects it.
   */
  static async claim(owner: OwnerRecord): Promise<StateFile | 'taken'> {
    const path = statePathFor(owner.root);
    const tmp = `${path}.${process.pid}.${owner.token}.tmp`;
    await writeFile(tmp, JSON.stringify(owner) + '\n', { mode: 0o644, flag: 'wx' });
    try {
      await link(tmp, path);
    } catch (e) {
      if (errnoCode(e) === 'EEXIST') return 'taken';
      throw e;
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
    return new StateFile(path, owner.token, await open(path, 'a'));
  }

  /**
   * Takes over a sandbox whose holder is dead (or persistent): appends an adopt line, then
   * re-reads to see whether we are the holder everyone agrees on. Returns null if another
   * live adopter came first.
   */
  static async adopt(path: string): Promise<{ file: StateFile; view: StateView } | null> {
    const me = newHolder();
    let fh;
    try {
      fh = await open(path, 'a');
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') return null;
      throw e;
    }
    await fh.write(JSON.stringify({ kind: 'adopt', ...me }) + '\n');
    const view = await readState(path);
    if (!view || currentHolder(view).holder.token !== me.token) {
      await fh.close();
      return null;
    }
    return { file: new StateFile(path, me.token, fh), view };
  }

  async append(steps: StepRecord[]): Promise<void> {
    if (!this.fh) throw new Error(`state file ${this.path} is closed`);
    await this.fh.write(steps.map((s) => JSON.stringify(s) + '\n').join(''));
  }

  /** Set once the file is removed: the name may belong to someone else from then on. */
  released = false;

  /** The sandbox is gone: remove the state file. Only the current holder ever calls this. */
  async release(): Promise<void> {
    this.released = true;
    await this.close();
    await unlink(this.path).catch((e: unknown) => {
      if (errnoCode(e) !== 'ENOENT') throw e;
    });
  }

  async close(): Promise<void> {
    const fh = this.fh;
    this.fh = null;
    await fh?.close();
  }
}

/** State files in a base directory (one per sandbox, live or stale). */
export async function listStateFiles(base: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(base);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return [];
    throw e;
  }
  return names
    .filter((n) => n.startsWith('.') && n.endsWith(STATE_SUFFIX))
    .sort()
    .map((n) => posix.join(base, n));
}

/** Temporary claim files left by a process killed between write and link. */
export async function listStaleClaimTemps(base: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(base);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const n of names) {
    const m = /^\..+\.pkgsrc-bulk-sandbox\.(\d+)\.[0-9a-f]+\.tmp$/.exec(n);
    if (m && processStartTime(Number(m[1])) === null) out.push(posix.join(base, n));
  }
  return out;
}
