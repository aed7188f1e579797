// Shared by the pbulk.conf tests: a complete, clean config (zero diagnostics), a file system
// that has exactly what that config names, and helpers to change one setting at a time.
import { checkConf, evaluateConf, parseConf, type ConfCheckContext, type ConfDiagnostic, type FileProbe } from '../../src/pkgsrc/conf/index';

export const BASE = `# pbulk.conf used by the tests: every check passes on it
config_version=0.68
base_url=https://builds.example.org/reports
reuse_scan_results=no
master_mode=no
master_ip=10.0.0.1
scan_clients="10.0.0.2 10.0.0.3"
build_clients="10.0.0.2 10.0.0.3"
master_port_scan=\${master_ip}:2001
master_port_build=\${master_ip}:2002
pkg_rsync_args="-av --delete-excluded"
pkg_rsync_target="/srv/upload/packages"
report_rsync_args="-av --delete-excluded"
report_rsync_target="/srv/upload/reports"
report_subject_prefix="pkgsrc"
report_recipients="builds@example.org"
bootstrapkit=/bulk/bootstrap.tar.gz
ignore_missing_dependencies=no
skip_age_check=no
report_graph_script_limit=512
unprivileged_user=pbulk
use_unprivileged_checksum=no
cross_compile=no
target_arch=vax
target_destdir=/usr/src/destdir.\${target_arch}
bulklog=/bulk/bulklog
packages=/bulk/packages
prefix=/usr/pkg
pkgsrc=/usr/pkgsrc
pkgdb=/usr/pkg/pkgdb
varbase=/var
pkg_add=/usr/pbulk/sbin/pkg_add
pkg_admin=/usr/pbulk/sbin/pkg_admin
pkg_delete=/usr/pbulk/sbin/pkg_delete
pkg_info=/usr/pbulk/sbin/pkg_info
bzip2=/usr/bin/bzip2
digest=/usr/pbulk/bin/digest
gzip="/usr/bin/gzip -nf -9"
make=\${prefix}/bin/bmake
mail=/usr/bin/mail
neato=/usr/pbulk/bin/neato
rsync=/usr/bin/rsync
sed=/usr/bin/sed
tar=/usr/bin/tar
xz=/usr/bin/xz
loc=\${bulklog}/meta
pbuild=/usr/pbulk/bin/pbulk-build
presolve=/usr/pbulk/bin/pbulk-resolve
pscan=/usr/pbulk/bin/pbulk-scan
keep_wrkdir=no
keep_prefix=no
client_prepare=/usr/pbulk/libexec/pbulk/client-prepare
client_prepare_action=/usr/pbulk/libexec/pbulk/client-clean
client_prepare_chroot=:
chroot_script=/usr/pbulk/libexec/pbulk/chroot
pkg_up_to_date_script=/usr/pbulk/libexec/pbulk/pkg-up-to-date
pbuild_script=/usr/pbulk/libexec/pbulk/pkg-build
pbuild_start_script=/usr/pbulk/libexec/pbulk/build-client-start
pscan_start_script=/usr/pbulk/libexec/pbulk/scan-client-start
report_script=/usr/pbulk/libexec/pbulk/create-report
report_html_script=/usr/pbulk/libexec/pbulk/create-report-html
report_txt_script=/usr/pbulk/libexec/pbulk/create-report-txt
report_graph_script=/usr/pbulk/libexec/pbulk/create-broken-graph
packages_script=/usr/pbulk/libexec/pbulk/compute-packages
script_phase_pre_build=/usr/pbulk/libexec/pbulk/pre-build
script_phase_build=/usr/pbulk/libexec/pbulk/build
script_phase_report=/usr/pbulk/libexec/pbulk/report
script_phase_scan=/usr/pbulk/libexec/pbulk/scan
script_phase_upload=/usr/pbulk/libexec/pbulk/upload
sync_buildlog=:
sync_package=default_sync_package
pkg_sufx=.tgz
`;

/** The same config for pbulk 0.51: without the settings that came later, with pscan_prepare. */
export const BASE_051 =
  BASE.replace(/^config_version=.*$/m, 'config_version=0.51').replace(
    /^(client_prepare.*|chroot_script.*|pkg_admin.*|xz.*|use_unprivileged_checksum.*|sync_.*|pkg_sufx.*)\n/gm,
    '',
  ) + 'pscan_prepare=/usr/pbulk/libexec/pbulk/client-clean\n';

/**
 * A file system where everything exists except the listed paths (and what lies below them):
 * files in bin/sbin/libexec are executables, names with an extension, Makefile and
 * limited_list are plain files, the rest are directories.
 */
export function fakeProbe(opts: { missing?: string[]; notExecutable?: string[]; files?: Record<string, string> } = {}): FileProbe {
  return {
    stat(p) {
      if (opts.missing?.some((m) => p === m || p.startsWith(m + '/'))) return undefined;
      if (/\/(s?bin|libexec)\//.test(p)) return { kind: 'file', executable: !opts.notExecutable?.includes(p) };
      if (/\/[^/]+\.[a-z0-9.]+$/i.test(p) || p.endsWith('/Makefile') || p.endsWith('limited_list')) return { kind: 'file', executable: false };
      return { kind: 'directory', executable: false };
    },
    readText: (p, max) => opts.files?.[p]?.slice(0, max),
  };
}

export function context(extra: Partial<ConfCheckContext> = {}): ConfCheckContext {
  return { pbulkVersion: { version: '0.68', source: 'setting' }, probe: fakeProbe(), ...extra };
}

export function lint(text: string, ctx: Partial<ConfCheckContext> = {}): ConfDiagnostic[] {
  const doc = parseConf(text, '/etc/pbulk.conf');
  return checkConf(doc, evaluateConf(doc), context(ctx));
}

export function codes(ds: ConfDiagnostic[]): string[] {
  return ds.map((d) => d.code);
}

/** Diagnostics with the given code. */
export function only(ds: ConfDiagnostic[], code: string): ConfDiagnostic[] {
  return ds.filter((d) => d.code === code);
}

/** BASE with the line assigning `name` replaced (null: removed); appended when absent. */
export function withSetting(name: string, line: string | null, base = BASE): string {
  const lines = base.split('\n');
  const i = lines.findIndex((l) => l.startsWith(`${name}=`));
  if (i < 0) {
    if (line === null) return base;
    return base + line + '\n';
  }
  if (line === null) lines.splice(i, 1);
  else lines[i] = line;
  return lines.join('\n');
}

/** Applies several withSetting changes. */
export function withSettings(changes: Record<string, string | null>, base = BASE): string {
  let t = base;
  for (const [k, v] of Object.entries(changes)) t = withSetting(k, v, t);
  return t;
}

/** Applies the edits of a fix to a text (edits must not overlap). */
export function applyEdits(
  text: string,
  edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[],
): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const off = (p: { line: number; character: number }): number => starts[p.line]! + p.character;
  const sorted = [...edits].sort((a, b) => off(b.range.start) - off(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}
