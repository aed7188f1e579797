// Static, sequential evaluation of a parsed pbulk.conf, the way /bin/sh would source it: each
// reference sees only what was assigned above it. Values that depend on something we do not run
// (command substitution, conditionals, the environment, a sourced file) are "dynamic": known to
// be set, value unknown. Nothing is executed.
import type { Assignment, ConfDocument, DynamicRegion, Reference, Statement, UlimitStatement, UnsetStatement, WordPart } from './types';

export type ReferenceStatus =
  /** Assigned above, value known (or dynamic when origin.dynamic). */
  | 'set'
  /** Assigned above, but by a dynamic region or with a dynamic value. */
  | 'dynamic'
  /** Never assigned (or unset above): expands to the empty string. */
  | 'unset'
  /** Assigned only further down: expands to the empty string here. */
  | 'before-assignment'
  /** Upper-case name never assigned in the file: taken from the environment. */
  | 'environment'
  /** A construct around the reference, or a sourced file, may set it. */
  | 'maybe-set'
  /** $1, $@, $? ...: depends on how the file is sourced. */
  | 'special'
  /** Inside a function body: expanded only when the function is called. */
  | 'deferred';

export interface ReferenceUse {
  reference: Reference;
  status: ReferenceStatus;
  /** The assignment whose value the reference sees. */
  origin?: ValueOrigin;
  /** For before-assignment: the first assignment below the reference. */
  laterAssignment?: Assignment;
}

export interface ValueOrigin {
  assignment: Assignment;
  /** The value after expansion; undefined when dynamic. */
  value: string | undefined;
  dynamic: boolean;
  /** Why the value is dynamic, for hover texts. */
  dynamicReason?: string;
  /** The references the value was built from. */
  uses: ReferenceUse[];
}

export interface VariableState {
  name: string;
  /** Set at the end of the file (possibly to a dynamic value). */
  set: boolean;
  /** The final value; undefined when unset or dynamic. */
  value: string | undefined;
  dynamic: boolean;
  exported: boolean;
  /** The assignment behind the final value. */
  origin?: ValueOrigin;
  /** Every top-level assignment of the name, in order. */
  assignments: Assignment[];
  /** Regions (if/case/loops/...) that may set it. */
  dynamicRegions: DynamicRegion[];
  /** The `unset` that removed it, when that is its final state. */
  unsetBy?: UnsetStatement;
}

export interface UlimitCall {
  statement: UlimitStatement;
  /** Expanded arguments; undefined entries are dynamic. */
  args: (string | undefined)[];
}

export interface ConfEvaluation {
  document: ConfDocument;
  variables: Map<string, VariableState>;
  /** The evaluated value of every assignment, in order. */
  origins: Map<Assignment, ValueOrigin>;
  /** One entry per reference of the document, in document order. */
  references: ReferenceUse[];
  ulimits: UlimitCall[];
  /** A sourced file or eval may have set any variable. */
  opaque: boolean;
  functions: Set<string>;
}

type EnvEntry = { kind: 'value'; origin: ValueOrigin } | { kind: 'unset'; by: UnsetStatement } | { kind: 'dynamic'; region: DynamicRegion };

interface Evaluated {
  value: string | undefined;
  reason?: string;
  uses: ReferenceUse[];
}

