// Leftover @TOKEN@ placeholders: the config was copied from pkgsrc's files/ instead of the
// installed example. The fix fills in what this machine can tell: the detected pbulk prefix,
// the version, or a tool found in the usual directories.
import { isUnder } from './paths-util';
import type { CheckRun } from './run';
import { pbulkPrefixesOf } from '../context';

/** Placeholder -> program to look for. */
const TOOLS: Record<string, { program: string; args?: string }> = {
  '@BZIP2@': { program: 'bzip2' },
  '@DIGEST@': { program: 'digest' },
  '@GZIP_CMD@': { program: 'gzip', args: ' -nf -9' },
  '@MAIL_CMD@': { program: 'mail' },
  '@NEATO@': { program: 'neato' },
  '@SED@': { program: 'sed' },
  '@TAR@': { program: 'tar' },
  '@XZ@': { program: 'xz' },
  '@PKG_INFO_CMD@': { program: 'pkg_info' },
  '@PKG_ADD_CMD@': { program: 'pkg_add' },
  '@PKG_DELETE_CMD@': { program: 'pkg_delete' },
  '@PKG_ADMIN_CMD@': { program: 'pkg_admin' },
};

function replacement(run: CheckRun, token: string, pbulkPrefix: string | undefined): string | undefined {
  if (token === '@PBULK_CONFIG_VERSION@') return run.version.version;
  if (token === '@PREFIX@') return pbulkPrefix;
  if (token === '@TARGET_MAKE@') return process.platform === 'netbsd' ? '/usr/bin/make' : '${prefix}/bin/bmake';
  const tool = TOOLS[token];
  if (!tool) return undefined;
  const prefix = run.value('prefix');
  const dirs = ['/usr/bin', '/bin', '/usr/sbin', '/sbin'];
  if (pbulkPrefix) dirs.unshift(`${pbulkPrefix}/sbin`, `${pbulkPrefix}/bin`);
  for (const d of dirs) {
    const p = `${d}/${tool.program}`;
    if (prefix && isUnder(p, prefix)) continue;
    const st = run.probe.stat(p);
    if (st?.kind === 'file' && st.executable) return p + (tool.args ?? '');
  }
  return undefined;
}

export function checkPlaceholders(run: CheckRun): void {
  const text = run.doc.text;
  const inComment = (offset: number): boolean => {
    const pos = run.index.position(offset);
    return run.doc.comments.some((c) => c.range.start.line === pos.line && c.range.start.character <= pos.character);
  };
  const pbulkPrefix = run.version.prefix ?? pbulkPrefixesOf(run.ev)[0];
  const re = /@[A-Z][A-Z0-9_]*@/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (inComment(m.index)) continue;
    const range = run.index.range(m.index, m.index + m[0].length);
    const value = replacement(run, m[0], pbulkPrefix);
    const fixes = value === undefined ? [] : [{ title: `Replace ${m[0]} with ${value}`, edits: [{ range, newText: value }] }];
    const variable = run.assignedAt(range);
    run.report(
      range,
      'error',
      'placeholder',
      `placeholder ${m[0]} was never substituted: this config was copied from pkgsrc's pkgtools/pbulk/files instead of the installed share/examples/pbulk/pbulk.conf`,
      { fixes, variables: variable ? [variable] : [] },
    );
  }
}
