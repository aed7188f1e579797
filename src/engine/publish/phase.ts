// What the engine does with the repository when a build ends: after every build (full,
// limited, rebuild) the index as pbulk's build phase writes it; after a full build, as
// bulkbuild's report and upload phases do, the report mail and the upload (each when
// pbulk.conf sets it up, the upload only when the gates pass). Problems become engine
// events; they never turn a finished build into a failed one.
import type { EngineConfig } from '../config/types';
import { publishConf } from './config';
import { mailReport } from './mail';
import { join } from 'node:path';
import { rename, rm } from 'node:fs/promises';
import { compress, writeRepository } from './repository';
import { updatePublishState } from './state';
import { publish } from './upload';

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
    say('information', `pkg_summary: ${r.state.packages} package(s) in ${cfg.packages}/All${r.state.checksum ? ', SHA512.bz2 written' : ''}`);
  } catch (e) {
    const message = `the repository index (pkg_summary, SHA512.bz2) was not written: ${(e as Error).message}`;
    say('error', message);
    await updatePublishState(cfg, { failed: { at: Date.now(), what: 'repository', message } }).catch(() => undefined);
  }
}

export async function publishAfterFullBuild(cfg: EngineConfig, say: Say, signal?: AbortSignal): Promise<void> {
  if (!cfg.settings.publish.afterFullBuild) return;
  const pc = publishConf(cfg);
  const log = (l: string) => say(l.startsWith('error: ') ? 'error' : l.startsWith('warning: ') ? 'warning' : 'information', l.replace(/^(error|warning): /, ''));
  if (pc.mail && pc.reportRecipients.length > 0) await mailReport(cfg, { log });
  else say('information', `the report is not mailed: ${pc.mail ? 'report_recipients is empty' : pc.mailOff}`);
  if (!pc.rsync) {
    say('information', `nothing uploaded: ${pc.rsyncOff}`);
    return;
  }
  await publish(cfg, { log, ...(signal ? { signal } : {}) });
}
