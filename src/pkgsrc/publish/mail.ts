// The report mail as pbulk's report phase sends it: report.txt on standard input of
// `${mail} -s "<report_subject_prefix> <PLATFORM> <BUILD_START_ISO>" ${report_recipients}`.
import type { BulklogStatus } from '../bulklog/status';

/** The subject line, or undefined when meta/status has no build start (pbulk then stops). */
export function mailSubject(prefix: string, status: Pick<BulklogStatus, 'platform' | 'buildStartIso' | 'buildStartDir'>): string | undefined {
  if (!status.buildStartIso || !status.buildStartDir) return undefined;
  return `${prefix} ${status.platform ?? ''} ${status.buildStartIso}`;
}

/** The mail command's argument array: the command's own words, -s SUBJECT, the recipients. */
export function mailArgv(mail: readonly string[], subject: string, recipients: readonly string[]): string[] {
  return [...mail, '-s', subject, ...recipients];
}
