// `pkgsrc-bulk lint FILE...`: the editor's pbulk.conf and limited_list checks on the command
// line. Detects which kind each file is, follows limited_list from a pbulk.conf, and prints
// compiler-style lines (or JSON). Exit 0: no errors; 1: errors found; 2: bad usage or a file
// that cannot be read.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatProblem } from '../../pkgsrc/problem';
import {
  booleanMeaning,
  checkConf,
  checkLimitedList,
  createConfContext,
  detectFileKind,
  evaluateConf,
  parseConf,
  readConfText,
  staticValue,
  type ConfDiagnostic,
  type ConfFileKind,
  type PbulkVersion,
} from '../../pkgsrc/conf/index';
import { optionLines, parseOptions, type OptionTable } from './options';
import { EXIT } from '../../protocol/exit';
import type { Command } from './types';
import { UsageError } from './types';

const options = {
  json: { type: 'boolean', help: 'print one JSON document instead of file:line:col lines' },
  'pbulk-version': {
    type: 'string',
    arg: 'V',
    help: "check against pbulk config version V (default: the installed pbulk's,\nfound from its share/examples/pbulk/pbulk.conf, else the current one)",
  },
  pkgsrc: {
    type: 'string',
    arg: 'DIR',
    help: 'pkgsrc tree for limited_list entries given directly (default: the\npkgsrc setting of the pbulk.conf that names the list)',
  },
  'no-existence': { type: 'boolean', help: 'do not look for the configured paths on this machine' },
} as const satisfies OptionTable;

const usage = `usage: pkgsrc-bulk lint [options] FILE...

Checks pbulk.conf files and limited_list files (the kind is detected from the name and the
content). A pbulk.conf's limited_list is checked too, with that config's pkgsrc tree and
master mode; pbulk.conf files are reported first.

options:
${optionLines(options)}

exit status: 0 no errors, 1 errors found, 2 bad usage or an unreadable file`;

interface FileReport {
  file: string;
  kind: ConfFileKind;
  pbulkVersion?: PbulkVersion;
  /** For a limited_list reached through a pbulk.conf. */
  via?: string;
  problems: ConfDiagnostic[];
}

interface Options {
  json: boolean;
  pbulkVersion?: string;
  pkgsrc?: string;
  existence: boolean;
  files: string[];
}

function parseArgs(argv: string[]): Options {
  const { values, positionals } = parseOptions(argv, options, usage, true);
  for (const name of ['pbulk-version', 'pkgsrc'] as const) if (values[name] === '') throw new UsageError(`--${name} needs a value`);
  const o: Options = {
    json: values.json === true,
    existence: values['no-existence'] !== true,
    files: positionals,
    ...(values['pbulk-version'] !== undefined ? { pbulkVersion: values['pbulk-version'] } : {}),
    ...(values.pkgsrc !== undefined ? { pkgsrc: values.pkgsrc } : {}),
  };
  if (o.pbulkVersion !== undefined && !/^[0-9]+(\.[0-9]+)*$/.test(o.pbulkVersion))
    throw new UsageError(`--pbulk-version: '${o.pbulkVersion}' is not a version such as 0.68`);
  if (o.files.length === 0) throw new UsageError(`no files given\n\n${usage}`);
  return o;
}

