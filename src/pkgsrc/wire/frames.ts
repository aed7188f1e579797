// pbulk's master/client wire format (pbulk-reference §5), bytes only, no sockets:
//   scan:  master -> client  2-byte big-endian length + a location (no NUL, 3..65535 bytes)
//          client -> master  4-byte big-endian length + the `make pbulk-index` output;
//                            length 0 is a failed scan; 0xffffff and NUL bytes are refused
//   build: client -> master  one byte, `G` (give me a job) or `S` (statistics)
//          master -> client  4-byte big-endian length (10..0xffffff) + the presolve record
//          client -> master  one byte, `D` (pkg-build exited 0) or `F`
//          master -> `S`     seven 4-byte big-endian counters
// Streams arrive in arbitrary pieces; LengthPrefixed reassembles frames whatever the cuts.

const SCAN_LOCATION_MAX = 0xffff;
/** pbulk-scan's master treats this output length as a broken peer. */
const SCAN_OUTPUT_INVALID = 0xffffff;
const BUILD_INFO_MIN = 10;
const BUILD_INFO_MAX = 0xffffff;

export const CMD_GET = 0x47; // 'G'
export const CMD_STATS = 0x53; // 'S'
export const STATUS_DONE = 0x44; // 'D'
export const STATUS_FAILED = 0x46; // 'F'

export class WireError extends Error {}

/** Why a scan client refuses a location ("Invalid path from master"), or undefined. */
export function scanLocationProblem(loc: Buffer | string): string | undefined {
  const b = typeof loc === 'string' ? Buffer.from(loc, 'latin1') : loc;
  if (b.length < 3) return `a location of ${b.length} bytes (at least 3)`;
  if (b.includes(0)) return 'a NUL byte in the location';
  const s = b.toString('latin1');
  const slash = s.indexOf('/');
  if (s.startsWith('/')) return 'an absolute path';
  if (slash < 0) return 'no category/ part';
  if (slash !== s.lastIndexOf('/')) return 'more than one /';
  if (s.startsWith('../') || s.endsWith('/..')) return 'a .. component';
  return undefined;
}

function lengthPrefix(bytes: 2 | 4, n: number): Buffer {
  const b = Buffer.alloc(bytes);
  if (bytes === 2) b.writeUInt16BE(n);
  else b.writeUInt32BE(n);
  return b;
}

/** Master -> scan client: one job. */
export function encodeScanJob(location: string): Buffer {
  const body = Buffer.from(location, 'latin1');
  if (body.length > SCAN_LOCATION_MAX) throw new WireError(`location too long for the scan protocol (${body.length} bytes)`);
  return Buffer.concat([lengthPrefix(2, body.length), body]);
}

/** Scan client -> master: the output of one location; undefined is a failed scan (length 0). */
export function encodeScanOutput(output: Buffer | undefined): Buffer {
  if (output === undefined || output.length === 0) return lengthPrefix(4, 0);
  if (output.length > 0xffffffff) throw new WireError('scan output too large');
  return Buffer.concat([lengthPrefix(4, output.length), output]);
}

/** Master -> build client: one job (the presolve record). */
export function encodeBuildInfo(record: Buffer): Buffer {
  if (record.length < BUILD_INFO_MIN || record.length > BUILD_INFO_MAX)
    throw new WireError(`build info of ${record.length} bytes is outside ${BUILD_INFO_MIN}..${BUILD_INFO_MAX}`);
  return Buffer.concat([lengthPrefix(4, record.length), record]);
}

/** pbulk-build's statistics, in the order they travel. */
export interface BuildStats {
  open: number;
  inProcessing: number;
  failed: number;
  prefailed: number;
  indirectFailed: number;
  indirectPrefailed: number;
  done: number;
}

const STAT_ORDER = ['open', 'inProcessing', 'failed', 'prefailed', 'indirectFailed', 'indirectPrefailed', 'done'] as const;
const STATS_LENGTH = STAT_ORDER.length * 4;

