// The mk.conf a bootstrap kit carries, read without unpacking it: a kit is a .tar.gz unpacked
// at / (bootstrap --gzip-binary-kit), holding <prefix>/etc/mk.conf, or a directory copied into
// the prefix, holding etc/mk.conf. Synchronous, for the editor's checks; a kit is read again
// only when its size or modification time changed.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** Larger kits are not read (a real one is a few tens of MB). */
const MAX_KIT_BYTES = 256 * 1024 * 1024;

export interface KitMkConf {
  /** Where it was found: the file, or `kit.tar.gz:path/in/archive`. */
  where: string;
  text: string;
}

const cache = new Map<string, { key: string; found: KitMkConf | undefined }>();

/** The entries of a ustar/GNU/pax tar archive, name and content, until `want` says stop. */
function findInTar(tar: Buffer, want: (name: string) => boolean): { name: string; data: Buffer } | undefined {
  let off = 0;
  let longName: string | undefined;
  while (off + 512 <= tar.length) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) return undefined;
    const str = (a: number, n: number) =>
      h
        .subarray(a, a + n)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const size = parseInt(str(124, 12).trim() || '0', 8);
    if (!Number.isFinite(size) || size < 0) return undefined;
    const type = String.fromCharCode(h[156]!);
    const data = tar.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = data.toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    if (type === 'x') {
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'));
      if (m) longName = m[1];
      continue;
    }
    const prefix = str(257, 6).startsWith('ustar') ? str(345, 155) : '';
    const name = (longName ?? (prefix ? `${prefix}/${str(0, 100)}` : str(0, 100))).replace(/^(\.\/|\/)+/, '');
    longName = undefined;
    if ((type === '0' || type === '\0') && want(name)) return { name, data };
  }
  return undefined;
}

/** The kit's mk.conf for a prefix, or undefined when the kit cannot be read or has none. */
export function readKitMkConf(kit: string, prefix: string): KitMkConf | undefined {
  let st;
  try {
    st = statSync(kit);
  } catch {
    return undefined;
  }
  const key = `${st.size}:${st.mtimeMs}:${prefix}`;
  const hit = cache.get(kit);
  if (hit?.key === key) return hit.found;
  let found: KitMkConf | undefined;
  try {
    if (st.isDirectory()) {
      const file = join(kit, 'etc/mk.conf');
      found = { where: file, text: readFileSync(file, 'utf8') };
    } else if (st.isFile() && st.size <= MAX_KIT_BYTES) {
      const inside = `${prefix.replace(/^\/+|\/+$/g, '')}/etc/mk.conf`;
      const e = findInTar(gunzipSync(readFileSync(kit)), (n) => n === inside);
      if (e) found = { where: `${kit}:${e.name}`, text: e.data.toString('utf8') };
    }
  } catch {
    found = undefined;
  }
  cache.set(kit, { key, found });
  return found;
}
