// Schema rows: the package tools and build tools pbulk runs, and pbulk's own programs and scripts.
import type { VariableInput } from './spec';

const outside = { absolute: true, exists: 'executable', keepOutsideWiped: true } as const;

function pkgTool(name: string, placeholder: string, what: string, since?: string): VariableInput {
  const row: VariableInput = {
    name,
    section: 'Package tools',
    type: 'command',
    doc: `${what} The example config warns that it must NOT be inside \${prefix}: client-clean wipes the prefix before every package, and the next step needs this tool to install dependencies.`,
    interpretation: 'run as a command; may carry arguments',
    example: `@PREFIX@/sbin/${name}`,
    placeholder,
    path: outside,
  };
  if (since) row.since = since;
  else row.required = 'always';
  return row;
}

function tool(name: string, placeholder: string | undefined, doc: string, example: string, extra: Partial<VariableInput> = {}): VariableInput {
  const row: VariableInput = {
    name,
    section: 'Build tools',
    type: 'command',
    doc,
    interpretation: 'run as a command, word-split, so it may carry arguments',
    example,
    path: outside,
    ...(['bzip2', 'gzip', 'tar', 'make'].includes(name) ? { required: 'always' as const } : {}),
    ...extra,
  };
  if (placeholder) row.placeholder = placeholder;
  return row;
}

function script(name: string, file: string, doc: string, extra: Partial<VariableInput> = {}): VariableInput {
  return {
    name,
    section: 'pbulk programs and scripts',
    type: 'executable',
    doc,
    interpretation: 'executed as a path',
    example: `@PREFIX@/${file}`,
    path: outside,
    ...(REQUIRED[name] ? { required: REQUIRED[name] } : {}),
    ...extra,
  };
}

const REQUIRED: Record<string, 'always' | 'master-mode'> = {
  pscan: 'always',
  presolve: 'always',
  pbuild: 'always',
  pbuild_script: 'always',
  pkg_up_to_date_script: 'always',
  report_script: 'always',
  report_html_script: 'always',
  report_txt_script: 'always',
  report_graph_script: 'always',
  packages_script: 'always',
  script_phase_pre_build: 'always',
  script_phase_scan: 'always',
  script_phase_build: 'always',
  script_phase_report: 'always',
  script_phase_upload: 'always',
  pscan_start_script: 'master-mode',
  pbuild_start_script: 'master-mode',
};

