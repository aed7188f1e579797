// `pkgsrc-bulk sandbox list|create|destroy|cleanup`: the sandbox layer by hand. `create --run`
// makes sandboxes, runs a command in each, and removes them (also on SIGINT/SIGTERM); without
// --run they are kept, like mksandbox's, until `destroy`. `cleanup` removes what a killed
// engine left behind, through the same checked teardown.
import { parseArgs } from 'node:util';
import { posix } from 'node:path';
import { UsageError, type Command } from './types';
import {
  BACKEND_NAMES, SandboxError, RunSandboxes, cleanupBase, createBackend, defaultSpec, destroyByRoot, listSandboxes,
  type BackendName, type ExecResult, type Sandbox,
} from '../sandbox/index';
import type { Warn } from '../sandbox/lifecycle';
import { BASE_FROM_CONF_USAGE, sandboxBaseFromConf } from './sandbox-base';

const usage = `usage: pkgsrc-bulk sandbox list [--base DIR | -c PBULK_CONF] [--json]
       pkgsrc-bulk sandbox create [options] NAME... [--run -- COMMAND...]
       pkgsrc-bulk sandbox destroy ROOT...
       pkgsrc-bulk sandbox cleanup [--base DIR | -c PBULK_CONF] [--kept] [--dry-run] [--json]

Sandboxes are directories in a base directory (pbulk.conf: the parent of chroot_dir), each with
a state file beside it (.NAME.pkgsrc-bulk-sandbox) recording its owner and every mount.

list      every sandbox in the base: running (its owner lives), kept (made by create without
          --run), stale (its owner died: cleanup removes it), with its mounts.
create    makes a sandbox per NAME (a path, or a name inside --base). The default content is
          mksandbox's on Linux: system dirs read-only, /etc copied, /dev and /proc, tmp dirs.
  --base DIR            where NAME goes (default: the parent of NAME when it is a path)
  --backend B           ${BACKEND_NAMES.join(', ')} (default: command with --create-script,
                        else chroot as root, namespace as a normal user)
  --pkgsrc DIR, --packages DIR, --bulklog DIR, --distdir DIR
                        read-write at the same path inside (as pbulk.conf names them)
  --rw DIR, --ro DIR    more read-write / read-only dirs (repeatable)
  --prefix DIR, --pkgdb DIR
                        created inside (LOCALBASE, PKG_DBDIR)
  --bootstrap KIT       bootstrap kit (.tar.gz or directory) unpacked inside
  --create-script S, --delete-script S
                        command backend: pbulk.conf's chroot_create / chroot_delete
  --namespace-tool T    namespace backend: bwrap or unshare (default: bwrap if installed)
  --run -- COMMAND...   run COMMAND in every sandbox at once (cwd --cwd, default /; as --user),
                        then remove them; SIGINT/SIGTERM remove them before exiting
destroy   removes sandboxes (kept or stale ones; a running one only by stopping its owner).
cleanup   removes every stale sandbox in the base (owner dead, e.g. an engine killed with -9),
          plus half-made ones and unused /etc snapshots. --kept removes kept ones too.
list and cleanup without --base:
${BASE_FROM_CONF_USAGE}

Exit status: 0 done; 1 something could not be removed or COMMAND failed; 2 bad usage or input.`;

function warnToStderr(): Warn {
  return (m) => process.stderr.write(`pkgsrc-bulk sandbox: warning: ${m}\n`);
}

function exitFor(e: SandboxError): number {
  return e.code === 'busy' || e.code === 'owned' || e.code === 'script-failed' || e.code === 'mount-failed' ? 1 : 2;
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

const CONF_OPTIONS = { config: { type: 'string', short: 'c' }, settings: { type: 'string' } } as const;

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
  const { values } = parseArgs({ args: argv, options: { base: { type: 'string' }, ...CONF_OPTIONS, json: { type: 'boolean' } }, strict: true });
  const base = await baseOf('list', values);
  const items = await listSandboxes(base);
  if (values.json) {
    process.stdout.write(JSON.stringify(items, null, 2) + '\n');
    return 0;
  }
  if (items.length === 0) {
    process.stdout.write(`no sandboxes in ${base}\n`);
    return 0;
  }
  for (const s of items) {
    const who = s.pid === null || s.pid === undefined ? '-' : String(s.pid);
    process.stdout.write(`${s.status.padEnd(10)} ${(s.backend ?? '?').padEnd(9)} pid ${who.padEnd(7)} ${String(s.mounts).padStart(3)} mounts  ${s.root}${s.rootExists ? '' : ' (no directory)'}\n`);
    for (const p of s.problems) process.stdout.write(`           ${p}\n`);
  }
  return 0;
}

async function create(argv: string[]): Promise<number> {
  const dash = argv.indexOf('--');
  const own = dash >= 0 ? argv.slice(0, dash) : argv;
  const command = dash >= 0 ? argv.slice(dash + 1) : [];
  const { values, positionals } = parseArgs({
    args: own,
    allowPositionals: true,
    strict: true,
    options: {
      base: { type: 'string' },
      backend: { type: 'string' },
      pkgsrc: { type: 'string' },
      packages: { type: 'string' },
      bulklog: { type: 'string' },
      distdir: { type: 'string' },
      rw: { type: 'string', multiple: true },
      ro: { type: 'string', multiple: true },
      prefix: { type: 'string' },
      pkgdb: { type: 'string' },
      bootstrap: { type: 'string' },
      'create-script': { type: 'string' },
      'delete-script': { type: 'string' },
      'namespace-tool': { type: 'string' },
      run: { type: 'boolean' },
      cwd: { type: 'string' },
      user: { type: 'string' },
    },
  });
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
    return 0;
  }
  const off = pool.teardownOnSignals();
  let worst = 0;
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
        worst = Math.max(worst, 1);
      } else if ((r.value as ExecResult).exitCode !== 0) {
        worst = Math.max(worst, 1);
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
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: {} });
  if (positionals.length === 0) throw new UsageError(`destroy needs at least one ROOT\n\n${usage}`);
  let worst = 0;
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
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { base: { type: 'string' }, ...CONF_OPTIONS, kept: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } },
  });
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
    if (report.removed.length + report.leftovers.length + report.skipped.length + report.failed.length === 0) process.stdout.write(`nothing to clean up in ${base}\n`);
  }
  return report.failed.length > 0 ? 1 : 0;
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
      if (e instanceof TypeError && 'code' in e && String((e as { code: unknown }).code).startsWith('ERR_PARSE_ARGS')) throw new UsageError(e.message);
      return fail(e);
    }
  },
};
