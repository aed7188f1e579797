// A scan file read straight from its bytes, for pbulk-resolve's path: a full-tree pscan is
// 63 MB, and turning it into one string, then a string per line and per value, costs more
// than resolving it. Only what resolving reads becomes a string (PKGNAME, PKG_LOCATION,
// ALL_DEPENDS and the few values the checks look at); each record keeps where its bytes are,
// so presolve is written from the input's own bytes.
//
// It only takes files parseScan would find nothing wrong with: the same checks, made on bytes.
// For anything else (a problem of any kind, DEPENDS lines, CR LF...) it answers undefined and
// the caller parses the text with parseScan, which says exactly what is wrong and where.
import { parseAllDepends } from './all-depends';
import { patternError } from '../pattern/match';
import type { ScanField, ScanRecord } from './record';

/** A record read from bytes: its text and fields are decoded only when asked for. */
export class ByteRecord implements ScanRecord {
  private decodedFields?: ScanField[];

  constructor(
    readonly bytes: Buffer,
    /** Where the record's bytes are (end exclusive, after its last newline). */
    readonly start: number,
    readonly end: number,
    readonly line: number,
    readonly pkgname: string,
    readonly location: string,
    private readonly allDepends: ScanField,
  ) {}

  get text(): string {
    return this.bytes.toString('latin1', this.start, this.end);
  }

  get fields(): ScanField[] {
    if (!this.decodedFields) {
      this.decodedFields = [];
      let line = this.line;
      for (const l of this.text.split('\n').slice(0, -1)) {
        const eq = l.indexOf('=');
        this.decodedFields.push({ key: l.slice(0, eq), value: l.slice(eq + 1), line: line++ });
      }
    }
    return this.decodedFields;
  }

  fieldOf(key: string): ScanField | undefined {
    if (key === 'ALL_DEPENDS') return this.allDepends;
    // A clean record has no DEPENDS line (see scanBytes).
    if (key === 'DEPENDS') return undefined;
    return this.fields.find((f) => f.key === key);
  }
}

const PKGNAME_EQ = Buffer.from('PKGNAME=');

/** Whether the line at `pos` starts with `PKGNAME=`. */
function isPkgnameLine(b: Buffer, pos: number): boolean {
  if (b[pos] !== 80 || pos + 8 > b.length) return false;
  for (let k = 1; k < 8; k++) if (b[pos + k] !== PKGNAME_EQ[k]) return false;
  return true;
}

/** Lines every record must have (see validate.ts: the required and the expected ones). */
const MUST = [
  'PKG_LOCATION',
  'ALL_DEPENDS',
  'PKG_SKIP_REASON',
  'PKG_FAIL_REASON',
  'NO_BIN_ON_FTP',
  'RESTRICTED',
  'CATEGORIES',
  'MAINTAINER',
  'USE_DESTDIR',
  'BOOTSTRAP_PKG',
  'USERGROUP_PHASE',
  'SCAN_DEPENDS',
];
/** Lines whose value a check reads. */
const CHECKED = ['MULTI_VERSION', 'PBULK_WEIGHT'];
const ALL_MUST = (1 << MUST.length) - 1;
/** The values the checks or the resolver read. */
const DECODED = new Set(['PKG_LOCATION', 'ALL_DEPENDS', 'USE_DESTDIR', 'BOOTSTRAP_PKG', 'USERGROUP_PHASE', 'MULTI_VERSION', 'PBULK_WEIGHT']);

interface KnownKey {
  name: string;
  codes: Buffer;
  bit: number;
  decoded: boolean;
}

/** The keys above by length, recognised in the bytes without making a string of each line's key. */
const byLength = new Map<number, KnownKey[]>();
[...MUST, ...CHECKED].forEach((name, i) => {
  const k: KnownKey = { name, codes: Buffer.from(name), bit: 1 << i, decoded: DECODED.has(name) };
  byLength.set(name.length, [...(byLength.get(name.length) ?? []), k]);
});

