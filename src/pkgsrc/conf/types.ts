// The syntax tree of a pbulk.conf (a /bin/sh fragment) and the diagnostics reported on it.
// Every node carries exact 0-based ranges so the language server can map them onto the editor
// unchanged; nothing here is ever executed.
import type { Problem, Range } from '../problem';

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A quick fix: one or more edits applied together. */
export interface ConfFix {
  title: string;
  edits: TextEdit[];
}

export interface RelatedInformation {
  file: string;
  range: Range;
  message: string;
}

export interface ConfDiagnostic extends Problem {
  fixes?: ConfFix[];
  related?: RelatedInformation[];
  /** The pbulk.conf variables whose value or assignment the finding is about (absent when it is about none). */
  variables?: string[];
}

/** One piece of a shell word, as the shell sees it before expansion. */
export type WordPart =
  /** Unquoted text with backslash escapes already removed. */
  | { kind: 'literal'; text: string; range: Range }
  /** '...' : taken literally. */
  | { kind: 'single'; text: string; range: Range }
  /** "..." : expansions inside still happen. */
  | { kind: 'double'; parts: WordPart[]; range: Range }
  /** $name, ${name}, ${name op word}, $1, $@ ... */
  | { kind: 'param'; ref: Reference; range: Range }
  /** $(...) or `...`: its output is unknown without running it. */
  | { kind: 'command'; text: string; range: Range; backquote: boolean }
  /** $((...)) */
  | { kind: 'arith'; text: string; range: Range };

export interface Word {
  parts: WordPart[];
  range: Range;
  /** The source text of the word, quotes and all. */
  raw: string;
}

/** Where a reference sits: decides when (and whether) the shell expands it while sourcing. */
export type ReferenceContext =
  /** In the value of a plain assignment or the arguments of a simple top-level command. */
  | 'top'
  /** Inside if/case/loops/pipelines: expanded, but maybe not, and maybe more than once. */
  | 'dynamic'
  /** Inside a function body: expanded only when the function is called. */
  | 'function'
  /** Inside $(...), `...` or $((...)). */
  | 'substitution';

export interface Reference {
  /** Variable name, or the special parameter (`1`, `@`, `?` ...). */
  name: string;
  /** The whole `${...}` or `$name`. */
  range: Range;
  nameRange: Range;
  braced: boolean;
  /** Operator of ${name op word}: `:-`, `-`, `:=`, `=`, `:?`, `?`, `:+`, `+`, `#`, `##`, `%`, `%%`, or `len` for ${#name}. */
  op?: string;
  /** The word after the operator. */
  word?: Word;
  /** Index of the top-level statement holding the reference. */
  statement: number;
  context: ReferenceContext;
  /** True for $1, $@, $?, $$ ... */
  special: boolean;
}

export interface Assignment {
  kind: 'assignment';
  name: string;
  nameRange: Range;
  /** The value as written; an empty word for `name=`. */
  value: Word;
  /** `name=value`, without a leading `export`. */
  range: Range;
  /** Range of the whole statement (including `export` when there is one). */
  statementRange: Range;
  exported: boolean;
  index: number;
}

export interface ExportStatement {
  kind: 'export';
  /** `export` or `readonly`. */
  command: string;
  /** Names exported without a value (those with a value are Assignment statements). */
  names: { name: string; range: Range }[];
  range: Range;
  index: number;
}

export interface UnsetStatement {
  kind: 'unset';
  names: { name: string; range: Range }[];
  /** unset -f removes functions, not variables. */
  functions: boolean;
  range: Range;
  index: number;
}

export interface UlimitStatement {
  kind: 'ulimit';
  args: Word[];
  range: Range;
  index: number;
}

/** Any other simple command (echo, umask, set -e, PATH=... cmd ...). */
export interface CommandStatement {
  kind: 'command';
  name: Word;
  args: Word[];
  /** `name=value` words before the command: they only set the command's environment. */
  envAssignments: Assignment[];
  range: Range;
  index: number;
}

export type DynamicKind = 'if' | 'case' | 'loop' | 'group' | 'subshell' | 'function' | 'pipeline' | 'and-or' | 'background' | 'source' | 'eval' | 'read';

/** Anything the static evaluation does not follow: the variables it may set become dynamic. */
export interface DynamicRegion {
  kind: 'dynamic';
  dynamicKind: DynamicKind;
  range: Range;
  /** Variables this region may assign when the file is sourced. */
  mayAssign: { name: string; range: Range }[];
  /** `.`, `source` or `eval`: any variable may change. */
  setsAny: boolean;
  /** For a function definition: its name and the range of the name. */
  functionName?: { name: string; range: Range };
  index: number;
}

export type Statement = Assignment | ExportStatement | UnsetStatement | UlimitStatement | CommandStatement | DynamicRegion;

export interface Comment {
  /** Text after the `#`. */
  text: string;
  range: Range;
}

export interface ConfDocument {
  file: string;
  text: string;
  /** Line texts without terminators; line breaks are \n, \r\n or a lone \r as in LSP. */
  lines: string[];
  statements: Statement[];
  /** Every ${var}/$var in the file, in document order, including inside dynamic regions. */
  references: Reference[];
  comments: Comment[];
  /** Functions defined in the file (e.g. a custom sync_package). */
  functions: { name: string; range: Range }[];
  /** Syntax problems: unterminated quotes, unbalanced if/fi, CRLF, NUL bytes ... */
  problems: ConfDiagnostic[];
}
