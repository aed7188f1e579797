// The one DiagnosticCollection of builds. Diagnostics are kept per owner (a PKGNAME, or the
// engine's and pbulk's build-wide ones) and replaced owner by owner as events and bulklog reads
// arrive, so a package rebuilt successfully loses its diagnostics at once and the rest stay.
import * as vscode from 'vscode';
import type { Range, Severity } from '../../pkgsrc/problem';
import { logUri } from '../logs/uri';
import { targetKey, type DiagnosticActions, type DiagnosticSpec, type Target } from './types';

export const DIAGNOSTIC_SOURCE = 'pkgsrc bulk';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

function targetUri(t: Target): vscode.Uri {
  return t.kind === 'file' ? vscode.Uri.file(t.path) : logUri(t.bulklog, t.pkgname);
}

function vrange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/** Which owners' diagnostics are shown, and a word added to their source (found by the Problems filter). */
export interface DiagnosticsLens {
  shows(owner: string): boolean;
  label(owner: string): string | undefined;
}

export class BuildDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('pkgsrcBulk.builds');
  private readonly byOwner = new Map<string, DiagnosticSpec[]>();
  /** Per URI: the specs behind its diagnostics, in the same order, for code actions. */
  private readonly byUri = new Map<string, { diagnostic: vscode.Diagnostic; spec: DiagnosticSpec }[]>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private lens: DiagnosticsLens | undefined;

  /** Shows the diagnostics through a lens (none: all, as they are); republishes everything. */
  setLens(lens: DiagnosticsLens | undefined): void {
    this.lens = lens;
    const keys = new Set(this.keyUris.keys());
    for (const specs of this.byOwner.values()) for (const s of specs) keys.add(targetKey(s.target));
    if (keys.size > 0) this.publish(keys);
  }

  owners(): string[] {
    return [...this.byOwner.keys()];
  }

  specs(owner: string): readonly DiagnosticSpec[] {
    return this.byOwner.get(owner) ?? [];
  }

  /** Replaces the diagnostics of each owner given (an empty list clears it). */
  replace(updates: ReadonlyMap<string, DiagnosticSpec[]>): void {
    const touched = new Set<string>();
    for (const [owner, specs] of updates) {
      for (const s of this.byOwner.get(owner) ?? []) touched.add(targetKey(s.target));
      if (specs.length === 0) this.byOwner.delete(owner);
      else this.byOwner.set(owner, specs);
      for (const s of specs) touched.add(targetKey(s.target));
    }
    if (touched.size > 0) this.publish(touched);
  }

  clear(owner: string): void {
    if (this.byOwner.has(owner)) this.replace(new Map([[owner, []]]));
  }

  clearAll(keep: (owner: string) => boolean = () => false): void {
    const drop = [...this.byOwner.keys()].filter((o) => !keep(o));
    this.replace(new Map(drop.map((o) => [o, []])));
  }

  /** The specs behind the diagnostics of a document that intersect a range. */
  at(uri: vscode.Uri, range: vscode.Range): { diagnostic: vscode.Diagnostic; spec: DiagnosticSpec }[] {
    return (this.byUri.get(uri.toString()) ?? []).filter((x) => x.diagnostic.range.intersection(range) !== undefined);
  }

  /** The spec of a diagnostic VS Code hands back (a copy: matched by range, message and code). */
  specOf(uri: vscode.Uri, d: vscode.Diagnostic): DiagnosticSpec | undefined {
    const code = typeof d.code === 'object' ? d.code.value : d.code;
    return (this.byUri.get(uri.toString()) ?? []).find(
      (x) => x.diagnostic.message === d.message && x.diagnostic.range.isEqual(d.range) && String(x.spec.code) === String(code),
    )?.spec;
  }

  private publish(keys: Set<string>): void {
    const grouped = new Map<string, DiagnosticSpec[]>();
    for (const k of keys) grouped.set(k, []);
    for (const [owner, specs] of this.byOwner) {
      if (this.lens && !this.lens.shows(owner)) continue;
      for (const s of specs) {
        const k = targetKey(s.target);
        if (keys.has(k)) grouped.get(k)!.push(s);
      }
    }
    for (const [k, specs] of grouped) {
      if (specs.length === 0) {
        const uri = this.uriOfKey(k);
        if (uri) {
          this.collection.delete(uri);
          this.byUri.delete(uri.toString());
        }
        continue;
      }
      const uri = targetUri(specs[0]!.target);
      const items = specs.map((spec) => ({ diagnostic: this.toDiagnostic(spec), spec }));
      this.byUri.set(uri.toString(), items);
      this.collection.set(
        uri,
        items.map((x) => x.diagnostic),
      );
    }
    this.changed.fire();
  }

  private readonly keyUris = new Map<string, vscode.Uri>();

  private uriOfKey(k: string): vscode.Uri | undefined {
    return this.keyUris.get(k);
  }

  private toDiagnostic(spec: DiagnosticSpec): vscode.Diagnostic {
    this.keyUris.set(targetKey(spec.target), targetUri(spec.target));
    const d = new vscode.Diagnostic(vrange(spec.range), spec.message, SEVERITY[spec.severity]);
    const label = this.lens?.label(spec.owner);
    d.source = label ? `${DIAGNOSTIC_SOURCE} · ${label}` : DIAGNOSTIC_SOURCE;
    const log = spec.actions.showLog;
    // The code links to the package's log where there is one.
    d.code = log ? { value: spec.code, target: logUri(log.bulklog, log.pkgname) } : spec.code;
    if (spec.related.length > 0) {
      d.relatedInformation = spec.related.map(
        (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(targetUri(r.target), vrange(r.range)), r.message),
      );
    }
    return d;
  }

  dispose(): void {
    this.collection.dispose();
    this.changed.dispose();
  }
}

export type { DiagnosticActions };
