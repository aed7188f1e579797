// From CLI options to an engine: settings file plus flags, the pbulk.conf read into an
// EngineConfig (its problems printed as file:line:col, errors are exit 2), and the bulklog
// lock (exit 3 when another engine holds it).
import { formatProblem } from '../../pkgsrc/problem';
import { readLimitedList } from '../scan/limited-list';
import { LOCATION } from '../scan/runner';
import { checkLocations } from '../core/validate';
import { loadEngineConfig } from '../config/load';
import { defaultSettings, loadSettings, settingsSchema, SettingsError, type EngineSettings } from '../config/settings';
import type { EngineConfig } from '../config/types';
import { UsageError } from '../commands/types';
import type { CommonOptions } from './options';

/** A pbulk.conf or settings file the engine cannot use: exit 2, like bad usage. */
export class ConfigError extends UsageError {}

// Warnings about what the engine itself will do differently; the rest is `pkgsrc-bulk lint`'s business.
const ENGINE_WARNINGS = new Set(['engine-config', 'ulimit-ignored', 'dynamic-ulimit']);

export async function settingsFor(o: CommonOptions): Promise<EngineSettings> {
  let s: EngineSettings;
  try {
    s = o.settingsFile ? await loadSettings(o.settingsFile) : defaultSettings();
  } catch (e) {
    if (e instanceof SettingsError) throw new ConfigError(e.message);
    throw e;
  }
  const over: Record<string, unknown> = { ...s };
  if (o.jobs !== undefined) over.jobs = o.jobs;
  if (o.scanJobs !== undefined) over.scanJobs = o.scanJobs;
  if (o.sandbox !== undefined) over.sandbox = o.sandbox;
  if (o.priority !== undefined) over.priority = o.priority;
  if (o.socket !== undefined) over.socket = o.socket;
  const r = settingsSchema.safeParse(over);
  if (!r.success) throw new UsageError(r.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
  return r.data;
}

/** Loads pbulk.conf; prints its warnings to stderr; errors become ConfigError. */
export async function configFor(o: CommonOptions, stderr: NodeJS.WritableStream = process.stderr): Promise<EngineConfig> {
  return loadConfigFile(o.config, await settingsFor(o), { stderr, warnings: true });
}

/**
 * Loads a pbulk.conf as the engine reads it, printing its errors (and, with `warnings`, what
 * the engine will do differently from pbulk); a file it cannot use is a ConfigError ending in
 * `why`.
 */
export async function loadConfigFile(
  file: string,
  settings: EngineSettings,
  opts: { stderr?: NodeJS.WritableStream; warnings?: boolean; why?: string } = {},
): Promise<EngineConfig> {
  const stderr = opts.stderr ?? process.stderr;
  const r = await loadEngineConfig(file, settings);
  const errors = r.problems.filter((p) => p.severity === 'error');
  // An unreadable file has one error, and it is the whole story.
  if (!r.config && errors.length === 1 && r.problems.length === 1) throw new ConfigError(formatProblem(errors[0]!));
  for (const p of r.problems) if (p.severity === 'error' || (opts.warnings && ENGINE_WARNINGS.has(p.code))) stderr.write(`${formatProblem(p)}\n`);
  if (!r.config) throw new ConfigError(`${file}: ${errors.length} error(s); ${opts.why ?? 'the engine cannot use this pbulk.conf'}`);
  return r.config;
}

/**
 * A PKGPATH as typed in a shell: `devel/foo/` (completion's slash), `./devel/foo` or
 * `/usr/pkgsrc/devel/foo` (inside pbulk.conf's pkgsrc) all mean `devel/foo`.
 */
export function normalizeLocation(arg: string, pkgsrc: string): string {
  let l = arg.replace(/\/+$/, '');
  const root = pkgsrc.replace(/\/+$/, '') + '/';
  if (l.startsWith(root)) l = l.slice(root.length);
  return l.replace(/^(\.\/)+/, '');
}

/** Locations of a limited build from the options: PKGPATHs, --limited-list, or none. */
export async function locationsFor(o: CommonOptions, cfg: EngineConfig): Promise<string[] | undefined> {
  if (o.locations.length > 0) {
    const locations = o.locations.map((a) => normalizeLocation(a, cfg.pkgsrc));
    const bad = o.locations.filter((_, i) => !LOCATION.test(locations[i]!));
    if (bad.length > 0) throw new ConfigError(`not a package location (category/dir in ${cfg.pkgsrc}): ${bad.map((b) => `'${b}'`).join(', ')}`);
    return locations;
  }
  if (o.limitedList) {
    const l = await readLimitedList(o.limitedList, cfg.pbulkVersion);
    const bad = l.problems.filter((p) => p.severity === 'error');
    if (bad.length > 0) throw new ConfigError(bad.map(formatProblem).join('\n'));
    await checkLocations(cfg.pkgsrc, l.locations, o.limitedList);
    return l.locations;
  }
  return undefined;
}
