// The pkgsrc tree model: categories first, packages on demand, everything cached until
// invalidate() says a file changed. Loads are batched (one read pass for many Makefiles, then
// one for the Makefile.common files they include) and shared between concurrent callers. Only
// the files pbulk itself reads are opened: the top Makefile, category Makefiles, package
// Makefiles and the Makefile.common files they include; work/, distfiles/, packages/ and the
// like are never entered.
import { existsSync, readdirSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Problem, Range } from '../problem';
import { readSubdirs } from './category';
import type { CommonFile } from './package';
import { readPackageBatch } from './load';
import { WorkerPool } from './worker-pool';
import type { ParallelStats, WorkerOptions } from './worker-pool';
import { readTextFiles, sliced } from './read';
import { DiskIndex } from './disk-index';
import type { ReadOptions, TextFile } from './read';
import { optionalFiles } from './types';
import type {
  CategoryEntry,
  CategoryInfo,
  CategorySummary,
  OptionalFile,
  PackageInfo,
  TopLevel,
  TreeChange,
  TreeIndex,
  TreeOverview,
  TreeTotals,
} from './types';

export interface TreeOptions extends ReadOptions {
  /**
   * Keep the package index in this file between processes: packages whose Makefile (and
   * Makefile.common) are unchanged on disk are taken from it instead of being read again.
   */
  cacheFile?: string;
  /**
   * With `cacheFile`: 'before' (the default) stats each Makefile before its entry is used;
   * 'after' answers from the file at once and stats afterwards, in the background, reporting
   * what turned out to be stale to `onChange` (and forgetting it, so that it is read again).
   */
  checkDiskIndex?: 'before' | 'after';
  /** Told what the background check of the on-disk index found changed. */
  onChange?: (change: TreeChange) => void;
  /**
   * Worker threads for large reads such as a first full index (false: none). Without a
   * worker script (e.g. the sources run unbundled) everything is read on the main thread.
   */
  workers?: WorkerOptions | false;
}

const origin: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const optionalSet: ReadonlySet<string> = new Set(optionalFiles);

interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

function problemKey(p: Problem): string {
  return `${p.file}\0${p.range.start.line}\0${p.range.start.character}\0${p.code}\0${p.message}`;
}

export function uniqueProblems(list: Iterable<Problem>): Problem[] {
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const p of list) {
    const k = problemKey(p);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(p);
    }
  }
  return out;
}

function totalsOf(top: TopLevel, categories: readonly { disabled: readonly unknown[] }[], packages: number): TreeTotals {
  return {
    categories: categories.length,
    packages,
    disabledCategories: top.disabled.length,
    disabledPackages: categories.reduce((a, c) => a + c.disabled.length, 0),
  };
}

export class PkgsrcTree {
  readonly root: string;
  private top?: Promise<TopLevel>;
  private knownCategories = new Set<string>();
  private readonly cats = new Map<string, Promise<CategoryInfo>>();
  /** Loaded packages; `pending` holds the batch a package is being loaded in. */
  private readonly pkgs = new Map<string, PackageInfo>();
  private readonly pending = new Map<string, Promise<void>>();
  /** Bumped by every invalidation, so a load that raced with one does not store stale data. */
  private drops = 0;
  private readonly droppedAt = new Map<string, number>();
  private rootDroppedAt = 0;
  /** The on-disk index, with `cacheFile`. */
  private readonly disk: DiskIndex | undefined;
  private saveTimer?: NodeJS.Timeout;
  private readonly fileLists = new Map<string, Promise<OptionalFile[]>>();
  private readonly commons = new Map<string, CommonFile>();
  /** Makefile.common (absolute) -> the packages that include it. */
  private readonly includers = new Map<string, Set<string>>();
  /** Workers started ahead of a full index, while its categories are read. */
  private spare?: WorkerPool;
  /** How the last read with workers went (for benchmarks and tests). */
  lastParallel?: ParallelStats;
  /** The background check of what the on-disk index handed out unchecked. */
  private checking?: Promise<void>;

  constructor(
    root: string,
    private readonly options: TreeOptions = {},
  ) {
    this.root = resolve(root);
    this.disk = options.cacheFile === undefined ? undefined : new DiskIndex(options.cacheFile, this.root, options.checkDiskIndex === 'after');
  }

