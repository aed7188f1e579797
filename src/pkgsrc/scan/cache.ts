// The scan cache: each location's last `bmake pbulk-index` output, reused while every
// makefile it read (its SCAN_DEPENDS, plus the location's own Makefile) is older than that
// scan. This is pbulk-scan -L made per location and persistent, for full and limited builds
// alike: the key is the location, not the build.
//
// Differences from pbulk on purpose: pbulk compares with the old pscan file's mtime, we with
// the time each location's scan started (a file edited during a long scan is caught); pbulk
// looks at the first record's SCAN_DEPENDS only, we at every record's (multi-version variants
// read different files); pbulk reuses a record without SCAN_DEPENDS forever, we still check the
// Makefile. Times are compared in whole seconds and a file from the same second as the scan
// counts as newer, so coarse file system timestamps never hide an edit.
//
// On disk: one JSON file, written to a temporary name and renamed, with a format version, the
// pkgsrc path and a caller-chosen key (make program, MAKECONF, environment ...); a cache whose
// version, tree or key differs is dropped, with a note saying why.
import { statSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Problem } from '../problem';
import { range } from '../problem';
import { parseScan } from './parse';
import { scanDependPath } from './scan-depends';

export const SCAN_CACHE_FORMAT = 'pkgsrc-bulk scan cache';
export const SCAN_CACHE_VERSION = 1;

export interface CachedScan {
  location: string;
  /** The location's pbulk-index output as bmake printed it (no PKG_LOCATION lines). */
  output: string;
  /** When the scan of the location started, in seconds since the epoch. */
  scannedAt: number;
}

export type Freshness = { current: true; entry: CachedScan } | { current: false; reason: string };

const fileSchema = z.object({
  format: z.literal(SCAN_CACHE_FORMAT),
  version: z.number().int(),
  pkgsrc: z.string(),
  key: z.string(),
  locations: z.record(z.string(), z.object({ scannedAt: z.number(), output: z.string() })),
});

/** SCAN_DEPENDS entries of every record of an output, plus the location's Makefile. */
export function outputDepends(output: string): string[] {
  const deps = new Set<string>(['Makefile']);
  for (const line of output.split('\n')) {
    if (!line.startsWith('SCAN_DEPENDS=')) continue;
    for (const d of line.slice(13).split(/[ \t]+/)) if (d !== '') deps.add(d);
  }
  return [...deps];
}

export class ScanCache {
  private readonly entries = new Map<string, CachedScan>();
  /** outputDepends of each entry, computed once. */
  private readonly deps = new Map<string, string[]>();

  /**
   * @param pkgsrc the tree the locations are relative to
   * @param key anything besides the makefiles that changes scan output (make program,
   *   MAKECONF, environment); a loaded cache with another key is dropped
   */
  constructor(
    readonly pkgsrc: string,
    readonly key = '',
  ) {}

  get size(): number {
    return this.entries.size;
  }

  locations(): string[] {
    return [...this.entries.keys()];
  }

  get(location: string): CachedScan | undefined {
    return this.entries.get(location);
  }

  /** Records a successful scan; `scannedAt` is when it started (seconds or a Date). */
  store(location: string, output: string, scannedAt: number | Date): void {
    const t = typeof scannedAt === 'number' ? scannedAt : scannedAt.getTime() / 1000;
    this.entries.set(location, { location, output, scannedAt: Math.floor(t) });
    this.deps.delete(location);
  }

  delete(location: string): boolean {
    this.deps.delete(location);
    return this.entries.delete(location);
  }

  /** Is the cached scan of one location still current? */
  lookup(location: string): Freshness {
    return this.freshness([location]).get(location)!;
  }

