// Publishing a build's package repository and mailing its report: the requests the editor
// sends the engine, and the repository state file (`<bulklog>.publish.json`) that the engine
// writes after every build and publish and the report view reads.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { defineRequest } from './rpc';
import { time } from './common';

export const gateState = z.object({
  minPackages: z.number().int().nonnegative().optional(),
  requiredPackages: z.array(z.string()).optional(),
  passed: z.boolean(),
  /** Successful packages of the build. */
  built: z.number().int().nonnegative(),
  /** Why the gates refuse to publish; empty when they pass. */
  reasons: z.array(z.string()),
});
export type GateState = z.infer<typeof gateState>;

export const repositoryState = z.object({
  /** When pkg_summary.gz/.bz2 (and SHA512.bz2) were last written. */
  writtenAt: time,
  /** pbulk.conf's packages directory. */
  packagesDir: z.string(),
  /** Records in pkg_summary: the successful packages whose binary package exists. */
  packages: z.number().int().nonnegative(),
  /** Successful packages left out of uploads (NO_BIN_ON_FTP and what depends on them). */
  restricted: z.array(z.string()),
  /** Successful packages without a binary package in All/. */
  missing: z.array(z.string()),
  /** SHA512.bz2 written (checksum_packages is not `no`). */
  checksum: z.boolean(),
});
export type RepositoryState = z.infer<typeof repositoryState>;

export const publishedState = z.object({
  at: time,
  /** pkg_rsync_target. */
  target: z.string(),
  /** The directory the target's link now points to. */
  release: z.string(),
  /** The release it pointed to before, kept for rollback. */
  previous: z.string().optional(),
  packages: z.number().int().nonnegative(),
  /** Where the report went (report_rsync_target/BUILD_START_DIR). */
  report: z.string().optional(),
  rollback: z.boolean().optional(),
});
export type PublishedState = z.infer<typeof publishedState>;

export const mailedState = z.object({ at: time, subject: z.string(), recipients: z.array(z.string()) });

export const publishStateFile = z.object({
  repository: repositoryState.optional(),
  gates: gateState.optional(),
  published: publishedState.optional(),
  mailed: mailedState.optional(),
  /** The last publish or mail that failed, and why. */
  failed: z.object({ at: time, what: z.enum(['publish', 'mail', 'repository']), message: z.string() }).optional(),
});
export type PublishStateFile = z.infer<typeof publishStateFile>;

/** Where the state of a bulklog's repository is kept: beside the bulklog, which pre-build empties. */
export function publishStatePath(bulklog: string): string {
  return `${bulklog.replace(/\/+$/, '')}.publish.json`;
}

/** The state file; empty when missing or unreadable. */
export async function readPublishState(file: string): Promise<PublishStateFile> {
  try {
    const r = publishStateFile.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return r.success ? r.data : {};
  } catch {
    return {};
  }
}

export const publishParams = z.object({
  /** Say what would be uploaded and run, change nothing. */
  dryRun: z.boolean().optional(),
  /** Publish although the gates refuse. */
  force: z.boolean().optional(),
  /** Point the target back at the previous release instead of uploading. */
  rollback: z.boolean().optional(),
  /** Upload only the packages, or only the report (default both). */
  only: z.enum(['packages', 'report']).optional(),
});
export type PublishParams = z.infer<typeof publishParams>;

export const publishResult = z.object({
  ok: z.boolean(),
  /** What was done (or would be, in a dry run), one line each, as the CLI prints it. */
  lines: z.array(z.string()),
  /** Why it failed or was refused. */
  error: z.string().optional(),
  /** The gates refused. */
  refused: z.boolean().optional(),
  published: publishedState.optional(),
});
export type PublishResult = z.infer<typeof publishResult>;

export const mailParams = z.object({ dryRun: z.boolean().optional() });
export const mailResult = z.object({
  ok: z.boolean(),
  lines: z.array(z.string()),
  error: z.string().optional(),
  /** The command and its arguments (also in a dry run). */
  argv: z.array(z.string()).optional(),
});
export type MailResult = z.infer<typeof mailResult>;

export const Publish = defineRequest('publish/run', publishParams, publishResult);
export const MailReport = defineRequest('publish/mail', mailParams, mailResult);
