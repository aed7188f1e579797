// Names for the peers of a master: the scan_clients/build_clients entry whose host resolves to
// the peer's address (`pbulk@build1:2222` -> build1), else the address itself; and which
// entries have not connected at all. Entries that are chroot paths (`/chroot/x`, started on the
// master itself) cannot be told apart by address and are never reported missing.
import { lookup } from 'node:dns/promises';

export interface ClientEntry {
  /** As written in pbulk.conf. */
  entry: string;
  /** The host part: no user@, no :sshport, no brackets. */
  host: string;
  addresses: string[];
}

/** The host an ssh destination names, or undefined for a chroot path. */
export function entryHost(entry: string): string | undefined {
  if (entry.startsWith('/')) return undefined;
  let h = entry.includes('@') ? entry.slice(entry.lastIndexOf('@') + 1) : entry;
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(h);
  if (bracket) return bracket[1];
  if (/^[^:]+:\d+$/.test(h)) h = h.slice(0, h.indexOf(':'));
  return h;
}

/** Plain IPv4 form of a socket address (`::ffff:10.0.0.2` -> `10.0.0.2`). */
export function plainAddress(a: string | undefined): string {
  if (!a) return 'unknown';
  return a.startsWith('::ffff:') ? a.slice(7) : a;
}

export class ClientNames {
  private readonly seen = new Set<string>();

  private constructor(readonly entries: ClientEntry[]) {}

  /** Resolves every entry (IPv4), giving up on a name after timeoutMs. */
  static async resolve(entries: readonly string[], timeoutMs = 5000): Promise<ClientNames> {
    const out = await Promise.all(
      entries.map(async (entry): Promise<ClientEntry | undefined> => {
        const host = entryHost(entry);
        if (host === undefined) return undefined;
        const addresses = await Promise.race([
          lookup(host, { all: true, family: 4 })
            .then((r) => r.map((x) => x.address))
            .catch(() => [] as string[]),
          new Promise<string[]>((r) => setTimeout(() => r([]), timeoutMs).unref()),
        ]);
        return { entry, host, addresses };
      }),
    );
    return new ClientNames(out.filter((e): e is ClientEntry => e !== undefined));
  }

  /** The name of a peer at this address; remembers that it connected. */
  label(address: string): string {
    this.seen.add(address);
    return this.entries.find((e) => e.addresses.includes(address))?.host ?? address;
  }

  /** Entries none of whose addresses has connected yet. */
  missing(): ClientEntry[] {
    const out: ClientEntry[] = [];
    const counted = new Set<string>();
    for (const e of this.entries) {
      if (counted.has(e.host)) continue;
      counted.add(e.host);
      if (!e.addresses.some((a) => this.seen.has(a))) out.push(e);
    }
    return out;
  }
}
