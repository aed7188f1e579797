// The engine's hooks into master mode: a scan master per scan round for the scan runner, a
// build master as the build loop's worker pool, and the fatal problems as events on the
// pbulk.conf line they concern.
import type { BuildState } from '../../pkgsrc/bulklog/states';
import type { EngineConfig } from '../config/types';
import type { EventHub } from '../core/events';
import type { RemoteScanRound } from '../scan/runner';
import { BuildMaster } from './build-master';
import { confProblem, type MasterContext } from './context';
import { MasterError } from './errors';
import { ClientNames } from './names';
import { ScanMaster } from './scan-master';

export { MasterError, BuildMaster };

/** Opens a scan master for each scan round (the client names are resolved once). */
export function remoteScan(cfg: EngineConfig, hub: EventHub, runId: string): (() => Promise<RemoteScanRound>) | undefined {
  const spec = cfg.master?.scan;
  if (!spec) return undefined;
  const ctx: MasterContext = { cfg, role: 'scan', spec, hub, runId };
  let names: Promise<ClientNames> | undefined;
  return async () => ScanMaster.open(ctx, await (names ??= ClientNames.resolve(spec.clients)));
}

/** The build master of a run, when build_clients lists hosts. */
export async function openBuildMaster(
  cfg: EngineConfig,
  hub: EventHub,
  runId: string,
  counts: () => Record<BuildState, number> | undefined,
): Promise<BuildMaster | undefined> {
  const spec = cfg.master?.build;
  if (!spec) return undefined;
  return BuildMaster.open({ cfg, role: 'build', spec, hub, runId }, counts);
}

/** A master's fatal problem as an error on its pbulk.conf line. */
export function reportMasterError(cfg: EngineConfig, hub: EventHub, e: MasterError): void {
  confProblem({ cfg, hub }, 'error', 'master', e.message, e.variable);
}
