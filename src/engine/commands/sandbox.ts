// `pkgsrc-bulk sandbox list|create|destroy|cleanup`: the sandbox layer by hand. `create --run`
// makes sandboxes, runs a command in each, and removes them (also on SIGINT/SIGTERM); without
// --run they are kept, like mksandbox's, until `destroy`. `cleanup` removes what a killed
// engine left behind, through the same checked teardown.
import { posix } from 'node:path';
import { EXIT } from '../../protocol/exit';
import { UsageError, type Command } from './types';
import {
  BACKEND_NAMES,
  SandboxError,
  RunSandboxes,
  cleanupBase,
  createBackend,
  defaultSpec,
  destroyByRoot,
  listSandboxes,
  type BackendName,
  type ExecResult,
  type Sandbox,
} from '../sandbox/index';
import type { Warn } from '../sandbox/lifecycle';
import { optionLines, parseOptions, type OptionTable } from './options';
import { BASE_OPTIONS, sandboxBaseFromConf } from './sandbox-base';

/** The options of each subcommand (destroy takes none). */
export const SUBCOMMAND_OPTIONS = {
  list: { ...BASE_OPTIONS, json: { type: 'boolean', help: 'print the sandboxes as JSON' } },
  create: {
    base: { type: 'string', arg: 'DIR', help: 'where NAME goes (default: the parent of NAME when it is a path)' },
    backend: {
      type: 'string',
      arg: 'B',
      help: `${BACKEND_NAMES.join(', ')} (default: command with --create-script,\nelse chroot as root, namespace as a normal user)`,
    },
    pkgsrc: { type: 'string', arg: 'DIR', help: 'the pkgsrc tree, read-write at the same path inside' },
    packages: { type: 'string', arg: 'DIR', help: 'the binary packages, read-write at the same path inside' },
    bulklog: { type: 'string', arg: 'DIR', help: 'the bulklog, read-write at the same path inside' },
    distdir: { type: 'string', arg: 'DIR', help: 'the distfiles, read-write at the same path inside' },
    rw: { type: 'string', multiple: true, arg: 'DIR', help: 'more read-write dirs (repeatable)' },
    ro: { type: 'string', multiple: true, arg: 'DIR', help: 'more read-only dirs (repeatable)' },
    prefix: { type: 'string', arg: 'DIR', help: 'created inside (LOCALBASE)' },
    pkgdb: { type: 'string', arg: 'DIR', help: 'created inside (PKG_DBDIR)' },
    bootstrap: { type: 'string', arg: 'KIT', help: 'bootstrap kit (.tar.gz or directory) unpacked inside' },
    'create-script': { type: 'string', arg: 'S', help: "command backend: pbulk.conf's chroot_create" },
    'delete-script': { type: 'string', arg: 'S', help: "command backend: pbulk.conf's chroot_delete" },
    'namespace-tool': { type: 'string', arg: 'T', help: 'namespace backend: bwrap or unshare (default: bwrap if installed)' },
    run: {
      type: 'boolean',
      help: 'with -- COMMAND...: run COMMAND in every sandbox at once, then remove\nthem; SIGINT/SIGTERM remove them before exiting',
    },
    cwd: { type: 'string', arg: 'DIR', help: 'where COMMAND runs (default /)' },
    user: { type: 'string', arg: 'USER', help: 'whom COMMAND runs as' },
  },
  cleanup: {
    ...BASE_OPTIONS,
    kept: { type: 'boolean', help: 'remove sandboxes kept by create too' },
    'dry-run': { type: 'boolean', help: 'say what would be removed; remove nothing' },
    json: { type: 'boolean', help: 'print what was done as JSON' },
  },
} as const satisfies Record<string, OptionTable>;

const usage = `usage: pkgsrc-bulk sandbox list [--base DIR | -c PBULK_CONF] [--json]
       pkgsrc-bulk sandbox create [options] NAME... [--run -- COMMAND...]
       pkgsrc-bulk sandbox destroy ROOT...
       pkgsrc-bulk sandbox cleanup [--base DIR | -c PBULK_CONF] [--kept] [--dry-run] [--json]

Sandboxes are directories in a base directory (pbulk.conf: the parent of chroot_dir), each with
a state file beside it (.NAME.pkgsrc-bulk-sandbox) recording its owner and every mount.

list      every sandbox in the base: running (its owner lives), kept (made by create without
          --run), stale (its owner died: cleanup removes it), with its mounts.
${optionLines(SUBCOMMAND_OPTIONS.list)}
create    makes a sandbox per NAME (a path, or a name inside --base). The default content is
          mksandbox's on Linux: system dirs read-only, /etc copied, /dev and /proc, tmp dirs.
${optionLines(SUBCOMMAND_OPTIONS.create)}
destroy   removes sandboxes (kept or stale ones; a running one only by stopping its owner).
cleanup   removes every stale sandbox in the base (owner dead, e.g. an engine killed with -9),
          plus half-made ones and unused /etc snapshots.
${optionLines(SUBCOMMAND_OPTIONS.cleanup)}

Exit status: 0 done; 1 something could not be removed or COMMAND failed; 2 bad usage or input.`;

