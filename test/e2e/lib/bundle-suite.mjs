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
  return readdirSync(suiteDir).filter((f) => f.endsWith('.test.ts')).sort();
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
  writeFileSync(join(outDir, 'options.json'), JSON.stringify({ files: bundled, grep }));
  return { index: join(outDir, 'index.js'), files: bundled };
}
