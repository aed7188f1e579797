import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { makeRecord } from '../../src/pkgsrc/scan/record';
import {
  evaluateGates,
  mailArgv,
  mailSubject,
  packageRules,
  repoPackages,
  reportRules,
  restrictedPackages,
  splitTarget,
  transportArgs,
  uploadList,
  type RepoPackage,
} from '../../src/pkgsrc/publish';
import { parseListing } from '../../src/engine/publish/rsync';

const rec = (name: string, cats: string, depends: string, noBin = '') =>
  makeRecord([
    ['PKGNAME', name],
    ['PKG_LOCATION', `${cats.split(' ')[0]}/${name.replace(/-[^-]*$/, '')}`],
    ['NO_BIN_ON_FTP', noBin],
    ['CATEGORIES', cats],
    ['DEPENDS', depends],
  ]);

test('compute-packages: restricted closure, All/ plus every category, pbulk-sorted rules', () => {
  const pkgs = repoPackages([
    rec('liba-1.0', 'devel net', ''),
    rec('app-1.0', 'misc', 'liba-1.0'),
    rec('secret-1.0', 'misc', '', 'no binaries'),
    rec('usesecret-1.0', 'misc', 'secret-1.0'),
    rec('deeper-1.0', 'misc', 'usesecret-1.0 liba-1.0'),
  ]);
  assert.deepEqual([...restrictedPackages(pkgs)].sort(), ['deeper-1.0', 'secret-1.0', 'usesecret-1.0']);
  const list = uploadList(pkgs, ['liba-1.0', 'app-1.0', 'secret-1.0', 'deeper-1.0', 'liba-1.0', 'gone-1.0']);
  assert.deepEqual(list.restricted, ['secret-1.0', 'deeper-1.0']);
  assert.deepEqual(
    list.entries.map((e) => e.path),
    ['All/liba-1.0.tgz', 'devel/liba-1.0.tgz', 'net/liba-1.0.tgz', 'All/app-1.0.tgz', 'misc/app-1.0.tgz', 'All/gone-1.0.tgz'],
  );
  assert.deepEqual(packageRules(list, true), [
    '+ All/',
    '+ All/app-1.0.tgz',
    '+ All/gone-1.0.tgz',
    '+ All/liba-1.0.tgz',
    '+ All/pkg_summary.bz2',
    '+ All/pkg_summary.gz',
    '+ SHA512.bz2',
    '+ devel/',
    '+ devel/liba-1.0.tgz',
    '+ misc/',
    '+ misc/app-1.0.tgz',
    '+ net/',
    '+ net/liba-1.0.tgz',
    '- *',
  ]);
  assert.ok(!packageRules(list, false).includes('+ SHA512.bz2'));
});

test('property: nothing restricted is uploaded, and what depends on a restricted package is restricted', () => {
  const arb = fc.array(fc.tuple(fc.boolean(), fc.array(fc.nat(9), { maxLength: 3 })), { minLength: 1, maxLength: 10 }).map((spec) =>
    spec.map(([noBin, deps], i): RepoPackage => ({
      pkgname: `p${i}-1`,
      categories: ['c'],
      depends: deps.filter((d) => d < i).map((d) => `p${d}-1`),
      noBinOnFtp: noBin,
    })),
  );
  fc.assert(
    fc.property(arb, (pkgs) => {
      const restricted = restrictedPackages(pkgs);
      for (const p of pkgs) {
        if (p.noBinOnFtp) assert.ok(restricted.has(p.pkgname));
        if (p.depends.some((d) => restricted.has(d))) assert.ok(restricted.has(p.pkgname));
      }
      const list = uploadList(
        pkgs,
        pkgs.map((p) => p.pkgname),
      );
      for (const e of list.entries) assert.ok(!restricted.has(e.pkgname));
      assert.equal(new Set(list.entries.map((e) => e.pkgname)).size + list.restricted.length, pkgs.length);
    }),
  );
});

test('report upload rules: meta/, the failed packages, the files that exist, then - *', () => {
  const have = new Set(['meta/report.txt', 'meta/status', 'bad-1.0/build.log', 'bad-1.0/work.log']);
  assert.deepEqual(
    reportRules(['bad-1.0', 'bad-1.0', 'other-2'], (f) => have.has(f)),
    ['+ meta/', '+ bad-1.0/', '+ other-2/', '+ meta/report.txt', '+ meta/status', '+ bad-1.0/build.log', '+ bad-1.0/work.log', '- *'],
  );
});

test('rsync destinations: the directory holding the repository and its name', () => {
  const t = (s: string) => {
    const r = splitTarget(s);
    return typeof r === 'string' ? r : [r.parent, r.name, r.remote];
  };
  assert.deepEqual(t('/srv/packages/NetBSD-6.1/'), ['/srv/packages', 'NetBSD-6.1', false]);
  assert.deepEqual(t('/pkgs'), ['/', 'pkgs', false]);
  assert.deepEqual(t('pkgs'), ['.', 'pkgs', false]);
  assert.deepEqual(t('pkgsrc@192.168.75.1:/public/packages/current/DragonFly-1.8'), ['pkgsrc@192.168.75.1:/public/packages/current', 'DragonFly-1.8', true]);
  assert.deepEqual(t('host:pkgs'), ['host:.', 'pkgs', true]);
  assert.deepEqual(t('host::module/a/b'), ['host::module/a', 'b', true]);
  assert.deepEqual(t('rsync://127.0.0.1:8730/pkgs/Linux'), ['rsync://127.0.0.1:8730/pkgs', 'Linux', true]);
  assert.match(t('rsync://host/module') as string, /inside the rsync module/);
  assert.match(t('host::module') as string, /inside the rsync module/);
  assert.match(t('') as string, /empty/);
  assert.match(t('/srv/..') as string, /directory name/);
});

