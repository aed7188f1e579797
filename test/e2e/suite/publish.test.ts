// Publish and Mail Report from the editor, end to end with the real engine and real rsync: a
// pbulk.conf of the sample tree with a bulklog of its own and upload targets in a scratch
// directory, a limited build of one package, then the commands (with their parameters, as a
// keybinding gives them) and the repository's state in the report view.
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { after, before, describe, it } from 'mocha';
import type { PkgsrcBulkApi } from '../../../src/extension/extension';
import type { MailResult, PublishResult } from '../../../src/protocol/publish';
import type { WorkspaceInfo } from '../fixtures/workspace';
import { activateExtension, sampleWorkspace, waitFor } from './util';

describe('publish: Publish Packages and Report, Mail Report, the repository in the report view', () => {
  let api: PkgsrcBulkApi;
  let ws: WorkspaceInfo;
  let dir: string;
  let conf: string;
  let bulklog: string;
  const controller = () => api.builds.controller;

  before(async function () {
    this.timeout(120_000);
    api = await activateExtension();
    ws = sampleWorkspace();
    await api.builds.ready();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pkgsrc-bulk-e2e-publish-'));
    bulklog = path.join(dir, 'bulklog');
    conf = path.join(dir, 'pbulk.conf');
    fs.mkdirSync(path.join(dir, 'remote'));
    // The mail command pbulk.conf names: keeps its arguments and message.
    const mail = path.join(dir, 'mail');
    fs.writeFileSync(mail, `#!/bin/sh\nprintf '%s\\n' "$@" > ${dir}/mail.args\ncat > ${dir}/mail.body\n`, { mode: 0o755 });
    const text = fs.readFileSync(ws.pbulkConf, 'utf8');
    fs.writeFileSync(
      conf,
      text.replace(/^bulklog=.*$/m, `bulklog=${bulklog}`).replace(/^chroot_dir=.*$/m, `chroot_dir=${path.join(ws.sandboxBase, 'publish')}`) +
        [
          'rsync=/usr/bin/rsync',
          'pkg_rsync_args="-a"',
          `pkg_rsync_target=${dir}/remote/packages`,
          'report_rsync_args=-a',
          `report_rsync_target=${dir}/remote`,
          `mail=${mail}`,
          'report_recipients=bulk@example.org',
          'report_subject_prefix=pkgsrc',
          '',
        ].join('\n'),
    );
    await api.builds.configs.activate(conf);
    await waitFor(`the bulklog of ${conf} shown`, () => controller().shownBulklog === bulklog, [controller().onDidChange]);
    const location = ws.build.succeeds[0]!;
    assert.ok(await controller().start({ kind: 'locations', locations: [location] }), 'the build was refused');
    await waitFor(
      'the build to end',
      () =>
        !controller().building &&
        controller().bulklog?.dir === bulklog &&
        (controller().bulklog?.packages.length ?? 0) > 0 &&
        controller().bulklog!.packages.every((p) => p.state === 'done'),
      [controller().onDidChange],
      90_000,
    );
  });

  after(async () => {
    await api.builds.configs.activate(ws.pbulkConf);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('Publish uploads the repository into a release and points pkg_rsync_target at it', async function () {
    this.timeout(60_000);
    const r = await vscode.commands.executeCommand<PublishResult>('pkgsrcBulk.publish', {});
    assert.ok(r?.ok, r?.error ?? 'no result');
    const link = path.join(dir, 'remote/packages');
    assert.equal(fs.readlinkSync(link), r.published!.release);
    assert.ok(fs.existsSync(path.join(link, 'All/pkg_summary.gz')));
    assert.ok(fs.existsSync(path.join(link, 'SHA512.bz2')));
  });

  it('Mail Report: a dry run says what would be sent; the mail goes through the mail command', async function () {
    this.timeout(60_000);
    const dry = await vscode.commands.executeCommand<MailResult>('pkgsrcBulk.mailReport', { dryRun: true });
    assert.ok(dry?.ok, dry?.error);
    assert.ok(
      dry.lines.some((l) => /^Subject: pkgsrc .* \d{4}-\d\d-\d\d \d\d:\d\d$/.test(l)),
      dry.lines.join('\n'),
    );
    assert.ok(!fs.existsSync(path.join(dir, 'mail.args')));
    const sent = await vscode.commands.executeCommand<MailResult>('pkgsrcBulk.mailReport', {});
    assert.ok(sent?.ok, sent?.error);
    assert.equal(fs.readFileSync(path.join(dir, 'mail.body'), 'utf8'), fs.readFileSync(path.join(bulklog, 'meta/report.txt'), 'utf8'));
  });

  it('the report view shows the repository: its packages, the gates, the last upload and mail', async function () {
    this.timeout(30_000);
    await vscode.commands.executeCommand('pkgsrcBulk.openReport');
    const data = await waitFor(
      'report data with the repository',
      () => {
        const d = api.builds.report()?.last;
        return d?.repository?.published && d.repository.mailed ? d : undefined;
      },
      [api.builds.onReportData],
    );
    assert.equal(data.repository!.repository!.packages, controller().bulklog!.packages.length);
    assert.equal(data.repository!.gates!.passed, true);
    assert.deepEqual(data.repository!.mailed!.recipients, ['bulk@example.org']);
  });
});