export const toolVariables: VariableInput[] = [
  pkgTool('pkg_add', '@PKG_ADD_CMD@', 'pkg_add used to install dependencies and to test-install finished packages.'),
  pkgTool('pkg_admin', '@PKG_ADMIN_CMD@', 'pkg_admin used by the current scripts.', '0.68'),
  pkgTool('pkg_delete', '@PKG_DELETE_CMD@', 'pkg_delete used for the test deinstall of finished packages.'),
  pkgTool('pkg_info', '@PKG_INFO_CMD@', 'pkg_info used to read binary packages (dependencies, build info) when deciding what is up to date.'),
  tool('bzip2', '@BZIP2@', 'bzip2 used for report.bz2 and SHA512.bz2.', '/usr/bin/bzip2'),
  tool('digest', '@DIGEST@', 'digest (from pkgtools/digest) used to checksum the packages for SHA512.bz2.', '@PREFIX@/bin/digest'),
  tool('gzip', '@GZIP_CMD@', 'gzip command including its options (the example quotes it: "gzip -nf -9"); used for pkg_summary.gz.', '/usr/bin/gzip -nf -9'),
  tool(
    'make',
    '@TARGET_MAKE@',
    'The bmake used for the scan and the builds. On NetBSD the base /usr/bin/make; elsewhere the bmake inside ${prefix} (make=${prefix}/bin/bmake), which client-clean restores from the bootstrap kit before it is used, so this is the one tool that may live in the prefix.',
    '${prefix}/bin/bmake',
    {
      path: { absolute: true, keepOutsideWiped: false },
    },
  ),
  tool('mail', '@MAIL_CMD@', 'mail command that sends the report to report_recipients; set mail=: to send nothing.', '/usr/bin/mail', {
    interpretation: 'run as a command; `:` (the shell no-op) disables mailing',
  }),
  tool('neato', '@NEATO@', 'neato from graphviz, used to draw report.svg from report.dot; if it is not executable the graph is skipped.', '@PREFIX@/bin/neato'),
  tool('rsync', undefined, 'rsync used by the upload phase; set rsync=: to upload nothing.', '@PREFIX@/bin/rsync', {
    interpretation: 'run as a command; `:` (the shell no-op) disables uploading',
  }),
  tool('sed', '@SED@', 'sed used by the scripts.', '/usr/bin/sed'),
  tool('tar', '@TAR@', 'tar used to unpack the bootstrap kit and to archive kept work directories and prefixes.', '/usr/bin/tar'),
  tool('xz', '@XZ@', 'xz used by the current scripts for compressed package lists.', '/usr/bin/xz', { since: '0.68' }),
  script('pbuild', 'bin/pbulk-build', 'The pbulk-build program from pkgtools/pbulk-base: the build scheduler, master and client.'),
  script('presolve', 'bin/pbulk-resolve', 'The pbulk-resolve program: turns scan records into the resolved dependency list (meta/presolve).'),
  script('pscan', 'bin/pbulk-scan', 'The pbulk-scan program: runs make pbulk-index in each package location, locally or as master and clients.'),
  script(
    'pkg_up_to_date_script',
    'libexec/pbulk/pkg-up-to-date',
    'Decides whether a package needs rebuilding (dependency list, RCS IDs and, unless skip_age_check, file ages).',
  ),
  script(
    'pbuild_script',
    'libexec/pbulk/pkg-build',
    'The per-package build script that every build client runs with the package record on its standard input (pbulk-build -b).',
  ),
  script(
    'pbuild_start_script',
    'libexec/pbulk/build-client-start',
    'Started by the build master (-I) to launch the build clients; it must exit 0 or the master aborts with "Start script failed".',
  ),
  script(
    'pscan_start_script',
    'libexec/pbulk/scan-client-start',
    'Started by the scan master (-I) to launch the scan clients; it must exit 0 or the master aborts.',
  ),
  script('report_script', 'libexec/pbulk/create-report', 'Makes meta/report from the build results.'),
  script('report_html_script', 'libexec/pbulk/create-report-html', 'Makes meta/report.html.'),
  script('report_txt_script', 'libexec/pbulk/create-report-txt', 'Makes meta/report.txt, the text mailed to report_recipients.'),
  script('report_graph_script', 'libexec/pbulk/create-broken-graph', 'Makes meta/report.dot, the graph of broken dependencies.'),
  script('packages_script', 'libexec/pbulk/compute-packages', 'Computes the list of packages the upload phase may publish (restricted ones are left out).'),
  script('script_phase_pre_build', 'libexec/pbulk/pre-build', 'First phase run by bulkbuild: checks the settings and wipes ${bulklog}.'),
  script('script_phase_scan', 'libexec/pbulk/scan', 'Second phase: scans the tree (or the limited list) and resolves dependencies.'),
  script('script_phase_build', 'libexec/pbulk/build', 'Third phase: builds the packages.'),
  script('script_phase_report', 'libexec/pbulk/report', 'Fourth phase: writes the reports and mails them.'),
  script('script_phase_upload', 'libexec/pbulk/upload', 'Last phase: uploads packages and reports with rsync.'),
  script(
    'pscan_prepare',
    'libexec/pbulk/client-clean',
    'Run on each scan client before pbulk-scan in 2013 pbulk (normally client-clean). Later versions prepare clients through client_prepare and client_prepare_action instead.',
    {
      until: '0.68',
      replacement: 'client_prepare_action',
    },
  ),
];
