// "Open Bulklog from Disk..." given a directory that is no bulklog (empty, or without meta/):
// the command refuses it before the views switch, so they keep what they showed and no report
// opens. The messages themselves are checked in test/unit/bulklog-dir.test.ts.
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { after, before, describe, it } from 'mocha';
import type { PkgsrcBulkApi } from '../../../src/extension/extension';
import { activateExtension } from './util';

describe('builds: Open Bulklog from Disk refuses a directory that is no bulklog', () => {
  let api: PkgsrcBulkApi;
  let dir: string;

  before(async () => {
    api = await activateExtension();
    await api.builds.ready();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pkgsrc-bulk-e2e-not-bulklog-'));
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const [what, make] of [
    ['an empty directory', () => undefined],
    ['a directory without meta/', () => fs.writeFileSync(path.join(dir, 'report.txt'), 'not a bulklog\n')],
  ] as const) {
    it(`keeps the views on what they showed for ${what}, and opens no report`, async () => {
      make();
      const c = api.builds.controller;
      await c.settled();
      const shown = c.shownBulklog;
      const report = api.builds.report();
      await vscode.commands.executeCommand('pkgsrcBulk.openBulklog', vscode.Uri.file(dir));
      await c.settled();
      assert.equal(c.shownBulklog, shown);
      assert.equal(c.bulklog?.dir, shown);
      assert.equal(api.builds.report(), report);
    });
  }
});
