// The first index split over real worker threads (the worker bundled with esbuild, as
// dist/tree-worker.js is): whichever thread reads a package, the model must be exactly the one
// the main thread alone builds, on a generated tree with every oddity the reader knows, and a
// worker that fails, dies half-way or sends garbage must cost nothing but time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { generateTree } from '../fixtures/generate';
import type { TreeManifest } from '../fixtures/generate';
import { PkgsrcTree } from '../../src/pkgsrc/tree';
import type { PackageInfo, TreeIndex } from '../../src/pkgsrc/tree';
import { WorkerPool } from '../../src/pkgsrc/tree/worker-pool';
import { readPackageBatch } from '../../src/pkgsrc/tree/load';
import type { CommonFile } from '../../src/pkgsrc/tree/package';
import type { TextFile } from '../../src/pkgsrc/tree/read';

let dir: string;
let m: TreeManifest;
let worker: string;
let single: TreeIndex;
const maxBytes = 64 * 1024;

const bundle = (entry: string, outfile: string) =>
  build({
    entryPoints: [join(__dirname, '../../src/pkgsrc/tree', entry)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    logLevel: 'warning',
  });

/** A worker script that loads the real one after `patch` (JavaScript run in the worker first). */
function wrapper(name: string, patch: string): string {
  const file = join(dir, `${name}.js`);
  writeFileSync(file, `const wt = require('node:worker_threads');\n${patch}\nrequire(${JSON.stringify(worker)});\n`);
  return file;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pkgsrc-bulk-workers-'));
  m = generateTree(join(dir, 'pkgsrc'), {
    packages: 700,
    seed: 33,
    leftovers: true,
    oddities: { crlf: 3, trailingWhitespace: 3, latin1Comment: 3, noMakefile: 2, noDir: 2 },
  });
  // What the generator does not write: continuation lines, conditionals and targets, a binary
  // Makefile, one too large to read, one that is a directory, an include of a missing file.
  const plain = m.packages.filter((p) => p.scanned && p.oddities.length === 0 && !p.family);
  appendFileSync(
    join(m.root, plain[0]!.path, 'Makefile'),
    'CONFIGURE_ARGS+=\t--a \\\n\t--b\n.if defined(X)\nCOMMENT=\tConditional\n.endif\npost-install:\n\t#SUBDIR+= inside\n\techo ${PREFIX}\n',
  );
  writeFileSync(join(m.root, plain[1]!.path, 'Makefile'), Buffer.from('COMMENT=\tBinary\0\xff\n', 'latin1'));
  writeFileSync(join(m.root, plain[2]!.path, 'Makefile'), `COMMENT=\tBig\n${'# filler\n'.repeat(maxBytes / 8)}`);
  rmSync(join(m.root, plain[3]!.path, 'Makefile'));
  mkdirSync(join(m.root, plain[3]!.path, 'Makefile'));
  appendFileSync(join(m.root, plain[4]!.path, 'Makefile'), '.include "../../nowhere/gone/Makefile.common"\nHOMEPAGE+=\t${MASTER_SITES:=x/}\n');
  worker = join(dir, 'tree-worker.js');
  await bundle('worker.ts', worker);
  single = await new PkgsrcTree(m.root, { maxBytes, workers: false }).index();
});

after(() => rmSync(dir, { recursive: true, force: true }));

async function parallel(script: string, extra: { count?: number; chunk?: number } = {}): Promise<{ idx: TreeIndex; tree: PkgsrcTree }> {
  const tree = new PkgsrcTree(m.root, { maxBytes, workers: { script, minPackages: 1, chunk: 16, ...extra } });
  return { idx: await tree.index(), tree };
}

function sameModel(idx: TreeIndex): void {
  assert.deepEqual(idx, single);
  // The same JSON too: values in the order the Makefiles set them.
  assert.equal(JSON.stringify(idx), JSON.stringify(single));
}

test('a tree indexed with workers is the tree indexed on the main thread', async () => {
  assert.ok(
    single.problems.some((p) => p.code === 'binary-file') &&
      single.problems.some((p) => p.code === 'file-too-large') &&
      single.problems.some((p) => p.code === 'missing-include'),
  );
  for (const count of [1, 2]) {
    const { idx, tree } = await parallel(worker, { count });
    sameModel(idx);
    assert.equal(tree.lastParallel?.workers, count);
    assert.equal(tree.lastParallel?.chunks, Math.ceil(700 / 16));
  }
});

test('packages read by a worker equal packages read on the main thread, unreadable ones included', async () => {
  let first!: () => void;
  const arrived = new Promise<void>((r) => (first = r));
  const watch = setInterval(() => existsSync(join(dir, 'remote.seen')) && first(), 10);
  // The main thread reads only once the worker has delivered a chunk, so that both read some.
  const script = wrapper(
    'seen',
    `const post = wt.parentPort.postMessage.bind(wt.parentPort);\nwt.parentPort.postMessage = (m) => { post(m); if (m.kind === 'chunk') require('node:fs').writeFileSync(${JSON.stringify(join(dir, 'remote.seen'))}, ''); };`,
  );
  try {
    const { stats, got } = await poolRead(script, () => Promise.race([arrived, new Promise<void>((r) => setTimeout(r, 20_000).unref())]));
    assert.ok(stats.byWorkers > 0 && stats.byWorkers < stats.chunks, JSON.stringify(stats));
    assert.ok(got.some(([, , how]) => how === 'remote') && got.some(([, , how]) => how === 'local'));
    assert.ok(got.some(([, , how]) => how === 'unread'));
  } finally {
    clearInterval(watch);
  }
});