function warnToStderr(): Warn {
  return (m) => process.stderr.write(`pkgsrc-bulk sandbox: warning: ${m}\n`);
}

function exitFor(e: SandboxError): number {
  return e.code === 'busy' || e.code === 'owned' || e.code === 'script-failed' || e.code === 'mount-failed' ? EXIT.failed : EXIT.usage;
}

function fail(e: unknown): number {
  if (e instanceof SandboxError) {
    process.stderr.write(`pkgsrc-bulk sandbox: ${e.message}\n`);
    return exitFor(e);
  }
  throw e;
}

function absolute(p: string, what: string): string {
  if (!p.startsWith('/')) throw new UsageError(`${what} must be an absolute path: ${p}`);
  return posix.normalize(p);
}

/** --base as given, else found from pbulk.conf (and the settings) as a build would. */
async function baseOf(sub: string, values: { base?: string; config?: string; settings?: string }): Promise<string> {
  if (values.base) {
    if (values.config || values.settings) throw new UsageError(`${sub}: give --base or -c/--settings, not both`);
    return absolute(values.base, '--base');
  }
  try {
    return await sandboxBaseFromConf(sub, values.config, values.settings);
  } catch (e) {
    if (e instanceof UsageError && !values.config && !values.settings && !process.env.PBULK_CONF) throw new UsageError(`${e.message}\n\n${usage}`);
    throw e;
  }
}

async function list(argv: string[]): Promise<number> {
  const { values } = parseOptions(argv, SUBCOMMAND_OPTIONS.list, usage);
  const base = await baseOf('list', values);
  const items = await listSandboxes(base);
  if (values.json) {
    process.stdout.write(JSON.stringify(items, null, 2) + '\n');
    return EXIT.ok;
  }
  if (items.length === 0) {
    process.stdout.write(`no sandboxes in ${base}\n`);
    return EXIT.ok;
  }
  for (const s of items) {
    const who = s.pid === null || s.pid === undefined ? '-' : String(s.pid);
    process.stdout.write(
      `${s.status.padEnd(10)} ${(s.backend ?? '?').padEnd(9)} pid ${who.padEnd(7)} ${String(s.mounts).padStart(3)} mounts  ${s.root}${s.rootExists ? '' : ' (no directory)'}\n`,
    );
    for (const p of s.problems) process.stdout.write(`           ${p}\n`);
  }
  return EXIT.ok;
}

