// The tree's settings (the kit's mk.conf with pkgsrc's defaults) against pbulk.conf: pbulk's
// scripts use pbulk.conf's paths while make uses the tree's, so where they differ every build
// goes wrong in the same way. Pure: the engine passes the values make printed, the language
// server the ones it read from the kit's mk.conf.
import { posix } from 'node:path';

/** The pbulk.conf settings a tree value must agree with. */
export type PairedSetting = 'packages' | 'pkgdb' | 'prefix' | 'pkgsrc';

export interface Mismatch {
  setting: PairedSetting;
  /** The tree's variable (mk.conf name). */
  variable: string;
  /** The tree's value and pbulk.conf's. */
  treeValue: string;
  confValue: string;
  message: string;
}

interface Pair {
  setting: PairedSetting;
  variable: string;
  why: (conf: string, tree: string) => string;
}

const PAIRS: Pair[] = [
  {
    setting: 'packages',
    variable: 'PACKAGES',
    why: (c, t) =>
      `pkg-build installs dependencies from ${c}/All while \`make package\` writes to ${t}/All, so every package with dependencies fails in depends`,
  },
  {
    setting: 'pkgdb',
    variable: 'PKG_DBDIR',
    why: (c, t) => `dependencies are installed into ${c} but make looks for them in ${t}, so every package with dependencies fails`,
  },
  {
    setting: 'prefix',
    variable: 'LOCALBASE',
    why: (c, t) =>
      `packages install into ${t} while the bootstrap kit is restored into and wiped from ${c}, so builds find neither their tools nor their dependencies`,
  },
  {
    setting: 'pkgsrc',
    variable: 'PKGSRCDIR',
    why: (c, t) => `make builds from ${t} while the scan and pkg-build read ${c}`,
  },
];

/** Without a trailing slash, and with `.`/`..` and repeated slashes resolved. */
function clean(p: string): string {
  const n = posix.normalize(p);
  return n.length > 1 ? n.replace(/\/+$/, '') : n;
}

/**
 * Where the tree and pbulk.conf disagree. `same` decides equality of two paths (the engine
 * resolves symlinks); values the tree does not set are not compared.
 */
export function comparePlaces(
  tree: Record<string, string>,
  conf: Partial<Record<PairedSetting, string>>,
  opts: { same?: (a: string, b: string) => boolean; source?: string } = {},
): Mismatch[] {
  const same = opts.same ?? ((a, b) => clean(a) === clean(b));
  const source = opts.source ?? "the tree's mk.conf";
  const out: Mismatch[] = [];
  for (const p of PAIRS) {
    const t = tree[p.variable];
    const c = conf[p.setting];
    if (t === undefined || t === '' || c === undefined || c === '' || same(t, c)) continue;
    out.push({
      setting: p.setting,
      variable: p.variable,
      treeValue: t,
      confValue: c,
      message: `${p.setting}=${c} but ${source} has ${p.variable}=${t}: ${p.why(clean(c), clean(t))}. Make them the same (${p.variable} in mk.conf, or ${p.setting} here)`,
    });
  }
  return out;
}
