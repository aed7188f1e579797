// Step of ui/30-build.mjs: after three packages of the sample tree were built from the Packages
// view, the extension holds the diagnostics on the right Makefile lines (failed, depending on
// the failure, BROKEN), the compiler error on the source file it names, their code actions, a
// log document with its phases as symbols that opens at the compiler error, and the report's
// data. Then the failing package's source is fixed and the package rebuilt, and its diagnostics
// (and its dependent's) go away.
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { after, before, describe, it } from 'mocha';
import type { PkgsrcBulkApi } from '../../../src/extension/extension';
import type { WorkspaceInfo } from '../fixtures/workspace';
import { activateExtension, sampleWorkspace, waitFor } from './util';

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? '');
}

describe('builds: diagnostics, logs and report of the sample build', () => {
  let api: PkgsrcBulkApi;
  let ws: WorkspaceInfo;
  const makefile = (p: string) => vscode.Uri.file(path.join(ws.root, p, 'Makefile'));
  const pkgname = (p: string) => ws.packages.find((x) => x.path === p)!.pkgname;
  let failSource = '';

  before(async () => {
    api = await activateExtension();
    ws = sampleWorkspace();
    await api.builds.ready();
    failSource = fs.readFileSync(ws.build.failSource, 'utf8');
  });

  after(() => {
    fs.writeFileSync(ws.build.failSource, failSource);
  });

  const diagnosticsOf = (uri: vscode.Uri, code: string) =>
    waitFor(
      `a ${code} diagnostic on ${uri.fsPath}`,
      () => vscode.languages.getDiagnostics(uri).find((d) => codeOf(d) === code),
      [vscode.languages.onDidChangeDiagnostics],
      60_000,
    );

  it('built exactly the three packages selected in the tree', async () => {
    await waitFor('the bulklog of the build', () => api.builds.controller.bulklog, [api.builds.controller.onDidChange]);
    assert.deepEqual([...api.builds.controller.model.packages.keys()].sort(), [ws.build.fails, ws.build.dependsOnFailed, ws.build.broken].map(pkgname).sort());
  });

  it('puts the failure on line 1 of its Makefile, with the first error and what it breaks', async () => {
    const d = await diagnosticsOf(makefile(ws.build.fails), 'failed');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d.range.start.line, 0);
    assert.match(
      d.message,
      new RegExp(`^${pkgname(ws.build.fails).replace(/[.+]/g, '\\$&')} failed in the build phase, breaks 1 package: 'undeclared_symbol' undeclared`),
    );
    const rel = d.relatedInformation?.[0];
    assert.ok(rel && rel.location.uri.scheme === 'pkgsrc-log', 'related information points into the log');
    const log = await vscode.workspace.openTextDocument(rel.location.uri);
    assert.match(log.lineAt(rel.location.range.start.line).text, /error: 'undeclared_symbol' undeclared/);
  });

  it('names the failed dependency on the DEPENDS line of the package depending on it', async () => {
    const d = await diagnosticsOf(makefile(ws.build.dependsOnFailed), 'depending-on-failed');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Information);
    assert.match(d.message, new RegExp(`depends on ${pkgname(ws.build.fails).replace(/[.+]/g, '\\$&')}, which failed`));
    const text = fs.readFileSync(makefile(ws.build.dependsOnFailed).fsPath, 'utf8').split('\n');
    assert.match(text[d.range.start.line]!, new RegExp(`DEPENDS.*\\.\\./\\.\\./${ws.build.fails}`));
    // Code actions are asked of an open document.
    await vscode.workspace.openTextDocument(makefile(ws.build.dependsOnFailed));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', makefile(ws.build.dependsOnFailed), d.range);
    assert.ok(
      actions.some((a) => a.title === `Open dependency ${pkgname(ws.build.fails)} (${ws.build.fails})`),
      actions.map((a) => a.title).join(' | '),
    );
  });

  it('puts the BROKEN reason on the BROKEN line', async () => {
    const d = await diagnosticsOf(makefile(ws.build.broken), 'broken');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.ok(d.message.includes(ws.build.brokenReason), d.message);
    const text = fs.readFileSync(makefile(ws.build.broken).fsPath, 'utf8').split('\n');
    assert.match(text[d.range.start.line]!, /^BROKEN/);
  });

  it('puts the compiler error on the line of the files/ source it names, pointing into the log, whose phases are symbols', async () => {
    const logUri = vscode.Uri.from({ scheme: 'pkgsrc-log', path: `/${pkgname(ws.build.fails)}.log`, query: ws.bulklog });
    const d = await diagnosticsOf(vscode.Uri.file(ws.build.failSource), 'compiler-diagnostic');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual([d.range.start.line, d.range.start.character], [11, 4], 'line 12, column 5 as the compiler says');
    assert.match(d.message, /:12:5: 'undeclared_symbol' undeclared/);
    const rel = d.relatedInformation?.[0];
    assert.ok(rel && rel.location.uri.toString() === logUri.toString(), 'related information points into the log');
    const log = await vscode.workspace.openTextDocument(logUri);
    assert.match(log.lineAt(rel.location.range.start.line).text, /:12:5: error: 'undeclared_symbol'/);
    const symbols = await waitFor(
      'the phases of the log as symbols',
      async () => {
        const s = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', logUri);
        return s && s.length > 0 ? s : undefined;
      },
      [vscode.workspace.onDidChangeTextDocument],
    );
    const names = symbols.map((s) => s.name);
    assert.deepEqual(
      names.filter((n) => n.endsWith('.log') && n !== 'work.log'),
      ['pre-clean.log', 'checksum.log', 'configure.log', 'build.log'],
    );
    assert.ok(symbols.find((s) => s.name === 'build.log')!.children.some((c) => /^Building for /.test(c.name)));
  });

  it('offers Show log and Rebuild; Show log opens the failing phase at the first error', async () => {
    const d = await diagnosticsOf(makefile(ws.build.fails), 'failed');
    await vscode.workspace.openTextDocument(makefile(ws.build.fails));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', makefile(ws.build.fails), d.range);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes(`Show log of ${pkgname(ws.build.fails)}`), titles.join(' | '));
    assert.ok(titles.includes(`Rebuild ${pkgname(ws.build.fails)}`), titles.join(' | '));
    const show = actions.find((a) => a.title.startsWith('Show log'))!;
    await vscode.commands.executeCommand(show.command!.command, ...(show.command!.arguments ?? []));
    const editor = await waitFor(
      'the log document to be active',
      () => (vscode.window.activeTextEditor?.document.uri.scheme === 'pkgsrc-log' ? vscode.window.activeTextEditor : undefined),
      [vscode.window.onDidChangeActiveTextEditor],
    );
    assert.match(editor.document.lineAt(editor.selection.active.line).text, /error: 'undeclared_symbol' undeclared/);
    // The same through the command without a line: the first error of the failing phase.
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.commands.executeCommand('pkgsrcBulk.showLog', pkgname(ws.build.fails));
    const again = await waitFor(
      'the log again',
      () => (vscode.window.activeTextEditor?.document.uri.scheme === 'pkgsrc-log' ? vscode.window.activeTextEditor : undefined),
      [vscode.window.onDidChangeActiveTextEditor],
    );
    assert.match(again.document.lineAt(again.selection.active.line).text, /error: 'undeclared_symbol' undeclared/);
  });

  it('gives the report its totals, timeline and broken-dependency graph', async () => {
    await vscode.commands.executeCommand('pkgsrcBulk.openReport');
    const data = await waitFor('the report data', () => api.builds.report()?.last, [api.builds.onReportData], 30_000);
    const count = (s: string) => data.totals.find((t) => t.state === s)?.count ?? 0;
    assert.equal(count('failed'), 1);
    assert.equal(count('indirect-failed'), 1);
    assert.equal(count('prefailed'), 1);
    assert.equal(data.summary, '3 packages: 0 built, 1 failed, 1 broken, 1 depending on failed');
    assert.deepEqual(
      data.timeline.entries.map((e) => e.pkgname),
      [pkgname(ws.build.fails)],
      'the timeline has the package that ran',
    );
    assert.ok(data.graph.edges.some((e) => e.from === pkgname(ws.build.fails) && e.to === pkgname(ws.build.dependsOnFailed) && e.failed));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('drops the diagnostics of a package that is fixed and rebuilt, and of the one depending on it', async () => {
    fs.writeFileSync(ws.build.failSource, ws.build.fixedSource);
    await diagnosticsOf(makefile(ws.build.fails), 'failed');
    await vscode.commands.executeCommand('pkgsrcBulk.rebuildPackage', { pkgnames: [pkgname(ws.build.fails)] });
    await waitFor(
      'the diagnostics of the fixed package and its dependent to go',
      () =>
        vscode.languages.getDiagnostics(makefile(ws.build.fails)).length === 0 &&
        vscode.languages.getDiagnostics(makefile(ws.build.dependsOnFailed)).length === 0,
      [vscode.languages.onDidChangeDiagnostics],
      120_000,
    );
    // The diagnostics go when the rebuild takes the package up: wait for it to be built.
    await waitFor(
      'the rebuild to finish with the package built',
      () => !api.builds.controller.building && api.builds.controller.model.packages.get(pkgname(ws.build.fails))?.state === 'done',
      [api.builds.controller.onDidChange],
      60_000,
    );
  });
});
