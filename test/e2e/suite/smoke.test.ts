// The extension installs, activates on a pkgsrc tree and contributes its container and view.
import * as assert from 'assert/strict';
import * as vscode from 'vscode';
import { describe, it } from 'mocha';
import { EXTENSION_ID, activateExtension } from './util';

describe('smoke: the extension in a real VS Code', () => {
  it('activates on a pkgsrc tree and returns its API', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded`);
    const api = await activateExtension();
    assert.equal(api.version, ext.packageJSON.version);
    assert.equal(ext.isActive, true);
  });

  it('contributes the pkgsrc container with its Packages view', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    const contributes = ext?.packageJSON.contributes;
    assert.ok(contributes.viewsContainers.activitybar.some((c: { id: string }) => c.id === 'pkgsrc'));
    assert.ok(contributes.views.pkgsrc.some((v: { id: string; name: string }) => v.id === 'pkgsrcBulk.packages' && v.name === 'Packages'));
    // The view is registered with the workbench: its focus command exists and runs.
    await vscode.commands.executeCommand('pkgsrcBulk.packages.focus');
  });
});
