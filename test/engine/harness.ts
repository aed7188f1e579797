// A build workspace for engine tests: a pkgsrc tree, bulklog, packages, prefix and pkgdb under
// /var/tmp/pkgsrc-bulk-*, a real pbulk.conf naming them (and the pkg_* stand-ins), and the
// tree's mk.conf agreeing with it, as a bootstrap kit's mk.conf agrees with pbulk.conf.
import { chmodSync, mkdtempSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kitMkConfText, pkgTools, writeBootstrapKit, writeMkConf, type KitMkConf } from '../fixtures/mk';
import type { EngineConfig } from '../../src/engine/config/types';
import { defaultSettings, type EngineSettings } from '../../src/engine/config/settings';
import { loadEngineConfig } from '../../src/engine/config/load';
import { readPublishConf } from '../../src/engine/publish/config';
import { formatProblem } from '../../src/pkgsrc/problem';
import { createBackend, defaultSpec } from '../../src/engine/sandbox';
import type { Sandbox } from '../../src/engine/sandbox/types';
import { writeSmallTree, type SmallPackage } from './tree';

export interface Workspace {
  dir: string;
  pkgsrc: string;
  bulklog: string;
  packages: string;
  prefix: string;
  pkgdb: string;
  conf: string;
  remove(): void;
}

/** A fresh /var/tmp/pkgsrc-bulk-<name>-XXXXXX and the workspace paths in it (nothing else made yet). */
function newWorkspace(name: string): Workspace {
  const dir = mkdtempSync(`/var/tmp/pkgsrc-bulk-${name}-`);
  // mkdtemp makes it private; an unprivileged build user must be able to reach the tree.
  chmodSync(dir, 0o755);
  return workspaceIn(dir);
}

