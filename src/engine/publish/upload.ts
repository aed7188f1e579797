// Publishing a finished build as pbulk's report and upload phases do: the report files and the
// failed packages' logs to report_rsync_target/<BUILD_START_DIR>, then the package repository
// to pkg_rsync_target with pbulk's include rules, staged and switched at once (rsync.ts),
// only when the gates pass. `--rollback` points the target back at the previous release.
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { parseStatus } from '../../pkgsrc/bulklog/status';
import { packageRules, reportCandidates, reportRules, splitTarget, type RsyncTarget } from '../../pkgsrc/publish';
import type { PublishedState, PublishParams, PublishResult } from '../../protocol/publish';
import type { EngineConfig } from '../config/types';
import { readFinished } from '../core/resume';
import { readRunState } from '../core/run-state';
import { publishConf } from './config';
import { keptReleases, nextRelease, quote, remoteRepository, removeReleases, RsyncError, runRsync, switchTo, uploadRelease, type Rsync } from './rsync';
import { planRepository, writeRepository } from './repository';
import { recordOutcome } from './state';
import { plural } from '../../pkgsrc/states';

export interface PublishOptions extends PublishParams {
  /** Each line as it happens (the CLI prints it, the after-build phase sends it as an event). */
  log?: (line: string) => void;
  signal?: AbortSignal;
}

class PublishError extends Error {}

