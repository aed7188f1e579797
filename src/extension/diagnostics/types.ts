// Diagnostics as plain data, before they become vscode.Diagnostic objects: what file (or which
// package's log document) they belong to, their range, related locations and the code actions
// they offer. Pure (no vscode), so the mapping is tested with node --test.
import type { Range, Severity } from '../../pkgsrc/problem';

/** A file on disk, or the log document of a package (see src/extension/logs). */
export type Target = { kind: 'file'; path: string } | { kind: 'log'; bulklog: string; pkgname: string };

export interface RelatedSpec {
  target: Target;
  range: Range;
  message: string;
}

export interface DiagnosticActions {
  /** Open the package's log document at a document line. */
  showLog?: { bulklog: string; pkgname: string; line?: number };
  /** Packages (PKGNAMEs) a Rebuild action builds again. */
  rebuild?: string[];
  /** Dependencies an "Open dependency" action opens (their Makefile). */
  openDependency?: { pkgname: string; location?: string; makefile?: string }[];
}

export interface DiagnosticSpec {
  target: Target;
  range: Range;
  severity: Severity;
  message: string;
  /** A package state's code (STATE_LOOK: `failed`, `broken`, `depending-on-failed`, ...), a log matcher's code, or an engine error code. */
  code: string;
  related: RelatedSpec[];
  /** Whose diagnostic it is: a PKGNAME, or `engine:` / `meta:` for build-wide ones. Replaced together. */
  owner: string;
  actions: DiagnosticActions;
}

export function targetKey(t: Target): string {
  return t.kind === 'file' ? `file:${t.path}` : `log:${t.bulklog}\0${t.pkgname}`;
}
