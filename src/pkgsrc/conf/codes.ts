// Every diagnostic code the pbulk.conf and limited_list checks report, with what it means, for
// the generated reference and for anyone looking up a `[code]` printed by `pkgsrc-bulk lint`.

export interface CheckCode {
  code: string;
  /** Usual severity; some checks raise or lower it (see the text). */
  severity: 'error' | 'warning' | 'information';
  /** pbulk-conf, limited-list or both. */
  applies: 'pbulk.conf' | 'limited_list' | 'both';
  text: string;
  /** A quick fix is offered. */
  fix?: boolean;
}

export const checkCodes: readonly CheckCode[] = [
  {
    code: 'syntax-error',
    severity: 'error',
    applies: 'pbulk.conf',
    text: 'sh cannot parse the file here (a stray fi, ;; or ); an unterminated here-document is a warning).',
  },
  {
    code: 'unterminated-quote',
    severity: 'error',
    applies: 'pbulk.conf',
    text: 'A \', ", `, $( or ${ is never closed: the rest of the file becomes part of one value.',
  },
  { code: 'bad-substitution', severity: 'error', applies: 'pbulk.conf', text: '${...} that sh rejects ("Bad substitution"), which stops sourcing.' },
  { code: 'unbalanced-construct', severity: 'error', applies: 'pbulk.conf', text: 'if/case/while/for/{/( without its closing word.' },
  {
    code: 'crlf-line-ends',
    severity: 'error',
    applies: 'both',
    text: 'CR or CRLF line ends: sh keeps the carriage return in every value (a note for limited lists read by pbulk 0.68, which strips it).',
    fix: true,
  },
  { code: 'binary-content', severity: 'error', applies: 'both', text: 'NUL bytes: not a text file.' },
  { code: 'byte-order-mark', severity: 'error', applies: 'pbulk.conf', text: 'A UTF-8 byte order mark turns the first line into a command.', fix: true },
  {
    code: 'odd-whitespace',
    severity: 'warning',
    applies: 'pbulk.conf',
    text: 'A no-break or other Unicode space that sh treats as part of the word.',
    fix: true,
  },
  { code: 'invalid-utf8', severity: 'warning', applies: 'both', text: 'Bytes that are not UTF-8 (shown as U+FFFD).' },
  { code: 'unreadable-file', severity: 'error', applies: 'both', text: 'The file cannot be read (missing, a directory, no permission).' },
  { code: 'file-too-large', severity: 'error', applies: 'both', text: 'Larger than 4 MiB: not read.' },
  {
    code: 'unknown-variable',
    severity: 'warning',
    applies: 'pbulk.conf',
    text: 'A lower-case name pbulk never reads and the file does not use itself, with a did-you-mean; upper-case names that are not exported are information.',
    fix: true,
  },
  { code: 'internal-variable', severity: 'warning', applies: 'pbulk.conf', text: 'A name pkg-build sets per package (pkgname, pkgdir, dependencies ...).' },
  { code: 'alias-variable', severity: 'information', applies: 'pbulk.conf', text: 'An older name pbulk still reads (scan_chroots for scan_procs).', fix: true },
  {
    code: 'obsolete-variable',
    severity: 'warning',
    applies: 'pbulk.conf',
    text: 'A name the checked pbulk version no longer reads, with its replacement.',
    fix: true,
  },
  {
    code: 'variable-not-in-version',
    severity: 'warning',
    applies: 'pbulk.conf',
    text: 'A name the checked pbulk version does not read yet (e.g. chroot settings with pbulk 0.51).',
  },
  {
    code: 'placeholder',
    severity: 'error',
    applies: 'pbulk.conf',
    text: "A @TOKEN@ left from pkgsrc's files/pbulk/pbulk.conf; the fix fills in the detected prefix, version or tool path.",
    fix: true,
  },
  {
    code: 'config-version',
    severity: 'error',
    applies: 'pbulk.conf',
    text: 'config_version differs from the pbulk that will read the file (a warning when no installed pbulk was found and the current version is assumed).',
    fix: true,
  },
  {
    code: 'boolean-value',
    severity: 'warning',
    applies: 'pbulk.conf',
    text: 'Anything but exactly yes or no, explained with how pbulk parses that variable; an error when pbulk reads the opposite of what is meant, aborts or builds nothing.',
    fix: true,
  },
  {
    code: 'master-port',
    severity: 'error',
    applies: 'pbulk.conf',
    text: 'In master mode, a master port that is not [a.b.c.d:]port with a dotted IPv4 address and a port up to 65535 (no address: warning).',
  },
  { code: 'master-ip', severity: 'warning', applies: 'pbulk.conf', text: 'master_ip is not a dotted IPv4 address.' },
  {
    code: 'master-no-clients',
    severity: 'error',
    applies: 'pbulk.conf',
    text: 'Master mode with an empty client list and no chroots: the master waits forever.',
  },
  {
    code: 'client-list',
    severity: 'warning',
    applies: 'pbulk.conf',
    text: 'A client that is not host, user@host, host:sshport or /chroot/path, or a form the checked pbulk does not know.',
  },
  {
    code: 'duplicate-client',
    severity: 'warning',
    applies: 'pbulk.conf',
    text: "A build host listed twice without chroots: the two clients wipe each other's prefix.",
    fix: true,
  },
  {
    code: 'integer-value',
    severity: 'error',
    applies: 'pbulk.conf',
    text: 'report_graph_script_limit, build_chroots, scan_procs not a whole number in range.',
  },
  { code: 'pkg-sufx', severity: 'warning', applies: 'pbulk.conf', text: 'pkg_sufx does not look like .tgz/.tbz/...' },
  {
    code: 'dangerous-path',
    severity: 'error',
    applies: 'pbulk.conf',
    text: 'bulklog, prefix, pkgdb (or target_destdir when cross-compiling) unset, empty, / or a system directory: pbulk runs rm -rf on them.',
  },
  {
    code: 'relative-path',
    severity: 'warning',
    applies: 'pbulk.conf',
    text: 'A relative path where pbulk needs an absolute one (an error for the directories pbulk deletes).',
  },
  {
    code: 'wiped-path',
    severity: 'error',
    applies: 'pbulk.conf',
    text: 'Something pbulk needs (pkg tools, pbulk itself, packages, pkgsrc, the bootstrap kit, the limited_list) inside a directory pbulk deletes, or make inside the prefix with no bootstrap kit to restore it from.',
  },
  {
    code: 'mkconf-mismatch',
    severity: 'error',
    applies: 'pbulk.conf',
    text: "The bootstrap kit's mk.conf sets PACKAGES, PKG_DBDIR or LOCALBASE to another directory than packages, pkgdb or prefix: every package with dependencies fails (checked when the kit can be read here; the build engine checks the tree's values before building).",
  },
  {
    code: 'path-missing',
    severity: 'warning',
    applies: 'pbulk.conf',
    text: 'A configured path does not exist on this machine (several below one missing directory are reported once).',
  },
  {
    code: 'pbulk-not-installed',
    severity: 'information',
    applies: 'pbulk.conf',
    text: "pbulk's own programs all point below one missing directory: pbulk is not installed here, which pkgsrc-bulk does not need (one note instead of path-missing).",
  },
  { code: 'loc-not-bulklog-meta', severity: 'warning', applies: 'pbulk.conf', text: 'loc is not ${bulklog}/meta, which the upload assumes.', fix: true },
  {
    code: 'ignored-in-limited-build',
    severity: 'information',
    applies: 'pbulk.conf',
    text: 'reuse_scan_results or ignore_missing_dependencies set in a limited build, which ignores them.',
  },
  { code: 'publishing-disabled', severity: 'information', applies: 'pbulk.conf', text: 'rsync=: or mail=: switches uploading or mailing off.' },
  { code: 'example-value', severity: 'warning', applies: 'pbulk.conf', text: 'Hosts, URLs or the NetBSD mailing list left from the example config.' },
  { code: 'cross-compile', severity: 'error', applies: 'pbulk.conf', text: 'cross_compile on without target_arch or target_destdir.' },
  {
    code: 'chroot-settings',
    severity: 'warning',
    applies: 'pbulk.conf',
    text: 'Chroot settings incomplete or inconsistent (chroot_create without chroot_dir, chroot_delete without chroot_create, no chroot_delete, no build_chroots, master_mode=no ...). chroot_dir alone is information: pbulk ignores it, pkgsrc-bulk names its own sandboxes after it.',
  },
  { code: 'use-before-assignment', severity: 'error', applies: 'pbulk.conf', text: '${var} above the line that assigns var: it expands to nothing there.' },
  {
    code: 'unset-reference',
    severity: 'warning',
    applies: 'pbulk.conf',
    text: '${var} of a variable that is never set (or was unset), with a did-you-mean.',
    fix: true,
  },
  { code: 'duplicate-assignment', severity: 'information', applies: 'pbulk.conf', text: 'A variable assigned again; points at both assignments.', fix: true },
  {
    code: 'missing-variable',
    severity: 'error',
    applies: 'pbulk.conf',
    text: 'Settings pbulk needs are not set; the fix appends them with the example values.',
    fix: true,
  },
  { code: 'spaces-around-equals', severity: 'error', applies: 'pbulk.conf', text: 'name = value runs a command instead of assigning.', fix: true },
  {
    code: 'assignment-with-command',
    severity: 'error',
    applies: 'pbulk.conf',
    text: 'An unquoted value with blanks (gzip=/usr/bin/gzip -nf): sh runs the rest as a command.',
    fix: true,
  },
  { code: 'ulimit-arguments', severity: 'warning', applies: 'pbulk.conf', text: 'A ulimit option or value /bin/sh rejects.' },
  {
    code: 'dynamic-ulimit',
    severity: 'warning',
    applies: 'pbulk.conf',
    text: 'A ulimit line whose arguments are only known when the file runs (engine only).',
  },
  { code: 'limited-list-comment', severity: 'error', applies: 'limited_list', text: 'An indented comment, which pbulk 0.51 keeps as a location.', fix: true },
  {
    code: 'limited-list-blank',
    severity: 'warning',
    applies: 'limited_list',
    text: 'Blank-only lines or leading blanks that pbulk 0.51 keeps (leading blanks: error).',
    fix: true,
  },
  {
    code: 'limited-list-trailing',
    severity: 'error',
    applies: 'limited_list',
    text: 'Trailing blanks or an inline comment that pbulk 0.51 keeps in the location (information for 0.68, which strips them).',
    fix: true,
  },
  {
    code: 'limited-list-entry',
    severity: 'error',
    applies: 'limited_list',
    text: 'Not a category/dir location: nothing can be built from it (in master mode the scan clients abort on it); builds of the list are refused.',
    fix: true,
  },
  { code: 'limited-list-missing', severity: 'warning', applies: 'limited_list', text: 'The location has no Makefile in the pkgsrc tree.' },
  { code: 'limited-list-duplicate', severity: 'warning', applies: 'limited_list', text: 'A location listed twice (harmless, sort -u removes it).', fix: true },
  { code: 'limited-list-empty', severity: 'warning', applies: 'limited_list', text: 'No locations at all.' },
];
