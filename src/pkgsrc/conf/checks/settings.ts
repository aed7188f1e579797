// How settings depend on each other: loc under the bulklog, limited builds ignoring some
// settings, publishing switched off or still pointing at the example's hosts, cross-compiling
// and chroot requirements.
import { normalizePath } from './paths-util';
import type { CheckRun } from './run';

export function checkLoc(run: CheckRun): void {
  const loc = run.value('loc');
  const bulklog = run.value('bulklog');
  const a = run.finalAssignment('loc');
  if (loc === undefined || bulklog === undefined || !a || bulklog.trim() === '') return;
  if (normalizePath(loc) === normalizePath(`${bulklog}/meta`)) return;
  const stale = a.value.raw.includes('bulklog') ? ' (it was computed from an earlier value of bulklog, which is reassigned further down)' : '';
  run.report(run.anchor('loc'), 'warning', 'loc-not-bulklog-meta', `loc=${loc} is not \${bulklog}/meta (${normalizePath(bulklog)}/meta)${stale}: the upload phase hard-codes meta/ below \${bulklog}, so the report upload breaks`, {
    fixes: [{ title: 'Change to ${bulklog}/meta', edits: [{ range: a.value.raw === '' ? { start: a.range.end, end: a.range.end } : a.value.range, newText: '${bulklog}/meta' }] }],
  });
}

export function checkLimitedBuild(run: CheckRun): void {
  if (!run.isNonEmpty('limited_list')) return;
  if (run.boolean('reuse_scan_results') === 'on') {
    run.report(run.anchor('reuse_scan_results'), 'information', 'ignored-in-limited-build', 'reuse_scan_results=yes is ignored in limited builds (limited_list is set): pre-build still moves the bulklog to ${bulklog}.old, but the limited scan never reuses it');
  }
  if (run.value('ignore_missing_dependencies')?.toLowerCase() === 'yes') {
    run.report(run.anchor('ignore_missing_dependencies'), 'information', 'ignored-in-limited-build', 'ignore_missing_dependencies=yes is ignored in limited builds (limited_list is set): unresolvable dependencies always stop the build');
  }
}

const EXAMPLE_HOSTS = /192\.168\.75\.\d+|DragonFly-1\.8|pkgsrc-box\.org/;

export function checkPublishing(run: CheckRun): void {
  const rsyncOff = run.value('rsync')?.trim() === ':';
  const mailOff = run.value('mail')?.trim() === ':';
  if (rsyncOff) run.report(run.anchor('rsync'), 'information', 'publishing-disabled', 'rsync=: turns off the upload of packages and reports');
  if (mailOff) run.report(run.anchor('mail'), 'information', 'publishing-disabled', 'mail=: turns off mailing the report');
  const example = (name: string, why: string): void => {
    const v = run.value(name);
    if (v !== undefined && EXAMPLE_HOSTS.test(v)) run.report(run.anchor(name), 'warning', 'example-value', `${name} is still the example config's value (${v}): ${why}`);
  };
  if (!rsyncOff) {
    example('pkg_rsync_target', 'the upload phase would push packages to that host');
    example('report_rsync_target', 'the upload phase would push the report to that host');
  }
  example('base_url', 'report.txt would link to that site');
  const rcpt = run.value('report_recipients');
  if (!mailOff && rcpt?.includes('pkgsrc-bulk@netbsd.org')) {
    run.report(run.anchor('report_recipients'), 'warning', 'example-value', 'report_recipients is still the example config\'s pkgsrc-bulk@netbsd.org: every report would be mailed to the NetBSD bulk-build list');
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
    run.report(run.anchor(run.isSet('target_arch') ? 'target_arch' : 'cross_compile'), 'error', 'cross-compile', `${why} but target_arch is ${run.isSet('target_arch') ? 'empty' : 'not set'}: pre-build stops`);
  }
  if (!run.isSet('target_destdir') && !run.opaque) {
    run.report(run.anchor('cross_compile'), 'error', 'cross-compile', `${why} but target_destdir is not set: pre-build stops`);
  }
}

export function checkChroots(run: CheckRun): void {
  const create = run.isNonEmpty('chroot_create');
  const dir = run.isNonEmpty('chroot_dir');
  if (create !== dir) {
    const [have, missing] = create ? ['chroot_create', 'chroot_dir'] : ['chroot_dir', 'chroot_create'];
    run.report(run.anchor(have), 'warning', 'chroot-settings', `${have} is set but ${missing} is not: the chroot code paths need both, so scan and build run without chroots`);
  }
  if (create && dir) {
    if (!run.isNonEmpty('chroot_delete')) {
      run.report(run.anchor('chroot_create'), 'warning', 'chroot-settings', 'chroot_create is set without chroot_delete: the chroots of every run are left behind');
    }
    if (run.masterMode() === false) {
      run.report(run.anchor('chroot_create'), 'warning', 'chroot-settings', 'chroots are only used in master mode, and master_mode is no: they are never created. Set master_mode=yes and leave scan_clients/build_clients empty to use local chroots');
    }
    if (!run.isNonEmpty('build_chroots')) {
      run.report(run.anchor(run.isSet('build_chroots') ? 'build_chroots' : 'chroot_create'), 'error', 'chroot-settings', `chroots are configured but build_chroots is ${run.isSet('build_chroots') ? 'empty' : 'not set'}: the chroot script compares it with -gt 1, a shell error. Set it to the number of build chroots per host`);
    }
    if (run.isSet('scan_procs') && run.isSet('scan_chroots')) {
      run.report(run.anchor('scan_chroots'), 'warning', 'chroot-settings', 'both scan_procs and scan_chroots are set: scan_chroots is the older name, remove it');
    }
  } else {
    for (const name of ['build_chroots', 'scan_procs', 'scan_chroots', 'chroot_delete']) {
      if (run.isNonEmpty(name) && run.finalAssignment(name)) {
        run.report(run.anchor(name), 'information', 'chroot-settings', `${name} has no effect without both chroot_create and chroot_dir`);
      }
    }
  }
}