const GLOB = /[*?[]/;

class Evaluator {
  private readonly env = new Map<string, EnvEntry>();
  private readonly uses = new Map<Reference, ReferenceUse>();
  private readonly exported = new Set<string>();
  private readonly origins = new Map<Assignment, ValueOrigin>();
  private readonly ulimits: UlimitCall[] = [];
  private readonly functions = new Set<string>();
  /** Statement indexes that assign each name (assignments and dynamic regions), ascending. */
  private readonly assignedAt = new Map<string, { index: number; assignment?: Assignment }[]>();
  private opaque = false;
  private byStatement = new Map<number, Reference[]>();
  /** Names a dynamic region being evaluated may have set already. */
  private regionNames: Set<string> | undefined;

  constructor(private readonly doc: ConfDocument) {
    for (const s of doc.statements) {
      if (s.kind === 'assignment') this.noteAssigned(s.name, s.index, s);
      else if (s.kind === 'dynamic') for (const n of s.mayAssign) this.noteAssigned(n.name, s.index);
    }
  }

  private noteAssigned(name: string, index: number, assignment?: Assignment): void {
    let list = this.assignedAt.get(name);
    if (!list) this.assignedAt.set(name, (list = []));
    list.push(assignment ? { index, assignment } : { index });
  }

  run(): ConfEvaluation {
    const byStatement = new Map<number, Reference[]>();
    for (const r of this.doc.references) {
      let l = byStatement.get(r.statement);
      if (!l) byStatement.set(r.statement, (l = []));
      l.push(r);
    }
    this.byStatement = byStatement;
    for (const s of this.doc.statements) {
      this.statement(s);
      for (const r of byStatement.get(s.index) ?? []) if (!this.uses.has(r) && r.context !== 'function') this.resolve(r, s.index);
    }
    // Function bodies run after the whole file was sourced: they see the final values.
    for (const r of this.doc.references) if (!this.uses.has(r)) this.resolve(r, Number.MAX_SAFE_INTEGER);
    return {
      document: this.doc,
      variables: this.finalState(),
      origins: this.origins,
      references: this.doc.references.map((r) => this.uses.get(r)!),
      ulimits: this.ulimits,
      opaque: this.opaque,
      functions: this.functions,
    };
  }

  private statement(s: Statement): void {
    switch (s.kind) {
      case 'assignment': {
        const ev = this.word(s.value.parts, s.index, true);
        const origin: ValueOrigin = { assignment: s, value: ev.value, dynamic: ev.value === undefined, uses: ev.uses };
        if (ev.reason !== undefined) origin.dynamicReason = ev.reason;
        this.origins.set(s, origin);
        this.env.set(s.name, { kind: 'value', origin });
        if (s.exported) this.exported.add(s.name);
        return;
      }
      case 'export':
        for (const n of s.names) this.exported.add(n.name);
        return;
      case 'unset':
        if (!s.functions) for (const n of s.names) this.env.set(n.name, { kind: 'unset', by: s });
        return;
      case 'ulimit':
        this.ulimits.push({ statement: s, args: s.args.map((w) => this.word(w.parts, s.index, false).value) });
        return;
      case 'command':
        for (const a of s.envAssignments) this.word(a.value.parts, s.index, true);
        for (const w of [s.name, ...s.args]) this.word(w.parts, s.index, false);
        return;
      case 'dynamic':
        this.region(s);
        return;
    }
  }

  private region(s: DynamicRegion): void {
    if (s.functionName) this.functions.add(s.functionName.name);
    this.regionNames = new Set(s.mayAssign.map((n) => n.name));
    for (const r of this.byStatement.get(s.index) ?? []) if (!this.uses.has(r) && r.context !== 'function') this.resolve(r, s.index);
    this.regionNames = undefined;
    for (const n of s.mayAssign) this.env.set(n.name, { kind: 'dynamic', region: s });
    if (s.setsAny) this.opaque = true;
  }

  private resolve(r: Reference, at: number): ReferenceUse {
    const done = this.uses.get(r);
    if (done) return done;
    let use: ReferenceUse;
    if (r.special) use = { reference: r, status: 'special' };
    else if (r.context === 'function') {
      const e = this.env.get(r.name);
      use = { reference: r, status: 'deferred' };
      if (e?.kind === 'value') use.origin = e.origin;
    } else {
      const e = this.env.get(r.name);
      if (e?.kind === 'value') use = { reference: r, status: e.origin.dynamic ? 'dynamic' : 'set', origin: e.origin };
      else if (e?.kind === 'dynamic') use = { reference: r, status: 'dynamic' };
      else if (this.regionNames?.has(r.name)) use = { reference: r, status: 'maybe-set' };
      else if (e?.kind === 'unset') use = { reference: r, status: 'unset' };
      else {
        const later = this.assignedAt.get(r.name)?.find((x) => x.index > at);
        if (later) {
          use = { reference: r, status: 'before-assignment' };
          if (later.assignment) use.laterAssignment = later.assignment;
          else use.status = this.opaque ? 'maybe-set' : 'before-assignment';
        } else if (this.opaque) use = { reference: r, status: 'maybe-set' };
        else if (/^[A-Z_][A-Z0-9_]*$/.test(r.name)) use = { reference: r, status: 'environment' };
        else use = { reference: r, status: 'unset' };
      }
    }
    this.uses.set(r, use);
    return use;
  }

  /** Expands a word as sh does in an assignment (no field splitting, no globbing). */
  private word(parts: WordPart[], at: number, assignment: boolean): Evaluated {
    const uses: ReferenceUse[] = [];
    let value: string | undefined = '';
    let reason: string | undefined;
    const dyn = (why: string): void => {
      value = undefined;
      reason ??= why;
    };
    parts.forEach((p, i) => {
      switch (p.kind) {
        case 'literal':
          if (assignment && i === 0 && p.text.startsWith('~')) dyn('tilde expansion (the home directory)');
          else if (value !== undefined) value += p.text;
          return;
        case 'single':
          if (value !== undefined) value += p.text;
          return;
        case 'double': {
          const inner = this.word(p.parts, at, false);
          uses.push(...inner.uses);
          if (inner.value === undefined) dyn(inner.reason ?? 'dynamic');
          else if (value !== undefined) value += inner.value;
          return;
        }
        case 'command':
          dyn(p.backquote ? 'command substitution `...`' : 'command substitution $(...)');
          return;
        case 'arith':
          dyn('arithmetic expansion $((...))');
          return;
        case 'param': {
          const ev = this.param(p.ref, at);
          uses.push(...ev.uses);
          if (ev.value === undefined) dyn(ev.reason ?? 'dynamic');
          else if (value !== undefined) value += ev.value;
          return;
        }
      }
    });
    const out: Evaluated = { value, uses };
    if (reason !== undefined) out.reason = reason;
    return out;
  }

  private param(r: Reference, at: number): Evaluated {
    const use = this.resolve(r, at);
    const uses = [use];
    let current: string | undefined;
    let known = true;
    let isSet = false;
    let reason: string | undefined;
    switch (use.status) {
      case 'set':
        current = use.origin!.value;
        isSet = true;
        break;
      case 'unset':
      case 'before-assignment':
        current = '';
        break;
      default:
        known = false;
        reason =
          use.status === 'environment'
            ? `$${r.name} from the environment`
            : use.status === 'special'
              ? `$${r.name} depends on how the file is sourced`
              : `${r.name} is dynamic`;
    }
    const op = r.op;
    const sub = (): Evaluated => (r.word ? this.word(r.word.parts, at, false) : { value: '', uses: [] });
    const result = (value: string | undefined, extra: ReferenceUse[] = [], why = reason): Evaluated => {
      const out: Evaluated = { value, uses: [...uses, ...extra] };
      if (value === undefined) out.reason = why ?? 'dynamic';
      return out;
    };
    if (op === undefined) return result(known ? current : undefined);
    if (op === 'len') return result(known ? String(current!.length) : undefined);
    if (!known) {
      // The alternative word's references are still uses, even if we cannot pick a branch.
      const w = sub();
      return result(undefined, w.uses);
    }
    const empty = current === '';
    switch (op) {
      case '-':
      case ':-':
      case '=':
      case ':=':
      case '?':
      case ':?': {
        const useWord = !isSet || (op.startsWith(':') && empty);
        if (!useWord) return result(current);
        if (op.endsWith('?')) return result(current);
        const w = sub();
        return result(w.value, w.uses, w.reason);
      }
      case '+':
      case ':+': {
        const useWord = isSet && !(op === ':+' && empty);
        if (!useWord) return result('');
        const w = sub();
        return result(w.value, w.uses, w.reason);
      }
      default: {
        // #, ##, %, %%: only literal patterns are evaluated.
        const w = sub();
        if (w.value === undefined || GLOB.test(w.value)) return result(undefined, w.uses, 'pattern removal');
        const pat = w.value;
        let v = current!;
        if (op.startsWith('#') && v.startsWith(pat)) v = v.slice(pat.length);
        else if (op.startsWith('%') && v.endsWith(pat)) v = v.slice(0, v.length - pat.length);
        return result(v, w.uses);
      }
    }
  }

  private finalState(): Map<string, VariableState> {
    const out = new Map<string, VariableState>();
    const get = (name: string): VariableState => {
      let v = out.get(name);
      if (!v) {
        v = { name, set: false, value: undefined, dynamic: false, exported: this.exported.has(name), assignments: [], dynamicRegions: [] };
        out.set(name, v);
      }
      return v;
    };
    for (const s of this.doc.statements) {
      if (s.kind === 'assignment') get(s.name).assignments.push(s);
      else if (s.kind === 'dynamic') for (const n of s.mayAssign) if (!get(n.name).dynamicRegions.includes(s)) get(n.name).dynamicRegions.push(s);
    }
    for (const name of this.exported) get(name);
    for (const [name, e] of this.env) {
      const v = get(name);
      if (e.kind === 'value') {
        v.set = true;
        v.origin = e.origin;
        v.value = e.origin.value;
        v.dynamic = e.origin.dynamic;
      } else if (e.kind === 'dynamic') {
        v.set = true;
        v.dynamic = true;
      } else {
        v.unsetBy = e.by;
      }
    }
    return out;
  }
}

export function evaluateConf(doc: ConfDocument): ConfEvaluation {
  return new Evaluator(doc).run();
}

/** The statically known final value of a variable; undefined when unset or dynamic. */
export function staticValue(ev: ConfEvaluation, name: string): string | undefined {
  const v = ev.variables.get(name);
  return v && v.set && !v.dynamic ? v.value : undefined;
}

/**
 * The assignments that produced a value, outermost first: for make=${prefix}/bin/bmake that is
 * the make assignment, then the prefix assignment it read.
 */
export function valueChain(origin: ValueOrigin): ValueOrigin[] {
  const out: ValueOrigin[] = [];
  const seen = new Set<ValueOrigin>();
  const walk = (o: ValueOrigin): void => {
    if (seen.has(o)) return;
    seen.add(o);
    out.push(o);
    for (const u of o.uses) if (u.origin) walk(u.origin);
  };
  walk(origin);
  return out;
}
