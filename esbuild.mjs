// Three bundles: the VS Code extension, the pbulk.conf language server and the build engine
// (which is also the `pkgsrc-bulk` CLI). Runtime dependencies are bundled, so the .vsix
// carries no node_modules.
import * as esbuild from 'esbuild';
import { chmodSync } from 'node:fs';

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

const bundles = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...common, entryPoints: ['src/server/server.ts'], outfile: 'dist/server.js' },
  // The tree model's index worker, found beside whichever bundle loads the model.
  { ...common, entryPoints: ['src/pkgsrc/tree/worker.ts'], outfile: 'dist/tree-worker.js' },
  {
    ...common,
    entryPoints: ['src/engine/main.ts'],
    outfile: 'dist/engine.js',
    banner: { js: '#!/usr/bin/env node\n' + common.banner.js },
  },
];

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
  for (const b of bundles) await (await esbuild.context({ ...b, plugins: [watchLines] })).watch();
} else {
  await Promise.all(bundles.map((b) => esbuild.build(b)));
  chmodSync('dist/engine.js', 0o755);
}
