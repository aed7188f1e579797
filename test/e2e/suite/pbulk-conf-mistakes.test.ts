// Scenario 2 in the extension host: a pbulk.conf with mistakes gets diagnostics on the right
// lines, a quick fix repairs one, completion offers variables with their documentation, hover
// explains a value.
import * as assert from 'assert/strict';
import * as vscode from 'vscode';
import { after, before, describe, it } from 'mocha';
import { activateExtension, waitFor, workspaceRoot } from './util';

/** Lines (0-based) of the mistakes below, with the diagnostic code each must get. */
const MISTAKES = {
  misspelt: { line: 5, code: 'unknown-variable' },
  boolean: { line: 6, code: 'boolean-value' },
  bulklogRoot: { line: 7, code: 'dangerous-path' },
  placeholder: { line: 8, code: 'placeholder' },
  unsetReference: { line: 12, code: 'unset-reference' },
} as const;

function mistakesText(root: string): string {
  const base = root.replace(/\/pkgsrc$/, '');
  return [
    '# A pbulk.conf with the mistakes that stop pbulk hours into a build.',
    'config_version=0.68',
    'master_mode=no',
    'cross_compile=no',
    'use_unprivileged_checksum=no',
    'mastr_ip=127.0.0.1',
    'keep_wrkdir=Yes',
    'bulklog=/',
    'prefix=@PREFIX@',
    `pkgsrc=${root}`,
    `pkgdb=${base}/pkgdb`,
    `varbase=${base}/var`,
    'packages=${packagez}/All',
    'loc=${bulklog}/meta',
    '',
  ].join('\n');
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? '');
}

describe('scenario 2: a pbulk.conf with mistakes', () => {
  let doc: vscode.TextDocument;
  const file = () => vscode.Uri.joinPath(workspaceRoot(), 'mistakes-api.pbulk.conf');

  before(async () => {
    await activateExtension();
    await vscode.workspace.fs.writeFile(file(), Buffer.from(mistakesText(workspaceRoot().fsPath)));
    doc = await vscode.workspace.openTextDocument(file());
    await vscode.window.showTextDocument(doc);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.workspace.fs.delete(file());
  });

  it('lists each mistake on its line', async () => {
    const diags = await waitFor(
      'diagnostics on every mistake line',
      () => {
        const ds = vscode.languages.getDiagnostics(doc.uri);
        const all = Object.values(MISTAKES).every((m) => ds.some((d) => d.range.start.line === m.line && codeOf(d) === m.code));
        return all ? ds : undefined;
      },
      [vscode.languages.onDidChangeDiagnostics],
    );
    const bulklog = diags.find((d) => d.range.start.line === MISTAKES.bulklogRoot.line && codeOf(d) === 'dangerous-path')!;
    assert.equal(bulklog.severity, vscode.DiagnosticSeverity.Error);
    assert.match(bulklog.message, /rm -rf/);
    const misspelt = diags.find((d) => d.range.start.line === MISTAKES.misspelt.line && codeOf(d) === 'unknown-variable')!;
    assert.match(misspelt.message, /master_ip/);
    // Lines without a mistake stay clean (line 0 may carry whole-file findings).
    const clean = [1, 2, 3, 4, 9, 13];
    for (const d of diags) assert.ok(!clean.includes(d.range.start.line), `unexpected diagnostic on line ${d.range.start.line + 1}: ${d.message}`);
  });

  it('repairs the misspelt variable with its quick fix', async () => {
    const misspelt = vscode.languages.getDiagnostics(doc.uri).find((d) => codeOf(d) === 'unknown-variable')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, misspelt.range);
    const rename = actions.find((a) => /master_ip/.test(a.title));
    assert.ok(rename?.edit, `no quick fix naming master_ip among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(rename.edit));
    assert.equal(doc.lineAt(MISTAKES.misspelt.line).text, 'master_ip=127.0.0.1');
    await waitFor('the unknown-variable diagnostic to go', () => !vscode.languages.getDiagnostics(doc.uri).some((d) => codeOf(d) === 'unknown-variable'), [
      vscode.languages.onDidChangeDiagnostics,
    ]);
  });

  it('completes variable names with their documentation', async () => {
    const end = new vscode.Position(doc.lineCount - 1, 0);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, end, undefined, 200);
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const v of ['limited_list', 'reuse_scan_results', 'unprivileged_user']) assert.ok(labels.includes(v), `completion lacks ${v}`);
    const item = list.items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'limited_list')!;
    const docs = typeof item.documentation === 'string' ? item.documentation : (item.documentation?.value ?? '');
    assert.ok(docs.length > 20, `limited_list has no documentation: ${JSON.stringify(item.documentation)}`);
  });

  it('completes yes and no for a boolean', async () => {
    const line = MISTAKES.boolean.line;
    const pos = new vscode.Position(line, 'keep_wrkdir='.length);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, pos);
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('yes') && labels.includes('no'), `boolean values offered: ${labels.join(', ')}`);
  });

  it('explains a variable on hover', async () => {
    const pos = new vscode.Position(MISTAKES.bulklogRoot.line, 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /bulklog/);
    assert.ok(text.length > 40, `hover is too thin: ${text}`);
  });
});
