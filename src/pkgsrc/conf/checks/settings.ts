// How settings depend on each other: loc under the bulklog, limited builds ignoring some
// settings, publishing switched off or still pointing at the example's hosts, cross-compiling
// and chroot requirements.
import { pbulkNotInstalled } from './exists';
import { normalizePath } from './paths-util';
import type { CheckRun } from './run';

export function checkLoc(run: CheckRun): void {
  const loc = run.value('loc');
  const bulklog = run.value('bulklog');
  const a = run.finalAssignment('loc');
  if (loc === undefined || bulklog === undefined || !a || bulklog.trim() === '') return;
  if (normalizePath(loc) === normalizePath(`${bulklog}/meta`)) return;
  const stale = a.value.raw.includes('bulklog') ? ' (it was computed from an earlier value of bulklog, which is reassigned further down)' : '';
  run.report(
    run.anchor('loc'),
    'warning',
    'loc-not-bulklog-meta',
    `loc=${loc} is not \${bulklog}/meta (${normalizePath(bulklog)}/meta)${stale}: the upload phase hard-codes meta/ below \${bulklog}, so the report upload breaks`,
    {
      variables: ['loc'],
      fixes: [
        {
          title: 'Change to ${bulklog}/meta',
          edits: [{ range: a.value.raw === '' ? { start: a.range.end, end: a.range.end } : a.value.range, newText: '${bulklog}/meta' }],
        },
      ],
    },
  );
}

export function checkLimitedBuild(run: CheckRun): void {
  if (!run.isNonEmpty('limited_list')) return;
  if (run.boolean('reuse_scan_results') === 'on') {
    run.report(
      run.anchor('reuse_scan_results'),
      'information',
      'ignored-in-limited-build',
      'reuse_scan_results=yes is ignored in limited builds (limited_list is set): pre-build still moves the bulklog to ${bulklog}.old, but the limited scan never reuses it',
      { variables: ['reuse_scan_results'] },
    );
  }
  if (run.value('ignore_missing_dependencies')?.toLowerCase() === 'yes') {
    run.report(
      run.anchor('ignore_missing_dependencies'),
      'information',
      'ignored-in-limited-build',
      'ignore_missing_dependencies=yes is ignored in limited builds (limited_list is set): unresolvable dependencies always stop the build',
      { variables: ['ignore_missing_dependencies'] },
    );
  }
}

const EXAMPLE_HOSTS = /192\.168\.75\.\d+|DragonFly-1\.8|pkgsrc-box\.org/;

export function checkPublishing(run: CheckRun): void {
  const rsyncOff = run.value('rsync')?.trim() === ':';
  const mailOff = run.value('mail')?.trim() === ':';
  if (rsyncOff)
    run.report(run.anchor('rsync'), 'information', 'publishing-disabled', 'rsync=: turns off the upload of packages and reports', { variables: ['rsync'] });
  if (mailOff) run.report(run.anchor('mail'), 'information', 'publishing-disabled', 'mail=: turns off mailing the report', { variables: ['mail'] });
  const example = (name: string, why: string): void => {
    const v = run.value(name);
    if (v !== undefined && EXAMPLE_HOSTS.test(v))
      run.report(run.anchor(name), 'warning', 'example-value', `${name} is still the example config's value (${v}): ${why}`, { variables: [name] });
  };
  if (!rsyncOff) {
    example('pkg_rsync_target', 'the upload phase would push packages to that host');
    example('report_rsync_target', 'the upload phase would push the report to that host');
  }
  example('base_url', 'report.txt would link to that site');
  const rcpt = run.value('report_recipients');
  if (!mailOff && rcpt?.includes('pkgsrc-bulk@netbsd.org')) {
    run.report(
      run.anchor('report_recipients'),
      'warning',
      'example-value',
      "report_recipients is still the example config's pkgsrc-bulk@netbsd.org: every report would be mailed to the NetBSD bulk-build list",
      { variables: ['report_recipients'] },
    );
  }
  if (run.masterMode() === true) {
    example('master_ip', 'the clients would connect to that address');
    example('scan_clients', 'the scan would ssh to those hosts');
    example('build_clients', 'the build would ssh to those hosts');
  }
}

