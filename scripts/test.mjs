// The whole test suite: bundles, type check, the layering lint (eslint.config.mjs), the
// formatter's check (Prettier), unit and engine tests (node --test over TypeScript loaded
// through tsx), then the end-to-end suite in a real VS Code.
//   --no-e2e, or PKGSRC_BULK_E2E=0: skip the end-to-end suite (says so)
//   any other argument: only test files whose path contains it
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith('--'));
const skipE2e = args.includes('--no-e2e') || process.env.PKGSRC_BULK_E2E === '0' || filters.length > 0;

function run(cmd, argv, opts = {}) {
  const t0 = Date.now();
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit', ...opts });
  console.log(`# ${[cmd, ...argv].join(' ').slice(0, 120)}: exit ${r.status ?? r.signal} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return r.status === 0;
}

function testFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name === 'e2e' || name === 'node_modules') continue;
      out.push(...testFiles(p));
    } else if (name.endsWith('.test.ts')) {
      out.push(relative(root, p));
    }
  }
  return out.sort();
}

let ok = run(process.execPath, ['esbuild.mjs']);
ok = run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.', '--noEmit']) && ok;
ok = run(process.execPath, ['node_modules/eslint/bin/eslint.js', 'src']) && ok;
// The layout of the code is Prettier's (.prettierrc.json); `npm run format` rewrites it.
ok = run(process.execPath, ['node_modules/prettier/bin/prettier.cjs', '--check', '--log-level=warn', '.']) && ok;

const files = testFiles(join(root, 'test')).filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
ok = run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files]) && ok;

if (skipE2e) {
  console.log('# NOTICE: end-to-end tests in a real VS Code were NOT run (--no-e2e, a file filter, or PKGSRC_BULK_E2E=0).');
} else {
  ok = run(process.execPath, ['scripts/setup.mjs', '--e2e']) && run(process.execPath, ['test/e2e/run.mjs']) && ok;
}
process.exit(ok ? 0 : 1);
