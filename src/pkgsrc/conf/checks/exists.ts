// Existence on this machine, as warnings: a path may be valid only on the clients or inside a
// chroot, but a missing pkgsrc or bootstrap kit on the master is usually a typo.
import { dirname } from 'node:path';
import { allVariables } from '../schema/index';
import { isUnder, programOf } from './paths-util';
import type { CheckRun } from './run';

export function checkExistence(run: CheckRun): void {
  if (!run.existence) return;
  const prefix = run.value('prefix');
  const cross = run.boolean('cross_compile') === 'on';
  for (const spec of allVariables()) {
    const want = spec.path?.exists;
    if (!want) continue;
    if (spec.name === 'target_destdir' && !cross) continue;
    const value = run.value(spec.name);
    if (value === undefined || value.trim() === '') continue;
    let path = want === 'executable' ? programOf(value) : value.trim();
    if (!path.startsWith('/') || /@[A-Z_]+@/.test(path)) continue;
    // Tools inside the prefix are restored from the bootstrap kit before they are used.
    if (prefix && prefix.startsWith('/') && isUnder(path, prefix) && spec.name !== 'bootstrapkit') continue;
    const range = run.anchor(spec.name);
    if (want === 'parent') path = dirname(path);
    const st = run.probe.stat(path);
    const missing = (what: string, extra = ''): void => run.report(range, 'warning', 'path-missing', `${spec.name}: ${what}${extra} (checked on this machine; ignore if it exists only on the clients or in a chroot)`);
    switch (want) {
      case 'directory':
        if (st?.kind !== 'directory') missing(st ? `${path} is not a directory` : `${path} does not exist`);
        break;
      case 'parent':
        if (st?.kind !== 'directory') missing(`the parent directory ${path} does not exist`);
        break;
      case 'file':
        if (st?.kind !== 'file') missing(st ? `${path} is not a file` : `${path} does not exist`, spec.name === 'limited_list' ? ': the scan phase fails' : '');
        break;
      case 'executable':
        if (!st) missing(`${path} does not exist`);
        else if (st.kind !== 'file' || !st.executable) missing(`${path} is not an executable file`);
        break;
      case 'file-or-directory':
        if (!st) missing(`${path} does not exist`, ': client-clean silently skips a missing bootstrap kit and leaves ${prefix} empty');
        break;
      case 'pkgsrc':
        if (st?.kind !== 'directory') missing(`${path} does not exist`);
        else if (run.probe.stat(`${path}/mk`)?.kind !== 'directory' || run.probe.stat(`${path}/Makefile`)?.kind !== 'file') missing(`${path} is not a pkgsrc tree (no Makefile and mk/ directory)`);
        break;
    }
  }
}
