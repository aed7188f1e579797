// Runs `make pbulk-index` over locations, N at a time, in the scan sandbox: argument arrays
// only, a timeout per run, NUL bytes or a non-zero exit discard the output (pbulk-scan's
// rules). Locations whose scan cache entry is still current are not run at all. With a
// remote scan (master mode) the runs happen on the scan clients instead, one master per round.
// Results come back in location order, ready for assemblePscan.
import { join } from 'node:path';
import { splitIndexOutput, type ScanJobResult } from '../../pkgsrc/scan/pscan';
import type { ScanCache } from '../../pkgsrc/scan/cache';
import type { EngineConfig } from '../config/types';
import type { Sandbox } from '../sandbox/types';
import { mapPool } from '../concurrency';
import { PACKAGE_LOCATION } from '../../pkgsrc/conf';

/** `category/dir`; the directory may not be `.` or `..` (a location never leaves its category). */
export const LOCATION = PACKAGE_LOCATION;

export interface ScanProgressInfo {
  round: number;
  done: number;
  total: number;
  cached: number;
  failed: number;
  location: string;
}

export interface ScanFailure {
  location: string;
  message: string;
}

export interface ScanRound {
  jobs: ScanJobResult[];
  /** make's stderr of every run, in completion order (pbulk-scan lets it through). */
  stderr: string[];
  cached: number;
  failures: ScanFailure[];
}

/** One scan round on other hosts: a scan master open for the round's duration. */
export interface RemoteScanRound {
  index(location: string, signal?: AbortSignal): Promise<{ output: Buffer; host: string } | { failed: string; host: string } | { notProcessed: true }>;
  close(): Promise<void>;
}

export interface ScanRunnerOptions {
  /** Opens the scan master of a round (master mode); absent: scans run in the sandbox. */
  remote?: () => Promise<RemoteScanRound>;
  concurrency: number;
  env: Record<string, string>;
  cache?: ScanCache | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: (p: ScanProgressInfo) => void;
}

function tail(s: string, lines = 5): string {
  return s.trimEnd().split('\n').slice(-lines).join('\n');
}

export class ScanRunner {
  constructor(
    private readonly cfg: EngineConfig,
    private readonly box: Sandbox,
    private readonly opts: ScanRunnerOptions,
  ) {}

  async scan(locations: readonly string[], round = 1): Promise<ScanRound> {
    const { cache, signal } = this.opts;
    const fresh = cache ? cache.freshness(locations.filter((l) => LOCATION.test(l))) : new Map();
    const stderr: string[] = [];
    const failures: ScanFailure[] = [];
    let done = 0;
    let cached = 0;
    const progress = (location: string) => {
      done++;
      this.opts.onProgress?.({ round, done, total: locations.length, cached, failed: failures.length, location });
    };
    const one = async (location: string): Promise<ScanJobResult> => {
      const fail = (message: string): ScanJobResult => {
        failures.push({ location, message });
        progress(location);
        return { location, failed: true };
      };
      if (!LOCATION.test(location)) return fail(`Scan failed for ${location}: not a category/package location`);
      const f = fresh.get(location);
      if (f?.current) {
        cached++;
        progress(location);
        return { location, output: f.entry.output };
      }
      const started = Date.now() / 1000;
      if (this.opts.remote) {
        const m = await (master ??= this.opts.remote());
        const res = await m.index(location, signal);
        if ('notProcessed' in res) return { location, notProcessed: true };
        if ('failed' in res) return fail(`Scan failed for ${location}: ${res.failed}`);
        return kept(res.output.toString('latin1'), started);
      }
      let r;
      try {
        r = await this.box.exec([...this.cfg.make, 'pbulk-index'], {
          env: this.opts.env,
          cwd: join(this.cfg.pkgsrc, location),
          capture: true,
          captureEncoding: 'latin1',
          limits: { timeoutMs: this.cfg.settings.scanTimeoutMs },
          signal,
        });
      } catch (e) {
        return fail(`Scan failed for ${location}: ${(e as Error).message}`);
      }
      if (r.stderr) stderr.push(r.stderr);
      if (signal?.aborted) return { location, notProcessed: true };
      if (r.timedOut) return fail(`Scan failed for ${location}: make pbulk-index timed out after ${this.cfg.settings.scanTimeoutMs} ms`);
      if (r.exitCode !== 0) {
        const why = r.exitCode === null ? `could not run make (${r.signal ?? 'no exit status'})` : `make pbulk-index exited ${r.exitCode}`;
        return fail(`Scan failed for ${location}: ${why}${r.stderr ? `\n${tail(r.stderr)}` : ''}`);
      }
      return kept(r.stdout ?? '', started);
      function kept(out: string, started: number): ScanJobResult {
        if (out.includes('\0')) return fail(`Scan failed for ${location}: output holds NUL bytes`);
        // Only clean output is worth keeping; anything else is scanned again next time.
        if (cache && splitIndexOutput(out, location).message === undefined) cache.store(location, out, started);
        progress(location);
        return { location, output: out };
      }
    };
    // A remote round queues every location at the master, which hands them to the clients.
    let master: Promise<RemoteScanRound> | undefined;
    let results;
    try {
      results = await mapPool(locations, this.opts.remote ? locations.length : this.opts.concurrency, one, signal);
    } finally {
      if (master) await (await master.catch(() => undefined))?.close();
    }
    const jobs = results.map((r, i) => r ?? { location: locations[i]!, notProcessed: true as const });
    return { jobs, stderr, cached, failures };
  }
}