export function checkCrossCompile(run: CheckRun): void {
  if (run.boolean('cross_compile') !== 'on') return;
  const why = 'cross_compile is on';
  if (!run.isNonEmpty('target_arch')) {
    run.report(
      run.anchor(run.isSet('target_arch') ? 'target_arch' : 'cross_compile'),
      'error',
      'cross-compile',
      `${why} but target_arch is ${run.isSet('target_arch') ? 'empty' : 'not set'}: pre-build stops`,
      { variables: ['target_arch'] },
    );
  }
  if (!run.isSet('target_destdir') && !run.opaque) {
    run.report(run.anchor('cross_compile'), 'error', 'cross-compile', `${why} but target_destdir is not set: pre-build stops`, {
      variables: ['target_destdir'],
    });
  }
}

/**
 * pbulk's chroot code runs only with both chroot_create and chroot_dir. pkgsrc-bulk's engine
 * also reads chroot_dir alone: it then makes its own sandboxes named after it (chroots as
 * root, user namespaces otherwise), so that case is a note on what each program does, not a
 * half-finished setup. Combinations that neither can use stay warnings.
 */
export function checkChroots(run: CheckRun): void {
  const create = run.isNonEmpty('chroot_create');
  const dir = run.isNonEmpty('chroot_dir');
  const del = run.isNonEmpty('chroot_delete');
  if (create && !dir) {
    run.report(
      run.anchor('chroot_create'),
      'warning',
      'chroot-settings',
      'chroot_create is set but chroot_dir is not: pbulk and pkgsrc-bulk both need chroot_dir to name the chroots, so scan and build run without chroots and chroot_create is never called',
      { variables: ['chroot_create', 'chroot_dir'] },
    );
  }
  if (dir && !create) {
    if (del) {
      run.report(
        run.anchor('chroot_delete'),
        'warning',
        'chroot-settings',
        'chroot_delete is set without chroot_create: pbulk ignores both without chroot_create, and pkgsrc-bulk refuses to start because it cannot make the sandboxes chroot_delete would remove. Add chroot_create or remove chroot_delete',
        { variables: ['chroot_delete', 'chroot_create'] },
      );
    } else if (!pbulkNotInstalled(run)) {
      // Without pbulk on this machine, the pbulk-not-installed note says this instead.
      run.report(
        run.anchor('chroot_dir'),
        'information',
        'chroot-settings',
        'chroot_dir without chroot_create: pbulk itself ignores chroot_dir (and build_chroots, scan_procs) and runs scan and build without chroots; pkgsrc-bulk creates its own sandboxes named after it, <chroot_dir>-scan-1 and <chroot_dir>-build-1 ... -N (N from build_chroots unless its jobs setting says otherwise), as chroots when it runs as root and in user namespaces otherwise',
        { variables: ['chroot_dir'] },
      );
    }
  }
  if (create && dir) {
    if (!del) {
      run.report(
        run.anchor('chroot_create'),
        'warning',
        'chroot-settings',
        'chroot_create is set without chroot_delete: with pbulk the chroots of every run are left behind (pkgsrc-bulk removes its sandboxes itself)',
        { variables: ['chroot_create', 'chroot_delete'] },
      );
    }
    if (run.masterMode() === false) {
      run.report(
        run.anchor('chroot_create'),
        'warning',
        'chroot-settings',
        'pbulk uses chroots only in master mode, and master_mode is no: it never creates them (pkgsrc-bulk uses them either way). Set master_mode=yes and leave scan_clients/build_clients empty to use local chroots',
        { variables: ['chroot_create', 'master_mode'] },
      );
    }
    if (!run.isNonEmpty('build_chroots')) {
      run.report(
        run.anchor(run.isSet('build_chroots') ? 'build_chroots' : 'chroot_create'),
        'error',
        'chroot-settings',
        `chroots are configured but build_chroots is ${run.isSet('build_chroots') ? 'empty' : 'not set'}: the chroot script compares it with -gt 1, a shell error. Set it to the number of build chroots per host`,
        { variables: ['build_chroots'] },
      );
    }
  }
  if (dir && run.isSet('scan_procs') && run.isSet('scan_chroots')) {
    run.report(
      run.anchor('scan_chroots'),
      'warning',
      'chroot-settings',
      'both scan_procs and scan_chroots are set: scan_chroots is the older name, remove it',
      {
        variables: ['scan_chroots'],
      },
    );
  }
  // With chroot_dir alone the counts size pkgsrc-bulk's sandboxes (said at chroot_dir).
  if (dir) return;
  for (const name of ['build_chroots', 'scan_procs', 'scan_chroots', 'chroot_delete']) {
    if (!run.isNonEmpty(name) || !run.finalAssignment(name)) continue;
    run.report(run.anchor(name), 'information', 'chroot-settings', `${name} has no effect without chroot_dir (pbulk also needs chroot_create)`, {
      variables: [name],
    });
  }
}
