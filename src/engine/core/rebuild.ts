// Reopening packages of the build in the bulklog: the named ones (PKGNAMEs, or every variant
// of a location) or every failed one leave meta/success and meta/error, meta/pbuild goes, and
// the next run resumes; what was indirect-failed because of them becomes open again with them.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { computeStates, type StateRecord } from '../../pkgsrc/bulklog/compute';
import { writeFileAtomic } from '../../pkgsrc/bulklog/write';
import type { PresolveRecord } from '../../pkgsrc/resolve';
import { getField } from '../../pkgsrc/scan/record';
import type { RebuildParams } from '../../protocol/build';
import type { EngineConfig } from '../config/types';
import { RequestError } from './errors';
import { readPresolve } from './presolve';
import { readFinished } from './resume';
import { readRunState, type RunState } from './run-state';

export function stateRecords(records: readonly PresolveRecord[]): StateRecord[] {
  return records.map((r) => ({
    pkgname: r.pkgname,
    depends: r.depends,
    skipReason: getField(r.record, 'PKG_SKIP_REASON'),
    failReason: getField(r.record, 'PKG_FAIL_REASON'),
  }));
}

export interface PreparedRebuild {
  state: RunState;
  /** Packages the resumed run will build: the reopened ones and those waiting for them. */
  reset: string[];
}

export async function prepareRebuild(cfg: EngineConfig, params: RebuildParams): Promise<PreparedRebuild> {
  const prev = await readRunState(cfg.metaDir);
  const { records, errors } = await readPresolve(cfg.metaDir);
  if (errors.length > 0 || records.length === 0) throw new RequestError(`nothing to rebuild: ${errors[0] ?? 'meta/presolve has no packages'}`);
  const lists = await readFinished(cfg);
  const names = new Set<string>();
  for (const p of params.packages ?? []) {
    const hit = records.filter((r) => r.pkgname === p || r.location === p);
    if (hit.length === 0) throw new RequestError(`${p}: no such package or location in meta/presolve`);
    for (const r of hit) names.add(r.pkgname);
  }
  if (params.failed) for (const n of lists.error) names.add(n);
  if (names.size === 0) throw new RequestError('nothing to rebuild: no package has failed in this bulklog');
  const keep = (l: string[]) => l.filter((n) => !names.has(n));
  await writeFileAtomic(
    join(cfg.metaDir, 'success'),
    keep(lists.success)
      .map((n) => `${n}\n`)
      .join(''),
  );
  await writeFileAtomic(
    join(cfg.metaDir, 'error'),
    keep(lists.error)
      .map((n) => `${n}\n`)
      .join(''),
  );
  await rm(join(cfg.metaDir, 'pbuild'), { force: true });
  const after = computeStates(stateRecords(records), keep(lists.success), keep(lists.error));
  const reset = after.states.flatMap((s, i) => (s === 'open' ? [records[i]!.pkgname] : []));
  const runId = randomBytes(6).toString('hex');
  const base: RunState = prev ?? { runId, configFile: cfg.configFile, startedAt: Date.now(), stage: 'build', force: [] };
  // Named packages are built even when current; an unfinished run's own forced ones stay forced.
  const force = [...new Set([...(prev?.stage === 'done' ? [] : base.force), ...names])];
  return { state: { ...base, runId, stage: 'build', force }, reset };
}