export async function lintFiles(o: Options): Promise<{ reports: FileReport[]; unreadable: boolean }> {
  const reports: FileReport[] = [];
  const done = new Set<string>();
  let unreadable = false;
  const contextOptions = { ...(o.pbulkVersion ? { pbulkVersion: o.pbulkVersion } : {}), checkExistence: o.existence };

  // Every file is read first so that the pbulk.conf files go before the lists: a list that a
  // config names is then checked with that config's tree and master mode, in whatever order
  // the files were given.
  const inputs: { file: string; text: string; readProblems: ConfDiagnostic[]; kind: ConfFileKind }[] = [];
  for (const arg of o.files) {
    const file = resolve(arg);
    if (inputs.some((i) => i.file === file)) continue;
    const { text, problems: readProblems } = await readConfText(file);
    const failed = readProblems.some((p) => p.severity === 'error');
    inputs.push({ file, text, readProblems, kind: detectFileKind(file, failed ? '' : text) });
  }
  const ordered = [...inputs.filter((i) => i.kind === 'pbulk-conf'), ...inputs.filter((i) => i.kind !== 'pbulk-conf')];

  for (const { file, text, readProblems, kind } of ordered) {
    if (done.has(file)) continue;
    done.add(file);
    if (readProblems.some((p) => p.severity === 'error')) {
      unreadable = true;
      reports.push({ file, kind, problems: readProblems });
      continue;
    }
    if (kind === 'limited-list') {
      const ctx = createConfContext(contextOptions);
      if (o.pkgsrc) ctx.pkgsrc = resolve(o.pkgsrc);
      reports.push({ file, kind, pbulkVersion: ctx.pbulkVersion!, problems: [...readProblems, ...checkLimitedList(text, file, ctx)] });
      continue;
    }
    const doc = parseConf(text, file);
    const ev = evaluateConf(doc);
    const ctx = createConfContext(contextOptions, ev);
    reports.push({ file, kind, pbulkVersion: ctx.pbulkVersion!, problems: [...readProblems, ...checkConf(doc, ev, ctx)] });

    // Follow the limited_list the config names; a missing one is already a path-missing warning.
    const list = staticValue(ev, 'limited_list')?.trim();
    if (!list) continue;
    const listFile = resolve(file, '..', list);
    if (done.has(listFile)) continue;
    const listText = await readConfText(listFile);
    if (listText.problems.some((p) => p.severity === 'error')) {
      // A missing list is the config's path-missing warning; one that is there but cannot be
      // read (too large, no permission) is reported here rather than skipped without a word.
      if (statSync(listFile, { throwIfNoEntry: false })?.isFile()) {
        done.add(listFile);
        reports.push({ file: listFile, kind: 'limited-list', via: file, problems: listText.problems });
      }
      continue;
    }
    done.add(listFile);
    const pkgsrc = staticValue(ev, 'pkgsrc');
    const master = staticValue(ev, 'master_mode');
    const listCtx = { ...ctx };
    if (o.pkgsrc) listCtx.pkgsrc = resolve(o.pkgsrc);
    else if (pkgsrc?.startsWith('/')) listCtx.pkgsrc = pkgsrc;
    if (master !== undefined) listCtx.masterMode = booleanMeaning('yes-or-no-strict', master) === 'on';
    reports.push({
      file: listFile,
      kind: 'limited-list',
      pbulkVersion: ctx.pbulkVersion!,
      via: file,
      problems: [...listText.problems, ...checkLimitedList(listText.text, listFile, listCtx)],
    });
  }
  return { reports, unreadable };
}

export const lintCommand: Command = {
  name: 'lint',
  summary: 'check pbulk.conf and limited_list files',
  usage,
  options,
  async run(argv) {
    const o = parseArgs(argv);
    const { reports, unreadable } = await lintFiles(o);
    const all = reports.flatMap((r) => r.problems);
    const count = (s: string): number => all.filter((p) => p.severity === s).length;
    if (o.json) {
      console.log(JSON.stringify({ files: reports, errors: count('error'), warnings: count('warning'), notes: count('information') + count('hint') }, null, 2));
    } else {
      for (const p of all) (p.code === 'unreadable-file' || p.code === 'file-too-large' ? console.error : console.log)(formatProblem(p));
      const n = (k: number, what: string): string => `${k} ${what}${k === 1 ? '' : 's'}`;
      console.error(
        `${n(reports.length, 'file')}: ${n(count('error'), 'error')}, ${n(count('warning'), 'warning')}, ${n(count('information') + count('hint'), 'note')}`,
      );
    }
    if (unreadable) return EXIT.usage;
    return count('error') > 0 ? EXIT.failed : EXIT.ok;
  },
};
