// Fetching before the builds, so that builds need no network: for each package about to be
// built, the tree says which distfiles it needs and where they go (DISTDIR, _ALLFILES: the
// names pkgsrc's own fetch uses); those missing are fetched with the tree's own `make fetch`,
// N packages at a time, with the host's network. A package whose distfiles are still missing
// afterwards fails in checksum with the fetch output as its log, as in pbulk, however many
// there are: it is that package's failure. With no network at all nothing is tried: a missing
// distfile fails at once instead of after every master site has been waited on.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { EngineConfig } from '../config/types';
import type { Sandbox } from '../sandbox/types';
import { mapPool } from '../concurrency';

export interface FetchJob {
  pkgname: string;
  location: string;
  /** MULTI_VERSION words, passed as to every make of the build. */
  makeFlags: string[];
}

export interface FetchOptions {
  cfg: EngineConfig;
  box: Sandbox;
  env: Record<string, string>;
  concurrency: number;
  /** Whether this host can reach anything (see hostHasNetwork). */
  online: boolean;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, pkgname: string) => void;
}

export interface FetchSummary {
  /** pkgname -> the log of its failed fetch. */
  failures: Map<string, string>;
  /** Packages that had distfiles missing. */
  missing: number;
  /** Packages whose missing distfiles were fetched. */
  fetched: number;
}

/** Fetch output kept per package (the head and tail of a longer one). */
const MAX_LOG = 256 * 1024;

class Collect extends Writable {
  private chunks: Buffer[] = [];
  private size = 0;
  private dropped = 0;
  override _write(chunk: Buffer | string, _e: BufferEncoding, cb: () => void): void {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (this.size < MAX_LOG) {
      this.chunks.push(b);
      this.size += b.length;
    } else this.dropped += b.length;
    cb();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8') + (this.dropped ? `\n[... ${this.dropped} more bytes of fetch output not kept ...]\n` : '');
  }
}

/** True unless the routing tables show no default route (IPv4 or IPv6) off the loopback. */
export function hostHasNetwork(read: (p: string) => string = (p) => readFileSync(p, 'utf8')): boolean {
  let seen = false;
  try {
    for (const line of read('/proc/net/route').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      seen = true;
      if (f.length > 2 && f[0] !== 'lo' && f[1] === '00000000') return true;
    }
  } catch {
    return true; // not Linux, or no /proc: assume a network
  }
  try {
    for (const line of read('/proc/net/ipv6_route').split('\n')) {
      const f = line.trim().split(/\s+/);
      if (f.length >= 10 && f[0] === '0'.repeat(32) && f[1] === '00' && f[9] !== 'lo') return true;
    }
  } catch {
    // no IPv6
  }
  return !seen;
}

function words(s: string): string[] {
  return s.split(/[ \t]+/).filter((w) => w !== '');
}

export async function fetchDistfiles(jobs: readonly FetchJob[], o: FetchOptions): Promise<FetchSummary> {
  const { cfg, box } = o;
  const failures = new Map<string, string>();
  let missingCount = 0;
  let fetched = 0;
  let done = 0;
  const at = (p: string) => (box.backend === 'command' ? box.root + p : p);
  const make = (job: FetchJob, args: string[], extra: Partial<Parameters<Sandbox['exec']>[1]>) =>
    box.exec([...cfg.make, ...args, ...job.makeFlags], {
      env: o.env,
      cwd: join(cfg.pkgsrc, job.location),
      ...(cfg.settings.phaseTimeoutMs > 0 ? { limits: { timeoutMs: cfg.settings.phaseTimeoutMs } } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
      ...extra,
    });
  const missing = async (job: FetchJob): Promise<{ distdir: string; files: string[] } | undefined> => {
    const r = await make(job, ['show-vars', 'VARNAMES=DISTDIR _ALLFILES'], { capture: true }).catch(() => undefined);
    if (!r || r.exitCode !== 0) return undefined; // the build itself will say what is wrong with the package
    const [distdir = '', files = ''] = (r.stdout ?? '').split('\n');
    if (!distdir.startsWith('/')) return undefined;
    return { distdir, files: words(files).filter((f) => !existsSync(at(join(distdir, f)))) };
  };
  const one = async (job: FetchJob): Promise<void> => {
    const m = await missing(job);
    if (m && m.files.length > 0) {
      missingCount++;
      if (!o.online) {
        failures.set(
          job.pkgname,
          `pkgsrc-bulk: this host has no network (no default route): ${m.files.join(' ')} ${m.files.length === 1 ? 'is' : 'are'} not in DISTDIR=${m.distdir} and cannot be fetched`,
        );
      } else {
        const out = new Collect();
        const r = await make(job, ['fetch', 'BATCH=1', 'DEPENDS_TARGET=/nonexistent'], { output: out }).catch((e: Error) => e);
        const still = m.files.filter((f) => !existsSync(at(join(m.distdir, f))));
        if (still.length > 0 && !o.signal?.aborted) {
          const how = r instanceof Error ? `could not run make fetch: ${r.message}` : `make fetch exited ${r.exitCode ?? r.signal}`;
          failures.set(
            job.pkgname,
            `${out.text().replace(/\n?$/, '\n')}pkgsrc-bulk: fetched before the build on the host's network (${how}); still not in DISTDIR=${m.distdir}: ${still.join(' ')}`,
          );
        } else if (still.length === 0) fetched++;
      }
    }
    done++;
    o.onProgress?.(done, jobs.length, job.pkgname);
  };
  await mapPool(jobs, o.concurrency, one, o.signal);
  return { failures, missing: missingCount, fetched };
}
