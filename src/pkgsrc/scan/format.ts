// Records back to pscan / presolve text. A parsed record carries its source text, so a clean
// file comes back byte for byte; records built in code (makeRecord) carry generated text.
import type { ScanRecord } from './record';

export function formatScan(records: readonly ScanRecord[]): string {
  return records.map((r) => r.text).join('');
}
