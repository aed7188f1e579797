// Hover in a pbulk.conf: what a variable is for (from the schema), the value it has at that spot
// and at the end of the file, and the assignments that value was built from
// (make=${prefix}/bin/bmake <- prefix=/usr/pkg).
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import { rangeContains, type ReferenceUse, valueChain, type ValueOrigin, variableInfo, variableMarkdown } from '../pkgsrc/conf';
import type { ConfAnalysis } from './analysis';
import { nameAt } from './confNames';

/** A Markdown code span that survives backticks in the value. */
export function code(v: string): string {
  const shown = v.length > 200 ? `${v.slice(0, 199)}…` : v;
  if (shown === '') return '*(empty)*';
  const ticks = '`'.repeat((shown.match(/`+/g) ?? []).reduce((m, s) => Math.max(m, s.length), 0) + 1);
  return `${ticks}${ticks.length > 1 || shown.startsWith('`') ? ' ' : ''}${shown}${ticks.length > 1 || shown.endsWith('`') ? ' ' : ''}${ticks}`;
}

function line(o: ValueOrigin): number {
  return o.assignment.nameRange.start.line + 1;
}

function originText(o: ValueOrigin): string {
  if (o.value === undefined) return `known only when the file is sourced (${o.dynamicReason ?? 'dynamic'}), set at line ${line(o)}`;
  return `${code(o.value)}, set at line ${line(o)}`;
}

/** `make` = `/usr/pkg/bin/bmake` (line 94) <- `prefix` = `/usr/pkg` (line 77) */
function chainText(o: ValueOrigin): string | undefined {
  const chain = valueChain(o).slice(1);
  if (chain.length === 0) return undefined;
  return `Built from ${chain.map((c) => `\`${c.assignment.name}\` = ${c.value === undefined ? '*(dynamic)*' : code(c.value)} (line ${line(c)})`).join(', ')}.`;
}

function useText(name: string, u: ReferenceUse): string[] {
  switch (u.status) {
    case 'set':
    case 'dynamic':
      if (u.origin) return [`Here \`\${${name}}\` is ${originText(u.origin)}.`, chainText(u.origin) ?? ''];
      return [`Here \`\${${name}}\` was set by a construct pbulk only evaluates when sourcing the file (if/case/loop/function): value unknown.`];
    case 'unset':
      return [`\`${name}\` is not set here: \`\${${name}}\` expands to the empty string.`];
    case 'before-assignment':
      return [
        `\`${name}\` is only assigned further down${u.laterAssignment ? ` (line ${u.laterAssignment.nameRange.start.line + 1})` : ''}: the file is sourced in order, so \`\${${name}}\` is empty here.`,
      ];
    case 'environment':
      return [`\`${name}\` is not assigned in this file: it comes from the environment the pbulk scripts run in.`];
    case 'maybe-set':
      return [`\`${name}\` may be set by the surrounding construct or a sourced file: value unknown.`];
    case 'deferred':
      return [
        `Inside a function body: expanded when the function is called${u.origin ? `; at the end of the file \`${name}\` is ${originText(u.origin)}` : ''}.`,
      ];
    default:
      return [];
  }
}

function finalText(a: ConfAnalysis, name: string, except?: ValueOrigin): string[] {
  const v = a.evaluation.variables.get(name);
  if (!v) return [];
  if (v.origin && v.origin === except) {
    return v.dynamicRegions.length > 0 ? [`A construct further down (line ${v.dynamicRegions[0]!.range.start.line + 1}) may change it.`] : [];
  }
  if (v.origin) return [`Effective value at the end of the file: ${originText(v.origin)}.`];
  if (v.unsetBy) return [`Unset at line ${v.unsetBy.range.start.line + 1}: empty at the end of the file.`];
  if (v.dynamic && v.dynamicRegions.length > 0)
    return [`At the end of the file it is set by the construct at line ${v.dynamicRegions[0]!.range.start.line + 1}: value unknown.`];
  return [];
}

function docFor(name: string): string {
  const spec = variableInfo(name);
  if (spec) return variableMarkdown(spec);
  return /^[A-Z_][A-Z0-9_]*$/.test(name)
    ? `**${name}** is not a pbulk variable; upper-case names reach the programs pbulk runs only when exported.`
    : `**${name}** is not a variable pbulk reads.`;
}

export function confHover(a: ConfAnalysis, pos: Position): Hover | null {
  const at = nameAt(a.doc, pos);
  if (!at) {
    const assignment = a.doc.statements.find((s) => s.kind === 'assignment' && rangeContains(s.value.range, pos) && s.value.raw !== '');
    if (assignment?.kind === 'assignment') {
      const origin = a.evaluation.origins.get(assignment);
      if (!origin) return null;
      const parts = [
        `\`${assignment.name}\` = ${origin.value === undefined ? `a value known only when the file is sourced (${origin.dynamicReason ?? 'dynamic'})` : code(origin.value)}`,
      ];
      const chain = chainText(origin);
      if (chain) parts.push('', chain);
      return { range: assignment.value.range, contents: { kind: MarkupKind.Markdown, value: parts.join('\n') } };
    }
    const u = a.doc.statements.find((s) => s.kind === 'ulimit' && rangeContains(s.range, pos));
    if (!u) return null;
    return {
      range: u.range,
      contents: {
        kind: MarkupKind.Markdown,
        value:
          'pbulk.conf is sourced by every pbulk script, and by pkg-build once per package on every client: this `ulimit` applies to every package build, and to the scan and build masters.',
      },
    };
  }
  const parts: string[] = [];
  if (at.kind === 'reference') {
    const use = a.evaluation.references.find((u) => u.reference === at.reference);
    if (use) parts.push(...useText(at.name, use));
    parts.push(...finalText(a, at.name, use?.origin));
  } else if (at.kind === 'assignment') {
    const origin = a.evaluation.origins.get(at.assignment);
    if (origin) {
      parts.push(
        `Assigned here: ${origin.value === undefined ? `known only when the file is sourced (${origin.dynamicReason ?? 'dynamic'})` : code(origin.value)}.`,
      );
      const chain = chainText(origin);
      if (chain) parts.push(chain);
    }
    parts.push(...finalText(a, at.name, origin));
  } else if (at.kind !== 'function') {
    parts.push(...finalText(a, at.name));
  } else {
    return {
      range: at.range,
      contents: {
        kind: MarkupKind.Markdown,
        value: `Shell function \`${at.name}\`, defined here; pbulk calls it when a setting names it (e.g. \`sync_package=${at.name}\`).`,
      },
    };
  }
  const value = [docFor(at.name), '', '---', '', ...parts.filter((p) => p !== '')].join('\n');
  return { range: at.range, contents: { kind: MarkupKind.Markdown, value } };
}
