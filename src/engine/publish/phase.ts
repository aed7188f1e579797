// What the engine does with the repository when a build ends: after every build (full,
// limited, rebuild) the index as pbulk's build phase writes it; after a full build, as
// bulkbuild's report and upload phases do, the report mail and the upload (each when
// pbulk.conf sets it up, the upload only when the gates pass). What went wrong becomes an
// engine event (a warning or an error, never turning a finished build into a failed one);
// what was done goes to the engine's log only.
import type { EngineConfig } from '../config/types';
import { publishConf } from './config';
import { mailReport } from './mail';
import { join } from 'node:path';
import { rename, rm } from 'node:fs/promises';
import { compress, writeRepository } from './repository';
import { recordOutcome } from './state';
import { publish } from './upload';
import { plural } from '../../pkgsrc/states';

/** `information` is a line for the log; warnings and errors are told to the clients. */
export type Say = (severity: 'information' | 'warning' | 'error', message: string) => void;

/** meta/report.bz2, the machine-readable report pbulk's report phase makes and uploads. */
async function reportBz2(cfg: EngineConfig, say: Say): Promise<void> {
  const out = join(cfg.metaDir, 'report.bz2');
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    await compress(publishConf(cfg).bzip2, { file: join(cfg.metaDir, 'report') }, tmp);
    await rename(tmp, out);
  } catch (e) {
    await rm(tmp, { force: true });
    say('warning', `meta/report.bz2 not written: ${(e as Error).message}`);
  }
}

export async function repositoryAfterBuild(cfg: EngineConfig, say: Say): Promise<void> {
  await reportBz2(cfg, say);
  try {
    const r = await writeRepository(cfg);
    for (const w of r.warnings) say('warning', w);
    for (const n of r.notes) say('information', n);
    say('information', `pkg_summary: ${plural(r.state.packages, 'package')} in ${cfg.packages}/All${r.state.checksum ? ', SHA512.bz2 written' : ''}`);
  } catch (e) {
    const message = `the repository index (pkg_summary, SHA512.bz2) was not written: ${(e as Error).message}`;
    say('error', message);
    await recordOutcome(cfg, 'repository', message).catch(() => undefined);
  }
}

export async function publishAfterFullBuild(cfg: EngineConfig, say: Say, signal?: AbortSignal): Promise<void> {
  if (!cfg.settings.publish.afterFullBuild) return;
  const pc = publishConf(cfg);
  const log = (l: string) => say('information', l);
  if (pc.mail && pc.reportRecipients.length > 0) {
    const m = await mailReport(cfg, { log });
    if (!m.ok) say('error', `the report was not mailed: ${m.error}`);
  } else {
    log(`the report is not mailed: ${pc.mail ? 'report_recipients is empty' : pc.mailOff}`);
  }
  if (!pc.rsync) {
    log(`nothing uploaded: ${pc.rsyncOff}`);
    return;
  }
  const r = await publish(cfg, { log, ...(signal ? { signal } : {}) });
  if (r.refused) say('warning', `the packages were not published: ${r.error} (pkgsrc-bulk publish --force publishes them)`);
  else if (!r.ok) say('error', `publishing failed: ${r.error}`);
}
