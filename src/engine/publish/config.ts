// The pbulk.conf settings of the repository and its publication, with pbulk's meanings: the
// tools (gzip, bzip2, digest, rsync, mail) may carry arguments; `rsync=:` and `mail=:` turn
// uploading and mailing off; SHA512.bz2 is written unless checksum_packages is `no` or `NO`;
// the rsync argument strings are word-split as the shell splits an unquoted expansion.
import type { EngineConfig } from '../config/types';

export interface PublishConf {
  gzip: string[];
  bzip2: string[];
  /** `digest`; undefined: SHA512 lines in digest's format are computed by the engine itself. */
  digest?: string[];
  checksum: boolean;
  /** rsync command; undefined when unset or `:`, with `rsyncOff` saying why. */
  rsync?: string[];
  rsyncOff?: string;
  pkgRsyncArgs: string[];
  pkgRsyncTarget?: string;
  reportRsyncArgs: string[];
  reportRsyncTarget?: string;
  /** mail command; undefined when unset or `:`, with `mailOff` saying why. */
  mail?: string[];
  mailOff?: string;
  reportSubjectPrefix: string;
  reportRecipients: string[];
}

export function words(v: string | undefined): string[] {
  return (v ?? '').split(/[ \t\n]+/).filter((w) => w !== '');
}

/** Reads the settings through `value` (the config loader's, which refuses dynamic values). */
export function readPublishConf(value: (name: string) => string | undefined): PublishConf {
  const tool = (name: string): { cmd?: string[]; off?: string } => {
    const w = words(value(name));
    if (w.length === 0) return { off: `${name} is not set in pbulk.conf` };
    if (w.length === 1 && w[0] === ':') return { off: `${name}=: in pbulk.conf` };
    return { cmd: w };
  };
  const rsync = tool('rsync');
  const mail = tool('mail');
  const checksum = value('checksum_packages');
  const target = (name: string) => value(name)?.trim() || undefined;
  const conf: PublishConf = {
    gzip: words(value('gzip')).length > 0 ? words(value('gzip')) : ['gzip'],
    bzip2: words(value('bzip2')).length > 0 ? words(value('bzip2')) : ['bzip2'],
    checksum: checksum !== 'no' && checksum !== 'NO',
    pkgRsyncArgs: words(value('pkg_rsync_args')),
    reportRsyncArgs: words(value('report_rsync_args')),
    reportSubjectPrefix: value('report_subject_prefix') ?? '',
    reportRecipients: words(value('report_recipients') ?? value('report_recipient')),
  };
  const digest = words(value('digest'));
  if (digest.length > 0) conf.digest = digest;
  if (rsync.cmd) conf.rsync = rsync.cmd;
  else conf.rsyncOff = rsync.off!;
  if (mail.cmd) conf.mail = mail.cmd;
  else conf.mailOff = mail.off!;
  const pt = target('pkg_rsync_target');
  if (pt) conf.pkgRsyncTarget = pt;
  const rt = target('report_rsync_target');
  if (rt) conf.reportRsyncTarget = rt;
  return conf;
}

/** The config's publish settings; a config built without them gets pbulk's defaults. */
export function publishConf(cfg: EngineConfig): PublishConf {
  return cfg.publish ?? readPublishConf(() => undefined);
}
