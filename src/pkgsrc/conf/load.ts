// pbulk.conf for the engine: read, parse, evaluate and check a file, and hand back the values
// of every statically known variable, the ulimit lines as argument arrays, the limited_list
// path and all problems. Never throws: an unreadable file is a problem like any other.
import { open } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { decodeBytes } from '../text';
import { checkConf } from './check';
import { createConfContext, type ConfContextOptions } from './context';
import { evaluateConf, staticValue, type ConfEvaluation } from './evaluate';
import { parseConf } from './parser';
import type { ConfDiagnostic, ConfDocument } from './types';
import type { PbulkVersion } from './version';

/** Larger than any sane pbulk.conf (the example is 5 kB). */
export const MAX_CONF_BYTES = 4 * 1024 * 1024;

export interface ConfValue {
  /** Undefined when the value is dynamic (command substitution, conditionals ...). */
  value: string | undefined;
  dynamic: boolean;
  exported: boolean;
  /** 0-based line of the assignment that produced it. */
  line?: number;
}

export interface LoadedConf {
  file: string;
  /** Every variable set at the end of the file. */
  values: Record<string, ConfValue>;
  /** The statically known value of a variable. */
  get(name: string): string | undefined;
  /** Each `ulimit` line as its argument array (lines with dynamic arguments are left out and reported). */
  ulimits: string[][];
  /** Absolute path of the limited_list, when set statically and non-empty. */
  limitedList?: string;
  pbulkVersion: PbulkVersion;
  problems: ConfDiagnostic[];
  hasErrors: boolean;
  /** False when the file could not be read at all: its one problem says why, nothing else is checked. */
  readable: boolean;
  document: ConfDocument;
  evaluation: ConfEvaluation;
}

export async function readConfText(file: string, maxBytes = MAX_CONF_BYTES): Promise<{ text: string; problems: ConfDiagnostic[] }> {
  const at0 = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  let handle;
  try {
    handle = await open(file, 'r');
    const st = await handle.stat();
    if (!st.isFile())
      return { text: '', problems: [{ file, range: at0, severity: 'error', code: 'unreadable-file', message: `${file} is not a regular file` }] };
    if (st.size > maxBytes) {
      return {
        text: '',
        problems: [
          {
            file,
            range: at0,
            severity: 'error',
            code: 'file-too-large',
            message: `${file} is ${st.size} bytes, more than the ${maxBytes} a pbulk.conf or limited_list can sensibly be: not read`,
          },
        ],
      };
    }
    const bytes = await handle.readFile();
    const decoded = decodeBytes(bytes);
    const problems: ConfDiagnostic[] = [];
    if (decoded.invalidUtf8)
      problems.push({
        file,
        range: at0,
        severity: 'warning',
        code: 'invalid-utf8',
        message: 'the file is not valid UTF-8: undecodable bytes are shown as U+FFFD',
      });
    return { text: decoded.text, problems };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    // "ENOENT: no such file or directory, open '/x'" -> "no such file or directory (ENOENT)"
    const reason = err.code ? `${err.message.replace(`${err.code}: `, '').replace(/, \w+ '.*'$/, '')} (${err.code})` : err.message;
    return { text: '', problems: [{ file, range: at0, severity: 'error', code: 'unreadable-file', message: `cannot read ${file}: ${reason}` }] };
  } finally {
    await handle?.close();
  }
}

export async function loadPbulkConf(file: string, options: ConfContextOptions = {}): Promise<LoadedConf> {
  const { text, problems: readProblems } = await readConfText(file);
  const document = parseConf(text, file);
  const evaluation = evaluateConf(document);
  const context = createConfContext(options, evaluation);
  const unreadable = readProblems.some((p) => p.severity === 'error');
  const problems = unreadable ? readProblems : [...readProblems, ...checkConf(document, evaluation, context)];

  const values: Record<string, ConfValue> = {};
  for (const v of evaluation.variables.values()) {
    if (!v.set) continue;
    const entry: ConfValue = { value: v.dynamic ? undefined : v.value, dynamic: v.dynamic, exported: v.exported };
    if (v.origin) entry.line = v.origin.assignment.range.start.line;
    values[v.name] = entry;
  }
  const ulimits: string[][] = [];
  for (const u of evaluation.ulimits) {
    if (u.args.every((a) => a !== undefined)) ulimits.push(u.args as string[]);
    else
      problems.push({
        file,
        range: u.statement.range,
        severity: 'warning',
        code: 'dynamic-ulimit',
        message: 'this ulimit line has arguments only known when the file runs: the engine cannot apply it to its builds',
      });
  }
  const loaded: LoadedConf = {
    file,
    values,
    get: (name) => staticValue(evaluation, name),
    ulimits,
    pbulkVersion: context.pbulkVersion!,
    problems,
    hasErrors: problems.some((p) => p.severity === 'error'),
    readable: !unreadable,
    document,
    evaluation,
  };
  const limited = staticValue(evaluation, 'limited_list')?.trim();
  if (limited) loaded.limitedList = resolve(dirname(file), limited);
  return loaded;
}
