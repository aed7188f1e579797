// What a scan or build master needs from the run: the config, the events, and helpers that put
// its problems on the pbulk.conf line they concern.
import type { ClientChange } from '../../protocol/master';
import type { EngineConfig, MasterRole } from '../config/types';
import type { EventHub } from '../core/events';

export type Role = 'scan' | 'build';

export interface MasterContext {
  cfg: EngineConfig;
  role: Role;
  spec: MasterRole;
  hub: EventHub;
  runId: string;
}

/** The pbulk.conf variables of a role. */
export const ROLE_VARS = {
  scan: { clients: 'scan_clients', port: 'master_port_scan', script: 'pscan_start_script' },
  build: { clients: 'build_clients', port: 'master_port_build', script: 'pbuild_start_script' },
} as const;

/** An engine error event on the line of a pbulk.conf variable (line 0 when not set there). */
export function confProblem(
  ctx: { cfg: EngineConfig; hub: EventHub },
  severity: 'error' | 'warning' | 'information',
  code: string,
  message: string,
  variable?: string,
): void {
  const line = variable !== undefined ? (ctx.cfg.master?.lines[variable] ?? 0) : 0;
  ctx.hub.emit('error', { severity, message, code, location: { file: ctx.cfg.configFile, line, character: 0 }, time: Date.now() });
}

export interface ClientNote {
  change: ClientChange;
  host: string;
  peer?: string;
  slot?: number;
  pkgname?: string;
  location?: string;
  message: string;
  connected: number;
}

export function clientEvent(ctx: MasterContext, n: ClientNote): void {
  ctx.hub.emit('client', { runId: ctx.runId, role: ctx.role, ...n, time: Date.now() });
}
