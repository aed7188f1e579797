// The file form of a run summary: JSON with the run's facts and one array per package
// (`[pkgname, location, state, breaks, phase, ms, culprits]`, null for what is unknown), which
// parses several times faster than objects for the 12,000 packages of a full tree. The parser
// checks every field and says which one is wrong; it never throws anything but a
// SummaryFormatError.
import { z } from 'zod';
import { BUILD_STATES, emptyTotals, isBuildState } from '../bulklog/states';
import type { PackageRow, RunInfo, RunSummary } from './summary';

const SUMMARY_FORMAT = 'pkgsrc-bulk-run/1';

export class SummaryFormatError extends Error {}

const count = z.number().int().nonnegative();
const runSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a run id is letters, digits, dot, dash and underscore'),
  kind: z.enum(['full', 'limited', 'unknown']),
  locations: z.array(z.string()).optional(),
  startedAt: z.number().optional(),
  finishedAt: z.number().optional(),
  finished: z.boolean(),
  platform: z.string().optional(),
  counts: z.object(Object.fromEntries(BUILD_STATES.map((s) => [s, count])) as Record<(typeof BUILD_STATES)[number], typeof count>),
  total: count,
});

type Row = [string, string | null, string, number, string | null, number | null, string[] | null];

export function formatSummary(s: RunSummary): string {
  const rows: Row[] = s.packages.map((p) => [p.pkgname, p.location ?? null, p.state, p.breaks, p.phase ?? null, p.ms ?? null, p.culprits ?? null]);
  return JSON.stringify({ format: SUMMARY_FORMAT, run: s.run, packages: rows }) + '\n';
}

const isText = (v: unknown): v is string => typeof v === 'string' && v !== '';
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function parseRow(raw: unknown, i: number, file: string): PackageRow {
  const bad = (what: string) => new SummaryFormatError(`${file}: package ${i + 1}: ${what}`);
  if (!Array.isArray(raw) || raw.length !== 7) throw bad('expected [pkgname, location, state, breaks, phase, ms, culprits]');
  const [pkgname, location, state, breaks, phase, ms, culprits] = raw as unknown[];
  if (!isText(pkgname)) throw bad('pkgname is not a name');
  if (location !== null && !isText(location)) throw bad(`${pkgname}: location is not a path`);
  if (typeof state !== 'string' || !isBuildState(state)) throw bad(`${pkgname}: unknown state ${JSON.stringify(state)}`);
  if (!isCount(breaks)) throw bad(`${pkgname}: breaks is not a count`);
  if (phase !== null && !isText(phase)) throw bad(`${pkgname}: phase is not a name`);
  if (ms !== null && !isCount(ms)) throw bad(`${pkgname}: ms is not a duration`);
  if (culprits !== null && !(Array.isArray(culprits) && culprits.every(isText))) throw bad(`${pkgname}: culprits is not a list of names`);
  const r: PackageRow = { pkgname, state, breaks };
  if (location !== null) r.location = location;
  if (phase !== null) r.phase = phase;
  if (ms !== null) r.ms = ms;
  if (culprits !== null) r.culprits = culprits;
  return r;
}

export function parseSummary(text: string, file: string): RunSummary {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new SummaryFormatError(`${file}: not a run summary: ${(e as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || (raw as { format?: unknown }).format !== SUMMARY_FORMAT) {
    throw new SummaryFormatError(`${file}: not a run summary (expected format ${SUMMARY_FORMAT})`);
  }
  const o = raw as { run?: unknown; packages?: unknown };
  const run = runSchema.safeParse(o.run);
  if (!run.success) throw new SummaryFormatError(`${file}: run: ${run.error.issues.map((i) => `${i.path.join('.') || '(run)'}: ${i.message}`).join('; ')}`);
  if (!Array.isArray(o.packages)) throw new SummaryFormatError(`${file}: packages is not a list`);
  const packages = o.packages.map((r, i) => parseRow(r, i, file));
  const counts = emptyTotals();
  for (const p of packages) counts[p.state]++;
  const info: RunInfo = { ...run.data, counts, total: packages.length };
  return { run: info, packages };
}
