// Paths that make pbulk delete the wrong thing: pre-build runs `rm -rf ${bulklog}/*`, and
// client-clean runs `rm -rf ${prefix} ${pkgdb} ${varbase}/qmail` before every package (with
// cross_compile, beneath ${target_destdir}). Anything worth keeping must live elsewhere.
import { SYSTEM_DIRS } from '../../system-dirs';
import { allVariables } from '../schema/index';
import { isUnder, normalizePath, programOf } from './paths-util';
import type { CheckRun } from './run';

interface Wiped {
  name: string;
  dir: string;
  how: string;
}

const WIPE_MESSAGE: Record<string, string> = {
  bulklog: 'pre-build runs rm -rf ${bulklog}/*',
  prefix: 'client-clean runs rm -rf ${prefix} before every package',
  pkgdb: 'client-clean runs rm -rf ${pkgdb} before every package',
  target_destdir: 'cross builds clean ${target_destdir} like the prefix',
};

export function checkDangerousPaths(run: CheckRun): void {
  const cross = run.boolean('cross_compile') === 'on';
  const wiped: Wiped[] = [];
  for (const name of ['bulklog', 'prefix', 'pkgdb', 'target_destdir']) {
    if (name === 'target_destdir' && !cross) continue;
    const state = run.state(name);
    if (state?.dynamic) continue;
    const value = state?.set ? state.value! : undefined;
    const how = WIPE_MESSAGE[name]!;
    if (value === undefined || value.trim() === '') {
      // An unset target_destdir is the cross-compile check's finding.
      if (value === undefined && (run.opaque || name === 'target_destdir')) continue;
      const what = value === undefined ? 'is not set' : 'is empty';
      const effect =
        name === 'bulklog'
          ? `${how}, which becomes rm -rf /* and deletes the whole system`
          : name === 'target_destdir'
            ? 'cross builds would use / itself as the target root, which they clean like the prefix'
            : `${how}, which becomes rm -rf with an empty path; the bootstrap kit is then unpacked over /`;
      run.report(run.anchor(name), 'error', 'dangerous-path', `${name} ${what}: ${effect}`, { variables: [name] });
      continue;
    }
    const norm = normalizePath(value);
    if (!norm.startsWith('/')) {
      run.report(
        run.anchor(name),
        'error',
        'relative-path',
        `${name}='${value}' is relative: ${how}, relative to whatever directory the script runs in. Use an absolute path`,
        { variables: [name] },
      );
      continue;
    }
    if (norm === '/' || (name !== 'target_destdir' && SYSTEM_DIRS.has(norm))) {
      run.report(
        run.anchor(name),
        'error',
        'dangerous-path',
        `${name}=${value}: ${how}, which deletes ${norm === '/' ? 'the whole system' : `the system directory ${norm}`}`,
        { variables: [name] },
      );
      continue;
    }
    if (name !== 'target_destdir') {
      const dir = cross && name !== 'bulklog' && run.value('target_destdir') ? normalizePath(`${run.value('target_destdir')}/${norm}`) : norm;
      wiped.push({ name, dir, how });
    }
  }
  checkRelative(run);
  checkInsideWiped(run, wiped);
  checkMakeRestored(run, wiped);
}

/**
 * make may live in the prefix only because client-clean unpacks the bootstrap kit right after
 * wiping it. Without a kit (an empty value is pbulk's way of saying "NetBSD, tools from base")
 * the bmake is gone before the first scan or build runs.
 */
function checkMakeRestored(run: CheckRun, wiped: Wiped[]): void {
  const prefix = wiped.find((w) => w.name === 'prefix');
  const make = run.value('make');
  if (!prefix || make === undefined || run.isDynamic('bootstrapkit') || run.isNonEmpty('bootstrapkit')) return;
  if (run.opaque && !run.isSet('bootstrapkit')) return;
  const program = normalizePath(programOf(make));
  if (!program.startsWith('/') || !isUnder(program, prefix.dir)) return;
  const a = run.finalAssignment('bootstrapkit');
  run.report(
    run.anchor('make'),
    'error',
    'wiped-path',
    `make=${program} is inside prefix (${prefix.dir}) and bootstrapkit is ${a ? 'empty' : 'not set'}: ${prefix.how} and has no kit to restore bmake from, so the scan and every build fail with "${program}: not found". Set bootstrapkit to the kit made by bootstrap --gzip-binary-kit, or point make at a bmake outside the prefix`,
    {
      related: a ? [run.related(a, 'bootstrapkit is empty here')] : [],
      variables: ['make', 'bootstrapkit'],
    },
  );
}

/** Every other absolute path setting: relative values resolve against a changing directory. */
function checkRelative(run: CheckRun): void {
  for (const spec of allVariables()) {
    if (!spec.path?.absolute || ['bulklog', 'prefix', 'pkgdb', 'target_destdir'].includes(spec.name)) continue;
    const value = run.value(spec.name);
    if (value === undefined || value.trim() === '') continue;
    const path = spec.type === 'command' ? programOf(value) : value.trim();
    // Commands may be bare program names looked up in PATH, and `:` is the shell no-op.
    if (spec.type === 'command' && (!path.includes('/') || path === ':')) continue;
    // Unsubstituted @TOKEN@s have their own error.
    if (path.startsWith('/') || path.startsWith('$') || /@[A-Z][A-Z0-9_]*@/.test(path)) continue;
    const severity = spec.name === 'loc' ? 'error' : 'warning';
    run.report(
      run.anchor(spec.name),
      severity,
      'relative-path',
      `${spec.name}='${value}' is relative: pbulk's scripts run in different directories, so it resolves differently in each. Use an absolute path`,
      { variables: [spec.name] },
    );
  }
}

function checkInsideWiped(run: CheckRun, wiped: Wiped[]): void {
  if (wiped.length === 0) return;
  const keep: { name: string; path: string }[] = [];
  for (const spec of allVariables()) {
    if (!spec.path?.keepOutsideWiped) continue;
    const value = run.value(spec.name);
    if (value === undefined || value.trim() === '') continue;
    const path = spec.type === 'command' || spec.type === 'executable' ? programOf(value) : value.trim();
    if (path.startsWith('/')) keep.push({ name: spec.name, path });
  }
  if (run.version.source === 'detected' && run.version.prefix) keep.push({ name: '(installed pbulk)', path: run.version.prefix });
  for (const k of keep) {
    k.path = normalizePath(k.path);
    for (const w of wiped) {
      // bulklog/meta is meant to be inside the bulklog.
      if (w.name === 'bulklog' && k.name === 'loc') continue;
      if (!isUnder(k.path, w.dir)) continue;
      const a = run.finalAssignment(w.name);
      const related = a ? [run.related(a, `${w.name} is set here`)] : [];
      if (k.name === '(installed pbulk)') {
        run.report(
          run.anchor(w.name),
          'error',
          'wiped-path',
          `pbulk itself is installed in ${k.path}, inside ${w.name}=${w.dir}: ${w.how}, deleting pbulk. Install pbulk into its own prefix such as /usr/pkg_bulk`,
          { variables: [w.name] },
        );
      } else {
        run.report(
          run.anchor(k.name),
          'error',
          'wiped-path',
          `${k.name}=${k.path} is inside ${w.name} (${w.dir}): ${w.how}, deleting it${k.name.startsWith('pkg_') ? '. The example config says: "The following programs must NOT be inside ${prefix}"' : ''}`,
          { related, variables: [k.name] },
        );
      }
    }
  }
}
