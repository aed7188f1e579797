// `pkgsrc-bulk resolve`: pbulk-resolve on the command line, so its output can be diffed with
// pbulk's: meta/presolve on stdout, pbulk-resolve's messages (with its `pbulk-resolve:`
// prefix) on stderr, exit 1 and no output when dependencies cannot be resolved.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatProblem, type Problem } from '../../pkgsrc/problem';
import { messageLine, messageProblem, resolveFiles, type PresolveRecord } from '../../pkgsrc/resolve';
import { ByteRecord, scanBytes } from '../../pkgsrc/scan/bytes';
import { readScanBytesSync } from '../../pkgsrc/scan/file';
import { parseScan } from '../../pkgsrc/scan/parse';
import { fieldLine, type ScanRecord } from '../../pkgsrc/scan/record';
import { UsageError, type Command } from './types';

const usage = `usage: pkgsrc-bulk resolve [-p] [-v | -vv] [-i MISSING] PSCAN [CANDIDATES ...]
       pkgsrc-bulk resolve -c pbulk.conf [-v | -vv]

Resolves the dependencies of scan records (meta/pscan) exactly as pbulk-resolve does and
prints meta/presolve on standard output, byte for byte what pbulk-resolve writes. Its messages
go to standard error in its words, so both can be compared with pbulk's files. Inputs may be
gzip-compressed.

  -v          report dependencies whose best match is not at the location they name
  -vv         also report every dependency that more than one package matches
  -p          partial: packages with unresolvable dependencies are written without DEPENDS
              instead of failing the whole run (ignore_missing_dependencies=yes)
  -i MISSING  incremental, as for limited builds: PSCAN is the active set (the first scan or
              the previous presolve), CANDIDATES are records scanned since; the locations of
              unresolvable dependencies are written to MISSING, one per line
  -c, --config FILE
              without PSCAN: the bulklog's meta/pscan (pbulk.conf's loc), partial when
              ignore_missing_dependencies=yes, as the engine's scan phase resolves it

Exit status: 0 resolved; 1 unresolvable dependencies (nothing printed); 2 bad usage or input
that cannot be read as scan records.`;

export interface ResolveArgs {
  partial: boolean;
  verbose: number;
  missing?: string;
  /** A pbulk.conf naming the pscan to resolve (its loc) and whether to resolve partially. */
  config?: string;
  files: string[];
}

/** getopt-style arguments of pbulk-resolve: -pv, -vv, -i FILE, -iFILE, files. */
export function parseResolveArgs(argv: string[]): ResolveArgs {
  const a: ResolveArgs = { partial: false, verbose: 0, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      a.files.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      a.files.push(arg);
      continue;
    }
    if (arg === '--config' || arg.startsWith('--config=')) {
      const value = arg === '--config' ? argv[++i] : arg.slice('--config='.length);
      if (value === undefined || value === '') throw new UsageError('--config needs a file name');
      a.config = value;
      continue;
    }
    // getopt style: -pv, -vv, -i FILE, -iFILE
    for (let k = 1; k < arg.length; k++) {
      const c = arg[k];
      if (c === 'p') a.partial = true;
      else if (c === 'v') a.verbose++;
      else if (c === 'i') {
        const rest = arg.slice(k + 1);
        const value = rest !== '' ? rest : argv[++i];
        if (value === undefined || value === '') throw new UsageError('-i needs a file name');
        a.missing = value;
        break;
      } else if (c === 'c') {
        const rest = arg.slice(k + 1);
        const value = rest !== '' ? rest : argv[++i];
        if (value === undefined || value === '') throw new UsageError('-c needs a file name');
        a.config = value;
        break;
      } else throw new UsageError(`unknown option -${c}\n\n${usage}`);
    }
  }
  if (a.config !== undefined) {
    if (a.files.length > 0 || a.missing !== undefined) throw new UsageError('-c takes the pscan from pbulk.conf: give no PSCAN and no -i');
    return a;
  }
  if (a.files.length === 0) throw new UsageError(`no scan file given\n\n${usage}`);
  if (a.missing === undefined && a.files.length > 1) throw new UsageError('several inputs need -i (incremental mode)');
  if (a.missing !== undefined && a.partial) throw new UsageError('-p and -i cannot be combined (as with pbulk-resolve)');
  return a;
}

// What pbulk-resolve refuses outright ("Invalid input"); other problems are only reported.
const FATAL_PARSE = new Set(['nul-byte', 'no-final-newline', 'no-record']);

