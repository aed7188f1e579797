// From the library's diagnostics (src/pkgsrc/problem.ts, 0-based like LSP) to LSP values. The
// quick fixes travel inside the diagnostic (`data`), so a code action request answers from the
// very diagnostic the editor shows, even when the text has moved on since.
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic, type DiagnosticRelatedInformation, type Range } from 'vscode-languageserver';
import type { Severity } from '../pkgsrc/problem';
import type { ConfDiagnostic, ConfFix } from '../pkgsrc/conf';

export const diagnosticSource = 'pkgsrc-bulk';

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** What a published diagnostic carries for the code action handler and the settings form. */
export interface DiagnosticData {
  /** Document version the fixes were computed for. */
  version: number;
  fixes: ConfFix[];
  /** The pbulk.conf variables the finding is about: the settings form shows it on their row. */
  variables?: string[];
}

/** LSP ranges must be well-formed; a library range that is not is clamped rather than dropped. */
function safeRange(r: Range): Range {
  const s = { line: Math.max(0, r.start.line | 0), character: Math.max(0, r.start.character | 0) };
  let e = { line: Math.max(0, r.end.line | 0), character: Math.max(0, r.end.character | 0) };
  if (e.line < s.line || (e.line === s.line && e.character < s.character)) e = { ...s };
  return { start: s, end: e };
}

export function fileToUri(file: string): string {
  return file.startsWith('/') ? pathToFileURL(file).href : file;
}

/**
 * `uri` is the document the diagnostic is published on; related locations in the same file
 * (the library names files by path) are given that URI so they work for unsaved documents too.
 */
export function toLspDiagnostic(d: ConfDiagnostic, uri: string, docFile: string, version: number): Diagnostic {
  const out: Diagnostic = {
    range: safeRange(d.range),
    severity: severities[d.severity] ?? DiagnosticSeverity.Error,
    message: d.message,
    code: d.code,
    source: diagnosticSource,
  };
  if (d.code === 'obsolete-variable' || d.code === 'deprecated-variable') out.tags = [DiagnosticTag.Deprecated];
  if (d.related && d.related.length > 0) {
    out.relatedInformation = d.related.map((r): DiagnosticRelatedInformation => ({
      location: { uri: r.file === docFile ? uri : fileToUri(r.file), range: safeRange(r.range) },
      message: r.message,
    }));
  }
  const fixes = d.fixes ?? [];
  if (fixes.length > 0 || (d.variables && d.variables.length > 0)) {
    out.data = { version, fixes, ...(d.variables && d.variables.length > 0 ? { variables: d.variables } : {}) } satisfies DiagnosticData;
  }
  return out;
}

export function isDiagnosticData(x: unknown): x is DiagnosticData {
  if (x === null || typeof x !== 'object') return false;
  const d = x as Partial<DiagnosticData>;
  return typeof d.version === 'number' && Array.isArray(d.fixes);
}
