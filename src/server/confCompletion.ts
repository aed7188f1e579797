// Completion in a pbulk.conf, by where the cursor is: a variable name at the start of a
// statement (every pbulk variable, with its documentation), a value after `name=` (yes/no for
// booleans, the documented values, pbulk's example, paths on this machine), or a name after `$`
// / `${` (the variables assigned in the file, those above the cursor first).
import { CompletionItemKind, CompletionItemTag, InsertTextFormat, MarkupKind, type CompletionItem, type Position, type Range } from 'vscode-languageserver';
import { allVariables, type Assignment, booleanText, knownIn, variableInfo, variableMarkdown, type VariableSpec } from '../pkgsrc/conf';
import type { ConfAnalysis } from './analysis';
import { pathItems } from './pathCompletion';

export interface ConfCompletionOptions {
  /** Config version of the pbulk the file is checked against. */
  pbulkVersion: string;
  /** Where pbulk is installed (its @PREFIX@), to fill in the example values of its tools and scripts. */
  pbulkPrefix: string;
  snippets: boolean;
}

/** pbulk's example value with @PREFIX@ filled in; undefined when other placeholders remain. */
function exampleOf(spec: VariableSpec, opts: ConfCompletionOptions): string | undefined {
  if (spec.example === undefined || spec.example === '') return undefined;
  const v = spec.example.split('@PREFIX@').join(opts.pbulkPrefix);
  return /@[A-Z][A-Z0-9_]*@/.test(v) ? undefined : v;
}

const nameChars = /^[A-Za-z0-9_]*/;

// The schema is fixed for the life of the server: render each variable's documentation once.
const markdown = new Map<VariableSpec, string>();
function docOf(spec: VariableSpec): string {
  let md = markdown.get(spec);
  if (md === undefined) markdown.set(spec, (md = variableMarkdown(spec)));
  return md;
}

function escapeSnippet(s: string): string {
  return s.replace(/[\\$}]/g, '\\$&');
}

function escapeChoice(s: string): string {
  return s.replace(/[\\$}|,]/g, '\\$&');
}

function inComment(a: ConfAnalysis, pos: Position): boolean {
  return a.doc.comments.some((c) => c.range.start.line === pos.line && c.range.start.character < pos.character);
}

/** Assignments of the file by name, in order. */
function assignmentsByName(a: ConfAnalysis): Map<string, Assignment[]> {
  const out = new Map<string, Assignment[]>();
  for (const s of a.doc.statements) {
    if (s.kind !== 'assignment') continue;
    const list = out.get(s.name) ?? [];
    list.push(s);
    out.set(s.name, list);
  }
  return out;
}

function shown(v: string | undefined): string {
  if (v === undefined) return 'a value known only when the file is sourced';
  return v === '' ? 'empty' : `\`${v.length > 80 ? `${v.slice(0, 79)}…` : v}\``;
}

/** `$na|` or `${na|`: names assigned in the file; the ones set above the cursor first. */
function referenceItems(a: ConfAnalysis, pos: Position, partial: string, braced: boolean, line: string): CompletionItem[] {
  const after = nameChars.exec(line.slice(pos.character))![0];
  const range: Range = {
    start: { line: pos.line, character: pos.character - partial.length },
    end: { line: pos.line, character: pos.character + after.length },
  };
  const close = braced && line[pos.character + after.length] !== '}' ? '}' : '';
  const out: CompletionItem[] = [];
  for (const [name, list] of assignmentsByName(a)) {
    const above = list.filter((s) => s.nameRange.start.line < pos.line);
    const seen = above[above.length - 1];
    const spec = variableInfo(name);
    const value = seen ? a.evaluation.origins.get(seen)?.value : undefined;
    out.push({
      label: name,
      kind: CompletionItemKind.Variable,
      detail: seen
        ? `= ${seen.value.raw} (line ${seen.nameRange.start.line + 1})`
        : `assigned only below (line ${list[0]!.nameRange.start.line + 1}): empty here`,
      documentation: {
        kind: MarkupKind.Markdown,
        value: [
          seen ? `Here it expands to ${shown(value)}.` : `Not assigned yet at this line: \`\${${name}}\` expands to the empty string here.`,
          ...(spec ? ['', docOf(spec)] : []),
        ].join('\n'),
      },
      sortText: `${seen ? '0' : '1'}${name}`,
      textEdit: { range, newText: name + close },
    });
  }
  return out;
}

