// Existence on this machine, as warnings: a path may be valid only on the clients or inside a
// chroot, but a missing pkgsrc or bootstrap kit on the master is usually a typo. When several
// settings point below one directory that is missing altogether (pbulk not installed here, a
// /content tree that exists only on the build host), they are reported once, at the first.
// pbulk's own programs all missing means pbulk is not installed here: pkgsrc-bulk needs none of
// them, so that is one note (which also says how pkgsrc-bulk uses chroot_dir), not a warning.
import { dirname } from 'node:path';
import type { Range } from '../../problem';
import { allVariables, variableInfo } from '../schema/index';
import { isUnder, programOf } from './paths-util';
import type { CheckRun } from './run';

interface Missing {
  name: string;
  path: string;
  range: Range;
  message: string;
  /** The highest missing directory above the path. */
  root: string;
}

export function checkExistence(run: CheckRun): void {
  if (!run.existence) return;
  const prefix = run.value('prefix');
  const cross = run.boolean('cross_compile') === 'on';
  const missing: Missing[] = [];
  for (const spec of allVariables()) {
    const want = spec.path?.exists;
    if (!want) continue;
    if (spec.name === 'target_destdir' && !cross) continue;
    const value = run.value(spec.name);
    if (value === undefined || value.trim() === '') continue;
    let path = want === 'executable' ? programOf(value) : value.trim();
    if (!path.startsWith('/') || /@[A-Z][A-Z0-9_]*@/.test(path)) continue;
    // Tools inside the prefix are restored from the bootstrap kit before they are used.
    if (prefix && prefix.startsWith('/') && isUnder(path, prefix) && spec.name !== 'bootstrapkit') continue;
    if (want === 'parent') path = dirname(path);
    const st = run.probe.stat(path);
    let problem: string | undefined;
    switch (want) {
      case 'directory':
        if (st?.kind !== 'directory')
          problem =
            (st ? `${path} is not a directory` : `${path} does not exist`) +
            (spec.name === 'target_destdir' ? ': pre-build stops a cross build without it' : '');
        break;
      case 'parent':
        if (st?.kind !== 'directory') problem = `the parent directory ${path} does not exist`;
        break;
      case 'file':
        if (st?.kind !== 'file')
          problem = (st ? `${path} is not a file` : `${path} does not exist`) + (spec.name === 'limited_list' ? ': the scan phase fails' : '');
        break;
      case 'executable':
        if (!st) problem = `${path} does not exist`;
        else if (st.kind !== 'file' || !st.executable) problem = `${path} is not an executable file`;
        break;
      case 'file-or-directory':
        if (!st) problem = `${path} does not exist: client-clean silently skips a missing bootstrap kit and leaves \${prefix} empty`;
        break;
      case 'pkgsrc':
        if (st?.kind !== 'directory') problem = `${path} does not exist`;
        else if (run.probe.stat(`${path}/mk`)?.kind !== 'directory' || run.probe.stat(`${path}/Makefile`)?.kind !== 'file')
          problem = `${path} is not a pkgsrc tree (no Makefile and mk/ directory)`;
        break;
    }
    if (problem !== undefined)
      missing.push({ name: spec.name, path, range: run.anchor(spec.name), message: problem, root: st ? path : missingRoot(run, path) });
  }
  missing.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  // pbulk's own programs are grouped apart: the tools pkgsrc-bulk needs may share their directory.
  const byRoot = new Map<string, Missing[]>();
  const key = (m: Missing) => `${isPbulkProgram(m.name) ? 'pbulk' : 'other'}\0${m.root}`;
  for (const m of missing) byRoot.set(key(m), [...(byRoot.get(key(m)) ?? []), m]);
  const note = '(checked on this machine; ignore if it exists only on the clients or in a chroot)';
  for (const m of missing) {
    const group = byRoot.get(key(m))!;
    if (group.length >= 3 && isPbulkProgram(m.name)) {
      if (group[0] !== m) continue;
      const sandboxes =
        run.isNonEmpty('chroot_dir') && !run.isNonEmpty('chroot_create')
          ? '; it builds in sandboxes of its own named after chroot_dir (<chroot_dir>-scan-1, <chroot_dir>-build-1 ... -N)'
          : '';
      run.report(m.range, 'information', 'pbulk-not-installed', `${pbulkNotInstalledText(m.root, group.length)}${sandboxes}`, {
        variables: group.map((g) => g.name),
        related: group.slice(1).map((g) => ({ file: run.file, range: g.range, message: `${g.name}: ${g.path}` })),
      });
      continue;
    }
    if (group.length >= 3) {
      if (group[0] !== m) continue;
      const names = group.map((g) => g.name);
      run.report(m.range, 'warning', 'path-missing', `${m.root} does not exist, and ${group.length} settings point below it: ${names.join(', ')} ${note}`, {
        variables: names,
        related: group.slice(1).map((g) => ({ file: run.file, range: g.range, message: `${g.name}: ${g.path}` })),
      });
      continue;
    }
    run.report(m.range, 'warning', 'path-missing', `${m.name}: ${m.message} ${note}`, { variables: [m.name] });
  }
}

/** Programs and scripts of pbulk's own, which only pbulk runs. */
function isPbulkProgram(name: string): boolean {
  return variableInfo(name)?.section === 'pbulk programs and scripts';
}

function pbulkNotInstalledText(root: string, n: number): string {
  return `pbulk is not installed on this machine (${root} does not exist): only pbulk runs the ${n} programs set below it, and pkgsrc-bulk scans, builds and reports without them`;
}

/** True when every pbulk program the file sets is missing below one missing directory (checked paths only). */
export function pbulkNotInstalled(run: CheckRun): boolean {
  if (!run.existence) return false;
  const paths = allVariables()
    .filter((s) => isPbulkProgram(s.name) && s.path?.exists)
    .map((s) => run.value(s.name)?.trim())
    .filter((v): v is string => v !== undefined && v.startsWith('/'));
  if (paths.length < 3) return false;
  const roots = new Set(paths.map((p) => (run.probe.stat(p) === undefined ? missingRoot(run, p) : undefined)));
  return roots.size === 1 && !roots.has(undefined);
}

/** The highest ancestor of a missing path that is itself missing: /usr/pbulk for /usr/pbulk/bin/x. */
function missingRoot(run: CheckRun, path: string): string {
  let root = path;
  for (let d = dirname(path); d !== '/' && d !== '.' && run.probe.stat(d) === undefined; d = dirname(d)) root = d;
  return root;
}