/** Parses a scan file that is not clean as text, adding what is wrong with it to `err`. */
function parseText(bytes: Buffer, file: string, err: string[], refuse: () => void): ScanRecord[] {
  const parsed = parseScan(bytes.toString('latin1'), { file, format: 'pscan' });
  const shown: Problem[] = parsed.problems.filter((p) => p.severity === 'error' || p.code === 'more-problems');
  for (const p of shown.slice(0, 50)) err.push(formatProblem(p));
  if (shown.length > 50) err.push(`pkgsrc-bulk resolve: ${file}: ${shown.length - 50} more problems`);
  if (parsed.problems.some((p) => FATAL_PARSE.has(p.code))) refuse();
  return parsed.records;
}

/** Writes and empties the lines gathered for standard error, in one write. */
function writeErr(lines: string[]): void {
  if (lines.length > 0) process.stderr.write(`${lines.join('\n')}\n`);
  lines.length = 0;
}

/** meta/presolve: each record's own bytes (its input's, when read from bytes), with DEPENDS= added where resolved. */
function presolveBytes(records: readonly PresolveRecord[]): Buffer {
  const added: (string | undefined)[] = new Array(records.length);
  let size = 0;
  records.forEach((x, i) => {
    const rec = x.record;
    size += rec instanceof ByteRecord ? rec.end - rec.start : Buffer.byteLength(rec.text, 'latin1');
    if (x.depends !== undefined && fieldLine(rec, 'DEPENDS') === undefined) size += (added[i] = `DEPENDS=${x.depends.join(' ')}\n`).length;
  });
  // One buffer, filled in place: no Buffer per record, no second copy.
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  records.forEach((x, i) => {
    const rec = x.record;
    at += rec instanceof ByteRecord ? rec.bytes.copy(out, at, rec.start, rec.end) : out.write(rec.text, at, 'latin1');
    if (added[i] !== undefined) at += out.write(added[i]!, at, 'latin1');
  });
  return out;
}

export const resolveCommand: Command = {
  name: 'resolve',
  summary: 'resolve dependencies of a pscan file like pbulk-resolve (prints presolve)',
  usage,
  async run(argv: string[]): Promise<number> {
    const args = parseResolveArgs(argv);
    if (args.config !== undefined) {
      // Loaded only with -c: reading pbulk.conf brings in the engine's configuration code.
      const [{ loadConfigFile }, { defaultSettings }] = await Promise.all([import('../cli/setup'), import('../config/settings')]);
      const cfg = await loadConfigFile(args.config, defaultSettings(), { why: 'cannot tell where meta/pscan is' });
      args.files = [join(cfg.metaDir, 'pscan')];
      args.partial ||= cfg.ignoreMissingDependencies;
    }
    const inputs: ScanRecord[][] = [];
    const fileOf = new Map<ScanRecord, string>();
    let unusable = false;
    const err: string[] = [];
    for (const file of args.files) {
      const read = readScanBytesSync(file);
      if (!read.ok) {
        writeErr(err);
        console.error(`pkgsrc-bulk resolve: ${read.message}`);
        return 2;
      }
      // A clean file is resolved from its bytes; anything else is parsed as text, which
      // reports what is wrong with it.
      const records = scanBytes(read.bytes) ?? parseText(read.bytes, file, err, () => (unusable = true));
      for (const r of records) fileOf.set(r, file);
      inputs.push(records);
    }
    writeErr(err);
    if (unusable) {
      console.error('pkgsrc-bulk resolve: input is not scan output that pbulk-resolve accepts (see above)');
      return 2;
    }
    const result = resolveFiles(inputs, { incremental: args.missing !== undefined, partial: args.partial, verbose: args.verbose, texts: false });
    for (const m of result.messages) {
      err.push(messageLine(m));
      if ((m.fatal || m.detail) && m.record) err.push(formatProblem(messageProblem(m, fileOf.get(m.record) ?? args.files[0]!)));
    }
    writeErr(err);
    if (args.missing !== undefined) {
      try {
        await writeFile(args.missing, result.missing.map((l) => `${l}\n`).join(''));
      } catch (e) {
        console.error(`pkgsrc-bulk resolve: cannot write ${args.missing}: ${(e as Error).message}`);
        return 2;
      }
    }
    if (!result.ok) return result.messages.some((m) => m.code === 'invalid-input') ? 2 : 1;
    const failed = await new Promise<NodeJS.ErrnoException | null | undefined>((done) => {
      // The stream reports a failed write twice: to the callback and as an 'error' event.
      process.stdout.once('error', done);
      process.stdout.write(presolveBytes(result.records), done);
    });
    // A reader that stops early (| head) is not an error of ours.
    if (failed && failed.code !== 'EPIPE') {
      console.error(`pkgsrc-bulk resolve: cannot write the output: ${failed.message}`);
      return 2;
    }
    return 0;
  },
};
