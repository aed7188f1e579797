// pbulk configuration versions: comparing them, and finding the version of the pbulk that is
// installed here (from its example config) so a config is checked against what will run it.
import { join } from 'node:path';
import { realProbe, type FileProbe } from './probe';

/** The newest pbulk config version we know (pbulk 0.73/0.74, 2024/2025). */
export const CURRENT_PBULK_VERSION = '0.68';

/** Config versions whose example configs the schema was written from. */
export const KNOWN_PBULK_VERSIONS = ['0.51', '0.68'] as const;

export interface PbulkVersion {
  version: string;
  /** setting: chosen by the user; detected: read from an installed pbulk; default: assumed current. */
  source: 'setting' | 'detected' | 'default';
  /** The example config the version was read from. */
  file?: string;
  /** Where that pbulk is installed (its @PREFIX@). */
  prefix?: string;
}

/** Prefixes pbulk is commonly installed in (HOWTO-pbulk suggests /usr/pkg_bulk). */
export const COMMON_PBULK_PREFIXES = ['/usr/pkg_bulk', '/usr/pbulk', '/opt/pbulk', '/usr/pkg', '/opt/pkg', '/opt/local', '/usr/local', '/usr'];

/** Numeric comparison of dotted versions: 0.9 < 0.51 is false, 0.51 < 0.68. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function defaultPbulkVersion(): PbulkVersion {
  return { version: CURRENT_PBULK_VERSION, source: 'default' };
}

/** The config_version an example config declares, if it has a literal one. */
export function configVersionOf(text: string): string | undefined {
  const m = /^[ \t]*config_version=["']?([0-9]+(?:\.[0-9]+)*)["']?[ \t]*(?:#.*)?$/m.exec(text);
  return m?.[1];
}

/**
 * The version of an installed pbulk: the first of the given prefixes (then the common ones) with a
 * share/examples/pbulk/pbulk.conf stating a config_version. Falls back to the current version.
 */
export function detectPbulkVersion(prefixes: string[] = [], probe: FileProbe = realProbe): PbulkVersion {
  const seen = new Set<string>();
  for (const prefix of [...prefixes, ...COMMON_PBULK_PREFIXES]) {
    if (seen.has(prefix)) continue;
    seen.add(prefix);
    const file = join(prefix, 'share/examples/pbulk/pbulk.conf');
    const text = probe.readText(file, 64 * 1024);
    const version = text === undefined ? undefined : configVersionOf(text);
    if (version !== undefined) return { version, source: 'detected', file, prefix };
  }
  return defaultPbulkVersion();
}
