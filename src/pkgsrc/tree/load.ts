// Reading a batch of package Makefiles, the same way on the main thread and in a worker: each
// Makefile is parsed as soon as it is read and its text dropped; the Makefile.common files
// the batch includes are read once, in a second pass, and remembered for later batches.
import { buildPackageInfo, commonTarget, parsePackageMakefile } from './package';
import type { CommonFile } from './package';
import type { ParsedMakefile } from './makefile';
import { forEachTextFile } from './read';
import type { ReadOptions, TextFile } from './read';
import type { PackageInfo } from './types';

export interface BatchSink {
  /** A package whose Makefile was read; `i` indexes the batch's paths. */
  built(i: number, info: PackageInfo): void;
  /** A package whose Makefile could not be read (the caller knows where it is listed). */
  unread(i: number, f: TextFile): void;
}

/** Reads `paths[from..to)` (`category/dir`, relative to `root`); never rejects. */
export async function readPackageBatch(
  root: string,
  paths: readonly string[],
  from: number,
  to: number,
  commons: Map<string, CommonFile>,
  options: ReadOptions,
  sink: BatchSink,
): Promise<void> {
  const build = (i: number, parsed: ParsedMakefile, f: TextFile) =>
    sink.built(i, buildPackageInfo({ path: paths[i]!, makefile: f.file, parsed, readProblems: f.problems, commons: (c) => commons.get(c) }));
  const waiting: [number, ParsedMakefile, TextFile][] = [];
  const wanted = new Set<string>();
  const files: string[] = new Array(to - from);
  for (let i = from; i < to; i++) files[i - from] = `${root}/${paths[i]}/Makefile`;
  await forEachTextFile(
    files,
    (k, f) => {
      const i = from + k;
      if (f.text === undefined) {
        sink.unread(i, f);
        return;
      }
      const parsed = parsePackageMakefile(f.text, f.file, f.bytes);
      let ready = true;
      for (const st of parsed.statements) {
        if (st.kind !== 'include') continue;
        const t = commonTarget(f.file, st);
        if (t !== undefined && !commons.has(t)) {
          wanted.add(t);
          ready = false;
        }
      }
      if (ready) build(i, parsed, f);
      else waiting.push([i, parsed, { file: f.file, missing: f.missing, problems: f.problems }]);
    },
    options,
  );
  if (wanted.size > 0) {
    await forEachTextFile(
      [...wanted],
      (_, c) => {
        commons.set(c.file, {
          file: c.file,
          missing: c.missing,
          problems: c.problems,
          ...(c.text !== undefined ? { parsed: parsePackageMakefile(c.text, c.file, c.bytes) } : {}),
        });
      },
      options,
    );
  }
  for (const [i, parsed, f] of waiting) build(i, parsed, f);
}
