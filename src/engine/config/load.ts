// An EngineConfig from a real pbulk.conf (parsed and evaluated statically by the conf
// library, never sourced) plus the engine settings. Values mean what they mean to pbulk:
// booleans are read the way pbulk's scripts read each one, `make` and the pkg_* tools may
// carry arguments, `ulimit -t`/`-v` lines become the build limits. Anything the engine cannot
// use comes back as a problem with its file and line; errors make the config unusable.
//
// The rules on values (absolute paths, whole numbers, system directories, tools inside a wiped
// directory) are the conf library's checks, with their codes and messages, so the engine, the
// language server and `pkgsrc-bulk lint` say the same thing; the engine only raises to errors
// the findings that concern values it uses, and adds what is its own (dynamic values, native
// builds only, required settings).
import { resolve as resolvePath, join } from 'node:path';
import { booleanMeaning, loadPbulkConf, variableInfo, type ConfDiagnostic, type LoadedConf } from '../../pkgsrc/conf';
import { range, type Problem } from '../../pkgsrc/problem';
import type { ExecLimits } from '../sandbox/types';
import { readPublishConf } from '../publish/config';
import type { EngineSettings } from './settings';
import type { EngineConfig } from './types';
import { masterConfig } from './master';

export interface LoadedEngineConfig {
  config?: EngineConfig;
  problems: Problem[];
}

/**
 * Conf library errors that stop pbulk's own scripts but not this engine, which does not run
 * them (script paths, master mode, cross builds, version gate): reported as warnings.
 */
const PBULK_ONLY = new Set(['missing-variable', 'config-version', 'master-port', 'master-no-clients', 'cross-compile', 'chroot-settings']);

const REQUIRED_PATHS = ['pkgsrc', 'bulklog', 'packages', 'prefix', 'pkgdb'] as const;
/** Paths the engine itself reads: a relative one (a library warning for some) is an error here. */
const ENGINE_PATHS = new Set<string>([...REQUIRED_PATHS, 'varbase', 'loc', 'chroot_dir']);

function words(v: string | undefined): string[] {
  return (v ?? '').split(/[ \t\n]+/).filter((w) => w !== '');
}

/** ulimit argument arrays (`-t 3600`, `-v 2000000`, `-St 10`) as ExecLimits. */
export function limitsFromUlimits(lines: string[][], file: string, report: (p: Problem) => void): ExecLimits {
  const out: ExecLimits = {};
  for (const args of lines) {
    let flag: string | undefined;
    for (const a of args) {
      if (a.startsWith('-')) {
        flag = a.replace(/[-SH]/g, '');
        continue;
      }
      const n = a === 'unlimited' ? undefined : Number(a);
      if (flag === 't' && n !== undefined && Number.isInteger(n) && n > 0) out.cpuSeconds = n;
      else if (flag === 'v' && n !== undefined && Number.isInteger(n) && n > 0) out.virtualMemoryKiB = n;
      else if (a !== 'unlimited') {
        report({
          file,
          range: range(0, 0),
          severity: 'warning',
          code: 'ulimit-ignored',
          message: `ulimit ${args.join(' ')}: only -t and -v with a number are applied to builds`,
        });
      }
      flag = undefined;
    }
  }
  return out;
}

