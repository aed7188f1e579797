// SHA512 lines as pkgtools/digest prints them (`SHA512 (All/foo-1.0.tgz) = <hex>`): through the
// `digest` command pbulk.conf names, or computed here when it names none. Files go in chunks,
// as xargs would pass them, so a long list never exceeds the argument limit.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { loadExeca } from '../execa';

const CHUNK = 256;

async function sha512(file: string): Promise<string> {
  const h = createHash('sha512');
  for await (const b of createReadStream(file)) h.update(b as Buffer);
  return h.digest('hex');
}

/** One `SHA512 (name) = hex` line per file, in the order given; names are relative to cwd. */
export async function digestLines(digest: readonly string[] | undefined, cwd: string, files: readonly string[]): Promise<string[]> {
  if (!digest) return Promise.all(files.map(async (f) => `SHA512 (${f}) = ${await sha512(join(cwd, f))}`));
  const { execa } = await loadExeca();
  const out: string[] = [];
  for (let i = 0; i < files.length; i += CHUNK) {
    const r = await execa(digest[0]!, [...digest.slice(1), 'SHA512', ...files.slice(i, i + CHUNK)], { cwd, reject: false, stripFinalNewline: false });
    if (r.exitCode !== 0 || r.failed)
      throw new Error(`${digest.join(' ')} SHA512 failed (${r.exitCode ?? r.shortMessage}): ${String(r.stderr).trim().split('\n').slice(-3).join(' ')}`);
    out.push(
      ...String(r.stdout)
        .split('\n')
        .filter((l) => l !== ''),
    );
  }
  return out;
}

/** The file a digest line names, undefined for a line in another format. */
export function digestFile(line: string): string | undefined {
  return /^\S+ \((.*)\) = [0-9A-Fa-f]+$/.exec(line)?.[1];
}
