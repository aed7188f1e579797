// Who is on the other end of an accepted unix socket connection. Node has no SO_PEERCRED, so
// this asks the kernel's socket diagnostics through ss(8) (the netlink interface behind
// `ss -xp`): our end's inode (from /proc/self/fd) leads to the peer's inode, the peer's inode
// to the processes holding it, and /proc/<pid>/status to their user and groups.
import { readFileSync, readlinkSync } from 'node:fs';
import type { Socket } from 'node:net';
import { loadExeca } from '../execa';

export interface PeerCredentials {
  pid: number;
  uid: number;
  gids: number[];
}

/** The fd behind a net.Socket (libuv's handle; undefined where the platform has none). */
function socketFd(s: Socket): number | undefined {
  const fd = (s as unknown as { _handle?: { fd?: number } })._handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : undefined;
}

function inodeOfFd(fd: number): string | undefined {
  try {
    return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`))?.[1];
  } catch {
    return undefined;
  }
}

function credentialsOf(pid: number): PeerCredentials | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const uid = /^Uid:\s+(\d+)\s+(\d+)/m.exec(status);
    const gid = /^Gid:\s+(\d+)\s+(\d+)/m.exec(status);
    const groups = /^Groups:\s*(.*)$/m.exec(status);
    if (!uid || !gid) return undefined;
    const gids = new Set<number>([Number(gid[2]), ...(groups?.[1] ?? '').split(/\s+/).filter(Boolean).map(Number)]);
    return { pid, uid: Number(uid[2]), gids: [...gids] };
  } catch {
    return undefined;
  }
}

/** `ss -xpnH` lines: local inode -> { peer inode, pids }. */
export function parseSs(out: string): Map<string, { peer: string; pids: number[] }> {
  const map = new Map<string, { peer: string; pids: number[] }>();
  for (const line of out.split('\n')) {
    const f = line.trim().split(/\s+/);
    // Netid State Recv-Q Send-Q Local-Address Local-Port Peer-Address Peer-Port [Process]
    if (f.length < 8 || !f[0]!.startsWith('u_')) continue;
    const pids = [...line.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]));
    map.set(f[5]!, { peer: f[7]!, pids });
  }
  return map;
}

/** The credentials of every process holding the peer end; undefined when they cannot be found. */
export async function peerCredentials(s: Socket): Promise<PeerCredentials[] | undefined> {
  const fd = socketFd(s);
  const inode = fd === undefined ? undefined : inodeOfFd(fd);
  if (inode === undefined) return undefined;
  const { execa } = await loadExeca();
  const r = await execa('ss', ['-x', '-p', '-n', '-H'], { reject: false, timeout: 5000 });
  if (r.exitCode !== 0) return undefined;
  const table = parseSs(String(r.stdout));
  const peer = table.get(inode)?.peer;
  const pids = peer === undefined ? undefined : table.get(peer)?.pids;
  if (!pids || pids.length === 0) return undefined;
  const creds = pids.map(credentialsOf);
  return creds.every((c) => c !== undefined) ? (creds as PeerCredentials[]) : undefined;
}