/** Reads every scanned package through a pool whose main thread waits until `ready()`. */
async function poolRead(script: string, ready: () => Promise<void>) {
  const paths = m.packages.filter((p) => p.scanned).map((p) => p.path);
  const pool = WorkerPool.start(m.root, { maxBytes }, { script, count: 1, chunk: 32 })!;
  assert.ok(pool);
  const got: [number, PackageInfo | TextFile, 'remote' | 'local' | 'unread'][] = [];
  const commons = new Map<string, CommonFile>();
  let stats;
  try {
    stats = await pool.read(paths, {
      local: async (from, to) => {
        await ready();
        await readPackageBatch(
          m.root,
          paths,
          from,
          to,
          commons,
          { maxBytes },
          { built: (i, info) => got.push([i, info, 'local']), unread: (i, f) => got.push([i, f, 'unread']) },
        );
      },
      built: (i, info) => got.push([i, info, 'remote']),
      unread: (i, f) => got.push([i, f, 'unread']),
    });
  } finally {
    pool.close();
  }
  // Every package exactly once, and as the main thread alone reads it.
  assert.deepEqual(
    got.map(([i]) => i).sort((a, b) => a - b),
    paths.map((_, i) => i),
  );
  const byPath = new Map(single.packages.map((p) => [p.path, p]));
  for (const [i, x, how] of got) {
    const want = byPath.get(paths[i]!)!;
    if (how === 'unread') assert.ok(['no-dir', 'no-makefile', 'unreadable'].includes(want.state), paths[i]);
    else assert.deepEqual(x, want, paths[i]);
  }
  return { stats, got };
}

/** Waits (polling, at most 20 s) until a file exists. */
async function marker(file: string): Promise<void> {
  for (let t = 0; t < 2000 && !existsSync(file); t++) await new Promise((r) => setTimeout(r, 10));
}

test('a worker that cannot start, dies half-way or sends garbage leaves its chunks to the main thread', async () => {
  // Each broken worker leaves a mark once it has done its damage; the main thread reads only
  // after that, so the damage is sure to have happened to chunks the worker had claimed.
  const sabotage: [string, string][] = [
    ['broken', "mark();\nthrow new Error('worker cannot start');"],
    ['dies', "wt.parentPort.postMessage = (m) => { if (m.kind === 'chunk') { mark(); process.exit(3); } };"],
    [
      'garbage',
      "const post = wt.parentPort.postMessage.bind(wt.parentPort);\nwt.parentPort.postMessage = (m) => { post(m.kind === 'chunk' ? { ...m, rows: '[[0,' } : m); mark(); };",
    ],
    [
      'wrong',
      "const post = wt.parentPort.postMessage.bind(wt.parentPort);\nwt.parentPort.postMessage = (m) => { if (m.kind === 'chunk') { const rows = JSON.parse(m.rows); for (const r of rows) r.push(99, 'x', 0, 0, 0, 0, 0, 0); m = { ...m, rows: JSON.stringify(rows) }; } post(m); mark(); };",
    ],
  ];
  for (const [name, patch] of sabotage) {
    const done = join(dir, `${name}.done`);
    const script = wrapper(name, `const mark = () => require('node:fs').writeFileSync(${JSON.stringify(done)}, '');\n${patch}`);
    const { stats, got } = await poolRead(script, () => marker(done));
    assert.ok(existsSync(done), `${name} did its damage`);
    assert.equal(stats.byWorkers, 0, name);
    assert.ok(!got.some(([, , how]) => how === 'remote'), name);
    // And through the model, whoever wins the race.
    sameModel((await parallel(script, { count: 2 })).idx);
  }
  sameModel((await parallel(join(dir, 'no-such-worker.js'))).idx);
});

test('the bundled model finds the worker beside it and starts it ahead of a full index', async () => {
  const out = join(dir, 'bundled');
  await Promise.all([bundle('index.ts', join(out, 'tree-model.js')), bundle('worker.ts', join(out, 'tree-worker.js'))]);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bundled = require(join(out, 'tree-model.js')) as typeof import('../../src/pkgsrc/tree');
  const tree = new bundled.PkgsrcTree(m.root, { maxBytes, workers: { minPackages: 100, count: 1 } });
  sameModel(await tree.index());
  assert.ok((tree.lastParallel?.workers ?? 0) >= 1, JSON.stringify(tree.lastParallel));
  // Unbundled (these sources under tsx) there is no worker script: the main thread reads alone.
  const plain = new PkgsrcTree(m.root, { maxBytes, workers: { minPackages: 1 } });
  sameModel(await plain.index());
  assert.equal(plain.lastParallel, undefined);
});

test('small reads and a loaded model start no workers', async () => {
  const tree = new PkgsrcTree(m.root, { maxBytes, workers: { script: worker, minPackages: 5000 } });
  sameModel(await tree.index());
  assert.equal(tree.lastParallel, undefined);
  const cat = m.categories.find((c) => c.active)!.name;
  const t2 = new PkgsrcTree(m.root, { maxBytes, workers: { script: worker, minPackages: 1, count: 1 } });
  const info = await t2.category(cat);
  await t2.packages(info.packages.slice(0, 3).map((p) => p.path));
  assert.equal(t2.lastParallel?.chunks, 1);
  sameModel(await t2.index());
});

test('by default no worker on two cores, up to two with more', async () => {
  const { availableParallelism } = await import('node:os');
  const tree = new PkgsrcTree(m.root, { maxBytes, workers: { script: worker, minPackages: 1 } });
  sameModel(await tree.index());
  assert.equal(tree.lastParallel?.workers, availableParallelism() > 2 ? Math.min(2, availableParallelism() - 2) : undefined);
});
