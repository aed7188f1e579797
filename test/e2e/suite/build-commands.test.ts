// Build from Limited List (the file given as the command's argument, as the explorer's context
// menu gives it) and Rebuild Failed Packages, end to end with the real engine: a pbulk.conf of
// the sample tree with a bulklog of its own, so the sample build's is left as it is (the binary
// packages stay shared: the sample tree's mk.conf names where they go).
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { after, before, describe, it } from 'mocha';
import type { PkgsrcBulkApi } from '../../../src/extension/extension';
import type { WorkspaceInfo } from '../fixtures/workspace';
import { activateExtension, sampleWorkspace, waitFor } from './util';

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? '');
}

describe('builds: Build from Limited List and Rebuild Failed Packages', () => {
  let api: PkgsrcBulkApi;
  let ws: WorkspaceInfo;
  let dir: string;
  let conf: string;
  let bulklog: string;
  let list: string;
  let failSource = '';
  const makefile = (p: string) => vscode.Uri.file(path.join(ws.root, p, 'Makefile'));
  const pkgname = (p: string) => ws.packages.find((x) => x.path === p)!.pkgname;
  const controller = () => api.builds.controller;

  /** Waits for the build to be over with these states in the bulklog on disk. */
  const finishedWith = (what: string, want: Record<string, string>) =>
    waitFor(
      what,
      () =>
        !controller().building &&
        controller().bulklog?.dir === bulklog &&
        Object.entries(want).every(([p, s]) => controller().bulklog?.byName.get(pkgname(p))?.state === s),
      [controller().onDidChange],
      60_000,
    );
  const diagnostic = (uri: vscode.Uri, code: string) =>
    waitFor(
      `a ${code} diagnostic on ${uri.fsPath}`,
      () => vscode.languages.getDiagnostics(uri).find((d) => codeOf(d) === code),
      [vscode.languages.onDidChangeDiagnostics],
      30_000,
    );

  before(async () => {
    api = await activateExtension();
    ws = sampleWorkspace();
    await api.builds.ready();
    failSource = fs.readFileSync(ws.build.failSource, 'utf8');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pkgsrc-bulk-e2e-commands-'));
    bulklog = path.join(dir, 'bulklog');
    conf = path.join(dir, 'pbulk.conf');
    list = path.join(dir, 'limited_list');
    const text = fs.readFileSync(ws.pbulkConf, 'utf8');
    for (const v of ['bulklog', 'chroot_dir']) assert.match(text, new RegExp(`^${v}=`, 'm'));
    fs.writeFileSync(
      conf,
      text.replace(/^bulklog=.*$/m, `bulklog=${bulklog}`).replace(/^chroot_dir=.*$/m, `chroot_dir=${path.join(ws.sandboxBase, 'commands')}`),
    );
    fs.writeFileSync(list, `# the failing package and the one depending on it\n${ws.build.fails}\n${ws.build.dependsOnFailed}\n`);
    // Built, not skipped as up to date, whatever earlier tests left in the shared packages.
    for (const p of [ws.build.fails, ws.build.dependsOnFailed]) fs.rmSync(path.join(ws.packagesDir, 'All', `${pkgname(p)}.tgz`), { force: true });
    await api.builds.configs.activate(conf);
    await waitFor(`the bulklog of ${conf} shown`, () => controller().shownBulklog === bulklog, [controller().onDidChange]);
  });

  after(async () => {
    fs.writeFileSync(ws.build.failSource, failSource);
    await waitFor('no build running', () => !controller().building, [controller().onDidChange], 60_000);
    await api.builds.configs.activate(ws.pbulkConf);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('Build from Limited List builds the listed packages: the failure and its dependent in the bulklog and Problems', async function () {
    this.timeout(30_000);
    await vscode.commands.executeCommand('pkgsrcBulk.buildLimitedList', vscode.Uri.file(list));
    await finishedWith('the limited build to end with one failed and one depending on it', {
      [ws.build.fails]: 'failed',
      [ws.build.dependsOnFailed]: 'indirect-failed',
    });
    assert.deepEqual(
      [...controller().model.packages.keys()].sort(),
      [ws.build.fails, ws.build.dependsOnFailed].map(pkgname).sort(),
      'only the listed packages',
    );
    const failed = await diagnostic(makefile(ws.build.fails), 'failed');
    assert.equal(failed.severity, vscode.DiagnosticSeverity.Error);
    assert.match(failed.message, /failed in the build phase, breaks 1 package/);
    const indirect = await diagnostic(makefile(ws.build.dependsOnFailed), 'depending-on-failed');
    assert.equal(indirect.severity, vscode.DiagnosticSeverity.Information);
  });

  it('Rebuild Failed Packages builds the fixed package and its dependent; their diagnostics go', async function () {
    this.timeout(30_000);
    fs.writeFileSync(ws.build.failSource, ws.build.fixedSource);
    // Asked right after the last build was announced finished: the engine takes it at once.
    assert.ok(await vscode.commands.executeCommand<boolean>('pkgsrcBulk.rebuildFailed'), 'Rebuild Failed Packages was refused');
    await finishedWith('the rebuild to end with both built', { [ws.build.fails]: 'done', [ws.build.dependsOnFailed]: 'done' });
    await waitFor(
      'the diagnostics of both packages to go',
      () =>
        vscode.languages.getDiagnostics(makefile(ws.build.fails)).length === 0 &&
        vscode.languages.getDiagnostics(makefile(ws.build.dependsOnFailed)).length === 0,
      [vscode.languages.onDidChangeDiagnostics],
      30_000,
    );
    assert.equal(controller().model.counts().failed, 0);
  });
});
