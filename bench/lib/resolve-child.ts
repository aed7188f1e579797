// One measured run for bench/resolve.ts, in its own process so that peak memory belongs to
// this run alone. Prints one JSON line: phase times (ms, Node start-up not counted), the CPU
// time of the whole run (user + system, which a busy machine inflates less than wall time),
// the peak resident set (process.resourceUsage().maxRSS) and the heap in use at the end.
//   node --import tsx bench/lib/resolve-child.ts baseline|resolve PSCAN.gz
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';
import { resolveGlobal } from '../../src/pkgsrc/resolve/resolve';
import { parseScan } from '../../src/pkgsrc/scan/parse';

const [mode, file] = process.argv.slice(2);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const text = gunzipSync(readFileSync(file!)).toString('latin1');
const t1 = performance.now();
let parse = 0;
let resolve = 0;
let records = 0;
let outBytes = 0;
if (mode === 'baseline') {
  // The least any reader does: split the text into lines.
  records = text.split('\n').filter((l) => l.startsWith('PKGNAME=')).length;
  parse = performance.now() - t1;
} else {
  const p = parseScan(text, { format: 'pscan' });
  const t2 = performance.now();
  const r = resolveGlobal(p.records, { verbose: 1 });
  resolve = performance.now() - t2;
  parse = t2 - t1;
  records = r.records.length;
  outBytes = r.text.length;
  if (!r.ok) throw new Error('resolution failed');
}
const heap = process.memoryUsage().heapUsed;
const cpu = process.cpuUsage(cpu0);
console.log(
  JSON.stringify({
    read: t1 - t0,
    parse,
    resolve,
    total: performance.now() - t0,
    cpu: (cpu.user + cpu.system) / 1000,
    records,
    outBytes,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    heapMB: heap / 2 ** 20,
  }),
);
