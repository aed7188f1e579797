// What the CLI shows of the engine's events. On a terminal: finished packages as lines plus a
// status line redrawn in place (a bar, the counts, what is building). Otherwise plain lines
// in pbulk-build's words (`[n/N] Starting build of  PKG`), one per event, for logs and CI.
// With --json every event is one JSON line.
import { formatNotBuilt } from '../../pkgsrc/report/summary';
import { formatTotal } from '../../pkgsrc/states';
import type { EventName, EventPayload } from '../core/events';

export interface ProgressOptions {
  tty: boolean;
  json: boolean;
  /** Terminal width for the status line. */
  columns?: number;
}

function bar(done: number, total: number, width: number): string {
  const w = Math.max(5, width);
  const filled = total > 0 ? Math.min(w, Math.round((done / total) * w)) : 0;
  return `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${' '.repeat(w - filled)}]`;
}

function secs(ms: number): string {
  return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1)} s`;
}

export class Progress {
  private status = '';
  private readonly building = new Map<string, string>();
  private lastScanLine = -1;
  private build = { finished: 0, total: 0, failed: 0 };

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly err: NodeJS.WritableStream,
    private readonly o: ProgressOptions,
  ) {}

  private line(text: string, to: NodeJS.WritableStream = this.out): void {
    if (this.o.tty && this.status !== '') this.out.write('\r\x1b[K');
    to.write(`${text}\n`);
    if (this.o.tty && this.status !== '') this.out.write(this.status);
  }

  private redraw(text: string): void {
    if (!this.o.tty) return;
    const cols = this.o.columns && this.o.columns > 20 ? this.o.columns : 100;
    this.status = text.length > cols - 1 ? text.slice(0, cols - 2) + '…' : text;
    this.out.write(`\r\x1b[K${this.status}`);
  }

  handle<K extends EventName>(name: K, payload: EventPayload<K>): void {
    if (this.o.json) {
      this.out.write(`${JSON.stringify({ event: name, ...payload })}\n`);
      return;
    }
    switch (name) {
      case 'stage': {
        const s = (payload as EventPayload<'stage'>).stage;
        const words: Partial<Record<typeof s, string>> = {
          scanning: 'Scanning...',
          resolving: 'Resolving...',
          building: 'Building...',
          reporting: 'Writing reports...',
        };
        if (words[s]) this.line(words[s]!);
        break;
      }
      case 'scanProgress': {
        const p = payload as EventPayload<'scanProgress'>;
        if (this.o.tty) {
          this.redraw(`${bar(p.done, p.total, 30)} scan${p.round > 1 ? ` round ${p.round}` : ''} ${p.done}/${p.total}  cached ${p.cached}  failed ${p.failed}`);
        } else {
          const step = Math.max(1, Math.ceil(p.total / 10));
          const bucket = Math.floor(p.done / step);
          if (p.done === p.total || bucket !== this.lastScanLine) {
            this.lastScanLine = p.done === p.total ? -1 : bucket;
            // A limited scan goes round by round (the dependencies found in the previous one).
            const round = p.round > 1 ? `, round ${p.round}` : '';
            if (p.done % step === 0 || p.done === p.total) this.line(`Scanned ${p.done}/${p.total} locations (${p.cached} cached, ${p.failed} failed${round})`);
          }
        }
        break;
      }
      case 'scanFinished': {
        const p = payload as EventPayload<'scanFinished'>;
        this.status = '';
        if (this.o.tty) this.out.write('\r\x1b[K');
        this.line(
          `Scan: ${p.records} packages from ${p.locations} locations, ${p.cached} from the scan cache, ${p.failures.length} failed (${secs(p.durationMs)})`,
        );
        break;
      }
      case 'started': {
        const p = payload as EventPayload<'started'>;
        this.build.total = p.total;
        this.build.finished = p.finished;
        this.building.set(p.pkgname, 'starting');
        if (!this.o.tty) this.line(`[${p.finished}/${p.total}] Starting build of  ${p.pkgname}${p.host ? ` on ${p.host}` : ''}`);
        this.redrawBuild();
        break;
      }
      case 'phase': {
        const p = payload as EventPayload<'phase'>;
        this.building.set(p.pkgname, p.phase);
        this.redrawBuild();
        break;
      }
      case 'finished': {
        const p = payload as EventPayload<'finished'>;
        this.build.total = p.total;
        this.build.finished = p.finished;
        this.building.delete(p.pkgname);
        const n = `[${p.finished}/${p.total}]`;
        if (p.state === 'done' && p.slot !== undefined) {
          this.line(`${n} Successfully built ${p.pkgname}${p.upToDate ? ' (up to date)' : ''}`);
        } else if (p.state === 'failed') {
          this.build.failed++;
          this.line(`${n} Failed to build    ${p.pkgname}${p.phase ? ` in ${p.phase}` : ''}${p.logPath ? `: ${p.logPath}` : ''}`);
        }
        this.redrawBuild();
        break;
      }
      case 'summary': {
        const p = payload as EventPayload<'summary'>;
        this.status = '';
        if (this.o.tty) this.out.write('\r\x1b[K');
        const c = p.counts;
        this.line(`Done in ${secs(p.finishedAt - p.startedAt)}; ${formatTotal(c)}`);
        if (p.failures.length > 0) this.line('\nFailed:');
        for (const f of p.failures.slice(0, 10))
          this.line(`  ${f.location.padEnd(36)} ${f.pkgname}${f.phase ? ` (${f.phase})` : ''}${f.breaks ? `, breaks ${f.breaks}` : ''}`);
        if (p.failures.length > 10) this.line(`  ... and ${p.failures.length - 10} more`);
        for (const l of formatNotBuilt(p.notBuilt ?? [], 10)) this.line(l);
        if (p.reportHtml) this.line(`Report: ${p.reportHtml}`);
        break;
      }
      case 'error': {
        const p = payload as EventPayload<'error'>;
        const where = p.location ? `${p.location.file}:${p.location.line + 1}:${p.location.character + 1}: ` : '';
        this.line(`pkgsrc-bulk: ${where}${p.severity}: ${p.message}`, this.err);
        break;
      }
      case 'client': {
        const p = payload as EventPayload<'client'>;
        this.line(`pkgsrc-bulk: ${p.role} client ${p.message}`, p.change === 'connected' ? this.out : this.err);
        break;
      }
      default:
        break;
    }
  }

  private redrawBuild(): void {
    if (!this.o.tty || this.build.total === 0) return;
    const list = [...this.building].map(([k, ph]) => `${k} (${ph})`).join(', ');
    this.redraw(
      `${bar(this.build.finished, this.build.total, 30)} ${this.build.finished}/${this.build.total}  failed ${this.build.failed}${list ? `  | ${list}` : ''}`,
    );
  }

  /** Clears the status line. */
  end(): void {
    if (this.o.tty && this.status !== '') this.out.write('\r\x1b[K');
    this.status = '';
  }
}
