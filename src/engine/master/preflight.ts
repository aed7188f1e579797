// Before a master starts its clients: the marker of the shared directories is written, and
// when a start script reaches its clients with ssh (pbulk's stock scripts), every client is
// asked once over ssh in batch mode (no password prompt can hang the build) whether it can be
// reached, sees the marker in bulklog and packages, has the tree and the same config_version.
// Each finding is a diagnostic on the pbulk.conf line it concerns; the build goes on with the
// clients that work, as pbulk's master would.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineConfig, MasterRole } from '../config/types';
import type { EventHub } from '../core/events';
import { loadExeca } from '../execa';
import { confProblem, ROLE_VARS, type Role } from './context';
import { MARKER_NAME, writeMarker, type Marker } from './marker';
import { findTool } from '../sandbox/tools';

const SSH_TIMEOUT_S = 10;

/** Single-quoted for the remote shell. */
function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `ssh` argument vector for a client entry (user@host, host:sshport). */
export function sshArgs(entry: string): string[] | undefined {
  if (entry.startsWith('/')) return undefined;
  const m = /^(.*[^:]):(\d+)$/.exec(entry);
  if (m && !m[1]!.includes(':')) return ['-p', m[2]!, m[1]!];
  return [entry];
}

async function usesSsh(script: string | undefined): Promise<boolean> {
  if (!script) return false;
  const text = await readFile(script, 'latin1').catch(() => '');
  return /(^|[\s;&|(`$"'])ssh\s/m.test(text);
}

interface Finding {
  severity: 'error' | 'warning';
  variable: string;
  code: string;
  message: string;
}

/** What one client says about the shared paths; `probe` is the remote command's output. */
export function judgeProbe(entry: string, cfg: EngineConfig, marker: Marker, probe: string): Finding[] {
  const out: Finding[] = [];
  const section = (name: string) => {
    const m = new RegExp(`^== ${name}\\n([\\s\\S]*?)(?=^== |(?![\\s\\S]))`, 'm').exec(probe);
    return m ? m[1]!.trim() : '';
  };
  for (const [name, dir] of [
    ['bulklog', cfg.bulklog],
    ['packages', cfg.packages],
  ] as const) {
    const seen = section(name);
    if (!seen.includes(marker.token)) {
      out.push({
        severity: 'error',
        variable: name,
        code: 'shared-path',
        message: `${entry} does not see this ${name}: ${join(dir, MARKER_NAME)}, written by the master just now, is ${seen === '' || /No such file/i.test(seen) ? 'missing' : 'different'} there. ${name}=${dir} must be shared with every client (NFS) at the same path`,
      });
    }
  }
  const size = section('pkgsrc');
  if (String(marker.pkgsrcMakefile) !== size.split(/\s+/)[0]) {
    out.push({
      severity: 'error',
      variable: 'pkgsrc',
      code: 'shared-path',
      message: `${entry} does not have this tree at pkgsrc=${cfg.pkgsrc} (${size === '' ? 'no Makefile there' : `its Makefile has ${size} bytes, here ${marker.pkgsrcMakefile}`}): pkgsrc must be shared with every client at the same path`,
    });
  }
  const cv = section('config_version').replace(/^["']|["']$/g, '');
  if (cfg.configVersion && cv !== cfg.configVersion) {
    out.push({
      severity: 'error',
      variable: 'config_version',
      code: 'client-config-version',
      message: `${entry} has ${cv === '' ? `no config_version in ${cfg.configFile}` : `config_version=${cv}`} but this pbulk.conf has ${cfg.configVersion}: pbulk's scripts there stop with "Your configuration has version ..."; every host needs the same pbulk.conf`,
    });
  }
  return out;
}

async function probeClient(entry: string, role: Role, cfg: EngineConfig, marker: Marker): Promise<Finding[]> {
  const args = sshArgs(entry);
  const ssh = findTool('ssh');
  if (!args) return [];
  const clientsVar = ROLE_VARS[role].clients;
  if (!ssh)
    return [
      {
        severity: 'warning',
        variable: clientsVar,
        code: 'client-ssh',
        message: `cannot check ${entry}: no ssh program on this host, and ${ROLE_VARS[role].script} uses ssh`,
      },
    ];
  const remote = [
    `echo '== bulklog'; cat ${q(join(cfg.bulklog, MARKER_NAME))} 2>&1`,
    `echo '== packages'; cat ${q(join(cfg.packages, MARKER_NAME))} 2>&1`,
    `echo '== pkgsrc'; wc -c < ${q(join(cfg.pkgsrc, 'Makefile'))} 2>/dev/null`,
    `echo '== config_version'; sed -n 's/^[ \t]*config_version=//p' ${q(cfg.configFile)} 2>/dev/null | tail -n 1`,
  ].join('; ');
  const { execa } = await loadExeca();
  const r = await execa(ssh, ['-o', 'BatchMode=yes', '-o', `ConnectTimeout=${SSH_TIMEOUT_S}`, '-o', 'StrictHostKeyChecking=yes', ...args, remote], {
    reject: false,
    stdin: 'ignore',
    timeout: (SSH_TIMEOUT_S + 10) * 1000,
    all: false,
  });
  if (r.exitCode === 255 || r.timedOut || r.exitCode === undefined) {
    const said = String(r.stderr || r.message || '').trim();
    const why = r.timedOut ? 'no answer' : (said.split('\n').at(-1) ?? 'ssh failed');
    return [
      {
        severity: 'error',
        variable: clientsVar,
        code: 'client-unreachable',
        message: `${entry} in ${clientsVar} cannot be reached with ssh in batch mode (${why}): ${ROLE_VARS[role].script} will not start a client there. Set up key-based ssh from this host (the host key must be known)`,
      },
    ];
  }
  return judgeProbe(entry, cfg, marker, r.stdout);
}

/** Writes the marker and checks the clients reached over ssh; findings become diagnostics. */
export async function masterPreflight(cfg: EngineConfig, hub: EventHub): Promise<void> {
  const master = cfg.master;
  if (!master) return;
  const marker = await writeMarker(cfg);
  for (const role of ['scan', 'build'] as const) {
    const spec: MasterRole | undefined = master[role];
    if (spec?.address.anyAddress) {
      confProblem(
        { cfg, hub },
        'warning',
        'master-port',
        `${ROLE_VARS[role].port}=${spec.port} names no address: the master listens on every interface and clients given the same string connect to 0.0.0.0`,
        ROLE_VARS[role].port,
      );
    }
  }
  if (!cfg.settings.masterPreflight) return;
  const probes = new Map<string, Role>();
  for (const role of ['scan', 'build'] as const) {
    const spec = master[role];
    if (!spec || !(await usesSsh(spec.startScript))) continue;
    for (const c of spec.clients) if (!probes.has(c)) probes.set(c, role);
  }
  const results = await Promise.all([...probes].map(([entry, role]) => probeClient(entry, role, cfg, marker)));
  for (const f of results.flat()) confProblem({ cfg, hub }, f.severity, f.code, f.message, f.variable);
}
