// `npm run bench -- conf`: how long the editor waits for pbulk.conf diagnostics.
//  - Full validation of a 300-line config: parse + evaluate + every check, with existence
//    checks against the real file system through the short-lived stat cache the language
//    server uses (and once more without the cache).
//  - A single-line edit: the same on the edited text, for edits spread over the whole file
//    (the server re-validates the whole document on every change). Target: < 5 ms.
//  - Baselines in the same run: `sh -n` (the shell's own syntax check, one process) on the same
//    file, and plain line splitting of it.
// The library is measured from an esbuild bundle, as the language server and the CLI load it.
//   --runs=R (default 200)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conf300 } from './lib/conf-fixture';
import type { Benchmark } from './run';
import { fmtMs, medianMs, table } from './util';
import { loadBundledConf } from './lib/bundled-conf';

/** Edited copies of the text: one line changed each, spread over the whole file. */
function edits(text: string, count: number): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = Math.floor((i * 7919) % (lines.length - 1));
    const copy = lines.slice();
    const l = copy[n]!;
    // Typing a character into the line: a value, a name or a comment gets one letter longer.
    copy[n] = l === '' ? 'x' : l.slice(0, Math.floor(l.length / 2)) + 'x' + l.slice(Math.floor(l.length / 2));
    out.push(copy.join('\n'));
  }
  return out;
}

const bench: Benchmark = {
  async run(args) {
    const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 200);
    const dir = mkdtempSync(join(tmpdir(), 'pkgsrc-bulk-bench-conf-'));
    try {
      const conf = loadBundledConf(dir);
      const text = conf300(300);
      const file = join(dir, 'pbulk.conf');
      writeFileSync(file, text);
      // As the language server runs it: the real file system behind a 2-second stat cache.
      const context = conf.createConfContext({ pbulkVersion: '0.68', probe: conf.cachedProbe(conf.realProbe) });
      const uncached = conf.createConfContext({ pbulkVersion: '0.68' });
      const validate = (t: string): number => {
        const doc = conf.parseConf(t, file);
        return conf.checkConf(doc, conf.evaluateConf(doc), context).length;
      };
      const diagnostics = validate(text);
      // The server is a long-running process: measure warm code, not the first calls.
      for (let i = 0; i < 50; i++) validate(text);

      const split = await medianMs(() => text.split('\n').length, runs);
      const shN = await medianMs(() => spawnSync('/bin/sh', ['-n', file]).status, Math.min(runs, 50));
      const full = await medianMs(() => validate(text), runs);
      const edited = edits(text, runs);
      let k = 0;
      const edit = await medianMs(() => validate(edited[k++ % edited.length]!), runs);
      // The parts of one validation, for where the time goes.
      const doc = conf.parseConf(text, file);
      const ev = conf.evaluateConf(doc);
      const parse = await medianMs(() => conf.parseConf(text, file), runs);
      const evaluate = await medianMs(() => conf.evaluateConf(doc), runs);
      const check = await medianMs(() => conf.checkConf(doc, ev, context), runs);
      const checkUncached = await medianMs(() => conf.checkConf(doc, ev, uncached), runs);
      const noFs = await medianMs(() => conf.checkConf(doc, ev, { ...context, checkExistence: false }), runs);

      console.log(`300-line pbulk.conf (${text.length} bytes, ${diagnostics} diagnostics), median of ${runs} runs\n`);
      const row = (what: string, ms: number) => [what, fmtMs(ms), `${(ms / shN).toFixed(2)}x`, `${(ms / split).toFixed(0)}x`];
      table(
        ['step', 'time', 'vs sh -n', 'vs line split'],
        [
          row('baseline: sh -n on the file (one process)', shN),
          row('baseline: split into lines', split),
          row('full validation (parse + evaluate + checks)', full),
          row('single-line edit, re-validated', edit),
          row('  parse', parse),
          row('  evaluate', evaluate),
          row('  checks, existence through the stat cache', check),
          row('  checks, existence with a stat per path', checkUncached),
          row('  checks, without existence checks', noFs),
        ],
      );
      console.log(`\nsingle-line edit: ${fmtMs(edit)} (target < 5 ms: ${edit < 5 ? 'met' : 'MISSED'})`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
