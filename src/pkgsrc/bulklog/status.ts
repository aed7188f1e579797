// meta/status: `KEY=value` lines written by pre-build (PLATFORM, COMPILER, BUILD_START_ISO,
// BUILD_START_DIR, BASE_URL) and appended by later phases (BUILD_END_ISO, SCAN_END_EPOCHE ...).
// As in pbulk's awk readers, the last line of a key wins.
import type { Problem } from '../problem';
import { fileLines, lineProblem } from './located';

export interface BulklogStatus {
  platform?: string;
  compiler?: string;
  buildStartIso?: string;
  buildStartDir?: string;
  baseUrl?: string;
  buildEndIso?: string;
  /** Every entry in file order, including keys not listed above. */
  entries: [key: string, value: string][];
}

const FIELDS: Record<string, keyof Omit<BulklogStatus, 'entries'>> = {
  PLATFORM: 'platform',
  COMPILER: 'compiler',
  BUILD_START_ISO: 'buildStartIso',
  BUILD_START_DIR: 'buildStartDir',
  BASE_URL: 'baseUrl',
  BUILD_END_ISO: 'buildEndIso',
};

export function parseStatus(text: string, file: string): { status: BulklogStatus; problems: Problem[] } {
  const status: BulklogStatus = { entries: [] };
  const problems: Problem[] = [];
  const { lines, tornLast } = fileLines(text);
  lines.forEach((l, i) => {
    if (l === '') return;
    const eq = l.indexOf('=');
    if (eq <= 0) {
      problems.push(lineProblem(file, i, 'warning', 'bad-status-line', 'not a KEY=value line', l));
      return;
    }
    const key = l.slice(0, eq);
    const value = l.slice(eq + 1);
    status.entries.push([key, value]);
    const field = FIELDS[key];
    if (field) status[field] = value;
  });
  if (tornLast && lines.length > 0) {
    problems.push(lineProblem(file, lines.length - 1, 'warning', 'torn-line', 'last line has no newline (interrupted write?)', lines[lines.length - 1]));
  }
  return { status, problems };
}

export function formatStatus(entries: [string, string][]): string {
  return entries.map(([k, v]) => `${k}=${v}\n`).join('');
}

/**
 * `YYYY-MM-DD HH:MM` (BUILD_START_ISO) and `YYYYMMDD.HHMM` (BUILD_START_DIR) of a date. pbulk
 * formats them with date(1) in the local time zone; `utc` gives reproducible values for tests.
 */
export function buildTimes(d: Date, utc = false): { iso: string; dir: string } {
  const p = (n: number) => String(n).padStart(2, '0');
  const y = utc ? d.getUTCFullYear() : d.getFullYear();
  const mo = p((utc ? d.getUTCMonth() : d.getMonth()) + 1);
  const da = p(utc ? d.getUTCDate() : d.getDate());
  const h = p(utc ? d.getUTCHours() : d.getHours());
  const mi = p(utc ? d.getUTCMinutes() : d.getMinutes());
  return { iso: `${y}-${mo}-${da} ${h}:${mi}`, dir: `${y}${mo}${da}.${h}${mi}` };
}
