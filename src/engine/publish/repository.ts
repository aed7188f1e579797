// The repository index pbulk's build phase writes after the builds: All/pkg_summary.gz and
// .bz2 (`${pkg_info} -X` over the successful packages' files in sorted order, compressed with
// pbulk.conf's gzip and bzip2) and, unless checksum_packages is `no`, SHA512.bz2 (digest's
// SHA512 lines of the two summaries and every package file, sorted by name). Everything is
// made in a staging directory inside the packages directory and renamed into place, so a
// client reading the repository meanwhile gets the old file or the new one, never a part.
// The category directories of links that `make package` makes are completed for the packages
// an upload carries, so the upload finds them.
import { appendFile, lstat, mkdir, readdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parsePkgSummary } from '../../pkgsrc/summary';
import { byteOrder, evaluateGates, repoPackages, uploadList, type UploadList } from '../../pkgsrc/publish';
import type { GateState, RepositoryState } from '../../protocol/publish';
import type { EngineConfig } from '../config/types';
import { readPresolve } from '../core/presolve';
import { readFinished } from '../core/resume';
import { loadExeca } from '../execa';
import { digestFile, digestLines } from './digest';
import { publishConf } from './config';
import { recordOutcome } from './state';
import { plural } from '../../pkgsrc/states';

const CHUNK = 256;
const STAGE_PREFIX = '.pkgsrc-bulk-repo.';

