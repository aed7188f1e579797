// Runs the library's checks on one analysed document and converts the results to LSP.
import type { Diagnostic } from 'vscode-languageserver';
import type { ConfDiagnostic } from '../pkgsrc/conf/types';
import { range } from '../pkgsrc/problem';
import type { Analysis } from './analysis';
import type { ServerContext } from './context';
import { toLspDiagnostic } from './convert';

export async function diagnose(_ctx: ServerContext, a: Analysis, signal: AbortSignal): Promise<Diagnostic[]> {
  if (signal.aborted) return [];
  let found: ConfDiagnostic[];
  if (a.tooLarge) {
    found = [
      {
        file: a.file,
        range: range(0, 0),
        severity: 'error',
        code: 'file-too-large',
        message: `${(a.tooLarge / 1024 / 1024).toFixed(1)} MB is far larger than any pbulk.conf or limited_list; it is not checked`,
      },
    ];
  } else if (a.kind === 'conf') {
    found = a.doc.problems;
  } else {
    found = [];
  }
  return found.map((d) => toLspDiagnostic(d, a.uri, a.file, a.version));
}