  topLevel(): Promise<TopLevel> {
    this.top ??= this.loadTop();
    return this.top;
  }

  async categories(): Promise<CategoryEntry[]> {
    return (await this.topLevel()).categories;
  }

  async category(name: string): Promise<CategoryInfo> {
    return (await this.loadCategories([name]))[0]!;
  }

  async package(path: string): Promise<PackageInfo> {
    return (await this.packages([path]))[0]!;
  }

  /** The optional files present in a package directory (for the context menu). */
  packageFiles(path: string): Promise<OptionalFile[]> {
    let p = this.fileLists.get(path);
    if (!p) {
      p = readdir(join(this.root, path)).then(
        (names) => optionalFiles.filter((f) => names.includes(f)),
        () => [],
      );
      this.fileLists.set(path, p);
    }
    return p;
  }

  /** packageFiles for many packages at once (directory listings in time slices). */
  async packageFilesMany(paths: readonly string[]): Promise<OptionalFile[][]> {
    const todo = paths.filter((p) => !this.fileLists.has(p));
    await sliced(todo.length, (i) => {
      let names: string[];
      try {
        names = readdirSync(`${this.root}/${todo[i]}`);
      } catch {
        names = [];
      }
      this.fileLists.set(todo[i]!, Promise.resolve(optionalFiles.filter((f) => names.includes(f))));
    });
    return Promise.all(paths.map((p) => this.packageFiles(p)));
  }

  /** Every category and every package's metadata. */
  async index(): Promise<TreeIndex> {
    const top = await this.topLevel();
    let categories: CategoryInfo[];
    let packages: PackageInfo[];
    try {
      categories = await this.loadCategories(
        top.categories.map((c) => c.name),
        true,
      );
      packages = await this.packages(categories.flatMap((c) => c.packages.map((p) => p.path)));
    } finally {
      this.spare?.close();
      this.spare = undefined;
    }
    const problems = uniqueProblems([...top.problems, ...categories.flatMap((c) => c.problems), ...packages.flatMap((p) => p.problems)]);
    return { root: this.root, categories, packages, problems, totals: totalsOf(top, categories, packages.length) };
  }

  /**
   * The categories, every problem and the totals: what `pkgsrc-bulk tree` prints, without the
   * packages' metadata. With the on-disk index (checked before answering), a category or package
   * whose Makefiles kept their identity costs a stat and nothing is unpacked for it; only the
   * others are read.
   */
  async overview(): Promise<TreeOverview> {
    const top = await this.topLevel();
    const names = top.categories.map((c) => c.name);
    const disk = this.options.checkDiskIndex === 'after' ? undefined : this.disk;
    const light = names.map((n) => (disk && !this.cats.has(n) ? disk.categorySummary(n) : undefined));
    const categories: CategorySummary[] = [];
    const paths: string[] = [];
    let known: (readonly Problem[] | undefined)[] = [];
    try {
      const read = await this.loadCategories(
        names.filter((_, i) => light[i] === undefined),
        true,
      );
      for (let i = 0, k = 0; i < names.length; i++) {
        const l = light[i];
        if (l) {
          categories.push(l.summary);
          for (const p of l.paths) paths.push(p);
        } else {
          const { packages, ...rest } = read[k++]!;
          categories.push({ ...rest, packageCount: packages.length });
          for (const e of packages) paths.push(e.path);
        }
      }
      if (disk) known = disk.problemsOf(paths);
      const todo: string[] = [];
      for (let i = 0; i < paths.length; i++) if (known[i] === undefined) todo.push(paths[i]!);
      if (todo.length > 0) await this.packages(todo);
    } finally {
      this.spare?.close();
      this.spare = undefined;
    }
    const found: Problem[] = [...top.problems];
    for (const c of categories) found.push(...c.problems);
    for (let i = 0; i < paths.length; i++) {
      const list = (this.pkgs.size > 0 ? this.pkgs.get(paths[i]!)?.problems : undefined) ?? known[i]!;
      for (const p of list) found.push(p);
    }
    const problems = uniqueProblems(found);
    return { root: this.root, categories, problems, totals: totalsOf(top, categories, paths.length) };
  }