async function create(argv: string[]): Promise<number> {
  const dash = argv.indexOf('--');
  const own = dash >= 0 ? argv.slice(0, dash) : argv;
  const command = dash >= 0 ? argv.slice(dash + 1) : [];
  const { values, positionals } = parseOptions(own, SUBCOMMAND_OPTIONS.create, usage, true);
  if (positionals.length === 0) throw new UsageError(`create needs at least one NAME\n\n${usage}`);
  if (values.run && command.length === 0) throw new UsageError('--run needs a command after --');
  if (!values.run && command.length > 0) throw new UsageError('a command after -- needs --run');
  const backendName = (values.backend ?? (values['create-script'] ? 'command' : process.getuid?.() === 0 ? 'chroot' : 'namespace')) as BackendName;
  if (!BACKEND_NAMES.includes(backendName)) throw new UsageError(`unknown backend '${values.backend}' (have: ${BACKEND_NAMES.join(', ')})`);
  const tool = values['namespace-tool'];
  if (tool !== undefined && tool !== 'bwrap' && tool !== 'unshare') throw new UsageError(`--namespace-tool must be bwrap or unshare, not '${tool}'`);
  const base = values.base ? absolute(values.base, '--base') : undefined;
  const roots = positionals.map((n) => {
    if (n.startsWith('/')) return posix.normalize(n);
    if (!base) throw new UsageError(`NAME '${n}' is not a path: give --base DIR`);
    if (n.includes('/') || n.startsWith('.')) throw new UsageError(`NAME '${n}' must be a plain name or an absolute path`);
    return posix.join(base, n);
  });
  const warn = warnToStderr();
  const backend = createBackend(backendName, {
    ...(base ? { base } : {}),
    warn,
    persistent: !values.run,
    ...(values['create-script'] ? { chrootCreate: absolute(values['create-script'], '--create-script') } : {}),
    ...(values['delete-script'] ? { chrootDelete: absolute(values['delete-script'], '--delete-script') } : {}),
    ...(tool ? { namespaceTool: tool } : {}),
  });
  const specs = roots.map((root) =>
    defaultSpec(root, {
      ...(values.pkgsrc ? { pkgsrc: absolute(values.pkgsrc, '--pkgsrc') } : {}),
      ...(values.packages ? { packages: absolute(values.packages, '--packages') } : {}),
      ...(values.bulklog ? { bulklog: absolute(values.bulklog, '--bulklog') } : {}),
      ...(values.distdir ? { distdir: absolute(values.distdir, '--distdir') } : {}),
      ...(values.prefix ? { prefix: absolute(values.prefix, '--prefix') } : {}),
      ...(values.pkgdb ? { pkgdb: absolute(values.pkgdb, '--pkgdb') } : {}),
      ...(values.bootstrap ? { bootstrapKit: absolute(values.bootstrap, '--bootstrap') } : {}),
      extraRw: (values.rw ?? []).map((d) => absolute(d, '--rw')),
      extraRo: (values.ro ?? []).map((d) => absolute(d, '--ro')),
      ...(base ? { base } : {}),
    }),
  );
  // Kept after this process unless --run: torn down explicitly, never by `await using`.
  let pool: RunSandboxes;
  try {
    pool = await RunSandboxes.create(backend, specs, { warn });
  } catch (e) {
    return fail(e);
  }
  if (!values.run) {
    for (const s of pool.all) process.stdout.write(`${s.root}\n`);
    return EXIT.ok;
  }
  const off = pool.teardownOnSignals();
  let worst: number = EXIT.ok;
  try {
    const cwd = values.cwd ? absolute(values.cwd, '--cwd') : '/';
    const results = await Promise.allSettled(
      pool.all.map((s: Sandbox) =>
        s.exec(command, {
          env: Object.fromEntries(Object.entries(process.env).filter((kv): kv is [string, string] => kv[1] !== undefined)),
          cwd,
          output: process.stdout,
          ...(values.user ? { user: values.user } : {}),
        }),
      ),
    );
    for (const [i, r] of results.entries()) {
      if (r.status === 'rejected') {
        process.stderr.write(`pkgsrc-bulk sandbox: ${pool.all[i]!.root}: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}\n`);
        worst = Math.max(worst, EXIT.failed);
      } else if ((r.value as ExecResult).exitCode !== 0) {
        worst = Math.max(worst, EXIT.failed);
      }
    }
  } finally {
    try {
      await pool.destroy();
    } catch (e) {
      worst = Math.max(worst, fail(e));
    }
    off();
  }
  return worst;
}

async function destroy(argv: string[]): Promise<number> {
  const { positionals } = parseOptions(argv, {}, usage, true);
  if (positionals.length === 0) throw new UsageError(`destroy needs at least one ROOT\n\n${usage}`);
  let worst: number = EXIT.ok;
  for (const p of positionals) {
    try {
      const r = await destroyByRoot(absolute(p, 'ROOT'), { warn: warnToStderr() });
      process.stdout.write(`removed ${p} (${r.unmounted} mounts, ${r.removed} entries${r.killed.length ? `, killed ${r.killed.join(' ')}` : ''})\n`);
    } catch (e) {
      worst = Math.max(worst, fail(e));
    }
  }
  return worst;
}

async function cleanup(argv: string[]): Promise<number> {
  const { values } = parseOptions(argv, SUBCOMMAND_OPTIONS.cleanup, usage);
  const base = await baseOf('cleanup', values);
  let report;
  try {
    report = await cleanupBase(base, { warn: warnToStderr(), includeKept: values.kept === true, dryRun: values['dry-run'] === true });
  } catch (e) {
    return fail(e);
  }
  if (values.json) {
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  } else {
    const verb = values['dry-run'] ? 'would remove' : 'removed';
    for (const r of report.removed) process.stdout.write(`${verb} ${r}\n`);
    for (const l of report.leftovers) process.stdout.write(`removed leftover ${l}\n`);
    for (const s of report.skipped) process.stdout.write(`kept ${s.root}: ${s.reason}\n`);
    for (const f of report.failed) process.stderr.write(`pkgsrc-bulk sandbox: could not remove ${f.root}: ${f.error}\n`);
    if (report.removed.length + report.leftovers.length + report.skipped.length + report.failed.length === 0)
      process.stdout.write(`nothing to clean up in ${base}\n`);
  }
  return report.failed.length > 0 ? EXIT.failed : EXIT.ok;
}

export const sandboxCommand: Command = {
  name: 'sandbox',
  summary: 'list, create, destroy and clean up build sandboxes',
  usage,
  async run(argv: string[]): Promise<number> {
    const [sub, ...rest] = argv;
    try {
      switch (sub) {
        case 'list':
          return await list(rest);
        case 'create':
          return await create(rest);
        case 'destroy':
          return await destroy(rest);
        case 'cleanup':
          return await cleanup(rest);
        default:
          throw new UsageError(sub === undefined ? `no subcommand\n\n${usage}` : `unknown subcommand '${sub}'\n\n${usage}`);
      }
    } catch (e) {
      if (e instanceof UsageError) throw e;
      return fail(e);
    }
  },
};
