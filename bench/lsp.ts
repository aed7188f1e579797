// `npm run bench -- lsp`: what the editor waits for from the pbulk.conf language server, measured
// through the real protocol (dist/server.js over IPC, as VS Code starts it) on a 300-line config:
//  - an edit until its diagnostics arrive (didChange -> publishDiagnostics, validation delay 0);
//  - completion at the start of a line (every variable, with its documentation), hover, outline.
// Baseline in the same run: the library's own validation of the same edited texts in this
// process (bundled with esbuild and with the server's cached file probe, as the server runs it),
// so the ratio is what the server and the protocol add.
//   --runs=R (default 100)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileUri, TestLspClient } from '../test/server/lspClient';
import { conf300 } from './lib/conf-fixture';
import type { Benchmark } from './run';
import { fmtMs, medianMs, table } from './util';
import { loadBundledConf } from './lib/bundled-conf';

/** One character typed into line n (spread over the file), as a ranged change. */
function typing(lines: string[], i: number): { line: number; character: number } {
  const line = Math.floor((i * 7919) % (lines.length - 1));
  return { line, character: Math.floor(lines[line]!.length / 2) };
}

const bench: Benchmark = {
  async run(args) {
    const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 100);
    const dir = mkdtempSync(join(tmpdir(), 'pkgsrc-bulk-bench-lsp-'));
    const client = await TestLspClient.start({ settings: { pbulkVersion: '0.68', conf: { validationDelay: 0 } } });
    try {
      const file = join(dir, 'pbulk.conf');
      const uri = fileUri(file);
      let text = conf300(300);
      const lines = text.split('\n');
      const opened = await client.open(uri, text);

      // Baseline: the same validations in this process.
      const conf = loadBundledConf(dir);
      const context = conf.createConfContext({ pbulkVersion: '0.68', probe: conf.cachedProbe(conf.realProbe, 2000) });
      const texts: string[] = [];
      let copy = lines.slice();
      for (let i = 0; i < runs + 1; i++) {
        const p = typing(copy, i);
        const l = copy[p.line]!;
        copy = copy.slice();
        copy[p.line] = l.slice(0, p.character) + 'x' + l.slice(p.character);
        texts.push(copy.join('\n'));
      }
      let k = 0;
      const local = await medianMs(() => {
        const doc = conf.parseConf(texts[k++ % texts.length]!, file);
        return conf.checkConf(doc, conf.evaluateConf(doc), context).length;
      }, runs);

      let current = lines.slice();
      let i = 0;
      const roundTrip = await medianMs(async () => {
        const p = typing(current, i++);
        const l = current[p.line]!;
        current = current.slice();
        current[p.line] = l.slice(0, p.character) + 'x' + l.slice(p.character);
        await client.change(uri, [{ range: { start: p, end: p }, text: 'x' }]);
      }, runs);
      text = current.join('\n');

      const blank = text.split('\n').findIndex((l) => l === '');
      const completion = await medianMs(() => client.completion(uri, blank, 0), runs);
      const bulklog = text.split('\n').findIndex((l) => l.startsWith('bulklog='));
      const hover = await medianMs(() => client.hover(uri, bulklog, 2), runs);
      const symbols = await medianMs(() => client.documentSymbols(uri), runs);

      console.log(`300-line pbulk.conf (${text.length} bytes, ${opened.diagnostics.length} diagnostics on open), median of ${runs} runs\n`);
      const row = (what: string, ms: number) => [what, fmtMs(ms), `${(ms / local).toFixed(2)}x`];
      table(
        ['step', 'time', 'vs in-process validation'],
        [
          row('baseline: parse + evaluate + checks in this process (bundled)', local),
          row('one typed character until its diagnostics arrive', roundTrip),
          row('completion at the start of a line (all variables, with docs)', completion),
          row('hover on a variable', hover),
          row('document symbols', symbols),
        ],
      );
    } finally {
      await client.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
