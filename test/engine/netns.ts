// Client hosts for multi-host tests: network namespaces made for the test, joined by a bridge
// in the master's own namespace. Every address (10.x.y.0/24, x and y random) exists only inside
// them, names carry a random suffix so that parallel runs never collide, and remove() deletes
// all of them. Programs run inside with `ip netns exec`.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export interface Hosts {
  /** The master's namespace and address. */
  master: { ns: string; ip: string };
  clients: { ns: string; ip: string }[];
  /** argv prefix that runs a program in a namespace. */
  exec(ns: string): string[];
  /** Cuts a client off the network (its link goes down), as a host that dies would. */
  unplug(index: number): void;
  remove(): void;
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** True when this process may make network namespaces (root with ip(8)). */
export function netnsAvailable(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = `pkb-probe-${randomBytes(3).toString('hex')}`;
  try {
    ip('netns', 'add', probe);
    ip('netns', 'del', probe);
    return true;
  } catch {
    return false;
  }
}

export function makeHosts(clients: number): Hosts {
  const id = randomBytes(3).toString('hex');
  const net = `10.${100 + (parseInt(id.slice(0, 2), 16) % 100)}.${parseInt(id.slice(2, 4), 16)}`;
  const master = { ns: `pkb-${id}-m`, ip: `${net}.1` };
  const hosts = Array.from({ length: clients }, (_, k) => ({ ns: `pkb-${id}-c${k + 1}`, ip: `${net}.${k + 2}` }));
  const made: string[] = [];
  const remove = () => {
    for (const ns of made.splice(0).reverse()) {
      try {
        ip('netns', 'del', ns);
      } catch {
        // already gone
      }
    }
  };
  try {
    for (const ns of [master.ns, ...hosts.map((h) => h.ns)]) {
      ip('netns', 'add', ns);
      made.push(ns);
      ip('-n', ns, 'link', 'set', 'lo', 'up');
    }
    ip('-n', master.ns, 'link', 'add', 'br0', 'type', 'bridge');
    ip('-n', master.ns, 'addr', 'add', `${master.ip}/24`, 'dev', 'br0');
    ip('-n', master.ns, 'link', 'set', 'br0', 'up');
    hosts.forEach((h, k) => {
      ip('-n', master.ns, 'link', 'add', `v${k + 1}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', h.ns);
      ip('-n', master.ns, 'link', 'set', `v${k + 1}`, 'master', 'br0');
      ip('-n', master.ns, 'link', 'set', `v${k + 1}`, 'up');
      ip('-n', h.ns, 'addr', 'add', `${h.ip}/24`, 'dev', 'eth0');
      ip('-n', h.ns, 'link', 'set', 'eth0', 'up');
    });
  } catch (e) {
    remove();
    throw e;
  }
  return {
    master,
    clients: hosts,
    exec: (ns) => ['ip', 'netns', 'exec', ns],
    unplug: (k) => ip('-n', master.ns, 'link', 'set', `v${k + 1}`, 'down'),
    remove,
  };
}
