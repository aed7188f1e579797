// Pre-flight, before any package builds: what the tree said (its mk.conf through make) against
// pbulk.conf and the sandboxes. Each problem is an error on the pbulk.conf line it concerns,
// naming the tree's value, since it would otherwise fail every package the same way hours in:
// PACKAGES, PKG_DBDIR, LOCALBASE or PKGSRCDIR differing from packages, pkgdb, prefix or
// pkgsrc; WRKOBJDIR or DISTDIR where the user who builds cannot write.
import { accessSync, constants, existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { loadPbulkConf } from '../../pkgsrc/conf';
import { comparePlaces } from '../../pkgsrc/mkconf/compare';
import type { BackendName } from '../sandbox/types';
import { MKSANDBOX_RO_DIRS } from '../sandbox/plan';
import { userIds } from '../builder/users';
import type { EngineConfig } from '../config/types';
import { toolDirs } from './sandboxes';

export interface PreflightProblem {
  /** The pbulk.conf variable whose line the problem goes on. */
  setting: string;
  message: string;
  code: 'mkconf-mismatch' | 'mkconf-not-writable' | 'tool-missing';
  /** A warning does not stop the run; an error (the default) does when it builds. */
  severity?: 'warning';
}

/** Lexically inside (or equal to) dir. */
function under(dir: string, p: string): boolean {
  return p === dir || p.startsWith(dir === '/' ? '/' : `${dir}/`);
}

/** p with `..`, `.`, extra slashes and symlinks resolved, as far as it exists (a prefix may not exist yet). */
function canonical(p: string): string {
  const abs = resolve(p);
  const base = existing(abs);
  try {
    return join(realpathSync(base), relative(base, abs));
  } catch {
    return abs;
  }
}

/** The nearest ancestor of p (or p) that exists. */
function existing(p: string): string {
  let cur = p;
  for (;;) {
    try {
      statSync(cur);
      return cur;
    } catch {
      const up = dirname(cur);
      if (up === cur) return cur;
      cur = up;
    }
  }
}

/** Whether a user (undefined: this process) can create p or write in it, judged at its nearest existing ancestor. */
function writableBy(p: string, user?: { uid: number; gid: number }): boolean {
  const at = existing(p);
  if (!user) {
    try {
      accessSync(at, constants.W_OK | constants.X_OK);
      return true;
    } catch {
      return false;
    }
  }
  try {
    accessSync(at, constants.W_OK); // a read-only file system refuses even root
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EROFS') return false;
  }
  if (user.uid === 0) return true;
  const st = statSync(at);
  if (st.uid === user.uid) return (st.mode & 0o300) === 0o300;
  if (st.gid === user.gid) return (st.mode & 0o030) === 0o030;
  return (st.mode & 0o003) === 0o003;
}

export interface PreflightInput {
  cfg: EngineConfig;
  /** What make printed. */
  values: Record<string, string>;
  backend: BackendName;
}

/** What the sandboxes show read-only, and what read-write from the host. */
function sandboxDirs(cfg: EngineConfig): { ro: string[]; rw: string[] } {
  const kit = cfg.bootstrapKit ? [/\.(tar\.gz|tgz)$/.test(cfg.bootstrapKit) ? dirname(cfg.bootstrapKit) : cfg.bootstrapKit] : [];
  return { ro: [...MKSANDBOX_RO_DIRS, ...toolDirs(cfg), ...kit], rw: [cfg.pkgsrc, cfg.bulklog, cfg.packages, cfg.metaDir] };
}

function deepest(dirs: string[], p: string): string | undefined {
  return dirs.filter((d) => under(d, p)).sort((a, b) => b.length - a.length)[0];
}

export function preflight(inp: PreflightInput): PreflightProblem[] {
  const { cfg, values, backend } = inp;
  const out: PreflightProblem[] = [];
  const same = (a: string, b: string) => canonical(a) === canonical(b);
  for (const m of comparePlaces(values, { packages: cfg.packages, pkgdb: cfg.pkgdb, prefix: cfg.prefix, pkgsrc: cfg.pkgsrc }, { same })) {
    out.push({ setting: m.setting, message: m.message, code: 'mkconf-mismatch' });
  }
  const root = process.getuid?.() === 0;
  const unpriv = root && cfg.unprivilegedUser ? cfg.unprivilegedUser : undefined;
  const unprivIds = unpriv ? userIds(unpriv) : undefined;
  const kitLine = cfg.bootstrapKit ? 'bootstrapkit' : 'make';
  const sandboxed = backend === 'chroot' || backend === 'namespace';
  const { ro, rw } = sandboxDirs(cfg);

  const check = (variable: 'WRKOBJDIR' | 'DISTDIR', value: string, builder: boolean) => {
    // chroot_create's sandboxes are the user's own making: what they show is not known here.
    if (backend === 'command' || value === '' || !value.startsWith('/')) return;
    const what = variable === 'WRKOBJDIR' ? 'the work directories of every build' : 'the distfiles';
    if (sandboxed && variable === 'WRKOBJDIR') {
      const r = deepest(ro, value);
      const w = deepest(rw, value);
      if (!w || (r && w.length < r.length)) {
        // The sandbox's own: a directory in its root, or mounted over the directory of a
        // read-only mount, which needs that directory to exist.
        if (!r || existsSync(value)) return;
        out.push({
          setting: 'chroot_dir',
          code: 'mkconf-not-writable',
          message: `the tree's mk.conf has ${variable}=${value}, inside ${r}, which every sandbox shows read-only, and ${value} does not exist there to mount a work directory on: ${what} cannot be written. Create ${value} on this host, or set ${variable} in the kit's mk.conf to a directory of its own (e.g. /scratch, as HOWTO-pbulk does)`,
        });
        return;
      }
    }
    // Written on the host, or through a read-write mount of a host directory (DISTDIR always is).
    const user = builder && unpriv ? unprivIds : undefined;
    if (builder && unpriv && !unprivIds) return; // an unknown user is reported by the build itself
    if (!writableBy(value, user)) {
      const who = user ? `unprivileged_user=${unpriv}` : `the engine's user (uid ${process.getuid?.() ?? '?'})`;
      out.push({
        setting: user ? 'unprivileged_user' : kitLine,
        code: 'mkconf-not-writable',
        message: `the tree's mk.conf has ${variable}=${value}, where ${who} cannot write (${existing(value)} is not writable for it): ${what} cannot be created. Create ${value} and give it to that user, or set ${variable} in the kit's mk.conf elsewhere`,
      });
    }
  };
  // WRKOBJDIR is written by configure and build, which run as unprivileged_user when set.
  check('WRKOBJDIR', values.WRKOBJDIR ?? '', true);
  // DISTDIR is written by the fetch before the builds, as the engine's user.
  check('DISTDIR', values.DISTDIR ?? '', false);
  return out;
}

/** The 0-based line of each pbulk.conf variable, for placing problems (line 0 when not set). */
export async function settingLines(configFile: string): Promise<(name: string) => number> {
  try {
    const conf = await loadPbulkConf(configFile);
    return (name) => conf.values[name]?.line ?? 0;
  } catch {
    return () => 0;
  }
}
