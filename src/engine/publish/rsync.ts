// A package repository that switches at once on the server, over nothing but rsync (a local
// path, a remote shell or an rsync daemon): pkg_rsync_target is a symbolic link to a release
// directory beside it (`<name>.<BUILD_START_DIR>`). A publish uploads into a new release
// (hard-linking what the live one already has), then replaces the link, which rsync does by
// creating it under a temporary name and renaming it over the old one. Until then clients see
// the old release, complete; a publish killed mid-upload leaves only a partial release that
// the next publish resumes or removes. The previous release stays for rollback; older ones go.
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transportArgs, type RsyncTarget } from '../../pkgsrc/publish';
import { loadExeca } from '../execa';

export interface RemoteEntry {
  name: string;
  kind: 'dir' | 'link' | 'file';
  /** Where a link points. */
  target?: string;
}

export class RsyncError extends Error {}

export interface Rsync {
  cmd: readonly string[];
  /** The user's rsync arguments (pkg_rsync_args), for the upload itself. */
  args: readonly string[];
  /** Called with each command line before it runs. */
  log?: (line: string) => void;
  signal?: AbortSignal;
}

const LISTING = /^([dl-])[-rwxsStTlL]{9}[.+]?\s+[\d,.]+\s+\S+\s+\S+\s(.*)$/;

/** Parses `rsync --list-only` output of one directory (the `.` entry left out). */
export function parseListing(text: string): RemoteEntry[] {
  const out: RemoteEntry[] = [];
  for (const line of text.split('\n')) {
    const m = LISTING.exec(line);
    if (!m) continue;
    const kind = m[1] === 'd' ? 'dir' : m[1] === 'l' ? 'link' : 'file';
    let name = m[2]!;
    let target: string | undefined;
    if (kind === 'link') {
      const arrow = name.indexOf(' -> ');
      if (arrow >= 0) {
        target = name.slice(arrow + 4);
        name = name.slice(0, arrow);
      }
    }
    if (name === '.') continue;
    out.push({ name, kind, ...(target !== undefined ? { target } : {}) });
  }
  return out;
}

export function quote(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** Runs rsync with these arguments; a failure is an RsyncError with the end of its output. */
export async function runRsync(r: Rsync, argv: string[], opts: { cwd?: string; input?: string } = {}): Promise<string> {
  const { execa } = await loadExeca();
  const cmd = [...r.cmd, ...argv];
  r.log?.(`${opts.cwd ? `(cd ${quote([opts.cwd])}) ` : ''}${quote(cmd)}`);
  const p = await execa(cmd[0]!, cmd.slice(1), {
    cwd: opts.cwd ?? '/',
    input: opts.input ?? '',
    reject: false,
    all: true,
    ...(r.signal ? { cancelSignal: r.signal } : {}),
  });
  if (p.exitCode !== 0 || p.failed) {
    const out = String(p.all ?? '')
      .trim()
      .split('\n')
      .slice(-4)
      .join(' | ');
    throw new RsyncError(`${cmd[0]} exited ${p.exitCode ?? p.shortMessage}${out ? `: ${out}` : ''}`);
  }
  return String(p.stdout);
}

/** The entries of the directory holding the repository. */
async function listParent(r: Rsync, t: RsyncTarget): Promise<RemoteEntry[]> {
  return parseListing(await runRsync(r, ['--list-only', '--dirs', '--links', '--no-recursive', ...transportArgs(r.args), `${t.parent}/`]));
}

/** A release's time stamp and count, for ordering. */
function releaseKey(name: string, prefix: string): [string, number] | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const m = /^(\d{8}\.\d{6})(?:-(\d+))?$/.exec(name.slice(prefix.length));
  return m ? [m[1]!, Number(m[2] ?? 1)] : undefined;
}

export interface RemoteRepository {
  /** The release the target's link points to; undefined before the first publish. */
  live?: string;
  /** Release directories beside the target, in publishing order. */
  releases: string[];
  /** Why the target cannot be switched (it exists but is no link). */
  blocker?: string;
}