export async function loadEngineConfig(confFile: string, settings: EngineSettings): Promise<LoadedEngineConfig> {
  const file = resolvePath(confFile);
  const conf = await loadPbulkConf(file);
  // Nothing else is worth saying about a file that could not be read.
  if (!conf.readable) return { problems: conf.problems };
  // An unset cross_compile is pbulk's trap (it reads it as yes); the engine builds natively either way.
  const pbulkOnly = (p: ConfDiagnostic) =>
    PBULK_ONLY.has(p.code) || (p.code === 'boolean-value' && p.variables?.includes('cross_compile') === true && conf.values.cross_compile === undefined);
  const engineUses = (p: ConfDiagnostic) => p.code === 'relative-path' && (p.variables ?? []).some((v) => ENGINE_PATHS.has(v));
  // The kit's mk.conf as read without make: the engine asks the tree itself before building (pre-flight).
  const problems: ConfDiagnostic[] = conf.problems
    .filter((p) => p.code !== 'mkconf-mismatch')
    .map((p) =>
      p.severity === 'error' && pbulkOnly(p)
        ? { ...p, severity: 'warning' as const }
        : p.severity !== 'error' && engineUses(p)
          ? { ...p, severity: 'error' as const }
          : p,
    );
  // Variables the library already found unusable (an error naming them): the engine neither
  // uses their values nor adds an error of its own about them.
  const refused = new Set(problems.filter((p) => p.severity === 'error').flatMap((p) => p.variables ?? []));
  const at = (name: string) => {
    const line = conf.values[name]?.line ?? 0;
    return range(line, 0, line, conf.document.lines[line]?.length ?? 0);
  };
  const err = (name: string, message: string) => {
    if (!refused.has(name)) problems.push({ file, range: at(name), severity: 'error', code: 'engine-config', message, variables: [name] });
  };
  const value = (name: string): string | undefined => {
    if (refused.has(name)) return undefined;
    const v = conf.values[name];
    if (v?.dynamic) {
      err(name, `${name} is only known when the file runs (command substitution or a conditional): the engine needs a static value`);
      return undefined;
    }
    return conf.get(name);
  };
  const path = (name: string, required: boolean): string | undefined => {
    if (conf.values[name]?.dynamic) return value(name);
    const v = value(name)?.trim();
    if (v === undefined || v === '') {
      if (required) err(name, `${name} is not set: the engine needs it`);
      return undefined;
    }
    return v.length > 1 ? v.replace(/\/+$/, '') : v;
  };
  const bool = (name: string) => booleanMeaning(variableInfo(name)?.boolean ?? 'yes-exact', value(name) ?? '') === 'on';
  const command = (name: string, fallback?: string) => {
    const w = words(value(name) ?? fallback);
    if (w.length === 0) err(name, `${name} is not set: the engine needs the command`);
    return w;
  };
  // Whole numbers are the library's integer-value check (schema minimum 1 for these).
  const int = (...names: string[]) => {
    for (const n of names) {
      const v = value(n);
      if (v === undefined || v.trim() === '') continue;
      return Number(v.trim());
    }
    return undefined;
  };

  // System directories and tools inside what pbulk wipes are the library's dangerous-path and wiped-path errors.
  const paths = Object.fromEntries(REQUIRED_PATHS.map((n) => [n, path(n, true)])) as Record<(typeof REQUIRED_PATHS)[number], string | undefined>;
  const varbase = path('varbase', false) ?? '/var';
  const metaDir = path('loc', false) ?? (paths.bulklog ? join(paths.bulklog, 'meta') : undefined);
  const make = command('make', paths.prefix ? `${paths.prefix}/bin/bmake` : undefined);
  const pkgAdd = command('pkg_add');
  const pkgDelete = command('pkg_delete');
  const pkgInfo = command('pkg_info');
  const tar = words(value('tar')).length > 0 ? words(value('tar')) : ['tar'];
  const limits = limitsFromUlimits(conf.ulimits, file, (p) => problems.push(p));
  const cross = conf.values.cross_compile;
  if (cross !== undefined && !cross.dynamic && conf.get('cross_compile') !== 'no') {
    err('cross_compile', `cross_compile=${conf.get('cross_compile')}: the engine builds natively only; set cross_compile=no`);
  }

  const master = masterConfig(conf, err);

  if (problems.some((p) => p.severity === 'error') || REQUIRED_PATHS.some((n) => paths[n] === undefined) || metaDir === undefined) {
    return { problems };
  }
  const config: EngineConfig = {
    configFile: file,
    pkgsrc: paths.pkgsrc!,
    bulklog: paths.bulklog!,
    metaDir,
    packages: paths.packages!,
    prefix: paths.prefix!,
    pkgdb: paths.pkgdb!,
    varbase,
    make,
    pkgAdd,
    pkgDelete,
    pkgInfo,
    tar,
    keepWrkdir: bool('keep_wrkdir'),
    keepPrefix: bool('keep_prefix'),
    skipAgeCheck: bool('skip_age_check'),
    useUnprivilegedChecksum: (value('unprivileged_user') ?? '') !== '' && bool('use_unprivileged_checksum'),
    ignoreMissingDependencies: bool('ignore_missing_dependencies'),
    pkgSufx: value('pkg_sufx') || '.tgz',
    baseUrl: value('base_url') ?? '',
    reportGraphScriptLimit: Number(value('report_graph_script_limit') ?? 512) || 512,
    limits,
    // A value only known when the file runs disables what it is for, not the builds.
    publish: readPublishConf((n) => {
      if (!conf.values[n]?.dynamic) return conf.get(n);
      problems.push({
        file,
        range: at(n),
        severity: 'warning',
        code: 'engine-config',
        message: `${n} is only known when the file runs: the engine publishes without it`,
        variables: [n],
      });
      return undefined;
    }),
    settings,
  };
  const kit = value('bootstrapkit')?.trim();
  if (kit) config.bootstrapKit = kit;
  if (conf.limitedList) config.limitedList = conf.limitedList;
  config.pbulkVersion = conf.pbulkVersion.version;
  const user = value('unprivileged_user')?.trim();
  if (user) config.unprivilegedUser = user;
  const bc = int('build_chroots');
  if (bc !== undefined) config.buildChroots = bc;
  const sp = int('scan_procs', 'scan_chroots');
  if (sp !== undefined) config.scanProcs = sp;
  const cd = path('chroot_dir', false);
  if (cd) config.chrootDir = cd;
  const cc = value('chroot_create')?.trim();
  if (cc) config.chrootCreate = cc;
  const cdel = value('chroot_delete')?.trim();
  if (cdel) config.chrootDelete = cdel;
  if (master) config.master = master;
  const cv = value('config_version')?.trim();
  if (cv) config.configVersion = cv;
  return { config, problems };
}

export type { LoadedConf };
