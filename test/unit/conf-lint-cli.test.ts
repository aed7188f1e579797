// `pkgsrc-bulk lint` as a real process (output format, exit codes), and the file handling
// behind it (unreadable, huge, binary, a limited_list followed from the config).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { lintCommand, lintFiles } from '../../src/engine/commands/lint';
import { UsageError } from '../../src/engine/commands/types';
import { loadPbulkConf } from '../../src/pkgsrc/conf/index';
import { ownConf } from '../fixtures/reference-data';
import { BASE, withSetting } from './conf-helpers';

const run = promisify(execFile);
const MAIN = path.resolve(__dirname, '../../src/engine/main.ts');

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', MAIN, 'lint', ...args], { cwd: path.resolve(__dirname, '../..') });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

let dir: string;
let followed: ReturnType<typeof cli>;
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pkgsrc-bulk-lint-'));
  mkdirSync(path.join(dir, 'pkgsrc/mk'), { recursive: true });
  mkdirSync(path.join(dir, 'pkgsrc/lang/perl5'), { recursive: true });
  writeFileSync(path.join(dir, 'pkgsrc/Makefile'), '#\n');
  writeFileSync(path.join(dir, 'pkgsrc/lang/perl5/Makefile'), '#\n');
  writeFileSync(path.join(dir, 'list'), 'lang/perl5\nlang/perl5/\nlang/ruby\n');
  writeFileSync(path.join(dir, 'pbulk.conf'), withSetting('pkgsrc', `pkgsrc=${dir}/pkgsrc`) + 'limited_list=list\n');
  followed = cli('--json', '--pbulk-version', '0.68', '--no-existence', path.join(dir, 'pbulk.conf'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

// The processes start together (each pays for loading TypeScript) and the tests await them.
const clean = cli('--pbulk-version', '0.51', ownConf('site.pbulk.conf'));
const source = cli('--pbulk-version', '0.68', ownConf('template.pbulk.conf'));
const missing = cli(path.join(tmpdir(), 'pkgsrc-bulk-does-not-exist.conf'));

test('clean config: exit 0, compiler-style lines, summary on stderr', async () => {
  const r = await clean;
  assert.equal(r.code, 0, r.stderr);
  for (const line of r.stdout.trim().split('\n')) assert.match(line, /^\/.*site\.pbulk\.conf:\d+:\d+: (warning|information|hint): .+ \[[a-z-]+\]$/);
  assert.match(r.stderr, /1 file: 0 errors, \d+ warnings?, \d+ notes?/);
});

test('placeholders: exit 1 and every one reported', async () => {
  const r = await source;
  assert.equal(r.code, 1);
  assert.equal(r.stdout.match(/error: placeholder @[A-Z0-9_]+@ .*\[placeholder\]/g)?.length, 25);
});

test('an unreadable file exits 2; so do usage errors', async () => {
  const r = await missing;
  assert.equal(r.code, 2);
  assert.match(r.stderr, /does-not-exist\.conf:1:1: error: cannot read .*no such file or directory \(ENOENT\) \[unreadable-file\]/);
  await assert.rejects(lintCommand.run([]), UsageError);
  await assert.rejects(lintCommand.run(['--frobnicate', 'x']), UsageError);
  await assert.rejects(lintCommand.run(['--pbulk-version', 'new', 'x']), UsageError);
});

test("--json follows limited_list from the config, checked against the config's tree", async () => {
  const r = await followed;
  assert.equal(r.code, 1, r.stdout);
  const out = JSON.parse(r.stdout) as {
    files: { file: string; kind: string; via?: string; problems: { code: string; range: { start: { line: number } } }[] }[];
    errors: number;
    warnings: number;
    notes: number;
  };
  assert.deepEqual(
    out.files.map((f) => [path.basename(f.file), f.kind]),
    [
      ['pbulk.conf', 'pbulk-conf'],
      ['list', 'limited-list'],
    ],
  );
  assert.equal(out.files[1]!.via, path.join(dir, 'pbulk.conf'));
  assert.deepEqual(
    out.files[1]!.problems.map((p) => [p.code, p.range.start.line]),
    [
      ['limited-list-entry', 1],
      ['limited-list-missing', 2],
    ],
  );
  assert.equal(out.errors, 1);
  assert.equal(out.warnings, out.files.flatMap((f) => f.problems).length - out.notes - out.errors);
});

test('in master mode the same list entry is an error (in-process)', async () => {
  writeFileSync(
    path.join(dir, 'master.conf'),
    withSetting('master_mode', 'master_mode=yes', withSetting('pkgsrc', `pkgsrc=${dir}/pkgsrc`)) + 'limited_list=list\n',
  );
  const { reports } = await lintFiles({ json: false, existence: false, pbulkVersion: '0.68', files: [path.join(dir, 'master.conf')] });
  assert.deepEqual(
    reports[1]!.problems.map((p) => `${p.severity} ${p.code}`),
    ['error limited-list-entry', 'warning limited-list-missing'],
  );
});

test('binary, huge and non-UTF-8 files are reported, never a crash', async () => {
  writeFileSync(path.join(dir, 'binary.conf'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 0xff, 0x0a]));
  writeFileSync(path.join(dir, 'huge.conf'), Buffer.alloc(5 * 1024 * 1024, 0x23));
  writeFileSync(path.join(dir, 'latin1.conf'), Buffer.concat([Buffer.from(BASE), Buffer.from('report_subject_prefix="caf\xe9"\n', 'latin1')]));
  const { reports, unreadable } = await lintFiles({
    json: false,
    existence: false,
    pbulkVersion: '0.68',
    files: ['binary.conf', 'huge.conf', 'latin1.conf'].map((f) => path.join(dir, f)),
  });
  assert.equal(unreadable, true);
  const by = (f: string) => reports.find((r) => r.file.endsWith(f))!.problems.map((p) => p.code);
  assert.ok(by('binary.conf').includes('binary-content'));
  assert.deepEqual(by('huge.conf'), ['file-too-large']);
  assert.ok(by('latin1.conf').includes('invalid-utf8'));
  assert.ok(!by('latin1.conf').some((c) => c !== 'invalid-utf8' && c !== 'duplicate-assignment'));
});

test('loadPbulkConf never throws: a directory or a missing file is a problem', async () => {
  const missing = await loadPbulkConf(path.join(dir, 'nope.conf'));
  assert.equal(missing.hasErrors, true);
  assert.deepEqual(
    missing.problems.map((p) => p.code),
    ['unreadable-file'],
  );
  const directory = await loadPbulkConf(dir);
  assert.deepEqual(
    directory.problems.map((p) => p.code),
    ['unreadable-file'],
  );
});

test('loadPbulkConf reports ulimit lines it cannot pass on', async () => {
  writeFileSync(path.join(dir, 'ulimit.conf'), BASE + 'ulimit -t 3600\nulimit -v $(expr 4 \\* 1024)\n');
  const loaded = await loadPbulkConf(path.join(dir, 'ulimit.conf'), { pbulkVersion: '0.68', checkExistence: false });
  assert.deepEqual(loaded.ulimits, [['-t', '3600']]);
  assert.ok(loaded.problems.some((p) => p.code === 'dynamic-ulimit' && p.range.start.line === BASE.split('\n').length));
  assert.equal(loaded.pbulkVersion.source, 'setting');
});

test('file-level checks: each with a file that triggers it and a close one that does not', async () => {
  const files: Record<string, string | Buffer> = {
    'good.conf': BASE,
    'gone.conf': '',
    'huge.conf': Buffer.alloc(5 * 1024 * 1024, 0x23),
    'big.conf': BASE + '#'.repeat(3 * 1024 * 1024) + '\n',
    'latin1.conf': Buffer.from(BASE.replace('report_subject_prefix="pkgsrc"', 'report_subject_prefix="caf\xe9"'), 'latin1'),
    'utf8.conf': BASE.replace('report_subject_prefix="pkgsrc"', 'report_subject_prefix="caf\u00e9"'),
    'ulimit-dynamic.conf': BASE + 'ulimit -v $(expr 4 \\* 1024)\n',
    'ulimit-static.conf': BASE + 'ulimit -v 4096\n',
  };
  for (const [name, content] of Object.entries(files)) if (name !== 'gone.conf') writeFileSync(path.join(dir, name), content);
  const { reports } = await lintFiles({ json: false, existence: false, pbulkVersion: '0.68', files: Object.keys(files).map((f) => path.join(dir, f)) });
  const by = (f: string) => reports.find((r) => r.file.endsWith(`/${f}`))!.problems.map((p) => p.code);
  assert.deepEqual(by('good.conf'), []);
  assert.deepEqual(by('gone.conf'), ['unreadable-file']);
  assert.deepEqual(by('huge.conf'), ['file-too-large']);
  assert.deepEqual(by('big.conf'), []);
  assert.deepEqual(by('latin1.conf'), ['invalid-utf8']);
  assert.deepEqual(by('utf8.conf'), []);
  const dynamic = await loadPbulkConf(path.join(dir, 'ulimit-dynamic.conf'), { pbulkVersion: '0.68', checkExistence: false });
  assert.deepEqual(
    dynamic.problems.map((p) => p.code),
    ['dynamic-ulimit'],
  );
  const fixed = await loadPbulkConf(path.join(dir, 'ulimit-static.conf'), { pbulkVersion: '0.68', checkExistence: false });
  assert.deepEqual(
    fixed.problems.map((p) => p.code),
    [],
  );
  assert.deepEqual(fixed.ulimits, [['-v', '4096']]);
});

test('a list given directly is recognised by its content and checked against --pkgsrc', async () => {
  writeFileSync(path.join(dir, 'wanted.txt'), '# what we ship\nlang/perl5\nlang/ruby\n');
  const { reports } = await lintFiles({
    json: false,
    existence: true,
    pbulkVersion: '0.68',
    pkgsrc: path.join(dir, 'pkgsrc'),
    files: [path.join(dir, 'wanted.txt')],
  });
  assert.deepEqual(
    reports.map((r) => [r.kind, r.problems.map((p) => `${p.range.start.line + 1} ${p.code}`)]),
    [['limited-list', ['3 limited-list-missing']]],
  );
  const { reports: noTree } = await lintFiles({ json: false, existence: true, pbulkVersion: '0.68', files: [path.join(dir, 'wanted.txt')] });
  assert.deepEqual(noTree[0]!.problems, []);
});

test("a list named on the command line before the config that names it is checked once, with the config's tree and mode", async () => {
  writeFileSync(
    path.join(dir, 'master2.conf'),
    withSetting('master_mode', 'master_mode=yes', withSetting('pkgsrc', `pkgsrc=${dir}/pkgsrc`)) + 'limited_list=list\n',
  );
  const { reports } = await lintFiles({ json: false, existence: false, pbulkVersion: '0.68', files: [path.join(dir, 'list'), path.join(dir, 'master2.conf')] });
  assert.deepEqual(
    reports.map((r) => [path.basename(r.file), r.via && path.basename(r.via)]),
    [
      ['master2.conf', undefined],
      ['list', 'master2.conf'],
    ],
  );
  assert.deepEqual(
    reports[1]!.problems.map((p) => `${p.severity} ${p.code}`),
    ['error limited-list-entry', 'warning limited-list-missing'],
  );
});

test('a limited_list the config names but that cannot be read is reported, not skipped', async () => {
  const sub = path.join(dir, 'biglist');
  mkdirSync(sub, { recursive: true });
  writeFileSync(path.join(sub, 'limited_list'), Buffer.alloc(5 * 1024 * 1024, 0x23));
  writeFileSync(path.join(sub, 'pbulk.conf'), withSetting('pkgsrc', `pkgsrc=${dir}/pkgsrc`) + `limited_list=${sub}/limited_list\n`);
  const { reports } = await lintFiles({ json: false, existence: false, pbulkVersion: '0.68', files: [path.join(sub, 'pbulk.conf')] });
  assert.deepEqual(
    reports.map((r) => [path.basename(r.file), r.problems.map((p) => `${p.severity} ${p.code}`)]),
    [
      ['pbulk.conf', []],
      ['limited_list', ['error file-too-large']],
    ],
  );
  // A list that is not there at all is left to the config's path-missing warning.
  writeFileSync(path.join(sub, 'other.conf'), withSetting('pkgsrc', `pkgsrc=${dir}/pkgsrc`) + `limited_list=${sub}/nowhere\n`);
  const gone = await lintFiles({ json: false, existence: false, pbulkVersion: '0.68', files: [path.join(sub, 'other.conf')] });
  assert.equal(gone.reports.length, 1);
});
