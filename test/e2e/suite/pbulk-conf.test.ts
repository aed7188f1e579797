// The pbulk.conf editor in a real VS Code: languages, the language server's outline and
// navigation on the sample workspace's pbulk.conf and limited_list.
import * as assert from 'assert/strict';
import * as vscode from 'vscode';
import { describe, it } from 'mocha';
import { activateExtension, waitFor, workspaceRoot } from './util';

async function open(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), name));
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** Position of the first occurrence of `needle` (plus `offset` characters) in the document. */
function positionOf(doc: vscode.TextDocument, needle: string, offset = 0): vscode.Position {
  const i = doc.getText().indexOf(needle);
  assert.ok(i >= 0, `"${needle}" is not in ${doc.uri.fsPath}`);
  return doc.positionAt(i + offset);
}

/**
 * Asks a provider command until the language server answers with a non-empty result: the server
 * starts with the extension and may not be ready for the first request.
 */
function providerResult<T>(what: string, ask: () => Thenable<T[] | undefined>): Promise<T[]> {
  return waitFor(
    what,
    async () => {
      const r = await ask();
      return r && r.length > 0 ? r : undefined;
    },
    [vscode.languages.onDidChangeDiagnostics],
    30_000,
  );
}

describe('pbulk.conf: languages and navigation', () => {
  it('gives pbulk.conf and the limited_list their languages', async () => {
    await activateExtension();
    const conf = await open('pbulk.conf');
    assert.equal(conf.languageId, 'pbulk-conf');
    const list = await open('limited_list');
    assert.equal(list.languageId, 'pkgsrc-limited-list');
  });

  it('outlines the assignments of pbulk.conf', async () => {
    const conf = await open('pbulk.conf');
    const symbols = await providerResult('document symbols of pbulk.conf', () =>
      vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', conf.uri),
    );
    const names = new Set<string>();
    const walk = (ss: vscode.DocumentSymbol[]) => {
      for (const s of ss) {
        names.add(s.name);
        walk(s.children ?? []);
      }
    };
    walk(symbols);
    for (const v of ['bulklog', 'pkgsrc', 'limited_list', 'loc']) assert.ok(names.has(v), `outline lacks ${v}: ${[...names].join(', ')}`);
  });

  it('goes from ${bulklog} to its assignment', async () => {
    const conf = await open('pbulk.conf');
    const use = positionOf(conf, 'loc=${bulklog}', '${'.length + 'loc='.length + 1);
    const defs = await providerResult('the definition of bulklog', () =>
      vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', conf.uri, use),
    );
    const first = defs[0]!;
    const range = 'targetRange' in first ? first.targetRange : first.range;
    assert.equal(range.start.line, positionOf(conf, '\nbulklog=', 1).line);
  });
});