export async function remoteRepository(r: Rsync, t: RsyncTarget): Promise<RemoteRepository> {
  const entries = await listParent(r, t);
  const prefix = `${t.name}.`;
  const releases = entries
    .filter((e) => e.kind === 'dir' && releaseKey(e.name, prefix))
    .map((e) => e.name)
    .sort((a, b) => {
      const [sa, na] = releaseKey(a, prefix)!;
      const [sb, nb] = releaseKey(b, prefix)!;
      return sa < sb ? -1 : sa > sb ? 1 : na - nb;
    });
  const self = entries.find((e) => e.name === t.name);
  if (!self) return { releases };
  if (self.kind !== 'link') {
    return {
      releases,
      blocker: `${t.target} is a ${self.kind === 'dir' ? 'directory' : 'file'}, not the link pkgsrc-bulk publishes through: move it aside once and link it (e.g. mv ${t.name} ${t.name}.00000000.000000 && ln -s ${t.name}.00000000.000000 ${t.name}) or name another pkg_rsync_target`,
    };
  }
  return { live: self.target, releases };
}

/** `YYYYMMDD.HHMMSS` in UTC. */
function releaseStamp(d: Date): string {
  return d.toISOString().replace(/^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d).*$/, '$1$2$3.$4$5$6');
}

/** A new release name, after every existing one. */
export function nextRelease(t: RsyncTarget, remote: RemoteRepository, now = new Date()): string {
  const base = `${t.name}.${releaseStamp(now)}`;
  const taken = new Set([...remote.releases, ...(remote.live ? [remote.live] : [])]);
  const last = remote.releases[remote.releases.length - 1];
  // A clock set back must not put the new release before the live one.
  if (last !== undefined && last >= base) return `${last.replace(/-\d+$/, '')}-${(releaseKey(last, `${t.name}.`)?.[1] ?? 1) + 1}`;
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** Releases to keep: the new one, the live one (for rollback), then the newest others up to `keep`. */
export function keptReleases(remote: RemoteRepository, release: string, keep: number): Set<string> {
  const kept = new Set([release, ...(remote.live ? [remote.live] : [])]);
  for (const n of [...remote.releases].reverse()) if (kept.size < keep) kept.add(n);
  return kept;
}

/** Uploads the packages directory into `release` with the include rules on stdin (pbulk's upload). */
export async function uploadRelease(
  r: Rsync,
  t: RsyncTarget,
  cwd: string,
  rules: readonly string[],
  release: string,
  linkFrom: readonly string[] = [],
): Promise<void> {
  const linkDest = linkFrom.map((l) => `--link-dest=../${l}`);
  await runRsync(r, ['--exclude-from=-', ...r.args, ...linkDest, '.', `${t.parent}/${release}/`], { cwd, input: rules.map((l) => `${l}\n`).join('') });
}

/** Points the target's link at `release`: one rename on the server. */
export async function switchTo(r: Rsync, t: RsyncTarget, release: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'pkgsrc-bulk-link-'));
  try {
    await symlink(release, join(dir, t.name));
    await runRsync(r, ['--links', '--no-recursive', ...transportArgs(r.args), join(dir, t.name), `${t.parent}/`]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Deletes release directories beside the target (never the live one). */
export async function removeReleases(r: Rsync, t: RsyncTarget, names: readonly string[], live: string | undefined): Promise<void> {
  const doomed = names.filter((n) => n !== live && n !== t.name && n.startsWith(`${t.name}.`));
  if (doomed.length === 0) return;
  const empty = await mkdtemp(join(tmpdir(), 'pkgsrc-bulk-empty-'));
  try {
    const filters = [...doomed.map((n) => `--filter=+ /${n}/***`), '--filter=- *'];
    await runRsync(r, ['--recursive', '--delete', ...filters, ...transportArgs(r.args), `${empty}/`, `${t.parent}/`]);
  } finally {
    await rm(empty, { recursive: true, force: true });
  }
}
