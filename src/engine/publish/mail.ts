// The report mail of pbulk's report phase: meta/report.txt on the standard input of
// `${mail} -s "<report_subject_prefix> <PLATFORM> <BUILD_START_ISO>" ${report_recipients}`,
// run as an argument array (no shell). A dry run says what would be sent, body included.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mailArgv, mailSubject } from '../../pkgsrc/publish';
import type { MailResult } from '../../protocol/publish';
import type { EngineConfig } from '../config/types';
import { loadExeca } from '../execa';
import { publishConf } from './config';
import { buildStart } from './upload';
import { quote } from './rsync';
import { recordOutcome } from './state';

export interface MailOptions {
  dryRun?: boolean;
  log?: (line: string) => void;
}

export async function mailReport(cfg: EngineConfig, o: MailOptions = {}): Promise<MailResult> {
  const lines: string[] = [];
  const say = (l: string) => {
    lines.push(l);
    o.log?.(l);
  };
  const fail = async (error: string, argv?: string[]): Promise<MailResult> => {
    say(`error: ${error}`);
    if (!o.dryRun) await recordOutcome(cfg, 'mail', error);
    return { ok: false, lines, error, ...(argv ? { argv } : {}) };
  };
  const pc = publishConf(cfg);
  if (!pc.mail) return fail(`the report is not mailed: ${pc.mailOff}`);
  if (pc.reportRecipients.length === 0) return fail('the report is not mailed: report_recipients is empty in pbulk.conf');
  let start;
  try {
    start = await buildStart(cfg);
  } catch (e) {
    return fail((e as Error).message);
  }
  const subject = mailSubject(pc.reportSubjectPrefix, { platform: start.platform, buildStartIso: start.iso, buildStartDir: start.dir })!;
  const argv = mailArgv(pc.mail, subject, pc.reportRecipients);
  const body = join(cfg.metaDir, 'report.txt');
  let text: string;
  try {
    text = await readFile(body, 'utf8');
  } catch {
    return fail(`${body} is missing: the build has not written its report yet`, argv);
  }
  if (o.dryRun) {
    say(`would run: ${quote(argv)} < ${body}`);
    say(`Subject: ${subject}`);
    say(`To: ${pc.reportRecipients.join(', ')}`);
    say('');
    for (const l of text.replace(/\n$/, '').split('\n')) say(l);
    return { ok: true, lines, argv };
  }
  say(`mailing ${body} to ${pc.reportRecipients.join(' ')}: ${quote(argv)}`);
  const { execa } = await loadExeca();
  const r = await execa(argv[0]!, argv.slice(1), { inputFile: body, reject: false, all: true, timeout: 120_000 });
  if (r.exitCode !== 0 || r.failed)
    return fail(
      `${argv[0]} exited ${r.exitCode ?? r.shortMessage}: ${String(r.all ?? '')
        .trim()
        .split('\n')
        .slice(-3)
        .join(' | ')}`,
      argv,
    );
  await recordOutcome(cfg, 'mail', undefined, { mailed: { at: Date.now(), subject, recipients: pc.reportRecipients } });
  return { ok: true, lines, argv };
}
