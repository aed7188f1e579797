// What the pbulk.conf settings form shows, computed from the file's text: each setting with its
// documentation from the schema, its value as written, its effective value after ${var}
// expansion, whether the form can edit it, and the lines the form cannot represent. Plain JSON,
// posted to the webview. Pure: no vscode, so it is tested like the rest of the library.
import { evaluateConf, type ConfEvaluation } from '../../pkgsrc/conf/evaluate';
import { settingSite } from '../../pkgsrc/conf/edit/index';
import { confSchema, variableInfo, versionsText, type VariableSpec } from '../../pkgsrc/conf/schema/index';
import type { Range } from '../../pkgsrc/problem';
import type { ConfDocument, Statement } from '../../pkgsrc/conf/types';
import { GROUPS, groupOf, shownWhenUnset, type GroupId, type GroupInfo } from './groups';

export type Effective = { kind: 'value'; value: string } | { kind: 'dynamic'; reason: string } | { kind: 'unset'; note?: string };

export interface FormProblem {
  severity: 'error' | 'warning' | 'information' | 'hint';
  message: string;
  code?: string;
  /** 0-based line of the problem. */
  line: number;
  /** Quick fixes, applied by id. */
  fixes: { id: string; title: string }[];
}

export interface SettingRow {
  name: string;
  group: GroupId;
  /** In the schema (else a variable of this file only). */
  known: boolean;
  /** The schema's value type, or `variable`. */
  type: string;
  doc: string;
  interpretation?: string;
  example?: string;
  /** What pbulk does when it is unset. */
  unsetNote?: string;
  versions?: string;
  required?: 'always' | 'master-mode';
  /** Values offered (booleans: yes/no). */
  choices?: string[];
  control: 'text' | 'boolean' | 'integer' | 'multiline';
  /** A path: what the picker chooses. */
  pick?: 'folder' | 'file' | 'either';
  state: 'absent' | 'editable' | 'readonly';
  /** The value as written (quotes off, references kept), for an editable setting. */
  value?: string;
  /** The lines that set a read-only setting, as written. */
  written?: string;
  /** Why the form cannot edit it. */
  reason?: string;
  /** 0-based lines that set it. */
  lines: number[];
  effective: Effective;
  problems: FormProblem[];
}

/** A line the form does not represent: a conditional, a function, a command. */
export interface OpaqueLine {
  line: number;
  endLine: number;
  text: string;
  what: string;
}

export interface SettingsModel {
  file: string;
  groups: (GroupInfo & { rows: SettingRow[] })[];
  opaque: OpaqueLine[];
  /** Problems not tied to one setting. */
  problems: FormProblem[];
  /** A sourced file or eval may change any value. */
  opaqueFile: boolean;
}

const schemaIndex = new Map(confSchema.map((v, i) => [v.name, i]));
const MAX_WRITTEN_LINES = 6;

function pickOf(spec: VariableSpec | undefined): SettingRow['pick'] {
  switch (spec?.type) {
    case 'directory':
    case 'path-prefix':
      return 'folder';
    case 'file':
    case 'executable':
      return 'file';
    case 'bootstrapkit':
      return 'either';
    default:
      return undefined;
  }
}

function effectiveOf(ev: ConfEvaluation, name: string, spec: VariableSpec | undefined): Effective {
  const st = ev.variables.get(name);
  if (st?.set && !st.dynamic && st.value !== undefined) return { kind: 'value', value: st.value };
  if (st?.set) {
    const why = st.origin?.dynamicReason ?? (st.dynamicRegions.length > 0 ? 'it is set inside a compound command' : undefined);
    return { kind: 'dynamic', reason: why ? `known only when the file runs: ${why}` : 'known only when the file runs' };
  }
  return spec?.unset !== undefined ? { kind: 'unset', note: spec.unset } : { kind: 'unset' };
}

function row(doc: ConfDocument, ev: ConfEvaluation, name: string, spec: VariableSpec | undefined): SettingRow {
  const site = settingSite(doc, ev, name);
  const out: SettingRow = {
    name,
    group: spec ? groupOf(spec).group : 'advanced',
    known: spec !== undefined,
    type: spec?.type ?? 'variable',
    doc: spec?.doc ?? 'A variable of this file that pbulk does not read itself; other settings may refer to it as ${' + name + '}.',
    control: spec?.type === 'boolean' ? 'boolean' : spec?.type === 'integer' ? 'integer' : 'text',
    state: site.kind,
    lines: site.kind === 'editable' ? site.assignments.map((a) => a.range.start.line) : site.kind === 'readonly' ? site.lines : [],
    effective: effectiveOf(ev, name, spec),
    problems: [],
  };
  if (spec) {
    out.interpretation = spec.interpretation;
    if (spec.example !== undefined) out.example = spec.example;
    if (spec.unset !== undefined) out.unsetNote = spec.unset;
    out.versions = versionsText(spec);
    if (spec.required) out.required = spec.required;
    if (spec.values) out.choices = spec.values;
    const pick = pickOf(spec);
    if (pick) out.pick = pick;
  }
  if (site.kind === 'editable') {
    out.value = site.value;
    if (site.value.includes('\n')) out.control = 'multiline';
  } else if (site.kind === 'readonly') {
    out.reason = site.reason;
    const lines = [...new Set(site.lines)];
    out.written = lines
      .slice(0, MAX_WRITTEN_LINES)
      .map((l) => doc.lines[l] ?? '')
      .join('\n');
    if (lines.length > MAX_WRITTEN_LINES) out.written += '\n...';
  }
  return out;
}

