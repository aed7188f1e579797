// Runs the library's checks on one analysed document and converts the results to LSP. The
// context comes from the server: the pbulk version, the existence-check setting, and for a
// limited_list the pkgsrc tree and master mode of the pbulk.conf that names it.
import type { Diagnostic } from 'vscode-languageserver';
import { booleanMeaning, checkConf, checkLimitedList, KNOWN_PBULK_VERSIONS, staticValue, type ConfCheckContext, type ConfDiagnostic } from '../pkgsrc/conf';
import { range } from '../pkgsrc/problem';
import type { Analysis, ConfAnalysis, ListAnalysis } from './analysis';
import type { ServerContext } from './context';
import { toLspDiagnostic } from './convert';

function confDiagnostics(ctx: ServerContext, a: ConfAnalysis): ConfDiagnostic[] {
  const context: ConfCheckContext = { pbulkVersion: ctx.pbulkVersion(a.evaluation), probe: ctx.probe, checkExistence: ctx.settings().conf.checkPaths };
  return checkConf(a.doc, a.evaluation, context);
}

function listDiagnostics(ctx: ServerContext, a: ListAnalysis): ConfDiagnostic[] {
  const settings = ctx.settings();
  const governing = ctx.links.governingConf(a.file);
  let pbulkVersion = ctx.pbulkVersion(governing?.evaluation);
  // With no pbulk installed here, the config_version of the conf naming the list says best
  // which pbulk will read it (0.51 keeps trailing comments in entries, later ones strip them).
  const declared = governing && staticValue(governing.evaluation, 'config_version');
  if (pbulkVersion.source === 'default' && declared && (KNOWN_PBULK_VERSIONS as readonly string[]).includes(declared)) {
    pbulkVersion = { version: declared, source: 'detected', file: governing.file };
  }
  const master = governing && staticValue(governing.evaluation, 'master_mode');
  const context: ConfCheckContext = { pbulkVersion, probe: ctx.probe, checkExistence: settings.conf.checkPaths };
  if (master !== undefined) context.masterMode = booleanMeaning('yes-or-no-strict', master) === 'on';
  const out: ConfDiagnostic[] = [];
  if (settings.conf.checkPaths) {
    const pkgsrc = ctx.links.pkgsrcFor(a.file, settings.pkgsrc, ctx.workspaceFolders());
    if (pkgsrc) context.pkgsrc = pkgsrc.dir;
    else {
      out.push({
        file: a.file,
        range: range(0, 0),
        severity: 'information',
        code: 'limited-list-no-tree',
        message:
          'Entries are not checked against a pkgsrc tree: no open pbulk.conf (nor one beside this file) names this list, and the pkgsrcBulk.pkgsrc setting is empty.',
      });
    }
  }
  out.push(...checkLimitedList(a.text, a.file, context));
  return out;
}

export async function diagnose(ctx: ServerContext, a: Analysis, signal: AbortSignal): Promise<Diagnostic[]> {
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
  } else {
    found = a.kind === 'conf' ? confDiagnostics(ctx, a) : listDiagnostics(ctx, a);
  }
  return found.map((d) => toLspDiagnostic(d, a.uri, a.file, a.version));
}
