// What one row of the Packages view looks like: labels, descriptions, tooltips, icons and the
// contextValue tokens the context menu's when-clauses test (package.json, `viewItem =~ ...`).
import * as vscode from 'vscode';
import { displayName } from '../../pkgsrc/tree';
import type { CategoryInfo, OptionalFile, PackageInfo } from '../../pkgsrc/tree';
import { STATE_LOOK, State, formatCounts, type BuildState } from '../../pkgsrc/states';
import { stateIcon, variantText } from './states';
import type { LocationState } from './states';

/** Groups above the categories while a build has them: what failed, what is building now. */
export type GroupName = 'failed' | 'building';

/**
 * A row: a category, a package, or a group (a category-like row named `Failed` or `Building`
 * whose `group` is set; its children are packages with the same `group`).
 */
export type Node = { kind: 'category'; name: string; group?: GroupName } | { kind: 'package'; path: string; category: string; group?: GroupName };

/** contextValue token per optional file, tested by the menus in package.json. */
const FILE_TOKENS: Record<OptionalFile, string> = {
  DESCR: 'hasDescr',
  PLIST: 'hasPlist',
  distinfo: 'hasDistinfo',
  'buildlink3.mk': 'hasBuildlink3',
  'options.mk': 'hasOptions',
  'Makefile.common': 'hasCommon',
};

function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, '\\$&');
}

export function categoryItem(info: CategoryInfo, states: ReadonlyMap<string, LocationState>): vscode.TreeItem {
  const item = new vscode.TreeItem(info.name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `category:${info.name}`;
  const n = info.packages.length;
  // Counts per state of the build shown, first, so that a long COMMENT cannot cut them off.
  const count: Partial<Record<BuildState, number>> = {};
  for (const p of info.packages) {
    const st = states.get(p.path)?.state;
    if (st) count[st] = (count[st] ?? 0) + 1;
  }
  const counts = Object.keys(count).length > 0 ? formatCounts(count) : undefined;
  item.description = [counts, `${info.comment?.value ?? ''} (${n})`.trim()].filter(Boolean).join(' · ');
  const tip = new vscode.MarkdownString(`**${md(info.name)}** — ${md(info.comment?.value ?? 'no COMMENT')}\n\n${n} package${n === 1 ? '' : 's'} in SUBDIR`);
  if (info.disabled.length > 0)
    tip.appendMarkdown(`\n\nCommented out: ${info.disabled.map((d) => `${md(d.name)}${d.reason ? ` (${md(d.reason)})` : ''}`).join(', ')}`);
  for (const p of info.problems) tip.appendMarkdown(`\n\n$(warning) ${md(p.message)}`);
  if (counts) tip.appendMarkdown(`\n\nIn the build shown: ${md(counts)}`);
  tip.supportThemeIcons = true;
  item.tooltip = tip;
  item.contextValue = 'pkgsrcCategory';
  item.iconPath = new vscode.ThemeIcon(info.problems.some((p) => p.severity === 'error') ? 'warning' : 'folder-library');
  item.resourceUri = vscode.Uri.file(info.makefile);
  return item;
}

export function groupItem(group: GroupName, count: number): vscode.TreeItem {
  const item = new vscode.TreeItem(
    group === 'failed' ? 'Failed' : 'Building',
    group === 'building' || count <= 50 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
  );
  item.id = `group:${group}`;
  item.description = `(${count})`;
  item.tooltip = group === 'failed' ? 'Packages that failed to build in the build shown' : 'Packages building now, with their phase';
  item.iconPath = stateIcon(group === 'failed' ? State.Failed : State.Building);
  item.contextValue = `pkgsrcGroup group-${group}`;
  return item;
}

export function packageItem(info: PackageInfo, files: readonly OptionalFile[], state: LocationState | undefined): vscode.TreeItem {
  const item = new vscode.TreeItem(info.dir, vscode.TreeItemCollapsibleState.None);
  item.id = `package:${info.path}`;
  const comment = info.vars.COMMENT?.value;
  item.description = comment ?? '';
  const name = displayName(info);
  const tip = new vscode.MarkdownString();
  tip.supportThemeIcons = true;
  tip.appendMarkdown(name ? `**${md(name.name)}**${name.unresolved ? ' *(as written; bmake computes the real name)*' : ''}` : `**${md(info.path)}**`);
  if (comment) tip.appendMarkdown(`\n\n${md(comment)}`);
  const lines: string[] = [];
  const maint = info.vars.MAINTAINER ?? info.vars.OWNER;
  if (maint) lines.push(`${info.vars.OWNER ? 'Owner' : 'Maintainer'}: ${md(maint.value)}`);
  const home = info.vars.HOMEPAGE?.value;
  if (home) lines.push(`Homepage: ${/^https?:\/\/\S+$/.test(home) ? `[${md(home)}](${home})` : md(home)}`);
  lines.push(`Path: ${md(info.path)}`);
  tip.appendMarkdown(`\n\n${lines.join('  \n')}`);
  if (state) {
    tip.appendMarkdown(`\n\n$(${STATE_LOOK[state.state].icon}) ${md(STATE_LOOK[state.state].meaning)}`);
    for (const v of state.variants) tip.appendMarkdown(`  \n${md(v.pkgname)}: ${md(variantText(v))}`);
  }
  for (const p of info.problems.filter((x) => x.severity === 'error' || x.severity === 'warning')) tip.appendMarkdown(`\n\n$(warning) ${md(p.message)}`);
  item.tooltip = tip;
  item.contextValue = [
    'pkgsrcPackage',
    ...files.map((f) => FILE_TOKENS[f]),
    ...(info.state === 'ok' ? ['hasMakefile'] : []),
    ...(state ? [`state-${state.state}`] : []),
  ].join(' ');
  const broken = info.state !== 'ok';
  item.iconPath = state
    ? stateIcon(state.state)
    : broken
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
      : stateIcon(undefined);
  if (!broken) {
    item.command = {
      title: 'Open Makefile',
      command: 'pkgsrcBulk.openMakefile',
      arguments: [{ kind: 'package', path: info.path, category: info.category } satisfies Node],
    };
  }
  item.resourceUri = vscode.Uri.file(info.makefile);
  return item;
}
