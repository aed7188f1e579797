// Where the history of a bulklog lives and how much of it is kept, from the engine settings.
import { defaultHistoryDir } from '../../pkgsrc/history/store';
import type { EngineConfig } from '../config/types';

export interface HistoryOptions {
  dir: string;
  /** Runs kept (the newest); 0: no history, a fresh run discards the last one as pbulk does. */
  keepRuns: number;
  /** Runs older than this many days are removed. */
  keepDays?: number;
}

export function historyOptions(cfg: EngineConfig): HistoryOptions {
  const s = cfg.settings;
  return {
    dir: s.historyDir ?? defaultHistoryDir(cfg.bulklog),
    keepRuns: s.historyKeepRuns,
    ...(s.historyKeepDays !== undefined ? { keepDays: s.historyKeepDays } : {}),
  };
}