  /** Freshness of many locations at once; each file is looked at once (stat results shared). */
  freshness(locations: readonly string[]): Map<string, Freshness> {
    const mtimes = new Map<string, number>();
    const mtime = (path: string): number => {
      let t = mtimes.get(path);
      if (t === undefined) {
        try {
          t = Math.floor(statSync(path).mtimeMs / 1000);
        } catch {
          t = -1;
        }
        mtimes.set(path, t);
      }
      return t;
    };
    const out = new Map<string, Freshness>();
    for (const loc of locations) {
      const entry = this.entries.get(loc);
      if (!entry) {
        out.set(loc, { current: false, reason: 'not in the scan cache' });
        continue;
      }
      let stale: string | undefined;
      let deps = this.deps.get(loc);
      if (!deps) this.deps.set(loc, (deps = outputDepends(entry.output)));
      for (const dep of deps) {
        const path = scanDependPath(this.pkgsrc, loc, dep);
        const t = mtime(path);
        if (t < 0) stale = `${path} is gone`;
        else if (t >= entry.scannedAt) stale = `${path} changed since the last scan`;
        if (stale) break;
      }
      out.set(loc, stale ? { current: false, reason: stale } : { current: true, entry });
    }
    return out;
  }

  /**
   * Seeds the cache from an old meta/pscan, as pbulk-scan -L uses one: every record goes back
   * to its location's output (PKG_LOCATION line removed), dated with the file's mtime.
   * Returns the number of locations taken.
   */
  importPscan(text: string, mtime: number | Date): number {
    const byLoc = new Map<string, string[]>();
    for (const r of parseScan(text, { format: 'pscan' }).records) {
      if (r.location === undefined) continue;
      const lines = r.text.split('\n');
      const i = lines.findIndex((l) => l.startsWith('PKG_LOCATION='));
      if (i >= 0) lines.splice(i, 1);
      const parts = byLoc.get(r.location) ?? [];
      parts.push(lines.join('\n'));
      byLoc.set(r.location, parts);
    }
    for (const [loc, parts] of byLoc) this.store(loc, parts.join(''), mtime);
    return byLoc.size;
  }

  async save(file: string): Promise<void> {
    const locations: Record<string, { scannedAt: number; output: string }> = {};
    for (const [loc, e] of this.entries) locations[loc] = { scannedAt: e.scannedAt, output: e.output };
    const data = { format: SCAN_CACHE_FORMAT, version: SCAN_CACHE_VERSION, pkgsrc: this.pkgsrc, key: this.key, locations };
    await mkdir(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(data));
    await rename(tmp, file);
  }

  /**
   * Loads a saved cache. A missing file gives an empty cache; an unreadable, foreign or
   * outdated one gives an empty cache and a problem saying why (never an exception).
   */
  static async load(file: string, pkgsrc: string, key = ''): Promise<{ cache: ScanCache; problems: Problem[] }> {
    const cache = new ScanCache(pkgsrc, key);
    const note = (message: string, severity: Problem['severity'] = 'warning'): { cache: ScanCache; problems: Problem[] } => ({
      cache,
      problems: [{ file, range: range(0, 0), severity, code: 'scan-cache', message }],
    });
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { cache, problems: [] };
      return note(`scan cache not readable, scanning everything: ${(e as Error).message}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      return note(`scan cache is not valid JSON, scanning everything: ${(e as Error).message}`);
    }
    const head = z.object({ format: z.string(), version: z.number() }).safeParse(json);
    if (!head.success || head.data.format !== SCAN_CACHE_FORMAT) return note('not a pkgsrc-bulk scan cache, scanning everything');
    if (head.data.version !== SCAN_CACHE_VERSION) {
      return note(`scan cache has format version ${head.data.version}, this version reads ${SCAN_CACHE_VERSION}: scanning everything`, 'information');
    }
    const parsed = fileSchema.safeParse(json);
    if (!parsed.success) return note(`scan cache is damaged (${parsed.error.issues[0]?.message ?? 'bad shape'}), scanning everything`);
    if (parsed.data.pkgsrc !== pkgsrc) return note(`scan cache is for ${parsed.data.pkgsrc}, not ${pkgsrc}: scanning everything`, 'information');
    if (parsed.data.key !== key) return note('scan settings changed since the cache was written: scanning everything', 'information');
    for (const [loc, e] of Object.entries(parsed.data.locations)) cache.store(loc, e.output, e.scannedAt);
    return { cache, problems: [] };
  }
}
