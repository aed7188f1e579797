// The start of every run, before the scan: ask the tree once (tree-probe.ts) in the scan
// sandbox, with the bootstrap kit in place as pbulk's pre-build has it, then the pre-flight
// checks. Their problems stop the run before anything is scanned or built. What the tree said
// also gives meta/status its platform line, the scans their per-tree values, and the build
// sandboxes their write places.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeStatus } from '../../pkgsrc/bulklog/write';
import { cacheEnv } from '../../pkgsrc/mkconf/vars';
import { clientClean } from '../builder/client-clean';
import type { Sandbox } from '../sandbox/types';
import { preflight, settingLines } from './preflight';
import type { StageContext } from './scan-stage';
import { askTree, type TreeAnswer } from './tree-probe';
import { missingIndexTools, missingTools } from './tool-check';
import type { EngineConfig } from '../config/types';

export interface TreeKnowledge {
  /** What make printed; undefined when the tree could not be asked. */
  values?: Record<string, string>;
  /** The per-tree values every scan gets in its environment. */
  scanEnv: Record<string, string>;
}

export type TreeStageResult = { ok: true; tree: TreeKnowledge } | { ok: false; message: string };

/** pbulk's PLATFORM and COMPILER lines of meta/status, from the tree instead of this process's guess. */
async function statusFromTree(metaDir: string, v: Record<string, string>): Promise<void> {
  if (!v.OPSYS) return;
  const file = join(metaDir, 'status');
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return;
  const entries = text
    .split('\n')
    .filter((l) => l.includes('='))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as [string, string]);
  const set = (k: string, value: string) => {
    const e = entries.find((x) => x[0] === k);
    if (e) e[1] = value;
  };
  set('PLATFORM', `${v.OPSYS} ${v.OS_VERSION ?? ''}/${v.MACHINE_ARCH ?? ''}`);
  if (v.PKGSRC_COMPILER) set('COMPILER', v.PKGSRC_COMPILER);
  await writeStatus(file, entries);
}

function toolEnv(cfg: EngineConfig): Record<string, string> {
  return { PATH: cfg.settings.path, ...cfg.settings.env };
}

/** Asks the tree in `box`; on the host the kit is put in place first, as pbulk's pre-build does: its mk.conf is part of the answers. */
export async function askTreeIn(
  cfg: EngineConfig,
  box: Sandbox,
  o: { backend: Sandbox['backend']; hints?: readonly string[]; signal: AbortSignal },
): Promise<TreeAnswer> {
  const env = toolEnv(cfg);
  if (o.backend === 'none' && cfg.bootstrapKit) {
    await clientClean(cfg, (argv) => box.exec(argv, { env, cwd: '/', capture: true }));
  }
  return askTree(cfg, box, env, o.hints ?? [], o.signal);
}

export async function runTreeStage(
  ctx: StageContext,
  box: Sandbox,
  o: { backend: Sandbox['backend']; hints?: readonly string[]; fresh: boolean; fatal: boolean; signal: AbortSignal },
): Promise<TreeStageResult> {
  const { cfg, hub } = ctx;
  const answer = await askTreeIn(cfg, box, o);
  if (!answer.ok) {
    if (!o.signal.aborted) {
      hub.emit('error', {
        severity: 'warning',
        code: 'tree-settings',
        message: `could not ask the tree for its settings (${answer.message}): no pre-flight checks, and scans compute the per-tree values themselves`,
        location: { file: cfg.configFile, line: 0, character: 0 },
        time: Date.now(),
      });
    }
    return { ok: true, tree: { scanEnv: {} } };
  }
  const values = answer.vars.values;
  const problems = preflight({ cfg, values, backend: o.backend });
  // The tools matter where this engine builds: not for a scan alone, nor when clients build.
  if (o.fatal && !cfg.master?.build) problems.push(...((await missingTools(cfg, box, toolEnv(cfg), o.signal)) ?? []));
  if (o.fatal) problems.push(...missingIndexTools(cfg));
  if (problems.length > 0) {
    const line = await settingLines(cfg.configFile);
    for (const p of problems)
      hub.emit('error', {
        severity: o.fatal && !p.severity ? 'error' : 'warning',
        code: p.code,
        message: p.message,
        location: { file: cfg.configFile, line: line(p.setting), character: 0 },
        time: Date.now(),
      });
    const n = problems.filter((p) => !p.severity).length;
    // A scan alone still works; its builds would not.
    if (o.fatal && n > 0) {
      const tools = problems.some((p) => p.code === 'tool-missing' && !p.severity) ? ' or its tools' : '';
      return {
        ok: false,
        message: `pre-flight: ${n} problem${n === 1 ? '' : 's'} with the tree's settings${tools} (each reported on its pbulk.conf line); nothing was built`,
      };
    }
  }
  if (o.fresh) await statusFromTree(cfg.metaDir, values).catch(() => undefined);
  return { ok: true, tree: { values, scanEnv: cacheEnv(values) } };
}
