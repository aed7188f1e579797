// The `[a.b.c.d:]port` strings of master_port_scan / master_port_build, read the way pbulk's
// parse_sockaddr_in reads them: everything after the last `:` is a decimal port (strtoul, at
// most 65535), everything before it an IPv4 address as inet_aton accepts it (1 to 4 parts,
// each decimal, octal with a leading 0 or hex with 0x, the last part filling the remaining
// bytes; text after a blank is ignored). No host names, no IPv6. Without a `:` the address is
// 0.0.0.0: the master listens everywhere and clients would connect to 0.0.0.0.

export interface MasterAddress {
  /** Dotted IPv4 address. */
  host: string;
  port: number;
  /** True when the string named no address (0.0.0.0 was assumed). */
  anyAddress: boolean;
}

export type AddressResult = { ok: true; address: MasterAddress } | { ok: false; message: string };

/** inet_aton: the 32-bit address, or undefined when the text is not one. */
export function inetAton(text: string): number | undefined {
  // glibc stops at the first blank and ignores what follows it.
  const blank = text.search(/[ \t\n\v\f\r]/);
  const s = blank >= 0 ? text.slice(0, blank) : text;
  if (s === '') return undefined;
  const parts = s.split('.');
  if (parts.length > 4) return undefined;
  const values: number[] = [];
  for (const p of parts) {
    let m: RegExpExecArray | null;
    let v: number;
    if ((m = /^0[xX]([0-9A-Fa-f]*)$/.exec(p))) v = m[1] === '' ? 0 : parseInt(m[1]!, 16);
    else if (/^0[0-7]*$/.test(p)) v = p.length > 1 ? parseInt(p.slice(1), 8) : 0;
    else if (/^[1-9][0-9]*$/.test(p)) v = Number(p);
    else return undefined;
    if (!Number.isFinite(v) || v > 0xffffffff) return undefined;
    values.push(v);
  }
  const last = values.pop()!;
  for (const v of values) if (v > 0xff) return undefined;
  const lastMax = [0xffffffff, 0xffffff, 0xffff, 0xff][values.length]!;
  if (last > lastMax) return undefined;
  let n = 0;
  for (const v of values) n = n * 256 + v;
  return n * (lastMax + 1) + last;
}

function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join('.');
}

export function parseMasterAddress(text: string): AddressResult {
  const colon = text.lastIndexOf(':');
  let host = 0;
  let portText = text;
  if (colon >= 0) {
    const a = inetAton(text.slice(0, colon));
    if (a === undefined) {
      const part = text.slice(0, colon);
      const why =
        part === ''
          ? 'an empty address'
          : /[A-Za-z]/.test(part) && !/^0[xX]/.test(part)
            ? `the host name '${part}'`
            : `'${part}', which is not an IPv4 address`;
      return {
        ok: false,
        message: `'${text}' has ${why}: pbulk reads the address with inet_aton, which takes only an IPv4 address, and stops with "Could not parse addr/port"`,
      };
    }
    host = a;
    portText = text.slice(colon + 1);
  }
  // strtoul(..., 10): leading blanks and a sign are allowed; the rest must be digits.
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)$/.exec(portText);
  const port = m ? Number(m[2]) * (m[1] === '-' ? -1 : 1) : NaN;
  if (!m || !Number.isSafeInteger(port) || port < 0 || port > 0xffff) {
    return { ok: false, message: `'${text}': the port '${portText}' is not a number from 0 to 65535: pbulk stops with "Could not parse addr/port"` };
  }
  return { ok: true, address: { host: formatIpv4(host), port, anyAddress: colon < 0 } };
}

export function formatMasterAddress(a: { host: string; port: number }): string {
  return `${a.host}:${a.port}`;
}
