// Engine-only options: what pbulk.conf has no variable for. They come from a small JSON file
// (checked with zod, errors with the field and the file) or from CLI flags; pbulk.conf never
// gets new syntax for them.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { publishSettingsSchema } from '../publish/settings';

export const settingsSchema = z
  .object({
    /** Build slots; default build_chroots from pbulk.conf, else 1. Capped by the sandbox backend. */
    jobs: z.number().int().min(1).max(256).optional(),
    /** Parallel `bmake pbulk-index` runs; default scan_procs, else the number of CPUs. */
    scanJobs: z.number().int().min(1).max(256).optional(),
    /** Kill one `bmake pbulk-index` after this long (ms); the location counts as a scan failure. */
    scanTimeoutMs: z.number().int().positive().default(300_000),
    /** Kill one build phase after this long (ms); the package fails in that phase. 0: never. */
    phaseTimeoutMs: z.number().int().nonnegative().default(0),
    /**
     * Sandbox backend for scans and builds. Default: from pbulk.conf, as the sandbox plan
     * decides (no chroot_dir: none; chroot_create: command; else chroot as root, namespace
     * otherwise).
     */
    sandbox: z.enum(['none', 'namespace', 'chroot', 'command']).optional(),
    /** Where sandboxes are created (a directory of their own); default chroot_dir's parent. */
    sandboxBase: z.string().optional(),
    /**
     * Build order: pbulk's depth (most dependents first), weight sums over dependents, or the
     * critical path (the heaviest chain of dependents first, which finishes soonest). Weights
     * are PBULK_WEIGHT, else the package's build time in an earlier run.
     */
    priority: z.enum(['depth', 'weight', 'critical-path']).default('critical-path'),
    /** Build times of earlier runs; default `<bulklog>.build-times.json` beside the bulklog. */
    timesFile: z.string().optional(),
    /** Scan cache file; default `<bulklog>.scan-cache.json` beside the bulklog. */
    scanCache: z.string().optional(),
    /** Where earlier runs are kept; default `<bulklog>.history` beside the bulklog. */
    historyDir: z.string().optional(),
    /** Runs the history keeps (the newest); 0 keeps none, as pbulk, which only empties the bulklog. */
    historyKeepRuns: z.number().int().min(0).max(10_000).default(30),
    /** Runs older than this many days leave the history. */
    historyKeepDays: z.number().positive().optional(),
    /** Reuse cached scan records whose SCAN_DEPENDS files are unchanged. */
    incrementalScan: z.boolean().default(true),
    /** Extra environment for every scan and build process. */
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}),
    /** PATH for scan and build processes. */
    path: z.string().default('/usr/sbin:/usr/bin:/sbin:/bin'),
    /** Unix socket for clients; default `<bulklog>/meta/engine.sock` (only with `serve`). */
    socket: z.string().optional(),
    /** Unix group allowed to connect to a root engine's socket. */
    socketGroup: z.string().optional(),
    /** Publishing the package repository (pkgsrc-bulk publish, and after full builds). */
    publish: publishSettingsSchema,
    /**
     * Master mode: how long after a start script ended a listed client may take to connect
     * before it is reported as missing (the master goes on waiting, as pbulk's does).
     */
    clientWaitMs: z.number().int().positive().default(120_000),
    /** Master mode: a build client failing this many packages in a row is dropped. 0: never. */
    clientFailureLimit: z.number().int().nonnegative().default(5),
    /** Master mode: check ssh reachability and the shared paths of the clients before starting them. */
    masterPreflight: z.boolean().default(true),
  })
  .strict();

export type EngineSettings = z.infer<typeof settingsSchema>;

export class SettingsError extends Error {}

export function defaultSettings(): EngineSettings {
  return settingsSchema.parse({});
}

/** Parses settings JSON; errors name the file and the field. */
export function parseSettings(text: string, file: string): EngineSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    let where = '';
    if (m) {
      const pos = Number(m[1]);
      const before = text.slice(0, pos);
      const line = before.split('\n').length;
      where = `:${line}:${pos - before.lastIndexOf('\n')}`;
    }
    throw new SettingsError(`${file}${where}: not valid JSON: ${(e as Error).message}`);
  }
  const r = settingsSchema.safeParse(raw);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
    throw new SettingsError(`${file}: ${issues}`);
  }
  return r.data;
}

export async function loadSettings(file: string): Promise<EngineSettings> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new SettingsError(`${file}: cannot read settings: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseSettings(text, file);
}
