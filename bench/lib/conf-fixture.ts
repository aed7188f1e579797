// A realistic 300-line pbulk.conf for the conf benchmark: every setting of the current example
// with its comments, helper variables and references, a case block, a function, ulimit lines
// and site-specific blocks, so parser, evaluation and every check have work to do.

const SETTINGS = `config_version=0.68
base_url=https://builds.example.org/reports/\${platform}
reuse_scan_results=no
master_mode=yes
master_ip=10.0.0.1
scan_clients="10.0.0.2 10.0.0.3 10.0.0.4 10.0.0.5"
build_clients="10.0.0.2 10.0.0.3 10.0.0.4 10.0.0.5"
master_port_scan=\${master_ip}:2001
master_port_build=\${master_ip}:2002
pkg_rsync_args="-av --delete-excluded -e ssh"
pkg_rsync_target="upload@10.0.0.9:/public/packages/\${platform}"
report_rsync_args="-avz --delete-excluded -e ssh"
report_rsync_target="upload@10.0.0.9:/public/reports/\${platform}"
report_subject_prefix="pkgsrc-\${branch}"
report_recipients="builds@example.org"
bootstrapkit=\${top}/bootstrap/bootstrap-\${branch}.tar.gz
limited_list=\${top}/etc/limited_list
ignore_missing_dependencies=no
skip_age_check=no
report_graph_script_limit=512
unprivileged_user=pbulk
use_unprivileged_checksum=no
cross_compile=no
target_arch=vax
target_destdir=/usr/src/destdir.\${target_arch}
bulklog=\${top}/bulklog
packages=\${top}/packages/\${branch}/\${arch}
prefix=/usr/pkg
pkgsrc=\${top}/pkgsrc
pkgdb=\${prefix}/pkgdb
varbase=/var
pkg_add=\${pbulk}/sbin/pkg_add
pkg_admin=\${pbulk}/sbin/pkg_admin
pkg_delete=\${pbulk}/sbin/pkg_delete
pkg_info=\${pbulk}/sbin/pkg_info
bzip2=/usr/bin/bzip2
digest=\${pbulk}/bin/digest
gzip="/usr/bin/gzip -nf -9"
make=\${prefix}/bin/bmake
mail=/usr/bin/mail
neato=\${pbulk}/bin/neato
rsync=/usr/bin/rsync
sed=/usr/bin/sed
tar=/usr/bin/tar
xz=/usr/bin/xz
loc=\${bulklog}/meta
pbuild=\${pbulk}/bin/pbulk-build
presolve=\${pbulk}/bin/pbulk-resolve
pscan=\${pbulk}/bin/pbulk-scan
keep_wrkdir=no
keep_prefix=no
client_prepare=\${pbulk}/libexec/pbulk/client-prepare
client_prepare_action=\${pbulk}/libexec/pbulk/client-clean
client_prepare_chroot=:
chroot_script=\${pbulk}/libexec/pbulk/chroot
pkg_up_to_date_script=\${pbulk}/libexec/pbulk/pkg-up-to-date
pbuild_script=\${pbulk}/libexec/pbulk/pkg-build
pbuild_start_script=\${pbulk}/libexec/pbulk/build-client-start
pscan_start_script=\${pbulk}/libexec/pbulk/scan-client-start
report_script=\${pbulk}/libexec/pbulk/create-report
report_html_script=\${pbulk}/libexec/pbulk/create-report-html
report_txt_script=\${pbulk}/libexec/pbulk/create-report-txt
report_graph_script=\${pbulk}/libexec/pbulk/create-broken-graph
packages_script=\${pbulk}/libexec/pbulk/compute-packages
script_phase_pre_build=\${pbulk}/libexec/pbulk/pre-build
script_phase_build=\${pbulk}/libexec/pbulk/build
script_phase_report=\${pbulk}/libexec/pbulk/report
script_phase_scan=\${pbulk}/libexec/pbulk/scan
script_phase_upload=\${pbulk}/libexec/pbulk/upload
sync_buildlog=:
sync_package=default_sync_package
pkg_sufx=.tgz`;

/** The config as text, exactly `lines` lines long (at least 120). */
export function conf300(lines = 300): string {
  const out: string[] = [
    '# $NetBSD: pbulk.conf,v 1.28 2025/01/13 11:03:03 wiz Exp $',
    '#',
    '# Bulk build configuration of the build cluster.',
    '',
    'top=/data/bulk',
    'pbulk=/usr/pbulk',
    'branch=2025Q4',
    'case "$(uname -m)" in',
    'x86_64|amd64) arch=x86_64 ;;',
    'aarch64) arch=aarch64 ;;',
    '*) arch=unknown ;;',
    'esac',
    'platform=NetBSD-10.0-${arch}',
    '',
    '# Limit processes to an hour of CPU time.',
    'ulimit -t 3600',
    'ulimit -v 8388608',
    '',
  ];
  for (const s of SETTINGS.split('\n')) {
    const name = s.slice(0, s.indexOf('='));
    out.push(`# ${name}: see the pbulk documentation.`, s, '');
  }
  out.push('my_sync() {', '  cp "$1" "${packages}/All/$2${pkg_sufx}"', '}');
  let i = 0;
  while (out.length < lines) {
    i++;
    out.push(i % 3 === 0 ? '' : i % 3 === 1 ? `# site note ${i}: keep this in sync with the build hosts` : `site_value_${i}="\${top}/site/${i}"`);
  }
  return out.slice(0, lines).join('\n') + '\n';
}
