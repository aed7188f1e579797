// THE table of pbulk.conf variables: every variable of the 2013 and current example configs,
// the ones the scripts read without listing them, Joyent's chroot settings, pkg-build's internal
// names and the obsolete names. Validated by zod when loaded, so a malformed row fails every test.
import { z } from 'zod';
import { compareVersions } from '../version';
import { chrootVariables } from './chroot';
import { generalVariables } from './general';
import { obsoleteVariables } from './obsolete';
import { pathVariables } from './paths';
import { publishVariables } from './publish';
import { booleanParsings, sections, variableSpec, type VariableSpec } from './spec';
import { toolVariables } from './tools';

export { booleanParsings, sections, valueTypes, variableSpec } from './spec';
export type { BooleanParsing, VariableSpec } from './spec';

const table = z.array(variableSpec).superRefine((rows, ctx) => {
  const names = new Set<string>();
  for (const r of rows) {
    if (names.has(r.name)) ctx.addIssue({ code: 'custom', message: `duplicate variable ${r.name}` });
    names.add(r.name);
    if ((r.type === 'boolean') !== (r.boolean !== undefined)) ctx.addIssue({ code: 'custom', message: `${r.name}: boolean type and parsing go together` });
    if ((r.type === 'integer') !== (r.integer !== undefined)) ctx.addIssue({ code: 'custom', message: `${r.name}: integer type and range go together` });
  }
  for (const r of rows) {
    for (const other of [r.replacement, r.aliasOf]) {
      if (other !== undefined && !names.has(other)) ctx.addIssue({ code: 'custom', message: `${r.name} points at unknown ${other}` });
    }
  }
});

/** Every variable, in the order of the reference documentation. */
export const confSchema: readonly VariableSpec[] = Object.freeze(
  table
    .parse([...generalVariables, ...chrootVariables, ...publishVariables, ...pathVariables, ...toolVariables, ...obsoleteVariables])
    .sort((a, b) => sections.indexOf(a.section) - sections.indexOf(b.section)),
);

const byName = new Map(confSchema.map((v) => [v.name, v]));

export function variableInfo(name: string): VariableSpec | undefined {
  return byName.get(name);
}

export function allVariables(): readonly VariableSpec[] {
  return confSchema;
}

/** Whether the pbulk of the given config version reads the variable. */
export function knownIn(spec: VariableSpec, version: string): boolean {
  if (spec.since !== undefined && compareVersions(version, spec.since) < 0) return false;
  if (spec.until !== undefined && compareVersions(version, spec.until) >= 0) return false;
  return true;
}

/** "0.51 and later", "0.68 and later", "before 0.51", "before 0.68". */
export function versionsText(spec: VariableSpec): string {
  if (spec.since !== undefined && spec.until !== undefined) return `${spec.since} to before ${spec.until}`;
  if (spec.since !== undefined) return `${spec.since} and later`;
  if (spec.until !== undefined) return `before ${spec.until}`;
  return 'all versions';
}

/** A one-line description of how pbulk reads a boolean. */
export function booleanText(spec: VariableSpec): string | undefined {
  return spec.boolean ? booleanParsings[spec.boolean] : undefined;
}

function sentence(s: string): string {
  return /[.!?]["')]?$/.test(s) ? s : `${s}.`;
}

/**
 * Schema prose as Markdown text: placeholders such as <target> or <pkg> would be read as HTML
 * tags and vanish, so `<` is escaped outside code spans.
 */
export function markdownProse(s: string): string {
  return s
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith('`') ? part : part.replace(/</g, '\\<')))
    .join('');
}

/** Hover/completion text: doc paragraph, interpretation, example value, versions. */
export function variableMarkdown(spec: VariableSpec): string {
  const lines = [
    `**${spec.name}** (${spec.type}) — ${spec.section}`,
    '',
    markdownProse(spec.doc),
    '',
    `*How pbulk reads it:* ${markdownProse(sentence(spec.interpretation))}`,
  ];
  if (spec.example !== undefined) lines.push('', `*Example:* \`${spec.name}=${spec.example}\``);
  if (spec.unset !== undefined) lines.push('', `*Unset:* ${markdownProse(sentence(spec.unset))}`);
  const extra: string[] = [`pbulk ${versionsText(spec)}`];
  if (spec.vendor) extra.push(`${spec.vendor} copies only`);
  if (spec.replacement) extra.push(`replaced by ${spec.replacement}`);
  if (spec.aliasOf) extra.push(`older name of ${spec.aliasOf}`);
  lines.push('', `*Versions:* ${extra.join('; ')}.`);
  return lines.join('\n');
}
