// Options shared by the commands that run the engine: the pbulk.conf, the settings file and
// the engine-only flags that override it; positional PKGPATHs make a limited build.
import { CONF_OPTIONS, parseOptions, type OptionSpec, type OptionTable } from '../commands/options';
import { UsageError } from '../commands/types';

/** What every command running the engine takes: its configuration and what overrides it. */
export const ENGINE_OPTIONS = {
  ...CONF_OPTIONS,
  jobs: { type: 'string', short: 'j', arg: 'N', help: 'build slots (default: build_chroots, else 1)' },
  'scan-jobs': { type: 'string', arg: 'N', help: 'parallel pbulk-index runs (default: scan_procs, else the CPU count)' },
  sandbox: { type: 'string', arg: 'NAME', help: 'none, namespace, chroot or command' },
  priority: { type: 'string', arg: 'P', help: "depth (pbulk's order), weight or critical-path" },
} as const satisfies OptionTable;

/** A run in this process (build, scan, rebuild): its events printed. */
export const RUN_OPTIONS = {
  ...ENGINE_OPTIONS,
  json: { type: 'boolean', help: 'print events as JSON lines instead of progress' },
} as const satisfies OptionTable;

/** The packages of a build or scan: the whole tree, a limited_list or locations. */
export const FULL_OPTION = { type: 'boolean', help: 'the whole tree, although pbulk.conf names a limited_list' } as const satisfies OptionSpec;

export interface CommonOptions {
  config: string;
  settingsFile?: string;
  limitedList?: string;
  locations: string[];
  jobs?: number;
  scanJobs?: number;
  sandbox?: string;
  priority?: string;
  json: boolean;
  fresh: boolean;
  failed: boolean;
  /** A full build although pbulk.conf names a limited_list. */
  full: boolean;
  socket?: string;
  stdio?: boolean;
  idleExit?: number;
}

/** The options of a command that reads pbulk.conf but starts no run of its own. */
export function configOnly(config: string, more: Pick<CommonOptions, 'settingsFile' | 'sandbox'> = {}): CommonOptions {
  return { config, locations: [], json: false, fresh: false, failed: false, full: false, ...more };
}

function positiveInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} needs a whole number of at least 1, not '${v}'`);
  return n;
}

/** Parses the options of an engine command; `options` is the command's table (RUN_OPTIONS and its own). */
export function parseCommon(argv: string[], usage: string, options: OptionTable): CommonOptions {
  const parsed = parseOptions(argv, options, usage, true);
  const v = parsed.values as Record<string, string | boolean | undefined>;
  const config = (v.config as string | undefined) ?? process.env.PBULK_CONF;
  if (!config) throw new UsageError(`no pbulk.conf: pass --config FILE or set PBULK_CONF\n\n${usage}`);
  if (v['limited-list'] !== undefined && parsed.positionals.length > 0) throw new UsageError('give either --limited-list or package locations, not both');
  const o: CommonOptions = {
    config,
    locations: parsed.positionals,
    json: v.json === true,
    fresh: v.fresh === true,
    failed: v.failed === true,
    full: v.full === true,
  };
  if (o.full && (parsed.positionals.length > 0 || v['limited-list'] !== undefined)) throw new UsageError('--full takes no locations and no --limited-list');
  if (v.settings !== undefined) o.settingsFile = v.settings as string;
  if (v['limited-list'] !== undefined) o.limitedList = v['limited-list'] as string;
  const jobs = positiveInt('jobs', v.jobs as string | undefined);
  if (jobs !== undefined) o.jobs = jobs;
  const scanJobs = positiveInt('scan-jobs', v['scan-jobs'] as string | undefined);
  if (scanJobs !== undefined) o.scanJobs = scanJobs;
  if (v.sandbox !== undefined) o.sandbox = v.sandbox as string;
  if (v.priority !== undefined) o.priority = v.priority as string;
  if (v.socket !== undefined) o.socket = v.socket as string;
  if (v.stdio === true) o.stdio = true;
  if (v['no-stdio'] === true) o.stdio = false;
  if (v['idle-exit'] !== undefined) {
    const n = Number(v['idle-exit']);
    if (!Number.isFinite(n) || n < 0) throw new UsageError(`--idle-exit needs seconds, not '${v['idle-exit']}'`);
    o.idleExit = n;
  }
  return o;
}
