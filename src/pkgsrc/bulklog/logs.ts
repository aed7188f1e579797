// Per-package log directories: `<bulklog>/<PKGNAME>/<phase>.log`, plus work.log, the later
// pkg-build.log and the wrkdir/prefix archives kept on failure.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { failingPhase, isArchive, phaseOfLogName, PHASES, type Phase } from './phases';

export interface LogFile {
  name: string;
  path: string;
  size: number;
  mtimeMs: number;
  /** The phase of a `<phase>.log`; undefined for work.log, archives and other files. */
  phase?: Phase;
}

export interface PackageLogs {
  pkgname: string;
  dir: string;
  /** Phase logs in phase order, then the other files by name. */
  files: LogFile[];
  failingPhase?: Phase;
  /** Path of the failing phase's log. */
  failingLog?: string;
  archives: string[];
}

/** True for names that are safe as a directory name under the bulklog. */
function isSafePkgname(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('\0');
}

/** The log directory of one package, or undefined when it has none (built, up to date, not yet run). */
export async function readPackageLogs(bulklogDir: string, pkgname: string): Promise<PackageLogs | undefined> {
  if (!isSafePkgname(pkgname)) return undefined;
  const dir = join(bulklogDir, pkgname);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return undefined;
  }
  const files: LogFile[] = [];
  for (const name of names) {
    const path = join(dir, name);
    try {
      const st = await stat(path);
      if (!st.isFile()) continue;
      const phase = phaseOfLogName(name);
      files.push({ name, path, size: st.size, mtimeMs: st.mtimeMs, ...(phase ? { phase } : {}) });
    } catch {
      // Vanished while listing (a live build cleaning up): skip it.
    }
  }
  const rank = (f: LogFile) => (f.phase ? PHASES.indexOf(f.phase) : PHASES.length);
  files.sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const phase = failingPhase(files.map((f) => f.name));
  const out: PackageLogs = { pkgname, dir, files, archives: files.filter((f) => isArchive(f.name)).map((f) => f.path) };
  if (phase) {
    out.failingPhase = phase;
    out.failingLog = join(dir, `${phase}.log`);
  }
  return out;
}

/** Names of the subdirectories of the bulklog other than the meta directory: package log dirs. */
export async function listLogDirs(bulklogDir: string, metaDirName = 'meta'): Promise<string[]> {
  try {
    const ents = await readdir(bulklogDir, { withFileTypes: true });
    return ents
      .filter((e) => e.isDirectory() && e.name !== metaDirName && isSafePkgname(e.name))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}
