// pbulk.conf's rules have one owner (src/pkgsrc/conf): a bad value gets the same code and the
// same message, on the same line, from the build engine's loader, from `pkgsrc-bulk lint` and
// from the language server over the real protocol.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadEngineConfig } from '../../src/engine/config/load';
import { defaultSettings } from '../../src/engine/config/settings';
import { formatProblem } from '../../src/pkgsrc/problem';
import { ensureBuilt, TestLspClient } from './lspClient';

const REPO = join(__dirname, '..', '..');

const GOOD: Record<string, string> = {
  config_version: '0.51',
  bulklog: '/var/tmp/bulk/log',
  prefix: '/usr/pkg_bulk',
  pkgdb: '/usr/pkg_bulk/pkgdb',
  pkgsrc: '/usr/pkgsrc',
  packages: '/var/tmp/bulk/packages',
  make: '/usr/bin/bmake',
  pkg_add: '/usr/sbin/pkg_add',
  pkg_delete: '/usr/sbin/pkg_delete',
  pkg_info: '/usr/sbin/pkg_info',
  cross_compile: 'no',
};

const BAD: { what: string; set: Record<string, string>; variable: string; code: string }[] = [
  { what: 'a relative bulklog', set: { bulklog: 'relative/log' }, variable: 'bulklog', code: 'relative-path' },
  { what: 'a non-numeric build_chroots', set: { build_chroots: 'two' }, variable: 'build_chroots', code: 'integer-value' },
  { what: 'a system directory as prefix', set: { prefix: '/usr' }, variable: 'prefix', code: 'dangerous-path' },
  { what: 'pkg_add inside the prefix', set: { pkg_add: '/usr/pkg_bulk/sbin/pkg_add' }, variable: 'pkg_add', code: 'wiped-path' },
];

let client: TestLspClient;
let dir: string;
before(async () => {
  dir = mkdtempSync('/var/tmp/pkgsrc-bulk-same-rules-');
  await ensureBuilt('dist/engine.js', ['src/engine', 'src/pkgsrc']);
  client = await TestLspClient.start();
});
after(async () => {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
});

for (const [i, bad] of BAD.entries()) {
  test(`${bad.what}: the engine, lint and the editor say the same (${bad.code})`, async () => {
    const file = join(dir, `bad-${i}.pbulk.conf`);
    const text = Object.entries({ ...GOOD, ...bad.set })
      .map(([k, v]) => `${k}=${v}\n`)
      .join('');
    const line = text.split('\n').findIndex((l) => l.startsWith(`${bad.variable}=`));
    writeFileSync(file, text);

    const engine = await loadEngineConfig(file, defaultSettings());
    assert.equal(engine.config, undefined, 'the engine refuses the file');
    const fromEngine = engine.problems.filter((p) => p.severity === 'error');
    assert.deepEqual(
      fromEngine.map((p) => [p.code, p.range.start.line]),
      [[bad.code, line]],
    );

    const lint = spawnSync(process.execPath, [join(REPO, 'dist/engine.js'), 'lint', file], { encoding: 'utf8' });
    assert.equal(lint.status, 1, lint.stderr);
    assert.ok(lint.stdout.includes(formatProblem(fromEngine[0]!)), `${formatProblem(fromEngine[0]!)}\nnot in\n${lint.stdout}`);

    const published = await client.open(pathToFileURL(file).href, text);
    const fromServer = published.diagnostics.filter((d) => d.code === bad.code);
    assert.deepEqual(
      fromServer.map((d) => [d.message, d.severity, d.range.start.line]),
      [[fromEngine[0]!.message, 1, line]],
    );
  });
}
