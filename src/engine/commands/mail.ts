// `pkgsrc-bulk mail -c pbulk.conf`: mails meta/report.txt as pbulk's report phase does, through
// pbulk.conf's mail command to report_recipients, with pbulk's subject line.
import * as publishP from '../../protocol/publish';
import { mailReport } from '../publish/mail';
import { publishOptions, runPublishCli } from '../publish/cli';
import { optionLines } from './options';
import type { Command } from './types';

const flags = {
  'dry-run': { type: 'boolean', help: 'print the command, the subject and the message instead of sending it' },
} as const;

const usage = `usage: pkgsrc-bulk mail [-c pbulk.conf] [--settings FILE] [--dry-run] [--json]

Sends the report of the build in the bulklog (meta/report.txt) as pbulk does: on the standard
input of \${mail} -s "<report_subject_prefix> <PLATFORM> <BUILD_START_ISO>" \${report_recipients}.

${optionLines(publishOptions(flags))}

Exit status: 0 sent, 1 not sent (mail=:, no recipients, no report, mail failed), 2 bad usage
or config, 3 another engine holds the bulklog and cannot be reached.`;

export const mailCommand: Command = {
  name: 'mail',
  summary: 'mail the build report (report.txt) to report_recipients',
  usage,
  options: publishOptions(flags),
  run(argv) {
    return runPublishCli({
      command: 'mail',
      usage,
      argv,
      flags,
      local: (_engine, cfg, f, log) => mailReport(cfg, { dryRun: f['dry-run'] === true, log }),
      remote: (client, f) => client.request(publishP.MailReport, { dryRun: f['dry-run'] === true }),
    });
  },
};