async function exists(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

/** BUILD_START_DIR and friends from meta/status; pbulk stops without a start time. */
export async function buildStart(cfg: EngineConfig): Promise<{ dir: string; iso: string; platform?: string; finished: boolean }> {
  let text = '';
  try {
    text = await readFile(join(cfg.metaDir, 'status'), 'latin1');
  } catch {
    // Reported below.
  }
  const { status } = parseStatus(text, join(cfg.metaDir, 'status'));
  if (!status.buildStartDir || !status.buildStartIso)
    throw new PublishError(
      `Could not find start time of build. (${join(cfg.metaDir, 'status')} has no BUILD_START_ISO/BUILD_START_DIR: no build in this bulklog)`,
    );
  // pbulk appends BUILD_END_ISO when its build phase ends; the engine's run state says more.
  const run = await readRunState(cfg.metaDir);
  const finished = run ? run.stage === 'done' : status.buildEndIso !== undefined;
  return { dir: status.buildStartDir, iso: status.buildStartIso, ...(status.platform ? { platform: status.platform } : {}), finished };
}

/** Only a finished build is published, as pbulk uploads only after its build phase. */
async function finishedBuild(cfg: EngineConfig): Promise<void> {
  if (!(await buildStart(cfg)).finished)
    throw new PublishError(`the build in ${cfg.bulklog} is not finished: resume it (pkgsrc-bulk build) or let it end before publishing`);
}

function target(raw: string, what: string): RsyncTarget {
  const t = splitTarget(raw);
  if (typeof t === 'string') throw new PublishError(`${what}: ${t}`);
  return t;
}

async function uploadReport(cfg: EngineConfig, o: PublishOptions, say: (l: string) => void): Promise<string | undefined> {
  const pc = publishConf(cfg);
  if (!pc.rsync) return void say(`report not uploaded: ${pc.rsyncOff}`);
  if (!pc.reportRsyncTarget) return void say('report not uploaded: report_rsync_target is not set in pbulk.conf');
  const start = await buildStart(cfg);
  const metaRel = relative(cfg.bulklog, cfg.metaDir);
  if (metaRel === '' || metaRel.startsWith('..') || isAbsolute(metaRel))
    throw new PublishError(`loc=${cfg.metaDir} is not inside bulklog=${cfg.bulklog}: pbulk's report upload takes the reports from the bulklog`);
  const { error } = await readFinished(cfg);
  const found = new Set<string>();
  const pkgs = [...new Set(error)];
  for (const f of reportCandidates(pkgs, metaRel)) if (await exists(join(cfg.bulklog, f))) found.add(f);
  const rules = reportRules(pkgs, (f) => found.has(f), metaRel);
  const dest = `${pc.reportRsyncTarget.replace(/\/+$/, '')}/${start.dir}`;
  if (o.dryRun) {
    say(`would upload the report (${plural(found.size, 'file')}: reports, status and the logs of ${plural(pkgs.length, 'failed package')}) to ${dest}`);
    say(`  ${quote([...pc.rsync, '--exclude-from=-', ...pc.reportRsyncArgs, '.', dest])}  (in ${cfg.bulklog})`);
    return dest;
  }
  say(`uploading the report to ${dest}`);
  const r: Rsync = { cmd: pc.rsync, args: pc.reportRsyncArgs, log: (l) => say(`  ${l}`), ...(o.signal ? { signal: o.signal } : {}) };
  await runRsync(r, ['--exclude-from=-', ...pc.reportRsyncArgs, '.', dest], { cwd: cfg.bulklog, input: rules.map((l) => `${l}\n`).join('') });
  return dest;
}

async function uploadPackages(cfg: EngineConfig, o: PublishOptions, say: (l: string) => void): Promise<PublishedState | undefined> {
  const pc = publishConf(cfg);
  if (!pc.rsync) return void say(`packages not uploaded: ${pc.rsyncOff}`);
  if (!pc.pkgRsyncTarget) return void say('packages not uploaded: pkg_rsync_target is not set in pbulk.conf');
  const t = target(pc.pkgRsyncTarget, 'pkg_rsync_target');
  await buildStart(cfg);
  if (!(await exists(join(cfg.packages, 'All/pkg_summary.gz')))) {
    say('writing pkg_summary and SHA512 first (the packages directory has none)');
    if (!o.dryRun) for (const w of (await writeRepository(cfg)).warnings) say(`warning: ${w}`);
  }
  const plan = await planRepository(cfg);
  if (!plan.gates.passed) {
    if (!o.force) throw new GateError(plan.gates.reasons);
    say(`publishing although the gates refuse (forced): ${plan.gates.reasons.join('; ')}`);
  }
  const rules = packageRules(plan.upload, pc.checksum);
  const r: Rsync = { cmd: pc.rsync, args: pc.pkgRsyncArgs, log: (l) => say(`  ${l}`), ...(o.signal ? { signal: o.signal } : {}) };
  const remote = await remoteRepository(r, t);
  if (remote.blocker) throw new PublishError(remote.blocker);
  const release = nextRelease(t, remote);
  // Files already on the server are hard-linked, not sent: the live release's, and those of
  // the newest other one (an upload that was cut off).
  const newest = remote.releases.filter((n) => n !== remote.live).pop();
  const linkFrom = [...(remote.live && remote.releases.includes(remote.live) ? [remote.live] : []), ...(newest ? [newest] : [])];
  const files = plan.upload.entries.length;
  const count = `${plural(plan.present.length - plan.upload.restricted.length, 'package')}${plan.upload.restricted.length ? ` (${plan.upload.restricted.length} restricted left out)` : ''}`;
  const kept = keptReleases(remote, release, cfg.settings.publish.keep);
  const doomed = remote.releases.filter((n) => !kept.has(n));
  if (o.dryRun) {
    say(
      `would upload ${count} as ${plural(files, 'file')} with the category links into ${t.parent}/${release}${linkFrom.length ? `, hard-linking what ${linkFrom.join(' and ')} have` : ''}`,
    );
    say(
      `  ${quote([...pc.rsync, '--exclude-from=-', ...pc.pkgRsyncArgs, ...linkFrom.map((l) => `--link-dest=../${l}`), '.', `${t.parent}/${release}/`])}  (in ${cfg.packages})`,
    );
    say(
      `then switch ${t.target} -> ${release}${remote.live ? ` (from ${remote.live}, kept for rollback)` : ''}${doomed.length ? `, and remove ${doomed.join(' ')}` : ''}`,
    );
    return undefined;
  }
  say(`uploading ${count} into ${t.parent}/${release}`);
  await uploadRelease(r, t, cfg.packages, rules, release, linkFrom);
  say(`switching ${t.target} -> ${release}`);
  await switchTo(r, t, release);
  if (doomed.length > 0) {
    say(`removing older release(s): ${doomed.join(' ')}`);
    try {
      await removeReleases(r, t, doomed, release);
    } catch (e) {
      say(`warning: the old releases stay: ${(e as Error).message}`);
    }
  }
  return {
    at: Date.now(),
    target: t.target,
    release,
    ...(remote.live ? { previous: remote.live } : {}),
    packages: plan.present.length - plan.upload.restricted.length,
  };
}

async function rollback(cfg: EngineConfig, o: PublishOptions, say: (l: string) => void): Promise<PublishedState> {
  const pc = publishConf(cfg);
  if (!pc.rsync) throw new PublishError(`no rollback: ${pc.rsyncOff}`);
  if (!pc.pkgRsyncTarget) throw new PublishError('no rollback: pkg_rsync_target is not set in pbulk.conf');
  const t = target(pc.pkgRsyncTarget, 'pkg_rsync_target');
  const r: Rsync = { cmd: pc.rsync, args: pc.pkgRsyncArgs, log: (l) => say(`  ${l}`), ...(o.signal ? { signal: o.signal } : {}) };
  const remote = await remoteRepository(r, t);
  if (remote.blocker) throw new PublishError(remote.blocker);
  const at = remote.live ? remote.releases.indexOf(remote.live) : -1;
  const previous = at > 0 ? remote.releases[at - 1] : undefined;
  if (!remote.live || !previous) throw new PublishError(`no release before ${remote.live ?? 'the live one'} at ${t.parent} to roll back to`);
  if (o.dryRun) {
    say(`would switch ${t.target} -> ${previous} (from ${remote.live})`);
    return { at: Date.now(), target: t.target, release: previous, previous: remote.live, packages: 0, rollback: true };
  }
  say(`switching ${t.target} back -> ${previous} (from ${remote.live})`);
  await switchTo(r, t, previous);
  return { at: Date.now(), target: t.target, release: previous, previous: remote.live, packages: 0, rollback: true };
}

class GateError extends Error {
  constructor(readonly reasons: string[]) {
    super(`not published: ${reasons.join('; ')} (see the publish settings; --force publishes anyway)`);
  }
}

/** Uploads the report and the repository (or rolls back); never throws for expected failures. */
export async function publish(cfg: EngineConfig, o: PublishOptions = {}): Promise<PublishResult> {
  const lines: string[] = [];
  const say = (l: string) => {
    lines.push(l);
    o.log?.(l);
  };
  const errors: string[] = [];
  let refused = false;
  let published: PublishedState | undefined;
  const attempt = async (f: () => Promise<unknown>) => {
    try {
      await f();
    } catch (e) {
      if (e instanceof GateError) refused = true;
      else if (!(e instanceof PublishError || e instanceof RsyncError)) throw e;
      errors.push(e.message);
      say(`error: ${e.message}`);
    }
  };
  if (o.rollback) {
    await attempt(async () => (published = await rollback(cfg, o, say)));
  } else {
    let report: string | undefined;
    await attempt(() => finishedBuild(cfg));
    if (errors.length === 0 && o.only !== 'packages') await attempt(async () => (report = await uploadReport(cfg, o, say)));
    if (errors.length === 0 && o.only !== 'report') await attempt(async () => (published = await uploadPackages(cfg, o, say)));
    if (published && report) published.report = report;
  }
  if (!o.dryRun) await recordOutcome(cfg, 'publish', errors.length > 0 ? errors.join('; ') : undefined, published ? { published } : {});
  return {
    ok: errors.length === 0,
    lines,
    ...(errors.length ? { error: errors.join('; ') } : {}),
    ...(refused ? { refused } : {}),
    ...(published && !o.dryRun ? { published } : {}),
  };
}
