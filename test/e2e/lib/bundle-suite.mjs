// Bundles the extension-host tests (test/e2e/suite/*.test.ts and their index.ts) into plain CJS
// files the extension host can load: one file per test file, `vscode` left to the host and
// mocha loaded from the repository by absolute path (the bundles live outside the repository).
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import * as esbuild from 'esbuild';
import { repoRoot } from './paths.mjs';

const require = createRequire(import.meta.url);
const suiteDir = join(repoRoot, 'test/e2e/suite');

/** The test files of the suite, by name (`tree.test.ts`). */
export function suiteFiles() {
  return readdirSync(suiteDir)
    .filter((f) => f.endsWith('.test.ts'))
    .sort();
}

export async function bundleSuite(outDir, { grep, files = suiteFiles() } = {}) {
  mkdirSync(outDir, { recursive: true });
  const mochaMain = require.resolve('mocha');
  await esbuild.build({
    entryPoints: [join(suiteDir, 'index.ts'), ...files.map((f) => join(suiteDir, f))],
    outdir: outDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
    external: ['vscode'],
    plugins: [
      {
        name: 'mocha-from-repo',
        setup(build) {
          build.onResolve({ filter: /^mocha$/ }, () => ({ path: mochaMain, external: true }));
        },
      },
    ],
  });
  const bundled = files.map((f) => basename(f, '.ts') + '.js');
  // `*.step.test.ts` files check a state a UI test has set up; only that UI test runs them.
  writeFileSync(join(outDir, 'options.json'), JSON.stringify({ files: bundled.filter((f) => !f.endsWith('.step.test.js')), grep }));
  return { dir: outDir, index: join(outDir, 'index.js'), files: bundled };
}

/**
 * An entry module running only some of the bundled files (`tree.test.ts`) and/or only the tests
 * whose title matches the regular expression `grep`: for UI tests that check a state through
 * the extension host.
 */
export function suiteEntry(suite, name, { files, grep } = {}) {
  const options = {
    files: files ? files.map((f) => basename(f, '.ts') + '.js') : suite.files,
    grep,
  };
  for (const f of options.files) {
    if (!suite.files.includes(f)) throw new Error(`suite file ${f} is not in the bundle (${suite.files.join(', ')})`);
  }
  const entry = join(suite.dir, `run-${name.replace(/[^\w.-]+/g, '_')}.js`);
  writeFileSync(entry, `module.exports = { run: () => require('./index.js').runWith(${JSON.stringify(options)}) };\n`);
  return entry;
}
