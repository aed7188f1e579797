// Several pbulk.conf files side by side (the 32-bit and 64-bit configs of one host): the
// setting pkgsrcBulk.config lists them, the status-bar item names the active one, the picker
// switches it, and the bulklog shown follows the active pbulk.conf.
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { after, before, describe, it } from 'mocha';
import type { PkgsrcBulkApi } from '../../../src/extension/extension';
import type { WorkspaceInfo } from '../fixtures/workspace';
import { activateExtension, sampleWorkspace, waitFor } from './util';

describe('builds: the active pbulk.conf among several', () => {
  let api: PkgsrcBulkApi;
  let ws: WorkspaceInfo;
  let dir: string;
  let conf32: string;
  let bulklog32: string;

  before(async () => {
    api = await activateExtension();
    ws = sampleWorkspace();
    await api.builds.ready();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pkgsrc-bulk-e2e-conf-'));
    conf32 = path.join(dir, 'pbulk-i386.conf');
    bulklog32 = path.join(dir, 'bulklog-i386');
    const text = fs.readFileSync(ws.pbulkConf, 'utf8');
    assert.match(text, /^bulklog=.*$/m);
    fs.writeFileSync(conf32, text.replace(/^bulklog=.*$/m, `bulklog=${bulklog32}`));
  });

  after(async () => {
    // The sample pbulk.conf active again, remembered, and the setting as the run found it.
    await api.builds.configs.activate(ws.pbulkConf);
    await vscode.workspace.getConfiguration('pkgsrcBulk').update('config', undefined, vscode.ConfigurationTarget.Global);
    await api.builds.configs.ready();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const configs = () => api.builds.configs;
  const shown = (file: string) =>
    waitFor(`the bulklog of ${file} shown`, () => api.builds.controller.shownBulklog === file, [api.builds.controller.onDidChange, configs().onDidChange]);

  it('lists the files of pkgsrcBulk.config and names the active one in the status bar', async () => {
    await vscode.workspace.getConfiguration('pkgsrcBulk').update('config', [ws.pbulkConf, conf32], vscode.ConfigurationTarget.Global);
    await waitFor('both pbulk.conf files as candidates', () => configs().candidates.length === 2 && configs().candidates.includes(conf32), [
      configs().onDidChange,
    ]);
    await configs().ready();
    assert.deepEqual([...configs().candidates], [ws.pbulkConf, conf32]);
    await configs().activate(conf32);
    assert.equal(configs().active?.file, conf32);
    assert.equal(configs().active?.bulklog, bulklog32);
    assert.ok(configs().statusItem.text.includes('pbulk-i386.conf'), configs().statusItem.text);
    assert.equal(configs().statusItem.command, 'pkgsrcBulk.selectConfig');
    await shown(bulklog32);
  });

  it('Select Active pbulk.conf... switches back, and the sample bulklog is shown again', async function () {
    this.timeout(30_000);
    let picked = false;
    const done = Promise.resolve(vscode.commands.executeCommand('pkgsrcBulk.selectConfig')).then(() => (picked = true));
    // The first item of the picker is the first listed file, the sample pbulk.conf; accept it
    // once the picker is up (accepting before that does nothing).
    const end = Date.now() + 20_000;
    while (!picked && Date.now() < end) {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await Promise.race([done, new Promise((r) => setTimeout(r, 100))]);
    }
    assert.ok(picked, 'the picker did not close after accepting its first item');
    assert.equal(configs().active?.file, ws.pbulkConf);
    assert.ok(configs().statusItem.text.endsWith('pbulk.conf') && !configs().statusItem.text.includes('i386'), configs().statusItem.text);
    await shown(ws.bulklog);
  });
});
