// Scenario 1 in the extension host: the Packages view's data against the generated tree, and
// the commands behind a click and "Reveal Current File's Package".
import * as assert from 'assert/strict';
import * as path from 'path';
import * as vscode from 'vscode';
import { before, describe, it } from 'mocha';
import type { PkgsrcBulkApi } from '../../../src/extension/extension';
import type { Node } from '../../../src/extension/tree';
import type { WorkspaceInfo } from '../fixtures/workspace';
import { activateExtension, sampleWorkspace, waitFor } from './util';

describe('scenario 1: the Packages view on a generated tree', () => {
  let api: PkgsrcBulkApi;
  let ws: WorkspaceInfo;

  before(async () => {
    api = await activateExtension();
    ws = sampleWorkspace();
    await api.packages.ready();
  });

  it('finds the tree at the workspace folder', () => {
    assert.equal(api.packages.root, ws.root);
  });

  it('lists every category with its COMMENT and package count', async () => {
    const provider = api.packages.provider;
    const top = await provider.getChildren();
    const names = top.map((n) => (n.kind === 'category' ? n.name : n.path));
    assert.deepEqual(names.slice().sort(), ws.categories.map((c) => c.name).sort());
    for (const node of top) {
      const c = ws.categories.find((x) => node.kind === 'category' && x.name === node.name)!;
      const item = await provider.getTreeItem(node);
      assert.equal(item.label, c.name);
      // Builds run earlier in the same window put the counts of the build shown first.
      const own = `${c.comment} (${c.packages.length})`;
      const description = String(item.description);
      assert.ok(description === own || (description.endsWith(` · ${own}`) && /^\d+ \w/.test(description)), `${c.name}: ${description}`);
    }
  });

  it('lists the packages of each category with their COMMENT', async () => {
    const provider = api.packages.provider;
    for (const category of await provider.getChildren()) {
      const children = await provider.getChildren(category);
      const c = ws.categories.find((x) => category.kind === 'category' && x.name === category.name)!;
      assert.deepEqual(children.map((n) => (n.kind === 'package' ? n.path : '')).sort(), c.packages.slice().sort());
      for (const node of children.slice(0, 5)) {
        const item = await provider.getTreeItem(node);
        const expected = ws.packages.find((p) => node.kind === 'package' && p.path === node.path)!;
        if (expected.comment !== null) assert.equal(item.description, expected.comment);
      }
    }
  });

  it('opens a package Makefile and reveals the package of the active file', async () => {
    const target = ws.build.succeeds[0]!;
    const node: Node = { kind: 'package', path: target, category: target.split('/')[0]! };
    await vscode.commands.executeCommand('pkgsrcBulk.openMakefile', node);
    const makefile = path.join(ws.root, target, 'Makefile');
    await waitFor('the Makefile to be the active editor', () => vscode.window.activeTextEditor?.document.uri.fsPath === makefile, [
      vscode.window.onDidChangeActiveTextEditor,
    ]);
    await vscode.commands.executeCommand('pkgsrcBulk.revealPackage');
    const selected = await waitFor(
      'the package to be selected in the view',
      () => api.packages.treeView.selection.find((n) => n.kind === 'package' && n.path === target),
      [api.packages.treeView.onDidChangeSelection],
    );
    assert.ok(selected);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