function valueRangeEnd(line: string, from: number): number {
  let i = from;
  while (i < line.length && !/[\s"';&|)]/.test(line[i]!)) i++;
  return i;
}

/** After `name=` (or `name="`): the values this variable takes. */
function valueItems(pos: Position, name: string, typed: string, line: string, opts: ConfCompletionOptions): CompletionItem[] {
  const spec = variableInfo(name);
  if (!spec) return [];
  const start = pos.character - typed.length;
  const range: Range = { start: { line: pos.line, character: start }, end: { line: pos.line, character: valueRangeEnd(line, pos.character) } };
  const out: CompletionItem[] = [];
  const values = spec.values ?? [];
  const parsing = booleanText(spec);
  values.forEach((v, i) => {
    out.push({
      label: v,
      kind: CompletionItemKind.EnumMember,
      detail: spec.type === 'boolean' ? `${name}: ${v}` : `${name} value`,
      documentation: { kind: MarkupKind.Markdown, value: parsing ? `pbulk reads ${name} this way: ${parsing}.` : spec.interpretation },
      sortText: `0${i}`,
      textEdit: { range, newText: v },
    });
  });
  const example = exampleOf(spec, opts);
  if (example !== undefined && !values.includes(example)) {
    out.push({
      label: example,
      kind: CompletionItemKind.Value,
      detail: "value in pbulk's example config",
      documentation: { kind: MarkupKind.Markdown, value: docOf(spec) },
      sortText: '1',
      textEdit: { range, newText: example },
    });
  }
  const pathLike = spec.path !== undefined || ['directory', 'file', 'executable', 'command', 'bootstrapkit', 'path-prefix'].includes(spec.type);
  if (pathLike && typed.startsWith('/') && !typed.includes('$')) {
    const seg = typed.lastIndexOf('/') + 1;
    const segRange: Range = { start: { line: pos.line, character: start + seg }, end: range.end };
    const dirsOnly = spec.type === 'directory' || spec.type === 'path-prefix' || spec.path?.exists === 'directory' || spec.path?.exists === 'pkgsrc';
    out.push(...pathItems(typed, segRange, dirsOnly));
  }
  return out;
}

function nameItem(spec: VariableSpec, range: Range, opts: ConfCompletionOptions, assigned: Assignment[] | undefined, withValue: boolean): CompletionItem {
  const obsolete = spec.section === 'Obsolete';
  const known = knownIn(spec, opts.pbulkVersion);
  let sort = '0';
  if (assigned) sort = '1';
  if (!known || spec.vendor) sort = '2';
  if (obsolete) sort = '3';
  const detailParts: string[] = [spec.type, spec.section];
  if (assigned) detailParts.push(`set at line ${assigned[0]!.nameRange.start.line + 1}`);
  if (!known) detailParts.push(`not read by pbulk ${opts.pbulkVersion}`);
  let newText = spec.name;
  let format: InsertTextFormat = InsertTextFormat.PlainText;
  if (withValue) {
    newText = `${spec.name}=`;
    if (opts.snippets) {
      format = InsertTextFormat.Snippet;
      const choices = spec.values ?? [];
      const example = exampleOf(spec, opts);
      if (choices.length > 0) {
        const first = example !== undefined && choices.includes(example) ? [example, ...choices.filter((c) => c !== example)] : choices;
        newText = `${spec.name}=\${1|${first.map(escapeChoice).join(',')}|}`;
      } else if (example !== undefined) newText = `${spec.name}=\${1:${escapeSnippet(example)}}`;
      else newText = `${spec.name}=$0`;
    }
  }
  return {
    label: spec.name,
    kind: CompletionItemKind.Variable,
    detail: detailParts.join(' — '),
    documentation: { kind: MarkupKind.Markdown, value: docOf(spec) },
    sortText: `${sort}${spec.name}`,
    textEdit: { range, newText },
    insertTextFormat: format,
    ...(obsolete ? { tags: [CompletionItemTag.Deprecated] } : {}),
    ...(spec.vendor ? { labelDetails: { description: spec.vendor } } : {}),
  };
}

/** At the start of a statement: every variable pbulk reads (internal pkg-build names excluded). */
function statementItems(a: ConfAnalysis, pos: Position, partial: string, line: string, opts: ConfCompletionOptions): CompletionItem[] {
  const after = nameChars.exec(line.slice(pos.character))![0];
  const range: Range = {
    start: { line: pos.line, character: pos.character - partial.length },
    end: { line: pos.line, character: pos.character + after.length },
  };
  const withValue = line[pos.character + after.length] !== '=';
  const assigned = assignmentsByName(a);
  const out = allVariables()
    .filter((s) => !s.internal)
    .map((s) => nameItem(s, range, opts, assigned.get(s.name), withValue));
  if (withValue && partial.length > 0 && 'ulimit'.startsWith(partial)) {
    out.push({
      label: 'ulimit',
      kind: CompletionItemKind.Keyword,
      detail: 'limit every pbulk script and package build',
      documentation: {
        kind: MarkupKind.Markdown,
        value:
          'pbulk.conf is sourced by every pbulk script, including pkg-build once per package on every client, so a `ulimit` here limits each package build (e.g. `ulimit -t 3600`: an hour of CPU time).',
      },
      sortText: '4ulimit',
      textEdit: { range, newText: opts.snippets ? 'ulimit -t ${1:3600}' : 'ulimit -t 3600' },
      insertTextFormat: opts.snippets ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    });
  }
  return out;
}

/** The unquoted part of a value typed so far, or undefined when the cursor is past the value. */
function typedValue(raw: string): string | undefined {
  let quote: string | undefined;
  let segStart = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      if (i === 0) segStart = 1;
    } else if (c === '\\') i++;
    else if (/[\s;&|]/.test(c)) return undefined;
  }
  return raw.slice(segStart);
}

export function confCompletion(a: ConfAnalysis, pos: Position, opts: ConfCompletionOptions): CompletionItem[] {
  const line = a.doc.lines[pos.line] ?? '';
  const before = line.slice(0, pos.character);
  if (inComment(a, pos)) return [];
  const ref = /(?<!\\)\$(\{)?([A-Za-z_][A-Za-z0-9_]*)?$/.exec(before);
  if (ref) return referenceItems(a, pos, ref[2] ?? '', ref[1] === '{', line);
  const assign = /^\s*(?:(?:export|readonly)\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(before);
  if (assign) {
    const v = typedValue(assign[2]!);
    return v === undefined ? [] : valueItems(pos, assign[1]!, v, line, opts);
  }
  const stmt = /^\s*(?:(?:export|readonly)\s+)?([A-Za-z_][A-Za-z0-9_]*)?$/.exec(before);
  if (stmt) return statementItems(a, pos, stmt[1] ?? '', line, opts);
  return [];
}
