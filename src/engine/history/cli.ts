// What the history and diff commands share: their options, the config they read the bulklog
// and the store from, and how a run is shown on one line.
import type { RunInfo } from '../../pkgsrc/history/summary';
import { configFor } from '../cli/setup';
import type { EngineConfig } from '../config/types';
import { CONF_OPTIONS, parseOptions, type OptionTable } from '../commands/options';
import { UsageError } from '../commands/types';
import { historyOptions } from './options';
import { configOnly } from '../cli/options';

export interface HistoryArgs {
  cfg: EngineConfig;
  store: string;
  json: boolean;
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** The options both take; each command's table adds its own. */
export const HISTORY_OPTIONS = CONF_OPTIONS;

export async function historyArgs(argv: string[], usage: string, options: OptionTable): Promise<HistoryArgs> {
  const parsed = parseOptions(argv, options, usage, true);
  const v = parsed.values as Record<string, string | boolean | undefined>;
  const config = (v.config as string | undefined) ?? process.env.PBULK_CONF;
  if (!config) throw new UsageError(`no pbulk.conf: pass --config FILE or set PBULK_CONF\n\n${usage}`);
  const cfg = await configFor(configOnly(config, typeof v.settings === 'string' ? { settingsFile: v.settings } : {}));
  return { cfg, store: historyOptions(cfg).dir, json: v.json === true, values: v, positionals: parsed.positionals };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Local `YYYY-MM-DD HH:MM`, as pbulk's BUILD_START_ISO. */
export function localTime(ms: number | undefined): string {
  if (ms === undefined) return '-';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** `id (start, kind, N packages)` */
export function describeRun(r: RunInfo, current = false): string {
  const what = r.kind === 'limited' ? `limited: ${(r.locations ?? []).slice(0, 3).join(' ')}${(r.locations?.length ?? 0) > 3 ? ' ...' : ''}` : r.kind;
  return `${r.id}${current ? ' (current)' : ''}, ${localTime(r.startedAt)}, ${what}, ${r.total} packages${r.finished ? '' : ', unfinished'}`;
}
