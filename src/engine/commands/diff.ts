// `pkgsrc-bulk diff [RUN_A [RUN_B]]`: what changed between two runs of a bulklog.
import { join } from 'node:path';
import { DEFAULT_TIME_MIN_MS, DEFAULT_TIME_RATIO, diffCounts, diffRuns, type PackageChange } from '../../pkgsrc/history/diff';
import { findRun } from '../../pkgsrc/history/store';
import { EXIT } from '../../protocol/exit';
import { HISTORY_OPTIONS, describeRun, historyArgs } from '../history/cli';
import { optionLines, type OptionTable } from './options';
import { formatDiffText } from '../history/print';
import { knownRuns, logPath } from '../../pkgsrc/history/runs';
import { UsageError, type Command } from './types';

const options = {
  ...HISTORY_OPTIONS,
  json: { type: 'boolean', help: 'print the whole diff as JSON' },
  'time-ratio': { type: 'string', arg: 'R', help: `a build time change counts at R times faster or slower (default ${DEFAULT_TIME_RATIO})` },
  'time-min': { type: 'string', arg: 'SECONDS', help: `... and at least this many seconds (default ${DEFAULT_TIME_MIN_MS / 1000})` },
} as const satisfies OptionTable;

const usage = `usage: pkgsrc-bulk diff [-c pbulk.conf] [--settings FILE] [--json] [RUN_A [RUN_B]]

Compares two runs of the bulklog pbulk.conf names (see pkgsrc-bulk history): new failures,
packages that fail no more (fixed), those still failing, failed packages that break more
packages than before (and which), PKGNAME changes, packages added to or removed from the
build, and build times that changed by more than the threshold. Without RUN_B the later run
is the newest (the bulklog's own); without RUN_A, the one before it. A run is named by its
id (or 4 or more of its first characters), ~N (N runs before the newest), current or
previous.

${optionLines(options)}

Exit status: 0 no new failures, 1 the later run has new failures, 2 bad usage, an unknown
run, fewer than two runs, or a pbulk.conf that cannot be used.`;

function number(v: string | boolean | undefined, name: string, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isFinite(n) || n < min) throw new UsageError(`--${name} needs a number of at least ${min}, not '${String(v)}'`);
  return n;
}

export const diffCommand: Command = {
  name: 'diff',
  summary: 'what changed between two runs: new failures, fixed, versions, times',
  usage,
  options,
  async run(argv) {
    const a = await historyArgs(argv, usage, options);
    if (a.positionals.length > 2) throw new UsageError(`at most two runs, not ${a.positionals.length}\n\n${usage}`);
    const timeRatio = number(a.values['time-ratio'], 'time-ratio', 1);
    const timeMin = number(a.values['time-min'], 'time-min', 0);
    const { runs, problems } = await knownRuns(a.store, a.cfg.bulklog, a.cfg.metaDir);
    for (const p of problems) process.stderr.write(`pkgsrc-bulk diff: ${p}\n`);
    const [refA, refB] = a.positionals;
    const to = findRun(runs, refB ?? 'current');
    if (typeof to === 'string') throw new UsageError(to);
    const earlier = runs.slice(0, runs.indexOf(to));
    const from =
      refA !== undefined
        ? findRun(runs, refA)
        : (earlier[earlier.length - 1] ?? `no run before ${to.info.id} to compare with (pkgsrc-bulk history lists the runs)`);
    if (typeof from === 'string') throw new UsageError(from);
    const [sa, sb] = await Promise.all([from.summary(), to.summary()]);
    const d = diffRuns(sa, sb, { ...(timeRatio !== undefined ? { timeRatio } : {}), ...(timeMin !== undefined ? { timeMinMs: timeMin * 1000 } : {}) });
    const log = (c: PackageChange) => logPath(to, a.cfg.bulklog, c.pkgname, c.phase);
    const makefile = (c: { location?: string }) => (c.location ? join(a.cfg.pkgsrc, c.location, 'Makefile') : undefined);
    if (a.json) {
      const withLinks = (c: PackageChange) => ({ ...c, ...(log(c) ? { log: log(c) } : {}), ...(makefile(c) ? { makefile: makefile(c) } : {}) });
      const out = {
        ...d,
        from: { ...d.from, current: from.current },
        to: { ...d.to, current: to.current },
        counts: diffCounts(d),
        newFailures: d.newFailures.map(withLinks),
        stillFailing: d.stillFailing.map(withLinks),
      };
      process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    } else {
      process.stdout.write(`From ${describeRun(d.from, from.current)}\n  to ${describeRun(d.to, to.current)}\n\n`);
      process.stdout.write(formatDiffText(d, { log }));
    }
    return d.newFailures.length > 0 ? EXIT.failed : EXIT.ok;
  },
};
