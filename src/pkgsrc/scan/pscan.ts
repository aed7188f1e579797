// From `bmake pbulk-index` outputs to meta/pscan, as pbulk-scan writes it: locations in job
// order; in each output, records split at PKGNAME= lines, `PKG_LOCATION=<loc>` inserted as
// the second line; a PKGNAME seen before is dropped ("Duplicate package: X", the first one in
// job order wins); an output that stops looking like pbulk-index output is cut there ("pbulk-
// index output not recognized for LOC"); failed locations are reported ("Scan failed for
// LOC"), as are locations never scanned ("LOC was not processed").
import { parseScan, type ScanParse } from './parse';

export type ScanJobResult =
  | { location: string; output: string }
  /** make failed, timed out or printed NUL bytes: pbulk-scan discards the output. */
  | { location: string; failed: true }
  | { location: string; notProcessed: true };

export interface IndexChunk {
  pkgname: string;
  /** The record in pscan form (PKG_LOCATION inserted). */
  text: string;
}

export interface SplitOutput {
  chunks: IndexChunk[];
  /** pbulk-scan's warning when the rest of the output was not recognised. */
  message?: string;
}

/** pbulk-scan's reading of one location's pbulk-index output. */
export function splitIndexOutput(output: string, location: string): SplitOutput {
  const chunks: IndexChunk[] = [];
  const notRecognized = `pbulk-index output not recognized for ${location}`;
  let pos = 0;
  while (pos < output.length) {
    const nl = output.indexOf('\n', pos);
    if (!output.startsWith('PKGNAME=', pos) || nl < 0) return { chunks, message: notRecognized };
    const pkgname = output.slice(pos + 8, nl);
    if (pkgname.length < 2 || /[ \t]/.test(pkgname)) return { chunks, message: notRecognized };
    // The record ends before the next line that starts with PKGNAME=, or at the end.
    let end = nl + 1;
    for (;;) {
      if (end >= output.length || output.startsWith('PKGNAME=', end)) break;
      const next = output.indexOf('\n', end);
      if (next < 0) return { chunks, message: notRecognized };
      end = next + 1;
    }
    chunks.push({ pkgname, text: `${output.slice(pos, nl + 1)}PKG_LOCATION=${location}\n${output.slice(nl + 1, end)}` });
    pos = end;
  }
  return { chunks };
}

export interface AssembledPscan {
  /** meta/pscan. */
  text: string;
  /** pbulk-scan's stderr lines (without the `pbulk-scan: ` prefix), in its order. */
  messages: string[];
  /** Locations whose output contributed at least one record. */
  scanned: string[];
}

export function assemblePscan(jobs: readonly ScanJobResult[]): AssembledPscan {
  const seen = new Set<string>();
  const parts: string[] = [];
  const messages: string[] = [];
  const scanned: string[] = [];
  for (const job of jobs) {
    if ('notProcessed' in job) {
      messages.push(`${job.location} was not processed`);
      continue;
    }
    if ('failed' in job || job.output.includes('\0')) {
      messages.push(`Scan failed for ${job.location}`);
      continue;
    }
    const split = splitIndexOutput(job.output, job.location);
    let any = false;
    for (const c of split.chunks) {
      if (seen.has(c.pkgname)) {
        messages.push(`Duplicate package: ${c.pkgname}`);
        continue;
      }
      seen.add(c.pkgname);
      parts.push(c.text);
      any = true;
    }
    if (split.message) messages.push(split.message);
    if (any) scanned.push(job.location);
  }
  return { text: parts.join(''), messages, scanned };
}

/** Parses one location's raw pbulk-index output for diagnostics, located in that output. */
export function checkIndexOutput(output: string, location: string): ScanParse {
  return parseScan(output, { file: `${location} (pbulk-index output)`, format: 'index' });
}
