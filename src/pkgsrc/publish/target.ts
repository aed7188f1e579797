// rsync destinations as pbulk.conf names them (a local path, `[user@]host:path` over a remote
// shell, `host::module/path` or `rsync://host[:port]/module/path` for a daemon), split into
// the directory that holds the repository and the repository's own name, so a new copy can
// be uploaded beside it and switched to by replacing one symbolic link. Also the options of
// a pbulk.conf rsync argument string that say how to reach the host, without those that
// say what to copy or delete.

export interface RsyncTarget {
  /** The destination as written (trailing slashes removed). */
  target: string;
  /** The directory holding the repository, in rsync syntax (`host:/srv/pkg`, `rsync://h/mod`). */
  parent: string;
  /** The repository's name in `parent`. */
  name: string;
  remote: boolean;
}

function invalid(name: string): boolean {
  return name === '' || name === '.' || name === '..';
}

/** Splits a destination; a string says why it cannot hold a switched repository. */
export function splitTarget(raw: string): RsyncTarget | string {
  const target = raw.trim().replace(/(.)\/+$/, '$1');
  if (target === '') return 'the rsync destination is empty';
  const within = (prefix: string, path: string, needModule: boolean): RsyncTarget | string => {
    const parts = path.split('/').filter((p) => p !== '');
    if (needModule && parts.length < 2) return `${target}: name a directory inside the rsync module (e.g. ${target}/packages), not the module itself`;
    const name = parts.pop() ?? '';
    if (invalid(name)) return `${target}: the destination must end in a directory name`;
    const lead = path.startsWith('/') && !needModule ? '/' : '';
    return { target, parent: `${prefix}${lead}${parts.join('/')}` || '.', name, remote: prefix !== '' };
  };
  const url = /^rsync:\/\/([^/]+)(\/.*)?$/.exec(target);
  if (url) return within(`rsync://${url[1]}/`, url[2] ?? '', true);
  const daemon = /^([^/:]*)::(.*)$/.exec(target);
  if (daemon) return within(`${daemon[1]}::`, daemon[2] ?? '', true);
  const shell = /^([^/:]+):(.*)$/.exec(target);
  if (shell) {
    const path = shell[2] ?? '';
    const r = within(`${shell[1]}:`, path, false);
    if (typeof r === 'string') return r;
    // `host:pkgs`: the parent is the login directory.
    if (r.parent === `${shell[1]}:`) r.parent = `${shell[1]}:.`;
    return r;
  }
  const r = within('', target, false);
  if (typeof r === 'string') return r;
  return { ...r, remote: false };
}

/** Options that take the next word as their value when not written `--opt=value`. */
const LONG_WITH_VALUE = new Set([
  'rsh',
  'rsync-path',
  'port',
  'password-file',
  'timeout',
  'contimeout',
  'address',
  'sockopts',
  'protocol',
  'remote-option',
  'bwlimit',
  'iconv',
  'filter',
  'exclude',
  'include',
  'exclude-from',
  'include-from',
  'files-from',
  'temp-dir',
  'log-file',
  'log-file-format',
  'out-format',
  'chmod',
  'link-dest',
  'compare-dest',
  'copy-dest',
  'backup-dir',
  'suffix',
  'max-size',
  'min-size',
  'partial-dir',
  'modify-window',
  'block-size',
  'compress-level',
  'compress-choice',
  'checksum-choice',
  'skip-compress',
  'usermap',
  'groupmap',
  'chown',
  'max-delete',
  'write-batch',
  'read-batch',
  'only-write-batch',
  'info',
  'debug',
  'outbuf',
  'max-alloc',
  'stop-after',
  'stop-at',
  'copy-as',
  'early-input',
]);
/** How to reach the host: kept for the listing, switching and pruning runs. */
const TRANSPORT = new Set([
  'rsh',
  'rsync-path',
  'port',
  'password-file',
  'timeout',
  'contimeout',
  'address',
  'sockopts',
  'protocol',
  'remote-option',
  'bwlimit',
  'iconv',
  'ipv4',
  'ipv6',
  'blocking-io',
  'no-blocking-io',
  'no-motd',
  'protect-args',
  'secluded-args',
  'old-args',
  'copy-as',
  'early-input',
]);
const SHORT_WITH_VALUE = new Set(['e', 'M', 'B', 'f', 'T', '@']);
const SHORT_TRANSPORT: Record<string, string> = { e: 'rsh', M: 'remote-option', '4': 'ipv4', '6': 'ipv6', s: 'protect-args' };

/** The transport options of a word-split rsync argument string, as `--name[=value]` words. */
export function transportArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      let value = eq < 0 ? undefined : a.slice(eq + 1);
      if (value === undefined && LONG_WITH_VALUE.has(name)) value = args[++i];
      if (TRANSPORT.has(name)) out.push(value === undefined ? `--${name}` : `--${name}=${value}`);
    } else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        let value: string | undefined;
        if (SHORT_WITH_VALUE.has(c)) value = j + 1 < a.length ? a.slice(j + 1) : args[++i];
        const long = SHORT_TRANSPORT[c];
        if (long) out.push(value === undefined ? `--${long}` : `--${long}=${value}`);
        if (value !== undefined) break;
      }
    }
  }
  return out;
}
