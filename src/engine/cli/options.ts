// Options shared by the commands that run the engine: the pbulk.conf, the settings file and
// the engine-only flags that override it; positional PKGPATHs make a limited build.
import { parseArgs } from 'node:util';
import { UsageError } from '../commands/types';

export const COMMON_USAGE = `  -c, --config FILE      pbulk.conf (default: $PBULK_CONF)
      --settings FILE    engine settings (JSON, see docs/cli.md)
  -j, --jobs N           build slots (default: build_chroots, else 1)
      --scan-jobs N      parallel pbulk-index runs (default: scan_procs, else the CPU count)
      --sandbox NAME     none, namespace, chroot or command
      --priority P       depth (pbulk's order), weight or critical-path
      --json             print events as JSON lines instead of progress
      --full             the whole tree, although pbulk.conf names a limited_list`;

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

function positiveInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} needs a whole number of at least 1, not '${v}'`);
  return n;
}

export function parseCommon(argv: string[], usage: string, extra: { fresh?: boolean; failed?: boolean; serve?: boolean } = {}): CommonOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string', short: 'c' },
        settings: { type: 'string' },
        'limited-list': { type: 'string' },
        jobs: { type: 'string', short: 'j' },
        'scan-jobs': { type: 'string' },
        sandbox: { type: 'string' },
        priority: { type: 'string' },
        json: { type: 'boolean' },
        full: { type: 'boolean' },
        ...(extra.fresh ? { fresh: { type: 'boolean' } } : {}),
        ...(extra.failed ? { failed: { type: 'boolean' } } : {}),
        ...(extra.serve ? { socket: { type: 'string' }, stdio: { type: 'boolean' }, 'no-stdio': { type: 'boolean' }, 'idle-exit': { type: 'string' } } : {}),
      },
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n\n${usage}`);
  }
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
