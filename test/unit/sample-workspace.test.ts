// The sample tree of `npm run demo` (and of the end-to-end suite) as a newcomer meets it: its
// pbulk.conf and limited_list open with one note that explains itself and nothing else, its
// Makefiles show no test knobs, and its failures come from what the packages do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintFiles } from '../../src/engine/commands/lint';
import { writeWorkspace } from '../e2e/fixtures/workspace';

function makefiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'mk') continue;
    if (statSync(p).isDirectory()) out.push(...makefiles(p));
    else if (name === 'Makefile' || name === 'Makefile.common') out.push(p);
  }
  return out;
}

test('the sample tree: one self-explaining note on its pbulk.conf, no test knobs, failures from sources', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pkgsrc-bulk-sample-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const ws = writeWorkspace(dir, 300);

  // pbulk's version pinned: a pbulk installed on this machine must not change the outcome.
  const { reports } = await lintFiles({ files: [ws.pbulkConf], json: false, existence: true, pbulkVersion: '0.68' });
  const problems = reports.flatMap((r) => r.problems.map((p) => ({ ...p, file: r.file })));
  assert.equal(reports.length, 2, 'the pbulk.conf and the limited_list it names');
  assert.equal(problems.length, 1, problems.map((p) => `${p.severity} ${p.code}: ${p.message}`).join('\n'));
  const note = problems[0]!;
  assert.equal(note.severity, 'information');
  // Without pbulk here: it says so and that pkgsrc-bulk needs none of it; with pbulk: how chroot_dir is used.
  if (note.code === 'pbulk-not-installed')
    assert.match(
      note.message,
      /pbulk is not installed on this machine .* pkgsrc-bulk scans, builds and reports without them; it builds in sandboxes of its own named after chroot_dir/,
    );
  else assert.equal(note.code, 'chroot-settings');

  const knobs = makefiles(ws.root).filter((f) => /FIXTURE_/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(knobs, [], 'no Makefile of the sample shows a test knob');

  // The failing package builds like the others; only its source differs, by one line.
  const text = (p: string) => readFileSync(join(ws.root, p, 'Makefile'), 'utf8');
  assert.match(text(ws.build.fails), /^do-build:\n\t\$\{CP\} \$\{FILESDIR\}\/\S+\.c \$\{WRKSRC\}\/\n\tcd \$\{WRKSRC\} && \$\{CC\} \$\{CFLAGS\} -c \S+\.c$/m);
  for (const p of ws.build.succeeds) assert.match(text(p), /^do-build:$/m);
  assert.match(text(ws.build.broken), /^BROKEN=\s+Does not build/m);
  const source = readFileSync(ws.build.failSource, 'utf8').split('\n');
  const fixed = ws.build.fixedSource.split('\n');
  assert.deepEqual(
    source.flatMap((l, i) => (l !== fixed[i] ? [i + 1] : [])),
    [12],
    'the mistake is on line 12 only',
  );
  assert.match(source[11]!, /^ {4}undeclared_symbol = /);
});