export interface RepositoryResult {
  state: RepositoryState;
  gates: GateState;
  /** What an upload carries (restricted packages left out). */
  upload: UploadList;
  /** Successful packages with their locations, for the gates. */
  success: { pkgname: string; location?: string }[];
  warnings: string[];
  /** What was done besides the index, worth a line in the log. */
  notes: string[];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Staging directories of writers that are gone (an engine killed mid-write). */
async function removeStaleStages(packages: string): Promise<void> {
  let names: string[] = [];
  try {
    names = await readdir(packages);
  } catch {
    return;
  }
  for (const n of names) {
    if (!n.startsWith(STAGE_PREFIX)) continue;
    const pid = Number(n.slice(STAGE_PREFIX.length));
    if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) await rm(join(packages, n), { recursive: true, force: true });
  }
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

export async function compress(cmd: readonly string[], input: { file: string } | { text: string }, out: string): Promise<void> {
  const { execa } = await loadExeca();
  const r = await execa(cmd[0]!, [...cmd.slice(1), '-c'], {
    ...('file' in input ? { inputFile: input.file } : { input: input.text }),
    stdout: { file: out },
    reject: false,
  });
  if (r.exitCode !== 0 || r.failed)
    throw new Error(`${cmd.join(' ')} -c failed (${r.exitCode ?? r.shortMessage}): ${String(r.stderr).trim().split('\n').slice(-3).join(' ')}`);
}

/** `${pkg_info} -X` of the files (in All/), appended to `out`; returns pkg_info's complaints. */
async function pkgInfoSummary(cfg: EngineConfig, files: readonly string[], out: string): Promise<string[]> {
  const { execa } = await loadExeca();
  const complaints: string[] = [];
  await writeFile(out, '');
  const all = join(cfg.packages, 'All');
  for (let i = 0; i < files.length; i += CHUNK) {
    const r = await execa(cfg.pkgInfo[0]!, [...cfg.pkgInfo.slice(1), '-X', ...files.slice(i, i + CHUNK)], {
      cwd: all,
      encoding: 'buffer',
      reject: false,
      maxBuffer: 1 << 30,
      stripFinalNewline: false,
    });
    if (r.failed && r.exitCode === undefined) throw new Error(`${cfg.pkgInfo.join(' ')} -X: ${r.shortMessage}`);
    await appendFile(out, r.stdout as Uint8Array);
    const err = Buffer.from(r.stderr as Uint8Array)
      .toString('utf8')
      .trim();
    if (err) complaints.push(...err.split('\n').slice(0, 5));
    if (r.exitCode !== 0) complaints.push(`${cfg.pkgInfo.join(' ')} -X exited ${r.exitCode}`);
  }
  return complaints;
}

/** A `dir/<file>` link to `../All/<file>` as package-links makes it, unless something is there. */
async function ensureLink(packages: string, dir: string, file: string): Promise<boolean> {
  const path = join(packages, dir, file);
  try {
    await lstat(path);
    return false;
  } catch {
    // Missing: made below.
  }
  await mkdir(join(packages, dir), { recursive: true });
  const tmp = join(packages, dir, `.${file}.${process.pid}.link`);
  await rm(tmp, { force: true });
  await symlink(`../All/${file}`, tmp);
  await rename(tmp, path);
  return true;
}

export interface RepositoryPlan {
  /** Successful packages whose binary package exists, in success order. */
  present: string[];
  /** Successful packages without a binary package. */
  missing: string[];
  /** Their package files, sorted as pbulk sorts them. */
  files: string[];
  upload: UploadList;
  success: { pkgname: string; location?: string }[];
  gates: GateState;
}

/** What the repository of the build in the bulklog holds, and whether the gates let it out. */
export async function planRepository(cfg: EngineConfig): Promise<RepositoryPlan> {
  const all = join(cfg.packages, 'All');
  const { success } = await readFinished(cfg);
  const names = [...new Set(success)];
  const { records } = await readPresolve(cfg.metaDir);
  const locationOf = new Map(records.map((r) => [r.pkgname, r.location]));
  const fileOf = (n: string) => `${n}${cfg.pkgSufx}`;
  const present: string[] = [];
  const missing: string[] = [];
  for (const n of names) ((await isFile(join(all, fileOf(n)))) ? present : missing).push(n);
  const upload = uploadList(repoPackages(records.map((r) => r.record)), present, cfg.pkgSufx);
  const succ = present.map((n) => ({ pkgname: n, ...(locationOf.get(n) ? { location: locationOf.get(n)! } : {}) }));
  const g = cfg.settings.publish;
  const verdict = evaluateGates(g, succ);
  const gates: GateState = {
    ...(g.minPackages !== undefined ? { minPackages: g.minPackages } : {}),
    ...(g.requiredPackages ? { requiredPackages: g.requiredPackages } : {}),
    passed: verdict.passed,
    built: verdict.built,
    reasons: verdict.reasons,
  };
  return { present, missing, files: present.map(fileOf).sort(byteOrder), upload, success: succ, gates };
}

/** Writes the repository index of the build in the bulklog and records it in the state file. */
export async function writeRepository(cfg: EngineConfig): Promise<RepositoryResult> {
  const pc = publishConf(cfg);
  const warnings: string[] = [];
  const all = join(cfg.packages, 'All');
  await mkdir(all, { recursive: true });
  await removeStaleStages(cfg.packages);
  const plan = await planRepository(cfg);
  const { files, missing, upload } = plan;
  if (missing.length > 0)
    warnings.push(
      `${plural(missing.length, 'successful package')}: no binary package in ${all}, left out of pkg_summary: ${missing.slice(0, 10).join(' ')}${missing.length > 10 ? ' ...' : ''}`,
    );

  const stage = join(cfg.packages, `${STAGE_PREFIX}${process.pid}`);
  await rm(stage, { recursive: true, force: true });
  await mkdir(join(stage, 'All'), { recursive: true });
  try {
    const text = join(stage, 'pkg_summary');
    const complaints = await pkgInfoSummary(cfg, files, text);
    if (complaints.length > 0) warnings.push(`pkg_info -X: ${complaints.slice(0, 5).join('; ')}`);
    const parsed = parsePkgSummary(await readFile(text, 'latin1'), { file: 'pkg_summary', checkRequired: false });
    if (parsed.records.length !== files.length)
      warnings.push(`pkg_info -X printed ${plural(parsed.records.length, 'record')} for ${plural(files.length, 'package file')}`);
    await compress(pc.gzip, { file: text }, join(stage, 'All/pkg_summary.gz'));
    await compress(pc.bzip2, { file: text }, join(stage, 'All/pkg_summary.bz2'));
    if (pc.checksum) {
      const summaries = ['All/pkg_summary.bz2', 'All/pkg_summary.gz'];
      const lines = [
        ...(await digestLines(pc.digest, stage, summaries)),
        ...(await digestLines(
          pc.digest,
          cfg.packages,
          files.map((f) => `All/${f}`),
        )),
      ];
      // digest printed the two groups apart; SHA512.bz2 lists every file in sorted order.
      const key = (l: string) => digestFile(l) ?? l;
      lines.sort((a, b) => byteOrder(key(a), key(b)));
      await compress(pc.bzip2, { text: lines.map((l) => `${l}\n`).join('') }, join(stage, 'SHA512.bz2'));
    }
    await rename(join(stage, 'All/pkg_summary.gz'), join(all, 'pkg_summary.gz'));
    await rename(join(stage, 'All/pkg_summary.bz2'), join(all, 'pkg_summary.bz2'));
    if (pc.checksum) await rename(join(stage, 'SHA512.bz2'), join(cfg.packages, 'SHA512.bz2'));
  } finally {
    await rm(stage, { recursive: true, force: true });
  }

  let links = 0;
  for (const e of upload.entries) if (e.dir !== 'All' && (await ensureLink(cfg.packages, e.dir, `${e.pkgname}${cfg.pkgSufx}`))) links++;
  const notes = links > 0 ? [`made ${plural(links, 'category link')} to ../All that the package builds had not made`] : [];

  const state: RepositoryState = {
    writtenAt: Date.now(),
    packagesDir: cfg.packages,
    packages: files.length,
    restricted: upload.restricted,
    missing,
    checksum: pc.checksum,
  };
  await recordOutcome(cfg, 'repository', undefined, { repository: state, gates: plan.gates });
  return { state, gates: plan.gates, upload, success: plan.success, warnings, notes };
}