  /**
   * Forgets what a change to `absPath` (created, changed or deleted) makes stale, and says what
   * a view should refresh. Paths outside the files the model reads change nothing.
   */
  invalidate(absPath: string): TreeChange {
    const rel = relative(this.root, resolve(absPath));
    if (rel === '') {
      this.top = undefined;
      this.cats.clear();
      this.pkgs.clear();
      this.pending.clear();
      this.rootDroppedAt = ++this.drops;
      this.fileLists.clear();
      this.commons.clear();
      this.disk?.forgetAll();
      return { kind: 'root' };
    }
    if (rel.startsWith('..') || isAbsolute(rel)) return { kind: 'none' };
    const parts = rel.split(sep);
    const [cat, second, third] = parts as [string, string | undefined, string | undefined];
    if (parts.length === 1) {
      if (cat === 'Makefile') {
        this.top = undefined;
        return { kind: 'root' };
      }
      if (!this.knownCategories.has(cat) && !this.cats.has(cat)) return { kind: 'none' };
      this.cats.delete(cat);
      this.disk?.forgetCategory(cat);
      for (const k of [...this.pkgs.keys(), ...this.pending.keys()]) if (k.startsWith(`${cat}/`)) this.dropPackage(k);
      return { kind: 'category', category: cat };
    }
    if (parts.length > 3) return { kind: 'none' };
    const path = `${cat}/${second}`;
    const relevant = this.knownCategories.has(cat) || this.cats.has(cat) || this.pkgs.has(path) || this.pending.has(path);
    if (parts.length === 2) {
      if (second === 'Makefile') {
        if (!relevant) return { kind: 'none' };
        this.cats.delete(cat);
        this.disk?.forgetCategory(cat);
        return { kind: 'category', category: cat };
      }
      if (!relevant) return { kind: 'none' };
      this.dropPackage(path);
      return { kind: 'packages', paths: [path] };
    }
    if (third === 'Makefile.common') {
      const abs = join(this.root, cat, second!, third);
      this.commons.delete(abs);
      this.disk?.forgetCommon(abs);
      const paths = new Set(this.includers.get(abs) ?? []);
      if (relevant) paths.add(path);
      for (const p of paths) this.dropPackage(p);
      return paths.size > 0 ? { kind: 'packages', paths: [...paths] } : { kind: 'none' };
    }
    if (!relevant) return { kind: 'none' };
    if (third === 'Makefile') {
      this.dropPackage(path);
      return { kind: 'packages', paths: [path] };
    }
    if (optionalSet.has(third!)) {
      this.fileLists.delete(path);
      return { kind: 'packages', paths: [path] };
    }
    return { kind: 'none' };
  }

  private dropPackage(path: string): void {
    this.disk?.forgetPackage(path);
    this.pkgs.delete(path);
    this.pending.delete(path);
    this.droppedAt.set(path, ++this.drops);
    this.fileLists.delete(path);
  }

  /** Whether a package was invalidated after the `since` value of `drops`. */
  private droppedSince(path: string, since: number): boolean {
    return since !== this.drops && (this.rootDroppedAt > since || (this.droppedAt.get(path) ?? 0) > since);
  }

  private async loadTop(): Promise<TopLevel> {
    const makefile = join(this.root, 'Makefile');
    const [f] = await readTextFiles([makefile], this.options);
    const top: TopLevel = { root: this.root, makefile, categories: [], disabled: [], problems: [...f!.problems] };
    if (f!.missing) {
      top.problems.push({
        file: makefile,
        range: origin,
        severity: 'error',
        message: 'The top-level Makefile is missing, so no categories can be listed.',
        code: 'missing-top-makefile',
      });
    }
    if (f!.text !== undefined) {
      const s = readSubdirs(f!.text, makefile);
      top.categories = s.entries;
      top.disabled = s.disabled;
      top.problems.push(...s.problems);
    }
    this.knownCategories = new Set(top.categories.map((c) => c.name));
    return top;
  }

  /** How many Makefiles make a read worth starting workers for. */
  private get minParallel(): number {
    return this.options.workers === false ? Infinity : (this.options.workers?.minPackages ?? 2000);
  }

  private startPool(): WorkerPool | undefined {
    return this.options.workers === false ? undefined : WorkerPool.start(this.root, this.options, this.options.workers ?? {});
  }

