// `pkgsrc-bulk report -c pbulk.conf` (or `--bulklog DIR`): regenerates pbulk's report files
// from a bulklog's meta/ (meta/report, report.bz2, report.txt, report.html, report.dot) and
// prints a summary.
import { rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { BulklogError, readBulklog } from '../../pkgsrc/bulklog';
import { bulklogDirProblem } from '../../pkgsrc/bulklog/dir-check';
import { formatProblem } from '../../pkgsrc/problem';
import { buildSummary, formatSummaryText, withFirstErrors, writeReports } from '../../pkgsrc/report';
import { loadConfigFile } from '../cli/setup';
import { defaultSettings } from '../config/settings';
import { loadExeca } from '../execa';
import { optionLines, parseOptions, type OptionTable } from './options';
import { EXIT } from '../../protocol/exit';
import { UsageError, type Command } from './types';

const options = {
  config: { type: 'string', short: 'c', arg: 'FILE', help: 'take bulklog and loc from this pbulk.conf (default: $PBULK_CONF\nwhen no --bulklog is given)' },
  bulklog: { type: 'string', arg: 'DIR', help: "the bulklog directory (pbulk.conf's bulklog)" },
  meta: { type: 'string', arg: 'DIR', help: "the meta directory (pbulk.conf's loc); default DIR/meta" },
  json: { type: 'boolean', default: false, help: 'print the structured summary as JSON instead of text' },
  'no-write': { type: 'boolean', default: false, help: 'only read and summarise; write nothing' },
  bzip2: { type: 'string', arg: 'CMD', default: 'bzip2', help: 'bzip2 command for meta/report.bz2 (default bzip2; "" to skip)' },
  quiet: { type: 'boolean', default: false, help: 'do not list the problems found while reading' },
} as const satisfies OptionTable;

const usage = `usage: pkgsrc-bulk report (-c pbulk.conf | --bulklog DIR [--meta DIR]) [--json] [--no-write] [--bzip2 CMD]

Reads a bulklog (finished, live or copied from another machine), rewrites the report files
in its meta directory as pbulk's report phase does, and prints a summary.

${optionLines(options)}

Exit status: 0 no failed package, 1 some packages failed, 2 bad usage or unreadable bulklog.`;

/**
 * meta/report.bz2 from meta/report with the bzip2 command (pbulk.conf's `bzip2`), replaced
 * atomically. Returns an error message instead of throwing: the other reports stand without it.
 */
export async function writeReportBz2(metaDir: string, bzip2 = 'bzip2'): Promise<string | undefined> {
  return compress(bzip2, join(metaDir, 'report'), join(metaDir, 'report.bz2'));
}

async function compress(bzip2: string, src: string, dest: string): Promise<string | undefined> {
  const { execa } = await loadExeca();
  const tmp = `${dest}.${process.pid}.tmp`;
  try {
    await execa(bzip2, ['-zc'], { inputFile: src, stdout: { file: tmp }, stderr: 'pipe' });
    await rename(tmp, dest);
    return undefined;
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    return (e as { shortMessage?: string }).shortMessage ?? (e as Error).message;
  }
}

/** The bulklog and meta directory: from --bulklog/--meta, else from pbulk.conf (-c or $PBULK_CONF). */
async function bulklogOf(v: { config?: string; bulklog?: string; meta?: string }): Promise<{ bulklog: string; metaDir?: string }> {
  if (v.config !== undefined && (v.bulklog !== undefined || v.meta !== undefined)) throw new UsageError('give either --config or --bulklog/--meta, not both');
  if (v.bulklog !== undefined) return { bulklog: v.bulklog, ...(v.meta ? { metaDir: v.meta } : {}) };
  if (v.meta !== undefined) throw new UsageError('--meta needs --bulklog');
  const conf = v.config ?? process.env.PBULK_CONF;
  if (!conf) throw new UsageError(`no bulklog: pass --config FILE (or set PBULK_CONF) or --bulklog DIR\n\n${usage}`);
  const cfg = await loadConfigFile(conf, defaultSettings(), { why: 'cannot tell where the bulklog is' });
  return { bulklog: cfg.bulklog, metaDir: cfg.metaDir };
}

export const reportCommand: Command = {
  name: 'report',
  summary: 'regenerate report.txt/.html/.dot from a bulklog and print a summary',
  usage,
  options,
  async run(argv) {
    const { values } = parseOptions(argv, options, usage);
    const where = await bulklogOf(values);
    // A directory that is no bulklog is said to be one, before anything is read or written in it.
    if (where.metaDir === undefined || where.metaDir === join(where.bulklog, 'meta')) {
      const problem = await bulklogDirProblem(where.bulklog);
      if (problem) throw new UsageError(`not a bulklog: ${problem}`);
    }
    let b;
    try {
      b = await readBulklog(where.bulklog, where.metaDir ? { metaDir: where.metaDir } : {});
    } catch (e) {
      if (e instanceof BulklogError) throw new UsageError(e.message);
      throw e;
    }
    if (!values.quiet) for (const p of b.problems) console.error(formatProblem(p));
    if (b.packages.length === 0) console.error(`pkgsrc-bulk report: ${b.metaDir}: no packages found (no presolve, pbuild, report, success or error)`);
    if (!values['no-write'] && b.packages.length > 0) {
      try {
        const written = await writeReports(b);
        if (written.report && values.bzip2) {
          const err = await writeReportBz2(b.metaDir, values.bzip2);
          if (err) console.error(`pkgsrc-bulk report: report.bz2 not written: ${err}`);
        }
      } catch (e) {
        throw new UsageError(`cannot write the reports in ${b.metaDir}: ${(e as Error).message}`);
      }
    }
    const summary = await withFirstErrors(buildSummary(b));
    process.stdout.write(values.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummaryText(summary));
    return b.totals.failed > 0 ? EXIT.failed : EXIT.ok;
  },
};
