// Compiler messages name files relative to WRKSRC (`src/main.c:12:5: error: ...`), which is
// gone after the build. What the package itself ships are its patches/ (unified diffs against
// WRKSRC) and files/ (copied into WRKSRC). A position maps to a patch when the patch changes
// that file and the line lies in one of its hunks (the exact patch line), and to files/ when a
// file there has the same relative path. Pure, so node --test runs it.
import { splitLines } from '../../pkgsrc/text';

export interface PatchHunkLine {
  /** 0-based line in the patch file. */
  patchLine: number;
  /** 0-based line in the patched (new) file. */
  newLine: number;
}

export interface PatchedFile {
  /** Path relative to WRKSRC, as the `+++` line names it (`.orig` and `a/`/`b/` stripped). */
  target: string;
  /** 0-based line of the `+++` header. */
  headerLine: number;
  /** Every context and added line of the hunks, with its line in the new file. */
  lines: PatchHunkLine[];
}

const stripPath = (p: string) =>
  p
    .replace(/\t.*$/, '')
    .trim()
    .replace(/\.orig$/, '')
    .replace(/^\.\//, '');

/** The files a unified diff changes, with a map from new-file lines to patch lines. */
export function parsePatch(text: string): PatchedFile[] {
  const lines = splitLines(text);
  const out: PatchedFile[] = [];
  let cur: PatchedFile | undefined;
  let newLine = 0;
  let remainingOld = 0;
  let remainingNew = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (remainingOld > 0 || remainingNew > 0) {
      if (l.startsWith('\\')) continue; // "\ No newline at end of file"
      const c = l[0];
      if (c === '+') {
        cur!.lines.push({ patchLine: i, newLine: newLine++ });
        remainingNew--;
        continue;
      }
      if (c === '-') {
        remainingOld--;
        continue;
      }
      if (c === ' ' || l === '') {
        cur!.lines.push({ patchLine: i, newLine: newLine++ });
        remainingOld--;
        remainingNew--;
        continue;
      }
      // A malformed hunk: stop reading it.
      remainingOld = remainingNew = 0;
    }
    if (l.startsWith('+++ ')) {
      let target = stripPath(l.slice(4));
      if (/^b\//.test(target) && i > 0 && /^--- a\//.test(lines[i - 1]!)) target = target.slice(2);
      cur = { target, headerLine: i, lines: [] };
      out.push(cur);
      continue;
    }
    const h = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(l);
    if (h && cur) {
      remainingOld = h[1] === undefined ? 1 : Number(h[1]);
      const start = Number(h[2]);
      remainingNew = h[3] === undefined ? 1 : Number(h[3]);
      // `+0,0` is an empty new side; otherwise the hunk starts at that 1-based line.
      newLine = Math.max(0, start - 1);
    }
  }
  return out;
}

/** Normalises a compiler path to one relative to the work source directory, as far as it can. */
export function relativeSourcePath(file: string): string {
  let p = file.replace(/\\/g, '/');
  // An absolute path inside a work directory: keep what follows work/<distname>/.
  const w = /\/work(?:\.[^/]*)?\/[^/]+\/(.+)$/.exec(p);
  if (p.startsWith('/') && w) p = w[1]!;
  return p.replace(/^(\.\/)+/, '');
}

/** True when `a` and `b` name the same file, one possibly a path suffix of the other. */
export function samePath(a: string, b: string): boolean {
  if (a === b) return true;
  return a.endsWith(`/${b}`) || b.endsWith(`/${a}`);
}

export interface MappedPosition {
  /** Absolute path of the patch or files/ file. */
  file: string;
  line: number;
  character: number;
  kind: 'patch' | 'files';
}

export interface PackageSources {
  /** Absolute patch path -> its text. */
  patches: { path: string; text: string }[];
  /** files/ entries: absolute path and path relative to files/. */
  files: { path: string; rel: string }[];
}

/**
 * Where a compiler position (file relative to WRKSRC, 0-based line and column) lies in the
 * package's own sources, or undefined when it does not map there.
 */
export function mapSourcePosition(file: string, line: number, column: number | undefined, src: PackageSources): MappedPosition | undefined {
  const rel = relativeSourcePath(file);
  if (rel === '' || rel.endsWith('/')) return undefined;
  for (const p of src.patches) {
    for (const f of parsePatch(p.text)) {
      if (!samePath(f.target, rel)) continue;
      const hit = f.lines.find((l) => l.newLine === line);
      // A context or added line: column + 1 for the diff's leading character.
      if (hit) return { file: p.path, line: hit.patchLine, character: (column ?? 0) + 1, kind: 'patch' };
    }
  }
  const matches = src.files.filter((f) => samePath(f.rel, rel));
  // Only an unambiguous match: two files/ entries with the same name say nothing.
  if (matches.length === 1) return { file: matches[0]!.path, line, character: column ?? 0, kind: 'files' };
  return undefined;
}
