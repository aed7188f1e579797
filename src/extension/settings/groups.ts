// The groups of the pbulk.conf settings form, in the order a person setting up a build goes
// through them. Paths, mode and sandboxes name their settings; reports and tools take whole
// schema sections; everything else (the version gate, build behaviour, cross-compiling, obsolete
// names and the file's own variables) is advanced. Pure data, no vscode.
import type { VariableSpec } from '../../pkgsrc/conf/schema/index';

export type GroupId = 'paths' | 'mode' | 'sandboxes' | 'reports' | 'tools' | 'advanced';

export interface GroupInfo {
  id: GroupId;
  title: string;
  description: string;
}

export const GROUPS: readonly GroupInfo[] = [
  { id: 'paths', title: 'Paths', description: 'The pkgsrc tree, where logs and packages go, the prefix the packages install into and the bootstrap kit.' },
  { id: 'mode', title: 'Mode and clients', description: 'A build on this machine alone, or a master with scan and build clients on other hosts.' },
  { id: 'sandboxes', title: 'Sandboxes', description: 'The chroots pbulk builds in and how many run at once.' },
  { id: 'reports', title: 'Reports and publishing', description: 'Who gets the report mail, and where packages and reports are uploaded.' },
  { id: 'tools', title: 'Tools', description: "The package tools, the build tools and pbulk's own programs and scripts." },
  { id: 'advanced', title: 'Advanced', description: 'The configuration version, build behaviour, cross-compiling, and the other variables of this file.' },
];

const NAMED: Partial<Record<GroupId, readonly string[]>> = {
  paths: ['pkgsrc', 'bulklog', 'packages', 'prefix', 'pkgdb', 'bootstrapkit', 'limited_list', 'varbase', 'loc'],
  mode: [
    'master_mode',
    'master_ip',
    'master_port_scan',
    'master_port_build',
    'scan_clients',
    'build_clients',
    'pscan_start_script',
    'pbuild_start_script',
    'client_prepare',
    'client_prepare_action',
    'client_prepare_chroot',
    'client_clean_local',
  ],
  sandboxes: ['chroot_dir', 'chroot_create', 'chroot_delete', 'chroot_script', 'build_chroots', 'scan_procs', 'scan_chroots'],
};

const BY_SECTION: Partial<Record<VariableSpec['section'], GroupId>> = {
  'Publishing and reports': 'reports',
  'Package tools': 'tools',
  'Build tools': 'tools',
  'pbulk programs and scripts': 'tools',
};

const named = new Map<string, { group: GroupId; order: number }>();
for (const [group, names] of Object.entries(NAMED)) names!.forEach((n, order) => named.set(n, { group: group as GroupId, order }));

/** The group of a schema variable, and its place among the named ones (else schema order). */
export function groupOf(spec: VariableSpec): { group: GroupId; order?: number } {
  return named.get(spec.name) ?? { group: BY_SECTION[spec.section] ?? 'advanced' };
}

/** Schema variables shown even when the file does not set them. */
export function shownWhenUnset(spec: VariableSpec): boolean {
  return !spec.internal && spec.section !== 'Obsolete';
}
