// What a package's phase logs already hold when a client starts following it: the tail of each
// existing `<bulklog>/<PKGNAME>/<phase>.log` in phase order, as log chunks with their byte
// offsets (later chunks continue from there; a client drops any overlap by offset).
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PHASES, phaseOfLogName, type Phase } from '../../pkgsrc/bulklog/phases';

/** At most this much of each log is sent back (its end): the rest is on disk. */
const FOLLOW_TAIL_BYTES = 1 << 20;

export interface ExistingChunk {
  phase: Phase;
  offset: number;
  text: string;
}

export async function existingLogChunks(logDir: string, maxBytes = FOLLOW_TAIL_BYTES): Promise<ExistingChunk[]> {
  let names: string[];
  try {
    names = await readdir(logDir);
  } catch {
    return [];
  }
  const phases = names.map(phaseOfLogName).filter((p): p is Phase => p !== undefined);
  phases.sort((a, b) => PHASES.indexOf(a) - PHASES.indexOf(b));
  const out: ExistingChunk[] = [];
  for (const phase of phases) {
    const fh = await open(join(logDir, `${phase}.log`), 'r').catch(() => undefined);
    if (!fh) continue;
    try {
      const { size } = await fh.stat();
      const offset = Math.max(0, size - maxBytes);
      const buf = Buffer.alloc(size - offset);
      const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
      if (bytesRead > 0) out.push({ phase, offset, text: buf.subarray(0, bytesRead).toString('utf8') });
    } finally {
      await fh.close();
    }
  }
  return out;
}
