// The logs of a package that is building, held in memory from the engine's log chunks: seeded
// with what the files held when following began, then each chunk appended at its byte offset.
// Reading the files again instead would race the build: a package that builds removes its log
// directory at once, and quick phases come and go between two reads. A chunk that leaves a gap
// (one was missed) or a log grown past the bound asks the caller to read the files instead.
// Pure (no vscode).
import { join } from 'node:path';
import { PHASES, type Phase } from '../../pkgsrc/bulklog/phases';
import type { LogFile } from '../../pkgsrc/bulklog/logs';
import type { BoundedLog } from '../../pkgsrc/problems/read';
import { textLines } from '../../pkgsrc/text';
import { MAX_PHASE_LOG_BYTES } from './logDocument';

export type ApplyResult = 'applied' | 'gap' | 'too-large';

interface PhaseText {
  text: string;
  bytes: number;
}

export class LiveLog {
  private readonly phases = new Map<Phase, PhaseText>();

  constructor(
    readonly dir: string,
    private readonly maxBytes = MAX_PHASE_LOG_BYTES,
  ) {}

  /** What a phase log held when following began (`bytes` its size on disk). */
  seed(phase: Phase, text: string, bytes = Buffer.byteLength(text)): void {
    this.phases.set(phase, { text, bytes });
  }

  /** Adds a chunk written at byte `offset` of the phase's log. */
  apply(phase: Phase, offset: number, text: string): ApplyResult {
    const cur = this.phases.get(phase) ?? { text: '', bytes: 0 };
    const size = Buffer.byteLength(text);
    if (offset > cur.bytes) return 'gap';
    if (offset + size <= cur.bytes) return 'applied'; // Already seen (seeded after it was written).
    let add = text;
    if (offset < cur.bytes) {
      // Overlaps what the seed read: keep only the new bytes.
      add = Buffer.from(text)
        .subarray(cur.bytes - offset)
        .toString('utf8');
    }
    const next = { text: cur.text + add, bytes: offset + size };
    if (next.bytes > this.maxBytes) return 'too-large';
    this.phases.set(phase, next);
    return 'applied';
  }

  get empty(): boolean {
    return this.phases.size === 0;
  }

  /** The logs in pkg-build's phase order, as composeLogDocument takes them. */
  logs(): { file: LogFile; log: BoundedLog }[] {
    return PHASES.filter((p) => this.phases.has(p)).map((phase) => {
      const t = this.phases.get(phase)!;
      const name = `${phase}.log`;
      const path = join(this.dir, name);
      const lines = textLines(t.text);
      return {
        file: { name, path, size: t.bytes, mtimeMs: 0, phase },
        log: { path, size: t.bytes, windows: [{ firstLine: 0, lines }], hasNul: t.text.includes('\0'), invalidUtf8: false },
      };
    });
  }
}