function opaqueWhat(s: Statement): string | undefined {
  switch (s.kind) {
    case 'dynamic':
      return s.functionName ? `function ${s.functionName.name}` : s.dynamicKind;
    case 'command':
      return 'command';
    case 'ulimit':
      return 'ulimit';
    case 'unset':
      return 'unset';
    default:
      return undefined;
  }
}

export function settingsModel(doc: ConfDocument, ev: ConfEvaluation = evaluateConf(doc)): SettingsModel {
  const setInFile = (name: string): boolean => {
    const st = ev.variables.get(name);
    return st !== undefined && (st.assignments.length > 0 || st.dynamicRegions.length > 0);
  };
  const rows: SettingRow[] = [];
  for (const spec of confSchema) if (shownWhenUnset(spec) || setInFile(spec.name)) rows.push(row(doc, ev, spec.name, spec));
  // The file's own variables, in the order they first appear.
  const own = [...ev.variables.values()].filter((v) => !variableInfo(v.name) && setInFile(v.name)).sort((a, b) => firstLine(a) - firstLine(b));
  for (const v of own) rows.push(row(doc, ev, v.name, undefined));
  const order = (r: SettingRow): number => {
    const spec = variableInfo(r.name);
    const named = spec ? groupOf(spec).order : undefined;
    return named ?? 1000 + (schemaIndex.get(r.name) ?? 1000);
  };
  const groups = GROUPS.map((g) => ({
    ...g,
    rows: rows.filter((r) => r.group === g.id).sort((a, b) => order(a) - order(b) || (a.known ? 0 : rows.indexOf(a) - rows.indexOf(b))),
  }));
  const opaque: OpaqueLine[] = [];
  for (const s of doc.statements) {
    const what = opaqueWhat(s);
    if (!what) continue;
    const text = (doc.lines[s.range.start.line] ?? '').trim();
    opaque.push({ line: s.range.start.line, endLine: s.range.end.line, text: text.length > 120 ? `${text.slice(0, 117)}...` : text, what });
  }
  return { file: doc.file, groups, opaque, problems: [], opaqueFile: ev.opaque };
}

function firstLine(v: { assignments: { range: Range }[]; dynamicRegions: { range: Range }[] }): number {
  return Math.min(...v.assignments.map((a) => a.range.start.line), ...v.dynamicRegions.map((r) => r.range.start.line));
}

const LEADING_NAME = /^([A-Za-z_][A-Za-z0-9_]*)(?=[ =:']|$)/;

/**
 * The setting a diagnostic is about. The checks name the variables a finding is about: one
 * shown by the form owns it. Of several (a reference between two settings, a list of missing
 * ones), the guess below decides among them, else the finding is the file's. Diagnostics that
 * name none (other sources, an older server) get the guess alone: the variable the message
 * starts with when the form shows one by that name (checks anchor "bulklog is not set" at the
 * top of the file), else the assignment under its start.
 */
function problemOwner(doc: ConfDocument, model: SettingsModel, range: Range, message: string, variables?: readonly string[]): string | undefined {
  const shown = (n: string) => model.groups.some((g) => g.rows.some((r) => r.name === n));
  const named = variables && variables.length > 0 ? variables.filter(shown) : undefined;
  if (named?.length === 1) return named[0];
  if (named?.length === 0) return undefined;
  const fits = (n: string) => shown(n) && (!named || named.includes(n));
  const m = LEADING_NAME.exec(message);
  if (m && fits(m[1]!)) return m[1];
  for (const s of doc.statements) {
    if (s.kind !== 'assignment') continue;
    const r = s.statementRange;
    const after = (p: Range['start'], q: Range['start']) => p.line > q.line || (p.line === q.line && p.character >= q.character);
    if (after(range.start, r.start) && after(r.end, range.start) && fits(s.name)) return s.name;
  }
  return undefined;
}

/** Puts each problem on its setting, or with the file's problems. */
export function placeProblems(
  doc: ConfDocument,
  model: SettingsModel,
  problems: (FormProblem & { range: Range; variables?: readonly string[] })[],
): SettingsModel {
  const byName = new Map<string, SettingRow>();
  for (const g of model.groups) for (const r of g.rows) byName.set(r.name, r);
  for (const { range, variables, ...p } of problems) {
    const owner = problemOwner(doc, model, range, p.message, variables);
    (owner ? byName.get(owner)!.problems : model.problems).push(p);
  }
  return model;
}