  /**
   * Before a full index: when nothing is loaded yet and no on-disk index can help, and the
   * category Makefiles (not parsed yet) hold enough SUBDIR lines, workers are started now so
   * that they are up when the package list is known.
   */
  private speculate(texts: readonly (string | undefined)[]): void {
    if (this.spare || this.pkgs.size > 0 || this.pending.size > 0 || this.minParallel === Infinity) return;
    if (this.disk && existsSync(this.disk.file)) return;
    let lines = 0;
    for (const t of texts) if (t !== undefined) lines += t.split('SUBDIR').length - 1;
    if (lines >= this.minParallel) this.spare = this.startPool();
  }

  private async loadCategories(names: readonly string[], speculate = false): Promise<CategoryInfo[]> {
    const todo: [string, Deferred<CategoryInfo>][] = [];
    for (const n of names) {
      if (!this.cats.has(n)) {
        const d = deferred<CategoryInfo>();
        this.cats.set(n, d.promise);
        todo.push([n, d]);
      }
    }
    const disk = this.disk;
    const read = disk
      ? todo.filter(([name, d]) => {
          const hit = disk.category(name);
          if (hit) d.resolve(hit);
          return !hit;
        })
      : todo;
    if (read.length > 0) {
      const top = await this.topLevel();
      const files = await readTextFiles(
        read.map(([n]) => join(this.root, n, 'Makefile')),
        this.options,
      );
      if (speculate) this.speculate(files.map((f) => f.text));
      await Promise.all(
        read.map(async ([name, d], i) => {
          const info = await this.categoryInfo(name, files[i]!, top);
          if (files[i]!.text !== undefined) disk?.noteCategory(info);
          d.resolve(info);
        }),
      );
    }
    this.scheduleCheck();
    return Promise.all(names.map((n) => this.cats.get(n)!));
  }

  private async categoryInfo(name: string, f: TextFile, top: TopLevel): Promise<CategoryInfo> {
    const info: CategoryInfo = { name, makefile: f.file, packages: [], disabled: [], problems: [...f.problems] };
    if (f.missing) {
      const entry = top.categories.find((c) => c.name === name);
      const where = entry ? { file: top.makefile, range: entry.range } : { file: f.file, range: origin };
      const noDir = !(await isDir(join(this.root, name)));
      info.problems.push({
        ...where,
        severity: 'error',
        message: noDir
          ? `Category '${name}' is listed, but the directory ${name}/ does not exist.`
          : `Category '${name}' has no Makefile, so pbulk cannot list its packages.`,
        code: noDir ? 'missing-category-dir' : 'missing-category-makefile',
      });
    }
    if (f.text !== undefined) {
      const s = readSubdirs(f.text, f.file);
      info.packages = s.entries.map((e) => ({ path: `${name}/${e.name}`, category: name, dir: e.name, range: e.range }));
      info.disabled = s.disabled;
      if (s.comment) info.comment = s.comment;
      info.problems.push(...s.problems);
    }
    return info;
  }

  /** Metadata of many packages in one pass; cached ones are not read again. */
  async packages(paths: readonly string[]): Promise<PackageInfo[]> {
    for (;;) {
      const todo = paths.filter((p) => !this.pkgs.has(p) && !this.pending.has(p));
      if (todo.length > 0) {
        const batch: Promise<void> = this.loadPackages(todo).finally(() => {
          for (const p of todo) if (this.pending.get(p) === batch) this.pending.delete(p);
        });
        for (const p of todo) this.pending.set(p, batch);
      }
      const waits = new Set<Promise<void>>();
      for (const p of paths) {
        const w = this.pending.get(p);
        if (w) waits.add(w);
      }
      if (waits.size > 0) await Promise.all(waits);
      const out: PackageInfo[] = [];
      for (const p of paths) {
        const info = this.pkgs.get(p);
        if (info) out.push(info);
      }
      // A package invalidated while its batch was loading is loaded again.
      if (out.length === paths.length) return out;
    }
  }

