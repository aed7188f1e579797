// Which pbulk.conf governs a limited_list: the open pbulk.conf whose `limited_list` names it, else
// a pbulk.conf on disk beside the list or at pbulk's usual install locations. That conf gives the
// pkgsrc tree entries are checked against and whether the build runs in master mode.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { type ConfEvaluation, evaluateConf, parseConf, staticValue } from '../pkgsrc/conf';
import { decodeBytes } from '../pkgsrc/text';

export interface GoverningConf {
  /** URI of an open document, or the path of a file read from disk. */
  source: string;
  file: string;
  evaluation: ConfEvaluation;
}

export interface PkgsrcChoice {
  dir: string;
  /** Where the choice came from, for messages: `pkgsrc in /etc/pbulk.conf`, a setting ... */
  from: string;
}

/** pbulk's configs as installed by the pbulk package under its usual prefixes. */
const installedConfs = ['/usr/pkg_bulk/etc/pbulk.conf', '/usr/pbulk/etc/pbulk.conf', '/usr/pkg/etc/pbulk.conf', '/opt/pbulk/etc/pbulk.conf'];
const confName = /^(?:pbulk\.conf|.+\.pbulk\.conf|pbulk-.+\.conf)$/;
const maxConfBytes = 1024 * 1024;

/** The absolute path `limited_list` names, when it is statically known and not empty. */
function limitedListPath(evaluation: ConfEvaluation, confFile: string): string | undefined {
  const v = staticValue(evaluation, 'limited_list');
  if (v === undefined || v.trim() === '') return undefined;
  if (path.isAbsolute(v)) return path.normalize(v);
  // pbulk's scripts run from an unknown directory; the conf's own directory is the best guess
  // (an unsaved conf has none).
  return path.isAbsolute(confFile) ? path.resolve(path.dirname(confFile), v) : undefined;
}

function isPkgsrcTree(dir: string): boolean {
  try {
    return statSync(path.join(dir, 'mk')).isDirectory() && existsSync(path.join(dir, 'Makefile'));
  } catch {
    return false;
  }
}

/** dir itself or the nearest parent that is a pkgsrc tree. */
function findPkgsrcUp(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (isPkgsrcTree(d)) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

export class LimitedListLinks {
  /** Open pbulk.conf URI -> its analysis' file and evaluation, and the list it names. */
  private readonly open = new Map<string, { file: string; evaluation: ConfEvaluation; list: string | undefined }>();
  private readonly diskCache = new Map<string, { mtimeMs: number; size: number; evaluation: ConfEvaluation | undefined }>();

  /** Records an open conf's state; returns the list path when it changed (null: now none), else undefined. */
  update(uri: string, file: string, evaluation: ConfEvaluation): string | null | undefined {
    const list = limitedListPath(evaluation, file);
    const prev = this.open.get(uri);
    this.open.set(uri, { file, evaluation, list });
    if (prev && prev.list === list) return undefined;
    if (!prev && list === undefined) return undefined;
    return list ?? null;
  }

  /** A closed conf is read from disk again when it matters. */
  forget(uri: string): void {
    this.open.delete(uri);
  }

  /** Open confs naming the list file. */
  confsOf(listFile: string): string[] {
    const target = path.normalize(listFile);
    return [...this.open].filter(([, v]) => v.list === target).map(([uri]) => uri);
  }

  /** The list an open conf names. */
  listOf(confUri: string): string | undefined {
    return this.open.get(confUri)?.list;
  }

  governingConf(listFile: string): GoverningConf | undefined {
    const target = path.normalize(listFile);
    for (const [uri, v] of this.open) if (v.list === target) return { source: uri, file: v.file, evaluation: v.evaluation };
    for (const candidate of this.candidatesOnDisk(target)) {
      const evaluation = this.readConf(candidate);
      if (evaluation && limitedListPath(evaluation, candidate) === target) return { source: candidate, file: candidate, evaluation };
    }
    return undefined;
  }

  /**
   * The pkgsrc tree for a list: `pkgsrc` of its governing conf, else the `pkgsrcBulk.pkgsrc`
   * setting, else a workspace folder (or a parent) that is a pkgsrc tree, else a parent of the list.
   */
  pkgsrcFor(listFile: string, setting: string, workspaceFolders: string[]): PkgsrcChoice | undefined {
    const conf = this.governingConf(listFile);
    const fromConf = conf && staticValue(conf.evaluation, 'pkgsrc');
    if (conf && fromConf) return { dir: fromConf, from: `pkgsrc in ${conf.file}` };
    if (setting.trim() !== '') return { dir: setting, from: 'the pkgsrcBulk.pkgsrc setting' };
    for (const f of workspaceFolders) {
      const d = findPkgsrcUp(f);
      if (d) return { dir: d, from: 'the workspace folder' };
    }
    if (path.isAbsolute(listFile)) {
      const d = findPkgsrcUp(path.dirname(listFile));
      if (d) return { dir: d, from: 'a parent directory of the list' };
    }
    return undefined;
  }

  private candidatesOnDisk(listFile: string): string[] {
    if (!path.isAbsolute(listFile)) return [...installedConfs];
    const dir = path.dirname(listFile);
    let siblings: string[] = [];
    try {
      siblings = readdirSync(dir)
        .filter((n) => confName.test(n))
        .sort()
        .map((n) => path.join(dir, n));
    } catch {
      // An unreadable directory just has no candidates.
    }
    return [...siblings, ...installedConfs];
  }

  private readConf(file: string): ConfEvaluation | undefined {
    let st;
    try {
      st = statSync(file);
    } catch {
      return undefined;
    }
    if (!st.isFile() || st.size > maxConfBytes) return undefined;
    const cached = this.diskCache.get(file);
    if (cached && cached.mtimeMs === st.mtimeMs && cached.size === st.size) return cached.evaluation;
    let evaluation: ConfEvaluation | undefined;
    try {
      const text = decodeBytes(readFileSync(file)).text;
      evaluation = evaluateConf(parseConf(text, file));
    } catch {
      evaluation = undefined;
    }
    this.diskCache.set(file, { mtimeMs: st.mtimeMs, size: st.size, evaluation });
    return evaluation;
  }
}