/** The layout of a workspace in `dir` (tree, bulklog, packages, prefix, pkgdb), as the engine tests and benchmarks use it. */
export function workspaceIn(dir: string, conf = join(dir, 'pbulk.conf')): Workspace {
  return {
    dir,
    pkgsrc: join(dir, 'pkgsrc'),
    bulklog: join(dir, 'bulklog'),
    packages: join(dir, 'packages'),
    prefix: join(dir, 'pkg'),
    pkgdb: join(dir, 'pkg/pkgdb'),
    conf,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function makeWorkspace(name: string, packages: SmallPackage[] | ((pkgsrc: string) => void), confExtra: Record<string, string> = {}): Workspace {
  const ws = newWorkspace(name);
  if (typeof packages === 'function') packages(ws.pkgsrc);
  else writeSmallTree(ws.pkgsrc, packages);
  mkdirSync(ws.bulklog, { recursive: true });
  writeMkConf(ws.pkgsrc, { localbase: ws.prefix, pkgDbDir: ws.pkgdb, packages: ws.packages });
  writePbulkConf(ws, confExtra);
  return ws;
}

export function writePbulkConf(ws: Workspace, extra: Record<string, string> = {}): void {
  const vars: Record<string, string> = {
    config_version: '0.51',
    master_mode: 'no',
    cross_compile: 'no',
    use_unprivileged_checksum: 'no',
    bulklog: ws.bulklog,
    packages: ws.packages,
    prefix: ws.prefix,
    pkgsrc: ws.pkgsrc,
    pkgdb: ws.pkgdb,
    varbase: join(ws.dir, 'var'),
    pkg_info: pkgTools.pkg_info,
    pkg_add: pkgTools.pkg_add,
    pkg_delete: pkgTools.pkg_delete,
    make: '"/usr/bin/bmake -m ${pkgsrc}/mk/sysmk"',
    tar: '/bin/tar',
    loc: '${bulklog}/meta',
    keep_wrkdir: 'no',
    keep_prefix: 'no',
    skip_age_check: 'no',
    base_url: 'file:///reports',
    ...extra,
  };
  const lines = ['# pbulk.conf of an engine test workspace'];
  for (const [k, v] of Object.entries(vars)) lines.push(`${k}=${v}`);
  writeFileSync(ws.conf, lines.join('\n') + '\n');
}

/** The EngineConfig a workspace's pbulk.conf stands for (for unit tests of engine parts). */
export function workspaceConfig(ws: Workspace, over: Partial<EngineConfig> = {}, settings: Partial<EngineSettings> = {}): EngineConfig {
  return {
    configFile: ws.conf,
    pkgsrc: ws.pkgsrc,
    bulklog: ws.bulklog,
    metaDir: join(ws.bulklog, 'meta'),
    packages: ws.packages,
    prefix: ws.prefix,
    pkgdb: ws.pkgdb,
    varbase: join(ws.dir, 'var'),
    make: ['/usr/bin/bmake', '-m', join(ws.pkgsrc, 'mk/sysmk')],
    pkgAdd: [pkgTools.pkg_add],
    pkgDelete: [pkgTools.pkg_delete],
    pkgInfo: [pkgTools.pkg_info],
    tar: ['/bin/tar'],
    keepWrkdir: false,
    keepPrefix: false,
    skipAgeCheck: false,
    useUnprivilegedChecksum: false,
    ignoreMissingDependencies: false,
    pkgSufx: '.tgz',
    baseUrl: 'file:///reports',
    reportGraphScriptLimit: 512,
    limits: {},
    publish: readPublishConf(() => undefined),
    configVersion: '0.51',
    settings: { ...defaultSettings(), ...settings },
    ...over,
  };
}

/** Sets every file and directory under dir back in time, so a scan right after counts them as old. */
export function backdate(dir: string, seconds = 120): void {
  const t = new Date(Date.now() - seconds * 1000);
  const walk = (p: string): void => {
    for (const e of readdirSync(p, { withFileTypes: true })) {
      const q = join(p, e.name);
      if (e.isDirectory()) walk(q);
      utimesSync(q, t, t);
    }
  };
  walk(dir);
}

/** The EngineConfig read from the workspace's real pbulk.conf, as the CLI would. */
export async function loadWorkspaceConfig(ws: Workspace, settings: Partial<EngineSettings> = {}): Promise<EngineConfig> {
  const r = await loadEngineConfig(ws.conf, { ...defaultSettings(), ...settings });
  if (!r.config)
    throw new Error(
      r.problems
        .filter((p) => p.severity === 'error')
        .map(formatProblem)
        .join('\n'),
    );
  return r.config;
}

/** The host itself as a sandbox (the sandbox layer's `none` backend), for tests of engine parts. */
export async function hostSandbox(): Promise<Sandbox> {
  return createBackend('none', { warn: () => undefined }).create(defaultSpec('/'));
}

export interface KitWorkspace extends Workspace {
  /** The bootstrap kit, in the directory that holds what the bulk build reads (mounted read-only in sandboxes). */
  kit: string;
  /** The kit mk.conf's WRKOBJDIR (existing on the host, inside the kit's directory) and DISTDIR. */
  wrkObjDir: string;
  distDir: string;
  /** A file:// master site (with a trailing slash) holding distfiles, beside the kit (visible read-only in sandboxes, as a mirror on the network would be). */
  site: string;
}

/**
 * A workspace set up as HOWTO-pbulk says: the tree has no mk.conf of its own; the bootstrap
 * kit carries it (LOCALBASE, PKG_DBDIR, WRKOBJDIR, PKGSRCDIR, DISTDIR, PACKAGES) and bmake
 * finds it through the kit's sys.mk; pbulk.conf names the kit and `make -m <prefix>/share/mk`.
 * WRKOBJDIR and DISTDIR lie outside every directory pbulk.conf names; `mk` overrides values of
 * the kit's mk.conf (a PACKAGES that is not pbulk.conf's packages ...).
 */
export function makeKitWorkspace(
  name: string,
  packages: SmallPackage[],
  o: { mk?: Partial<KitMkConf>; confExtra?: Record<string, string>; site?: Record<string, string> } = {},
): KitWorkspace {
  const base = newWorkspace(name);
  const bulk = join(base.dir, 'bulk');
  const ws: KitWorkspace = {
    ...base,
    kit: join(bulk, 'bootstrap.tar.gz'),
    wrkObjDir: join(bulk, 'scratch'),
    distDir: join(base.dir, 'distfiles'),
    site: `file://${join(bulk, 'site')}/`,
  };
  // `@SITE@` in MASTER_SITES stands for the workspace's file:// site.
  writeSmallTree(
    ws.pkgsrc,
    packages.map((p) => (p.masterSites ? { ...p, masterSites: p.masterSites.map((m) => m.replace('@SITE@', ws.site)) } : p)),
  );
  mkdirSync(ws.bulklog, { recursive: true });
  mkdirSync(ws.wrkObjDir, { recursive: true });
  mkdirSync(join(bulk, 'site'), { recursive: true });
  for (const [f, text] of Object.entries(o.site ?? {})) writeFileSync(join(bulk, 'site', f), text);
  const mk = kitMkConfText({
    localbase: ws.prefix,
    pkgDbDir: ws.pkgdb,
    packages: ws.packages,
    wrkObjDir: ws.wrkObjDir,
    distDir: ws.distDir,
    pkgsrcDir: ws.pkgsrc,
    ...o.mk,
  });
  writeBootstrapKit(ws.kit, ws.prefix, mk);
  writePbulkConf(ws, { bootstrapkit: ws.kit, make: `"/usr/bin/bmake -m ${ws.prefix}/share/mk"`, ...o.confExtra });
  return ws;
}
