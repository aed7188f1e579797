// What every check gets: the document, its evaluation, the context (pbulk version, file probe)
// and helpers to find where a variable's value is written and to report a diagnostic there.
import type { Range, Severity } from '../../problem';
import { staticValue, type ConfEvaluation, type VariableState } from '../evaluate';
import { comparePositions, lineIndexFor, rangeContains, type LineIndex } from '../positions';
import { realProbe, type FileProbe } from '../probe';
import { variableInfo } from '../schema/index';
import type { BooleanParsing } from '../schema/spec';
import type { Assignment, ConfDiagnostic, ConfDocument, ConfFix, RelatedInformation } from '../types';
import { defaultPbulkVersion, type PbulkVersion } from '../version';

export interface ConfCheckContext {
  /** The pbulk to check against; default: the current version (see createConfContext to detect one). */
  pbulkVersion?: PbulkVersion;
  /** Answers existence questions; default: the real file system. */
  probe?: FileProbe;
  /** Look for the paths on this machine (default true). */
  checkExistence?: boolean;
  /** limited_list: the pkgsrc tree its entries live in. */
  pkgsrc?: string;
  /** limited_list: whether the pbulk.conf using it runs in master mode (stricter entry rules). */
  masterMode?: boolean;
}

export type BooleanMeaning = 'on' | 'off' | 'abort' | 'nothing-built';

/** What pbulk makes of a boolean's text. */
export function booleanMeaning(parsing: BooleanParsing, v: string): BooleanMeaning {
  const lower = v.toLowerCase();
  switch (parsing) {
    case 'yes-exact':
      return v === 'yes' ? 'on' : 'off';
    case 'yes-any-case':
      return lower === 'yes' ? 'on' : 'off';
    case 'yes-or-no-strict':
      return lower === 'yes' ? 'on' : lower === 'no' ? 'off' : 'abort';
    case 'yes-or-no-else-nothing':
      return lower === 'yes' ? 'on' : lower === 'no' ? 'off' : 'nothing-built';
    case 'not-no':
      return v === 'no' ? 'off' : 'on';
    case 'not-no-or-NO':
      return v === 'no' || v === 'NO' ? 'off' : 'on';
  }
}

export class CheckRun {
  readonly out: ConfDiagnostic[] = [];
  readonly version: PbulkVersion;
  readonly probe: FileProbe;
  readonly existence: boolean;
  readonly file: string;
  private lineIndex: LineIndex | undefined;

  constructor(
    readonly doc: ConfDocument,
    readonly ev: ConfEvaluation,
    readonly context: ConfCheckContext,
  ) {
    this.version = context.pbulkVersion ?? defaultPbulkVersion();
    this.probe = context.probe ?? realProbe;
    this.existence = context.checkExistence ?? true;
    this.file = doc.file;
  }

  get index(): LineIndex {
    return (this.lineIndex ??= lineIndexFor(this.doc));
  }

  report(
    range: Range,
    severity: Severity,
    code: string,
    message: string,
    extra: { fixes?: ConfFix[]; related?: RelatedInformation[]; variables?: string[] } = {},
  ): void {
    const d: ConfDiagnostic = { file: this.file, range, severity, message, code };
    if (extra.fixes && extra.fixes.length > 0) d.fixes = extra.fixes;
    if (extra.related && extra.related.length > 0) d.related = extra.related;
    if (extra.variables && extra.variables.length > 0) d.variables = [...new Set(extra.variables)];
    this.out.push(d);
  }

  related(a: Assignment, message: string): RelatedInformation {
    return { file: this.file, range: a.range, message };
  }

  state(name: string): VariableState | undefined {
    return this.ev.variables.get(name);
  }

  /** The static final value; undefined when unset or dynamic. */
  value(name: string): string | undefined {
    return staticValue(this.ev, name);
  }

  /** Set at the end (possibly dynamically). */
  isSet(name: string): boolean {
    return this.state(name)?.set ?? false;
  }

  isDynamic(name: string): boolean {
    return this.state(name)?.dynamic ?? false;
  }

  /** Set to something non-empty (or dynamic). */
  isNonEmpty(name: string): boolean {
    const s = this.state(name);
    return s !== undefined && s.set && (s.dynamic || s.value !== '');
  }

  /** The assignment that produced the final value. */
  finalAssignment(name: string): Assignment | undefined {
    return this.state(name)?.origin?.assignment;
  }

  /** Where the final value is written: its value range, or `name=` when the value is empty. */
  valueRange(name: string): Range | undefined {
    const a = this.finalAssignment(name);
    if (!a) return undefined;
    return a.value.raw === '' ? a.range : a.value.range;
  }

  /**
   * The variable whose assignment holds a range of its value (a placeholder, a reference); inside
   * if/case/loops, the last variable assigned on that line before it.
   */
  assignedAt(r: Range): string | undefined {
    for (const s of this.doc.statements) {
      const assignments = s.kind === 'assignment' ? [s] : s.kind === 'command' ? s.envAssignments : [];
      for (const a of assignments) if (rangeContains(a.value.range, r.start) && rangeContains(a.value.range, r.end)) return a.name;
      if (s.kind === 'dynamic' && rangeContains(s.range, r.start)) {
        const before = s.mayAssign.filter((n) => n.range.start.line === r.start.line && comparePositions(n.range.end, r.start) <= 0);
        return before[before.length - 1]?.name;
      }
    }
    return undefined;
  }

  /** A range to hang a diagnostic about the variable on: its value, else the start of the file. */
  anchor(name: string): Range {
    return this.valueRange(name) ?? this.start();
  }

  start(): Range {
    return { start: { line: 0, character: 0 }, end: { line: 0, character: this.doc.lines[0]?.length ?? 0 } };
  }

  /** Whether pbulk runs in master mode (undefined when unknown). */
  masterMode(): boolean | undefined {
    const v = this.value('master_mode');
    if (v === undefined) return undefined;
    return booleanMeaning('yes-or-no-strict', v) === 'on';
  }

  /** A boolean's meaning to pbulk; undefined when dynamic. Unset counts as empty. */
  boolean(name: string): BooleanMeaning | undefined {
    const spec = variableInfo(name);
    if (!spec?.boolean || this.isDynamic(name)) return undefined;
    return booleanMeaning(spec.boolean, this.value(name) ?? '');
  }

  /** Chroots are in use: both chroot_create and chroot_dir set (dynamic counts as set). */
  chroots(): boolean {
    return this.isNonEmpty('chroot_create') && this.isNonEmpty('chroot_dir');
  }

  /**
   * Ranges of the whitespace-separated words of a variable's value, when the value is written
   * as one plain or quoted literal; otherwise every word maps onto the whole value.
   */
  words(name: string): { text: string; range: Range }[] {
    const a = this.finalAssignment(name);
    const value = this.value(name);
    if (!a || value === undefined) return [];
    const raw = a.value.raw;
    const quoted = raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw[raw.length - 1] === raw[0];
    const inner = quoted ? raw.slice(1, -1) : raw;
    const exact = inner === value;
    const base = this.index.offset(a.value.range.start) + (quoted ? 1 : 0);
    const out: { text: string; range: Range }[] = [];
    const re = /\S+/g;
    for (let m = re.exec(value); m; m = re.exec(value)) {
      out.push({ text: m[0], range: exact ? this.index.range(base + m.index, base + m.index + m[0].length) : a.value.range });
    }
    return out;
  }

  /** Whether the whole evaluation could be thrown off by a sourced file or eval. */
  get opaque(): boolean {
    return this.ev.opaque;
  }
}