  private async loadPackages(paths: string[]): Promise<void> {
    const since = this.drops;
    const store = (i: number, info: PackageInfo) => {
      if (this.droppedSince(paths[i]!, since)) return;
      this.pkgs.set(paths[i]!, info);
      for (const inc of info.includes) {
        let s = this.includers.get(inc);
        if (!s) this.includers.set(inc, (s = new Set()));
        s.add(paths[i]!);
      }
    };
    let read = paths.map((_, i) => i);
    if (this.disk) read = await this.disk.take(paths, store);
    const todo = read.length === paths.length ? paths : read.map((i) => paths[i]!);
    const unread: [number, TextFile][] = [];
    const sink = { built: (k: number, info: PackageInfo) => store(read[k]!, info), unread: (k: number, f: TextFile) => unread.push([read[k]!, f]) };
    let pool: WorkerPool | undefined;
    if (todo.length >= this.minParallel) {
      pool = this.spare ?? this.startPool();
      this.spare = undefined;
    }
    if (pool) {
      try {
        this.lastParallel = await pool.read(todo, {
          ...sink,
          local: (from, to) => readPackageBatch(this.root, todo, from, to, this.commons, this.options, sink),
        });
      } finally {
        pool.close();
      }
    } else {
      await readPackageBatch(this.root, todo, 0, todo.length, this.commons, this.options, sink);
    }
    if (unread.length > 0) {
      const entries = await this.entriesFor(unread.map(([i]) => paths[i]!));
      for (const [i, f] of unread) store(i, await this.unreadablePackage(paths[i]!, f, entries.get(paths[i]!)));
    }
    if (this.disk?.dirty) this.scheduleSave();
    this.scheduleCheck();
  }

  /** Resolves once what the on-disk index handed out unchecked has been checked. */
  async checked(): Promise<void> {
    while (this.checking) await this.checking;
  }

  private scheduleCheck(): void {
    if (this.checking || !this.disk?.pending) return;
    // After the caller has its answer, which is what checking afterwards is for.
    this.checking = new Promise<void>((r) => setTimeout(r, 0))
      .then(() => this.check())
      .catch(() => undefined)
      .finally(() => {
        this.checking = undefined;
        this.scheduleCheck();
      });
  }

  private async check(): Promise<void> {
    const stale = await this.disk!.check();
    for (const c of stale.categories) {
      this.cats.delete(c);
      this.disk!.forgetCategory(c);
      this.options.onChange?.({ kind: 'category', category: c });
    }
    for (const p of stale.packages) this.dropPackage(p);
    if (stale.packages.length > 0) this.options.onChange?.({ kind: 'packages', paths: stale.packages });
  }

  private scheduleSave(): void {
    if (this.saveTimer) return;
    // After the caller has its result: writing the index is not on the way to showing it.
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.saveCache();
    }, 0);
  }

  /** Writes the on-disk index now (with `cacheFile`); returns an error instead of throwing. */
  saveCache(): Error | undefined {
    return this.disk?.save(this.pkgs);
  }

  /** Where each package is listed, for problems about missing directories and Makefiles. */
  private async entriesFor(paths: string[]): Promise<Map<string, { file: string; range: Range }>> {
    const out = new Map<string, { file: string; range: Range }>();
    // Categories the overview took as summaries are loaded whole here (few: only those listing such packages).
    const cats = [...new Set(paths.map((p) => p.split('/')[0]!))].filter((c) => this.cats.has(c) || this.knownCategories.has(c));
    for (const info of await this.loadCategories(cats)) {
      for (const e of info.packages) out.set(e.path, { file: info.makefile, range: e.range });
    }
    return out;
  }

  private async unreadablePackage(path: string, f: TextFile, listed: { file: string; range: Range } | undefined): Promise<PackageInfo> {
    const [category = '', dir = ''] = path.split('/');
    const problems = [...f.problems];
    let state: PackageInfo['state'] = 'unreadable';
    if (f.missing) {
      const noDir = !(await isDir(join(this.root, path)));
      state = noDir ? 'no-dir' : 'no-makefile';
      problems.push({
        ...(listed ?? { file: f.file, range: origin }),
        severity: 'error',
        message: noDir
          ? `'${dir}' is listed in SUBDIR, but ${path}/ does not exist; pbulk reports "Scan failed".`
          : `${path}/ has no Makefile; pbulk reports "Scan failed" for it.`,
        code: noDir ? 'missing-package-dir' : 'missing-package-makefile',
      });
    }
    const info: PackageInfo = { path, category, dir, makefile: f.file, state, vars: {}, includes: [], problems };
    return info;
  }
}
