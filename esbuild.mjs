// Three bundles: the VS Code extension, the pbulk.conf language server and the build engine
// (which is also the `pkgsrc-bulk` CLI, split into chunks loaded per command). Runtime
// dependencies are bundled, so the .vsix carries no node_modules.
import * as esbuild from 'esbuild';
import { chmodSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  // execa and its helpers are ESM with import.meta.url; give them a CJS stand-in.
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
};

/**
 * Removes the chunks of earlier builds (their names carry a hash of their content) once a build
 * has written its own; a CLI process started meanwhile still finds every chunk it loads.
 */
const dropOldChunks = {
  name: 'drop-old-chunks',
  setup(build) {
    build.onEnd((result) => {
      if (!result.metafile) return;
      const written = new Set(Object.keys(result.metafile.outputs).map((o) => o.replace(/^dist\//, '')));
      for (const n of readdirSync('dist')) if (/^engine-.*\.mjs(\.map)?$/.test(n) && !written.has(n)) rmSync(`dist/${n}`, { force: true });
    });
  },
};

const bundles = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...common, entryPoints: ['src/server/server.ts'], outfile: 'dist/server.js' },
  // The tree model's index worker, found beside whichever bundle loads the model.
  { ...common, entryPoints: ['src/pkgsrc/tree/worker.ts'], outfile: 'dist/tree-worker.js' },
  // The engine (also the CLI) is split where commands/index.ts imports each command, into ES
  // modules in dist/ (engine-main.mjs and engine-*.mjs chunks, each module in exactly one), so
  // a process compiles only the command it runs: the whole engine is 1.8 MB of JavaScript, and
  // compiling it cost more than `--version` or `tree` themselves. esbuild splits only ES
  // modules; the banner gives each chunk the CommonJS names the sources and the bundled CJS
  // dependencies use. dist/engine.js (written below) is the executable that loads the entry.
  {
    ...common,
    format: 'esm',
    splitting: true,
    entryPoints: { 'engine-main': 'src/engine/main.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'engine-[name]-[hash]',
    metafile: true,
    plugins: [dropOldChunks],
    define: {},
    banner: {
      js: [
        "import { createRequire as __engineRequire } from 'node:module';",
        "import { fileURLToPath as __engineFile } from 'node:url';",
        'const require = __engineRequire(import.meta.url);',
        'const __filename = __engineFile(import.meta.url);',
        "const __dirname = require('node:path').dirname(__filename);",
      ].join('\n'),
    },
  },
];

/** dist/engine.js: the `pkgsrc-bulk` executable, started by users, the extension and tests. */
const launcher = `#!/usr/bin/env node
// pkgsrc-bulk: the CLI and build engine, ES module chunks beside this file (see esbuild.mjs).
import('./engine-main.mjs').catch((e) => {
  console.error(\`pkgsrc-bulk: internal error: \${e instanceof Error ? (e.stack ?? e.message) : String(e)}\`);
  process.exitCode = 70;
});
`;

/** Writes the executable unless it is already there as it should be. */
function writeLauncher() {
  let old = '';
  try {
    old = readFileSync('dist/engine.js', 'utf8');
  } catch {
    // not built yet
  }
  mkdirSync('dist', { recursive: true });
  if (old !== launcher) writeFileSync('dist/engine.js', launcher);
  chmodSync('dist/engine.js', 0o755);
}

// The "$esbuild-watch" problem matcher of .vscode/tasks.json waits for these two lines to know
// when a rebuild starts and ends; esbuild prints neither by itself.
const watchLines = {
  name: 'watch-lines',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd(() => console.log('[watch] build finished'));
  },
};

if (watch) {
  for (const b of bundles) await (await esbuild.context({ ...b, plugins: [...(b.plugins ?? []), watchLines] })).watch();
} else {
  await Promise.all(bundles.map((b) => esbuild.build(b)));
}
writeLauncher();
