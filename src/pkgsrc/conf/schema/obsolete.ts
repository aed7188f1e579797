// Schema rows: names pbulk.conf should not assign: pkg-build's internal variables and names
// from older example configs, with what replaced them.
import type { VariableInput } from './spec';

function internal(name: string, doc: string): VariableInput {
  return {
    name,
    section: 'Internal to pkg-build',
    type: 'string',
    doc: `${doc} pkg-build sets it from the build record of each package after sourcing pbulk.conf; assigning it in the config is pointless at best.`,
    interpretation: 'overwritten by pkg-build',
    internal: true,
  };
}

function old(name: string, doc: string, replacement?: string): VariableInput {
  const row: VariableInput = {
    name,
    section: 'Obsolete',
    type: 'string',
    doc,
    interpretation: 'not read by pbulk 0.51 or later',
    until: '0.51',
  };
  if (replacement) row.replacement = replacement;
  return row;
}

export const obsoleteVariables: VariableInput[] = [
  internal('pkgname', 'Name of the package being built (PKGNAME).'),
  internal('pkgdir', 'Location of the package being built (PKG_LOCATION).'),
  internal('dependencies', 'Resolved dependencies of the package being built (DEPENDS).'),
  internal('use_destdir', 'USE_DESTDIR of the package being built.'),
  internal('usergroup_phase', 'USERGROUP_PHASE of the package being built.'),
  internal('is_bootstrap', 'BOOTSTRAP_PKG of the package being built.'),
  old('report_recipient', 'The 2007 name of report_recipients.', 'report_recipients'),
  old('external_pkg_info', 'The 2007 pkg_info outside the prefix; now pkg_info.', 'pkg_info'),
  old('pkg_install_prefix', 'The 2007 prefix of pkg_add and pkg_delete; pkg_add, pkg_delete and pkg_info now name the tools directly.'),
  old('ident', 'The 2007 ident command; no longer used.'),
];
