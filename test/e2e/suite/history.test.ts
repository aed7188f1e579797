// The run history in the editor, with the real engine: build, break one package (a Makefile
// edit), build, fix it, build. After each build the report view, the marks on the package
// Makefiles and Problems say what changed since the previous run; Show Only New Failures
// filters Problems; the run picker opens the first run's report. A pbulk.conf of the sample
// tree with a bulklog of its own, so the sample build's is left as it is.
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { after, before, describe, it } from 'mocha';
import type { PkgsrcBulkApi } from '../../../src/extension/extension';
import type { ReportData } from '../../../src/extension/report/data';
import { listRuns } from '../../../src/pkgsrc/history/store';
import type { WorkspaceInfo } from '../fixtures/workspace';
import { activateExtension, sampleWorkspace, waitFor } from './util';

describe('run history: what changed since the previous run', () => {
  let api: PkgsrcBulkApi;
  let ws: WorkspaceInfo;
  let dir: string;
  let conf: string;
  let bulklog: string;
  let list: string;
  let ok = '';
  let okMakefile = '';
  const makefile = (p: string) => vscode.Uri.file(path.join(ws.root, p, 'Makefile'));
  const pkgname = (p: string) => ws.packages.find((x) => x.path === p)!.pkgname;
  const controller = () => api.builds.controller;
  const history = () => api.builds.history.history;
  const listed = () => [ws.build.fails, ws.build.dependsOnFailed, ok];
  const dropPackages = (...paths: string[]) => {
    for (const p of paths) fs.rmSync(path.join(ws.packagesDir, 'All', `${pkgname(p)}.tgz`), { force: true });
  };

  /** Builds the list and waits for the build to end with these states and the history to follow. */
  async function build(what: string, want: Record<string, string>): Promise<void> {
    const runs = (await listRuns(`${bulklog}.history`)).runs.length;
    await vscode.commands.executeCommand('pkgsrcBulk.buildLimitedList', vscode.Uri.file(list));
    await waitFor(
      `${what}: the build to end with ${JSON.stringify(want)}`,
      () =>
        !controller().building &&
        controller().bulklog?.dir === bulklog &&
        Object.entries(want).every(([p, s]) => controller().bulklog?.byName.get(pkgname(p))?.state === s),
      [controller().onDidChange],
      90_000,
    );
    // The run before is in the history once the engine filed it (while the build scanned).
    await waitFor(
      `${what}: the history to hold ${runs + 1} run(s)`,
      async () => (await listRuns(`${bulklog}.history`)).runs.length > runs || runs === 0,
      [controller().onDidChange],
      30_000,
    );
    history().update();
    await history().settled();
  }

  const reportSince = (what: string, ok: (d: ReportData) => boolean) =>
    waitFor(
      what,
      () => {
        const d = api.builds.report()?.last;
        return d && d.since && ok(d) ? d : undefined;
      },
      [api.builds.onReportData, history().onDidChange],
      30_000,
    );

  before(async function () {
    this.timeout(30_000);
    api = await activateExtension();
    ws = sampleWorkspace();
    await api.builds.ready();
    ok = ws.build.succeeds[0]!;
    okMakefile = fs.readFileSync(makefile(ok).fsPath, 'utf8');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pkgsrc-bulk-e2e-history-'));
    bulklog = path.join(dir, 'bulklog');
    conf = path.join(dir, 'pbulk.conf');
    list = path.join(dir, 'limited_list');
    const text = fs.readFileSync(ws.pbulkConf, 'utf8');
    fs.writeFileSync(
      conf,
      text.replace(/^bulklog=.*$/m, `bulklog=${bulklog}`).replace(/^chroot_dir=.*$/m, `chroot_dir=${path.join(ws.sandboxBase, 'history')}`),
    );
    fs.writeFileSync(list, `${listed().join('\n')}\n`);
    dropPackages(...listed());
    await api.builds.configs.activate(conf);
    await waitFor(`the bulklog of ${conf} shown`, () => controller().shownBulklog === bulklog, [controller().onDidChange]);
  });

  after(async function () {
    this.timeout(90_000);
    fs.writeFileSync(makefile(ok).fsPath, okMakefile);
    await vscode.commands.executeCommand('pkgsrcBulk.showAllProblems');
    await controller().closeOpened();
    await waitFor('no build running', () => !controller().building, [controller().onDidChange], 60_000);
    await api.builds.configs.activate(ws.pbulkConf);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the first build has nothing to compare with', async function () {
    this.timeout(120_000);
    await build('first build', { [ws.build.fails]: 'failed', [ws.build.dependsOnFailed]: 'indirect-failed', [ok]: 'done' });
    assert.equal(history().diff, undefined);
    assert.match(history().none, /no earlier run/);
  });

  it('a Makefile edit breaks a package: a new failure in the report (first, with its links), on its Makefile and in Problems', async function () {
    this.timeout(120_000);
    fs.writeFileSync(makefile(ok).fsPath, okMakefile.replace(/^\.include "\.\.\/\.\.\/mk\/bsd\.pkg\.mk"$/m, 'FIXTURE_FAIL_PHASE=\tbuild\n$&'));
    dropPackages(ok);
    await build('second build', { [ok]: 'failed' });
    const d = history().diff!;
    assert.ok(d, history().none);
    assert.deepEqual(
      d.newFailures.map((c) => [c.pkgname, c.before, c.after, c.phase]),
      [[pkgname(ok), 'done', 'failed', 'build']],
    );
    assert.deepEqual(
      d.stillFailing.map((c) => c.pkgname),
      [pkgname(ws.build.fails)],
    );
    assert.deepEqual([d.fixed, d.added, d.removed, d.versions], [[], [], [], []]);
    assert.equal(api.builds.history.decorations.markOf(makefile(ok)), 'new-failure');
    assert.equal(api.builds.history.decorations.markOf(makefile(ws.build.fails)), undefined);

    await vscode.commands.executeCommand('pkgsrcBulk.openReport');
    const data = await reportSince('the report view to show the new failure since the previous run', (x) => (x.since?.newFailures.length ?? 0) > 0);
    const row = data.since!.newFailures[0]!;
    assert.equal(row.pkgname, pkgname(ok));
    assert.equal(row.location, ok);
    assert.equal(row.hasLog, true, 'the new failure links to its log');
    assert.equal(data.since!.counts!.stillFailing, 1);

    // Problems: its diagnostic says it is new; the filter leaves only it.
    const isNew = (d: vscode.Diagnostic) => /new failure/.test(d.source ?? '');
    await waitFor('the new failure marked in Problems', () => vscode.languages.getDiagnostics(makefile(ok)).some(isNew), [
      vscode.languages.onDidChangeDiagnostics,
    ]);
    assert.ok(vscode.languages.getDiagnostics(makefile(ws.build.fails)).length > 0);
    assert.ok(!vscode.languages.getDiagnostics(makefile(ws.build.fails)).some(isNew), 'an old failure is not marked new');
    await vscode.commands.executeCommand('pkgsrcBulk.showNewFailuresOnly');
    await waitFor(
      'only new failures in Problems',
      () => vscode.languages.getDiagnostics(makefile(ws.build.fails)).length === 0 && vscode.languages.getDiagnostics(makefile(ok)).some(isNew),
      [vscode.languages.onDidChangeDiagnostics],
    );
    await vscode.commands.executeCommand('pkgsrcBulk.showAllProblems');
    await waitFor('every build problem back', () => vscode.languages.getDiagnostics(makefile(ws.build.fails)).length > 0, [
      vscode.languages.onDidChangeDiagnostics,
    ]);
  });

  it('fixing it: fixed in the report and on its Makefile, no new failure', async function () {
    this.timeout(120_000);
    fs.writeFileSync(makefile(ok).fsPath, okMakefile);
    await build('third build', { [ok]: 'done' });
    const d = history().diff!;
    assert.deepEqual(d.newFailures, []);
    assert.deepEqual(
      d.fixed.map((c) => [c.pkgname, c.before, c.after]),
      [[pkgname(ok), 'failed', 'done']],
    );
    assert.equal(api.builds.history.decorations.markOf(makefile(ok)), 'fixed');
    await vscode.commands.executeCommand('pkgsrcBulk.openReport');
    await reportSince(
      'the report view to show the fix',
      (x) => x.since?.fixed.some((r) => r.pkgname === pkgname(ok)) === true && x.since.newFailures.length === 0,
    );
  });

  it('the run picker opens the first run, with the bulklog it was, and goes back to the current one', async function () {
    this.timeout(60_000);
    const { runs } = await listRuns(`${bulklog}.history`);
    assert.equal(runs.length, 2, 'the first two builds are kept');
    assert.ok(await vscode.commands.executeCommand<boolean>('pkgsrcBulk.openEarlierRun', runs[1]!.info.id));
    await waitFor('the second run shown', () => controller().shownBulklog !== bulklog && controller().bulklog?.byName.get(pkgname(ok))?.state === 'failed', [
      controller().onDidChange,
    ]);
    // Its report compares it with the run before it: the same new failure as then.
    await history().settled();
    assert.deepEqual(
      history().diff?.newFailures.map((c) => c.pkgname),
      [pkgname(ok)],
    );
    await reportSince('the earlier run in the report view', (x) => x.bulklog === controller().shownBulklog && x.since?.newFailures.length === 1);
    assert.ok(await vscode.commands.executeCommand<boolean>('pkgsrcBulk.openEarlierRun', 'current'));
    await waitFor(
      'the current run shown again',
      () => controller().shownBulklog === bulklog && controller().bulklog?.byName.get(pkgname(ok))?.state === 'done',
      [controller().onDidChange],
    );
  });
});
