// A multi-host build for tests: a workspace whose pbulk.conf has master_mode=yes with the
// client hosts of network namespaces (see netns.ts), start scripts that launch
// `pkgsrc-bulk client` in each namespace as pbulk's scripts do over ssh (recording each
// client's pid), and the master run as the real CLI in its own namespace. Like separate hosts,
// each client has a local directory of its own (prefix, pkgdb, varbase: a bind mount in a
// private mount namespace of the client) and shares pkgsrc, bulklog and packages.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeMkConf } from '../fixtures/mk';
import { engineBundle } from './cli-harness';
import { makeWorkspace, type Workspace } from './harness';
import { makeHosts, type Hosts } from './netns';
import type { SmallPackage } from './tree';

export interface MasterSetup {
  ws: Workspace;
  hosts: Hosts;
  /** Files with the pid of each started client (`pids/<role>-<k>`). */
  pidsDir: string;
  /** Settings file for the master. */
  settings: string;
  clientCommand(role: 'scan' | 'build', k: number, extra?: string[]): string[];
  remove(): void;
}

export interface MasterOptions {
  clients: number;
  /** Which hosts get scan and build clients (indexes); default all. */
  scanOn?: number[];
  buildOn?: number[];
  /** Extra words in build_clients that are no test host (a client that never connects). */
  extraBuildClients?: string[];
  masterSettings?: Record<string, unknown>;
  conf?: Record<string, string>;
  /** Replaces the build start script's body. */
  buildScript?: (setup: MasterSetup) => string;
}

export function masterSetup(name: string, packages: SmallPackage[] | ((pkgsrc: string) => void), o: MasterOptions): MasterSetup {
  const hosts = makeHosts(o.clients);
  let ws: Workspace | undefined;
  try {
    const all = hosts.clients.map((_, k) => k);
    const scanOn = o.scanOn ?? all;
    const buildOn = o.buildOn ?? all;
    ws = makeWorkspace(name, packages, {
      prefix: '${bulklog}/../local/pkg',
      pkgdb: '${prefix}/pkgdb',
      varbase: '${bulklog}/../local/var',
      master_mode: 'yes',
      master_ip: hosts.master.ip,
      master_port_scan: '${master_ip}:2001',
      master_port_build: '${master_ip}:2002',
      scan_clients: `"${scanOn.map((k) => hosts.clients[k]!.ip).join(' ')}"`,
      build_clients: `"${[...buildOn.map((k) => hosts.clients[k]!.ip), ...(o.extraBuildClients ?? [])].join(' ')}"`,
      chroot_dir: '${bulklog}/../chroot/pkgsrc',
      ...o.conf,
    });
    const w = ws;
    const local = join(w.dir, 'local');
    mkdirSync(local);
    writeMkConf(w.pkgsrc, { localbase: join(local, 'pkg'), pkgDbDir: join(local, 'pkg/pkgdb'), packages: w.packages });
    const pidsDir = join(w.dir, 'pids');
    mkdirSync(pidsDir);
    const settings = join(w.dir, 'master-settings.json');
    writeFileSync(settings, JSON.stringify({ sandbox: 'none', clientWaitMs: 5000, ...o.masterSettings }));
    const setup: MasterSetup = {
      ws: w,
      hosts,
      pidsDir,
      settings,
      clientCommand: (role, k, extra = []) => {
        const own = join(w.dir, `host-${k + 1}`);
        mkdirSync(own, { recursive: true });
        const s = join(w.dir, 'client-settings.json');
        if (!existsSync(s)) writeFileSync(s, JSON.stringify({ sandbox: 'none' }));
        return [
          ...hosts.exec(hosts.clients[k]!.ns),
          'unshare',
          '--mount',
          '--propagation',
          'private',
          'sh',
          '-c',
          'mount --bind "$1" "$2" && shift 2 && exec "$@"',
          'sh',
          own,
          local,
          process.execPath,
          engineBundle(),
          'client',
          `--${role}`,
          '--master',
          `${hosts.master.ip}:${role === 'scan' ? 2001 : 2002}`,
          '-c',
          w.conf,
          '--settings',
          s,
          ...extra,
        ];
      },
      remove: () => {
        killClients(pidsDir);
        hosts.remove();
        w.remove();
      },
    };
    const script = (role: 'scan' | 'build', on: number[]) => {
      const lines = ['#!/bin/sh', `# starts the ${role} clients on the test hosts, as pbulk's start script does over ssh`];
      for (const k of on) {
        lines.push(`${setup.clientCommand(role, k).map(shq).join(' ')} >> ${shq(join(w.dir, `client-${role}-${k + 1}.out`))} 2>&1 &`);
        lines.push(`echo $! > ${shq(join(pidsDir, `${role}-${k + 1}`))}`);
      }
      return lines.join('\n') + '\n';
    };
    const scanScript = join(w.dir, 'scan-client-start');
    const buildScript = join(w.dir, 'build-client-start');
    writeFileSync(scanScript, script('scan', scanOn));
    writeFileSync(buildScript, o.buildScript ? o.buildScript(setup) : script('build', buildOn));
    chmodSync(scanScript, 0o755);
    chmodSync(buildScript, 0o755);
    writeFileSync(w.conf, `${readFileSync(w.conf, 'utf8')}pscan_start_script=${scanScript}\npbuild_start_script=${buildScript}\n`);
    return setup;
  } catch (e) {
    hosts.remove();
    ws?.remove();
    throw e;
  }
}

export function shq(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The pid of a started client, once its start script has recorded it. */
export function clientPid(setup: MasterSetup, role: 'scan' | 'build', k: number): number | undefined {
  const f = join(setup.pidsDir, `${role}-${k + 1}`);
  return existsSync(f) ? Number(readFileSync(f, 'utf8').trim()) : undefined;
}

function killClients(dir: string): void {
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)) {
    const pid = Number(readFileSync(join(dir, f), 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
}

export interface MasterRun {
  child: ChildProcess;
  /** Every JSON event so far. */
  events: Record<string, unknown>[];
  stderr: () => string;
  /** Resolves with the first event that matches. */
  until(match: (e: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  done: Promise<number>;
}

/** `pkgsrc-bulk build --json` (or another command) in the master's namespace. */
export function runMaster(setup: MasterSetup, args: string[]): MasterRun {
  const child = spawn(
    setup.hosts.exec(setup.hosts.master.ns)[0]!,
    [
      ...setup.hosts.exec(setup.hosts.master.ns).slice(1),
      process.execPath,
      engineBundle(),
      ...args,
      '-c',
      setup.ws.conf,
      '--settings',
      setup.settings,
      '--json',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const events: Record<string, unknown>[] = [];
  const watchers: { match: (e: Record<string, unknown>) => boolean; resolve: (e: Record<string, unknown>) => void }[] = [];
  let buf = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      let e: Record<string, unknown>;
      try {
        e = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      events.push(e);
      for (const w of [...watchers]) {
        if (w.match(e)) {
          watchers.splice(watchers.indexOf(w), 1);
          w.resolve(e);
        }
      }
    }
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<number>((r) => child.on('close', (code) => r(code ?? -1)));
  return {
    child,
    events,
    stderr: () => err,
    done,
    until: (match, timeoutMs = 60_000) => {
      const hit = events.find(match);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching event in ${timeoutMs} ms; stderr:\n${err}`)), timeoutMs);
        watchers.push({ match, resolve: (e) => (clearTimeout(timer), resolve(e)) });
        void done.then(() => {
          clearTimeout(timer);
          reject(new Error(`the master exited before the event; stderr:\n${err}`));
        });
      });
    },
  };
}
