// The diagnostics of a bulklog read from disk: every broken package's (mapped from its logs
// again only when what the bulklog says of it changed), meta/'s logs, and the bulklog's own
// problems. Owners that are no longer broken lose theirs.
import type * as vscode from 'vscode';
import { isBroken, type Bulklog, type BulklogPackage } from '../../pkgsrc/bulklog';
import type { BuildDiagnostics } from '../diagnostics/collection';
import { ENGINE_OWNER, META_OWNER, metaLogDiagnostics, type BuildFiles } from '../diagnostics/engineErrors';
import { diagnosePackage, fileContext } from '../diagnostics/map';
import type { DiagnosticSpec } from '../diagnostics/types';

const BULKLOG_OWNER = 'bulklog:';
/** Packages mapped at a time: reading their logs is I/O bound. */
const WORKERS = 4;

function signature(p: BulklogPackage): string {
  return [p.state, p.failingPhase, p.failingLog, p.logs.map((l) => `${l.size}`).join(','), p.location, (p.culprits ?? []).join(','), p.breaks].join('|');
}

export class BulklogDiagnostics {
  private readonly signatures = new Map<string, string>();
  private signatureRoot: string | undefined;

  constructor(
    private readonly diagnostics: BuildDiagnostics,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Maps every package again on the next update (another bulklog, a new run). */
  reset(): void {
    this.signatures.clear();
  }

  /** Maps this package again on the next update (it was rebuilt). */
  forget(pkgname: string): void {
    this.signatures.delete(pkgname);
  }

  /**
   * Brings the diagnostics in line with `b` (none: no bulklog there). `root` is the pkgsrc tree
   * the Makefiles are looked for in; `files` the pbulk.conf and limited_list meta/ problems go on.
   */
  async update(b: Bulklog | undefined, metaDir: string, root: string | undefined, files: BuildFiles): Promise<void> {
    const updates = new Map<string, DiagnosticSpec[]>();
    if (root !== this.signatureRoot) {
      this.signatures.clear();
      this.signatureRoot = root;
    }
    const keep = new Set<string>([ENGINE_OWNER, META_OWNER, BULKLOG_OWNER]);
    if (b) {
      const ctx = fileContext(b, root);
      const todo: BulklogPackage[] = [];
      for (const p of b.packages) {
        if (!isBroken(p.state)) continue;
        keep.add(p.pkgname);
        const sig = signature(p);
        if (this.signatures.get(p.pkgname) === sig) continue;
        this.signatures.set(p.pkgname, sig);
        todo.push(p);
      }
      let next = 0;
      const worker = async () => {
        while (next < todo.length) {
          const p = todo[next++]!;
          updates.set(
            p.pkgname,
            await diagnosePackage(p, ctx).catch((e: unknown) => {
              this.log.warn(`${p.pkgname}: cannot map its logs to diagnostics: ${(e as Error).message}`);
              return [];
            }),
          );
        }
      };
      await Promise.all(Array.from({ length: WORKERS }, worker));
      updates.set(META_OWNER, await metaLogDiagnostics(metaDir, files, b));
      updates.set(
        BULKLOG_OWNER,
        b.problems
          .filter((p) => p.severity === 'error' || p.severity === 'warning')
          .map((p) => ({
            target: { kind: 'file', path: p.file },
            range: p.range,
            severity: p.severity,
            message: p.message,
            code: p.code,
            related: [],
            owner: BULKLOG_OWNER,
            actions: {},
          })),
      );
    } else {
      updates.set(META_OWNER, []);
      updates.set(BULKLOG_OWNER, []);
    }
    for (const owner of this.diagnostics.owners()) {
      if (!keep.has(owner)) {
        updates.set(owner, []);
        this.signatures.delete(owner);
      }
    }
    this.diagnostics.replace(updates);
  }
}
