// `pkgsrc-bulk history`: the runs kept for a bulklog, oldest first, and the one it holds now.
import { formatTotal } from '../../pkgsrc/states';
import { EXIT } from '../../protocol/exit';
import { HISTORY_OPTIONS, historyArgs, localTime } from '../history/cli';
import { optionLines, type OptionTable } from './options';
import { knownRuns } from '../../pkgsrc/history/runs';
import type { Command } from './types';

const options = {
  ...HISTORY_OPTIONS,
  json: { type: 'boolean', help: 'print {bulklog, store, runs: [...]} as JSON' },
} as const satisfies OptionTable;

const usage = `usage: pkgsrc-bulk history [-c pbulk.conf] [--settings FILE] [--json]

Lists the runs of the bulklog pbulk.conf names: those a fresh run filed away into the history
(\`<bulklog>.history\`, or the settings' historyDir) and the run in the bulklog now, oldest
first, with their start and end, kind (full or limited) and counts. \`pkgsrc-bulk diff\` takes
their ids.

${optionLines(options)}

Exit status: 0 listed, 1 some entries of the history could not be read (the others are listed),
2 bad usage or a pbulk.conf that cannot be used.`;

export const historyCommand: Command = {
  name: 'history',
  summary: 'the runs kept for the bulklog (see diff)',
  usage,
  options,
  async run(argv) {
    const a = await historyArgs(argv, usage, options);
    const { runs, problems } = await knownRuns(a.store, a.cfg.bulklog, a.cfg.metaDir);
    for (const p of problems) process.stderr.write(`pkgsrc-bulk history: ${p}\n`);
    if (a.json) {
      const rows = runs.map((r) => ({
        ...r.info,
        current: r.current,
        ...(r.stored?.pending ? { pending: true } : {}),
        ...(r.stored?.bytes !== undefined ? { bytes: r.stored.bytes } : {}),
        ...(r.stored ? { dir: r.stored.dir } : {}),
      }));
      process.stdout.write(JSON.stringify({ bulklog: a.cfg.bulklog, store: a.store, runs: rows }, null, 2) + '\n');
    } else if (runs.length === 0) {
      process.stdout.write(`No runs of ${a.cfg.bulklog} yet (history: ${a.store}).\n`);
    } else {
      process.stdout.write(`Runs of ${a.cfg.bulklog} (history: ${a.store}), oldest first:\n`);
      // The counts in the words and breakdown every view uses, last as the widest column.
      const head = ['ID', 'STARTED', 'ENDED', 'KIND', 'NOTE', 'PACKAGES'];
      const rows = runs.map((r) => {
        const note = [r.current ? 'current' : '', r.info.finished ? '' : 'unfinished', r.stored?.pending ? 'being filed' : ''].filter(Boolean).join(', ');
        return [r.info.id, localTime(r.info.startedAt), localTime(r.info.finishedAt), r.info.kind, note || '-', formatTotal(r.info.counts)];
      });
      const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
      for (const r of [head, ...rows])
        process.stdout.write(
          r
            .map((x, i) => x.padEnd(widths[i]!))
            .join('  ')
            .trimEnd() + '\n',
        );
    }
    return problems.length > 0 ? EXIT.failed : EXIT.ok;
  },
};
