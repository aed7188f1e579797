// `npm run demo` as a newcomer ends it: a build from the editor started an engine, which
// outlives windows on purpose; Ctrl-C on the demo stops VS Code and that engine too.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { after, before, describe, it } from 'mocha';
import { ensureNothingMounted } from '../lib/mounts.mjs';
import { vsixPath } from '../lib/package.mjs';
import { repoRoot } from '../lib/paths.mjs';
import { until } from '../lib/workbench.mjs';

describe('the demo (UI)', () => {
  const engineScript = join(repoRoot, 'dist/engine.js');
  let dir;
  let demo;
  let engine;

  before(() => {
    dir = mkdtempSync('/var/tmp/pkgsrc-bulk-e2e-demo-');
  });

  after(async () => {
    if (!dir) return;
    if (demo && demo.exitCode === null) demo.kill('SIGKILL');
    if (engine && engine.exitCode === null) engine.kill('SIGKILL');
    await ensureNothingMounted(dir, { engine: engineScript, sandboxBase: join(dir, 'sandboxes') }).then(
      () => rmSync(dir, { recursive: true, force: true }),
      () => {},
    );
  });

  it('Ctrl-C stops VS Code and the build engine it started', async function () {
    this.timeout(180_000);
    demo = execa(process.execPath, [join(repoRoot, 'scripts/demo.mjs'), '--dir', dir, '--vsix', vsixPath], {
      cwd: repoRoot,
      all: true,
      reject: false,
      buffer: true,
    });
    let out = '';
    demo.all.on('data', (d) => (out += d.toString()));
    await until('the demo to print its URL', () => /Open {2}http:\/\/127\.0\.0\.1:\d+\//.test(out) || demo.exitCode !== null, { timeout: 150_000 });
    assert.equal(demo.exitCode, null, out);
    // What a build from the editor starts: `pkgsrc-bulk serve` in a process of its own.
    const conf = join(dir, 'pkgsrc/pbulk.conf');
    engine = execa(process.execPath, [engineScript, 'serve', '--config', conf, '--no-stdio', '--idle-exit', '600'], {
      detached: true,
      reject: false,
      stdin: 'ignore',
      stdout: 'ignore',
      stderr: 'ignore',
    });
    await until('the engine to listen', () => existsSync(join(dir, 'bulklog/meta/engine.sock')) || engine.exitCode !== null, { timeout: 30_000 });
    assert.equal(engine.exitCode, null, 'the engine did not start');
    demo.kill('SIGINT');
    const r = await demo;
    assert.equal(r.exitCode, 0, out);
    assert.match(out, /demo: the build engine stopped/);
    await until('the engine to exit', () => engine.exitCode !== null, { timeout: 30_000 });
  });
});