export function encodeStats(s: BuildStats): Buffer {
  const b = Buffer.alloc(STATS_LENGTH);
  STAT_ORDER.forEach((k, i) => b.writeUInt32BE(Math.max(0, Math.min(0xffffffff, Math.trunc(s[k]))), i * 4));
  return b;
}

export function decodeStats(b: Buffer): BuildStats {
  if (b.length !== STATS_LENGTH) throw new WireError(`statistics of ${b.length} bytes (expected ${STATS_LENGTH})`);
  const out = {} as BuildStats;
  STAT_ORDER.forEach((k, i) => (out[k] = b.readUInt32BE(i * 4)));
  return out;
}

/** pbulk-build -s's text for the statistics. */
export function formatStats(s: BuildStats): string {
  return [
    `Jobs not yet processed: ${s.open}`,
    `Jobs currently in processing: ${s.inProcessing}`,
    `Successful builds: ${s.done}`,
    `Failing builds: ${s.failed + s.prefailed + s.indirectFailed + s.indirectPrefailed}`,
    `  Directly broken: ${s.failed}`,
    `  Broken due to a broken dependency: ${s.indirectFailed}`,
    `  Not build as explicitly marked broken: ${s.prefailed}`,
    `  Broken due to an explicitly broken dependency: ${s.indirectPrefailed}`,
  ].join('\n');
}

/** The PKGNAME= first line of a build record, as pbulk-build's client prints it. */
export function buildInfoPkgname(record: Buffer | string): string | undefined {
  const s = typeof record === 'string' ? record : record.toString('latin1');
  const m = /^PKGNAME=([^\n]*)\n/.exec(s);
  return m ? m[1] : undefined;
}

/**
 * Reassembles length-prefixed frames from a byte stream cut anywhere. `check` may refuse a
 * length before its body arrives (the stream is then unusable: a WireError is thrown).
 */
export class LengthPrefixed {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private want: number | undefined;

  constructor(
    private readonly prefix: 2 | 4,
    private readonly check: (length: number) => string | undefined = () => undefined,
  ) {}

  /** Bytes received but not yet part of a returned frame. */
  get pending(): number {
    return this.buffered;
  }

  /** True while a frame has begun (its length or part of its body is here). */
  get inFrame(): boolean {
    return this.buffered > 0 || this.want !== undefined;
  }

  push(data: Buffer): Buffer[] {
    if (data.length > 0) {
      this.chunks.push(data);
      this.buffered += data.length;
    }
    const out: Buffer[] = [];
    for (;;) {
      if (this.want === undefined) {
        if (this.buffered < this.prefix) break;
        const head = this.take(this.prefix);
        const n = this.prefix === 2 ? head.readUInt16BE(0) : head.readUInt32BE(0);
        const why = this.check(n);
        if (why !== undefined) throw new WireError(why);
        this.want = n;
      }
      if (this.buffered < this.want) break;
      out.push(this.take(this.want));
      this.want = undefined;
    }
    return out;
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
    const head = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return Buffer.from(head);
  }
}

/** What a scan master accepts as an output length. */
export function scanOutputLengthProblem(n: number): string | undefined {
  return n === SCAN_OUTPUT_INVALID ? `output length 0x${n.toString(16)}, which pbulk refuses` : undefined;
}

/** What a build client accepts as a build info length. */
export function buildInfoLengthProblem(n: number): string | undefined {
  return n < BUILD_INFO_MIN || n > BUILD_INFO_MAX ? `build info length ${n} is outside ${BUILD_INFO_MIN}..${BUILD_INFO_MAX}` : undefined;
}

/** What a scan client accepts as a location length. */
export function scanJobLengthProblem(n: number): string | undefined {
  return n < 3 ? `location length ${n} (at least 3)` : undefined;
}

/** A printable excerpt of unexpected bytes, for error messages. */
export function describeBytes(b: Buffer, max = 24): string {
  const s = b.subarray(0, max).toString('latin1');
  const shown = JSON.stringify(s).slice(1, -1);
  return `"${shown}"${b.length > max ? ` (+${b.length - max} bytes)` : ''}`;
}
