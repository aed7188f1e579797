// The extension-host suite's server sees pbulk 0.51 installed (test/e2e/lib/installed-pbulk.mjs, where root can
// make it): the extension detects it when nothing is chosen, and the pinned
// pkgsrcBulk.pbulkVersion, which every other test relies on, is what keeps the sample's 0.68
// config buildable. Defined only when the stand-in is there (the run prints why it is not).
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { after, before, describe, it } from 'mocha';
import type { PkgsrcBulkApi } from '../../../src/extension/extension';
import type { WorkspaceInfo } from '../fixtures/workspace';
import { activateExtension, sampleWorkspace, waitFor } from './util';

const installed = JSON.parse(fs.readFileSync(path.join(__dirname, 'installed-pbulk.json'), 'utf8')) as { version?: string; file?: string };

if (installed.version) {
  describe(`builds on a machine with pbulk ${installed.version} installed (${installed.file})`, () => {
    let api: PkgsrcBulkApi;
    let ws: WorkspaceInfo;
    const setting = () => vscode.workspace.getConfiguration('pkgsrcBulk');
    const pinned = setting().get<string>('pbulkVersion');

    before(async () => {
      api = await activateExtension();
      ws = sampleWorkspace();
      await api.builds.ready();
      await api.builds.configs.ready();
    });

    after(async () => {
      await setting().update('pbulkVersion', pinned, vscode.ConfigurationTarget.Global);
      await waitFor('the pinned version back', () => api.builds.configs.active?.pbulkVersion === pinned, [api.builds.configs.onDidChange]);
    });

    const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? ''));
    const versionErrors = () =>
      vscode.languages
        .getDiagnostics(vscode.Uri.file(ws.pbulkConf))
        .filter((d) => d.severity === vscode.DiagnosticSeverity.Error && codeOf(d) === 'config-version');

    it('the pinned pkgsrcBulk.pbulkVersion decides; unpinned, the installed pbulk does and builds of the 0.68 config are refused', async function () {
      this.timeout(60_000);
      const configs = api.builds.configs;
      assert.equal(pinned, '0.68');
      assert.equal(configs.active?.file, ws.pbulkConf);
      assert.equal(configs.active?.pbulkVersion, '0.68');
      assert.deepEqual(
        configs.active?.errors.map((e) => e.message),
        [],
      );

      await setting().update('pbulkVersion', '', vscode.ConfigurationTarget.Global);
      const active = await waitFor(
        `the active pbulk.conf checked against pbulk ${installed.version}`,
        () => configs.active?.pbulkVersion === installed.version && configs.active,
        [configs.onDidChange],
      );
      const mismatch = active.errors.find((e) => e.code === 'config-version');
      assert.ok(mismatch, active.errors.map((e) => e.message).join('\n'));
      assert.match(mismatch.message, new RegExp(`expects version ${installed.version!.replace('.', '\\.')}`));
      assert.match(
        configs.statusItem.tooltip instanceof vscode.MarkdownString ? configs.statusItem.tooltip.value : String(configs.statusItem.tooltip),
        /builds will be refused/,
      );
      // The language server, started by the same extension, sees the same pbulk.
      await vscode.workspace.openTextDocument(ws.pbulkConf);
      await waitFor('the config-version error in Problems', () => versionErrors().length > 0, [vscode.languages.onDidChangeDiagnostics]);

      await setting().update('pbulkVersion', pinned, vscode.ConfigurationTarget.Global);
      await waitFor('no errors once the version is pinned again', () => configs.active?.pbulkVersion === pinned && configs.active.errors.length === 0, [
        configs.onDidChange,
      ]);
      await waitFor('no config-version error in Problems', () => versionErrors().length === 0, [vscode.languages.onDidChangeDiagnostics]);
    });
  });
}