test('transport options of pkg_rsync_args: how to reach the host, nothing that deletes or filters', () => {
  assert.deepEqual(transportArgs(['-av', '--delete-excluded', '-e', 'ssh']), ['--rsh=ssh']);
  assert.deepEqual(transportArgs(['-avzessh', '--port=8730', '--exclude', '*.o', '--password-file', '/etc/pw', '-4', '--filter=- x', '--bwlimit=100']), [
    '--rsh=ssh',
    '--port=8730',
    '--password-file=/etc/pw',
    '--ipv4',
    '--bwlimit=100',
  ]);
  assert.deepEqual(transportArgs(['-aM', '--fake-super', '--delete']), ['--remote-option=--fake-super']);
});

test('rsync --list-only output: directories, links with their targets, files', () => {
  const out = [
    'drwxr-xr-x          4,096 2024/01/02 03:04:05 .',
    'lrwxrwxrwx             15 2024/01/02 03:04:05 Linux -> Linux.20240101.1200',
    'drwxr-xr-x          4,096 2024/01/02 03:04:05 Linux.20240101.1200',
    '-rw-r--r--            120 2024/01/02 03:04:05 a file',
    'MOTD text',
  ].join('\n');
  assert.deepEqual(parseListing(out), [
    { name: 'Linux', kind: 'link', target: 'Linux.20240101.1200' },
    { name: 'Linux.20240101.1200', kind: 'dir' },
    { name: 'a file', kind: 'file' },
  ]);
});

test('property: listings of any names parse back; other lines are skipped', () => {
  const name = fc.stringMatching(/^[A-Za-z0-9._+-][A-Za-z0-9 ._+-]{0,20}$/).filter((n) => n !== '.' && !n.endsWith(' ') && !n.includes(' -> '));
  const entry = fc.oneof(
    name.map((n) => ({ name: n, kind: 'dir' as const })),
    name.map((n) => ({ name: n, kind: 'file' as const })),
    fc.tuple(name, name).map(([n, t]) => ({ name: n, kind: 'link' as const, target: t })),
  );
  fc.assert(
    fc.property(fc.array(entry, { maxLength: 8 }), fc.array(fc.string({ maxLength: 30 }), { maxLength: 3 }), (entries, noise) => {
      const line = (e: (typeof entries)[number]) =>
        `${e.kind === 'dir' ? 'drwxr-xr-x' : e.kind === 'link' ? 'lrwxrwxrwx' : '-rw-r--r--'}          4,096 2024/01/02 03:04:05 ${e.name}${e.kind === 'link' ? ` -> ${e.target}` : ''}`;
      const text = [...noise.map((n) => n.replace(/^[dl-]/, 'x')), ...entries.map(line)].join('\n');
      assert.deepEqual(parseListing(text), entries);
    }),
  );
});

test('gates: at least N packages, required locations, PKGBASEs or PKGNAMEs', () => {
  const built = [
    { pkgname: 'pkgin-0.6.4nb1', location: 'pkgtools/pkgin' },
    { pkgname: 'digest-20121220', location: 'pkgtools/digest' },
  ];
  assert.deepEqual(evaluateGates({}, built), { passed: true, built: 2, missing: [], reasons: [] });
  assert.equal(evaluateGates({ minPackages: 2, requiredPackages: ['pkgtools/pkgin', 'digest', 'pkgin-0.6.4nb1'] }, built).passed, true);
  const no = evaluateGates({ minPackages: 3, requiredPackages: ['pkgtools/pkg_install', 'pkgin-0.6', 'digest'] }, built);
  assert.equal(no.passed, false);
  assert.deepEqual(no.missing, ['pkgtools/pkg_install', 'pkgin-0.6']);
  assert.equal(no.reasons.length, 2);
});

test("mail: pbulk's subject and an argument array", () => {
  const s = mailSubject('pkgsrc', { platform: 'NetBSD 6.1/amd64', buildStartIso: '2013-04-01 12:00', buildStartDir: '20130401.1200' });
  assert.equal(s, 'pkgsrc NetBSD 6.1/amd64 2013-04-01 12:00');
  assert.equal(mailSubject('pkgsrc', { platform: 'x' }), undefined);
  assert.deepEqual(mailArgv(['/usr/bin/mail', '-r', 'bulk@example.org'], s!, ['a@b', "c'd@e"]), [
    '/usr/bin/mail',
    '-r',
    'bulk@example.org',
    '-s',
    s,
    'a@b',
    "c'd@e",
  ]);
});