function knownKey(b: Buffer, pos: number, eq: number): KnownKey | undefined {
  const list = byLength.get(eq - pos);
  if (list === undefined) return undefined;
  next: for (const k of list) {
    for (let i = 0; i < k.codes.length; i++) if (b[pos + i] !== k.codes[i]) continue next;
    return k;
  }
  return undefined;
}
const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The checks of validate.ts's checkValue that can fail, for the values scanBytes decodes. */
function valueOk(key: string, v: string): boolean {
  switch (key) {
    case 'PKG_LOCATION':
      return v !== '' && !/\s/.test(v) && /^[^/]+\/[^/]+$/.test(v);
    case 'ALL_DEPENDS': {
      const list = parseAllDepends(v);
      return list.error === undefined && list.items.every((item) => patternError(item.pattern) === undefined);
    }
    case 'USE_DESTDIR':
      return v === '' || v === 'no' || v === 'yes' || v === 'destdir' || v === 'user-destdir';
    case 'BOOTSTRAP_PKG':
      return v === '' || v === 'yes' || v === 'no';
    case 'USERGROUP_PHASE':
      return v === '' || /(configure|build|pre-install)$/.test(v);
    case 'MULTI_VERSION':
      return (
        v.startsWith(' ') &&
        v
          .trim()
          .split(/\s+/)
          .every((w) => /^[A-Za-z_][A-Za-z0-9_]*=\S*$/.test(w))
      );
    case 'PBULK_WEIGHT':
      return /^\d+$/.test(v);
    default:
      return true;
  }
}

/** The records of a meta/pscan whose bytes parseScan would take without a problem, else undefined. */
export function scanBytes(bytes: Buffer): ByteRecord[] | undefined {
  const n = bytes.length;
  if (n === 0 || bytes[n - 1] !== 10 || bytes.indexOf(0) >= 0 || !isPkgnameLine(bytes, 0)) return undefined;
  const records: ByteRecord[] = [];
  const names = new Set<string>();
  let line = 0;
  let pos = 0;
  while (pos < n) {
    // The PKGNAME= line of a record.
    const start = pos;
    const startLine = line;
    let nl = bytes.indexOf(10, pos);
    if (nl - pos <= 8 || bytes[nl - 1] === 13) return undefined;
    const pkgname = bytes.toString('latin1', pos + 8, nl);
    if (pkgname.length < 4 || /[ \t]/.test(pkgname) || !pkgname.includes('-') || names.has(pkgname)) return undefined;
    names.add(pkgname);
    pos = nl + 1;
    line++;
    let seen = 0;
    let others: string[] | undefined;
    let location = '';
    let allDepends: ScanField | undefined;
    // Its other lines, up to the next PKGNAME= line.
    while (pos < n && !isPkgnameLine(bytes, pos)) {
      nl = bytes.indexOf(10, pos);
      if (nl === pos || bytes[nl - 1] === 13) return undefined;
      const eq = bytes.indexOf(61, pos);
      if (eq < 0 || eq > nl) return undefined;
      const k = knownKey(bytes, pos, eq);
      if (k === undefined) {
        // Lines pbulk-resolve does not read are allowed, once each; a DEPENDS line is not.
        const key = bytes.toString('latin1', pos, eq);
        if (key === 'DEPENDS' || !KEY.test(key) || others?.includes(key)) return undefined;
        (others ??= []).push(key);
      } else {
        if ((seen & k.bit) !== 0) return undefined;
        seen |= k.bit;
        if (k.decoded) {
          const value = bytes.toString('latin1', eq + 1, nl);
          if (!valueOk(k.name, value)) return undefined;
          if (k.name === 'PKG_LOCATION') location = value;
          else if (k.name === 'ALL_DEPENDS') allDepends = { key: k.name, value, line };
        }
      }
      pos = nl + 1;
      line++;
    }
    if ((seen & ALL_MUST) !== ALL_MUST) return undefined;
    records.push(new ByteRecord(bytes, start, pos, startLine, pkgname, location, allDepends!));
  }
  return records;
}
