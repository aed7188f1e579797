// One package, pkg-build's sequence (pbulk-reference §4.2): up-to-date check, client-clean
// (prefix, pkgdb, varbase/qmail wiped; bootstrap kit restored), a fresh log directory, then
// pre-clean, depends, checksum, configure, build, install, package (+ test pkg_add), clean and
// deinstall, each into its own `<bulklog>/<PKGNAME>/<phase>.log`, in a sandbox slot. Failures
// in checksum..package run pbulk's cleanup (wrkdir/prefix archives when configured, make
// clean). The caller records the outcome in meta/success or meta/error and then removes the
// log directory of a successful package (retention), so a kill in between is safe.
import { existsSync, mkdirSync, readdirSync, rmSync, chownSync } from 'node:fs';
import { join } from 'node:path';
import type { Phase } from '../../pkgsrc/bulklog/phases';
import type { EngineConfig } from '../config/types';
import type { ExecResult, Sandbox } from '../sandbox/types';
import { PhaseLog } from './phase-log';
import { checkUpToDate } from './uptodate';
import type { BuildJob } from './job';
import { userIds } from './users';
import { clientClean } from './client-clean';

export interface BuildObserver {
  phase?(phase: Phase, logPath: string): void;
  chunk?(phase: Phase, offset: number, text: string): void;
  /** The engine's own notes (why a package is not up to date ...). */
  note?(message: string): void;
}

export type BuildOutcome = { kind: 'up-to-date' } | { kind: 'built'; phase: Phase } | { kind: 'failed'; phase: Phase; logPath: string } | { kind: 'cancelled' };

export interface BuildSlot {
  sandbox: Sandbox;
  index: number;
}

const ROOT = process.getuid?.() === 0;

class Cancelled extends Error {}

export class PackageBuild {
  private readonly dir: string;
  private readonly env: Record<string, string>;
  private readonly makeBase: string[];

  constructor(
    private readonly cfg: EngineConfig,
    private readonly slot: BuildSlot,
    private readonly job: BuildJob,
    private readonly obs: BuildObserver = {},
    private readonly signal?: AbortSignal,
  ) {
    this.dir = join(cfg.bulklog, job.pkgname);
    this.env = { PATH: cfg.settings.path, HOME: process.env.HOME ?? '/', ...cfg.settings.env };
    this.makeBase = [...cfg.make];
  }

  /** The user for a step pbulk runs through `su unprivileged_user` (only when we are root). */
  private unprivileged(yes: boolean): string | undefined {
    return yes && ROOT && this.cfg.unprivilegedUser ? this.cfg.unprivilegedUser : undefined;
  }

  private makeArgs(target: string): string[] {
    return [...this.makeBase, target, 'BATCH=1', 'DEPENDS_TARGET=/nonexistent', ...this.job.makeFlags, `WRKLOG=${join(this.dir, 'work.log')}`];
  }

  private async exec(argv: string[], log: PhaseLog | undefined, opts: { user?: string; cwd?: string; env?: Record<string, string> } = {}): Promise<ExecResult> {
    if (this.signal?.aborted) throw new Cancelled();
    const r = await this.slot.sandbox.exec(argv, {
      env: { ...this.env, ...opts.env },
      cwd: opts.cwd ?? join(this.cfg.pkgsrc, this.job.location),
      user: opts.user,
      limits: { ...this.cfg.limits, ...(this.cfg.settings.phaseTimeoutMs > 0 ? { timeoutMs: this.cfg.settings.phaseTimeoutMs } : {}) },
      output: log,
      capture: log === undefined,
      signal: this.signal,
      // Distfiles are fetched before the builds; a build needs no network and gets none where the sandbox can take it away.
      network: false,
    });
    if (this.signal?.aborted) throw new Cancelled();
    if (log && r.exitCode !== 0) {
      if (r.timedOut) log.note(`pkgsrc-bulk: ${argv[0]} killed after ${this.cfg.settings.phaseTimeoutMs} ms (phaseTimeoutMs)`);
      else if (r.signal) log.note(`pkgsrc-bulk: ${argv[0]} killed by ${r.signal}`);
      else if (r.exitCode === null) log.note(`pkgsrc-bulk: could not run ${argv.join(' ')}`);
    }
    return r;
  }

  private openLog(phase: Phase): PhaseLog {
    const path = join(this.dir, `${phase}.log`);
    const log = new PhaseLog(path, this.obs.chunk ? (off, text) => this.obs.chunk!(phase, off, text) : undefined);
    return log;
  }

  /** Runs the steps of one phase into its log; true when all exited 0. */
  private async phase(phase: Phase, steps: { argv: string[]; user?: string; env?: Record<string, string> }[]): Promise<boolean> {
    const log = this.openLog(phase);
    this.obs.phase?.(phase, log.path);
    try {
      for (const s of steps) {
        const r = await this.exec(s.argv, log, { user: s.user, env: s.env });
        if (r.exitCode !== 0) return false;
      }
      return true;
    } finally {
      log.close();
    }
  }

  async run(): Promise<BuildOutcome> {
    try {
      return await this.sequence();
    } catch (e) {
      if (e instanceof Cancelled) return { kind: 'cancelled' };
      throw e;
    }
  }

  private async sequence(): Promise<BuildOutcome> {
    const { cfg, job } = this;
    if (!job.force) {
      const u = await checkUpToDate(cfg, this.slot.sandbox, job, this.env);
      if (u.current) return { kind: 'up-to-date' };
      this.obs.note?.(`${job.pkgname}: building (${u.reason})`);
    }
    await this.clientClean();
    this.freshLogDir();

    const user = {
      build: this.unprivileged(job.useDestdir === 'user-destdir' || job.useDestdir === 'destdir'),
      install: this.unprivileged(job.useDestdir === 'user-destdir'),
      checksum: this.unprivileged(cfg.useUnprivilegedChecksum),
    };
    const fail = (phase: Phase): BuildOutcome => ({ kind: 'failed', phase, logPath: join(this.dir, `${phase}.log`) });
    const pkgAdd = (names: string[]) => ({
      argv: [...cfg.pkgAdd, '-K', cfg.pkgdb, ...names],
      env: { PKG_PATH: join(cfg.packages, 'All') },
    });

    if (!(await this.phase('pre-clean', [{ argv: [...this.makeBase, 'clean'] }]))) return fail('pre-clean');
    if (job.depends.length > 0 && !(await this.phase('depends', [pkgAdd(job.depends)]))) return fail('depends');

    // create-usergroup runs as root before the phase USERGROUP_PHASE names (DESTDIR builds
    // only); before configure it is followed by `make clean`, as in pkg-build.
    const ug = (when: 'configure' | 'build' | 'pre-install') => {
      const p = job.usergroupPhase;
      const hit = job.useDestdir !== 'no' && (when === 'pre-install' ? p === 'pre-install' : p.endsWith(when));
      if (!hit) return [];
      return [{ argv: [...this.makeBase, 'create-usergroup', ...(when === 'configure' ? ['clean'] : [])] }];
    };
    const steps: [Phase, { argv: string[]; user?: string; env?: Record<string, string> }[]][] = [
      ['checksum', [{ argv: this.makeArgs('checksum'), user: user.checksum }]],
      ['configure', [...ug('configure'), { argv: this.makeArgs('configure'), user: user.build }]],
      ['build', [...ug('build'), { argv: this.makeArgs('all'), user: user.build }]],
      ['install', [...ug('pre-install'), { argv: this.makeArgs('stage-install'), user: user.install }]],
    ];
    if (job.fetchFailure !== undefined) {
      // Its distfiles could not be fetched before the builds: the fetch output is its checksum log.
      const log = this.openLog('checksum');
      this.obs.phase?.('checksum', log.path);
      log.note(job.fetchFailure);
      log.close();
      await this.cleanup();
      return fail('checksum');
    }
    for (const [phase, s] of steps) {
      if (!(await this.phase(phase, s))) {
        await this.cleanup();
        return fail(phase);
      }
    }
    const pkgSteps = [{ argv: this.makeArgs('package') }];
    if (job.useDestdir !== 'no' && !job.bootstrapPkg) pkgSteps.push(pkgAdd([job.pkgname]));
    if (!(await this.phase('package', pkgSteps))) {
      await this.exec([...this.makeArgs('package-clean')], undefined).catch(() => undefined);
      await this.cleanup();
      return fail('package');
    }
    if (!(await this.phase('clean', [{ argv: [...this.makeBase, 'clean'] }]))) return fail('clean');
    if (!job.bootstrapPkg) {
      if (!(await this.phase('deinstall', [{ argv: [...cfg.pkgDelete, '-K', cfg.pkgdb, job.pkgname] }]))) return fail('deinstall');
      return { kind: 'built', phase: 'deinstall' };
    }
    return { kind: 'built', phase: 'clean' };
  }

  /** client-clean: wipe prefix, pkgdb and varbase/qmail, then restore the bootstrap kit. */
  private async clientClean(): Promise<void> {
    const why = await clientClean(this.cfg, (argv) => this.exec(argv, undefined, { cwd: '/' }));
    if (why) this.obs.note?.(why);
  }

  /** `<bulklog>/<PKGNAME>/`, emptied; work.log handed to the unprivileged user for DESTDIR builds. */
  private freshLogDir(): void {
    mkdirSync(this.dir, { recursive: true });
    for (const f of readdirSync(this.dir)) rmSync(join(this.dir, f), { recursive: true, force: true });
    const user = this.unprivileged(this.job.useDestdir !== 'no');
    if (user) {
      const work = join(this.dir, 'work.log');
      new PhaseLog(work).close();
      const ids = userIds(user);
      if (ids) chownSync(work, ids.uid, ids.gid);
    }
  }

  /** pkg-build's cleanup after a failure in checksum..package. */
  private async cleanup(): Promise<void> {
    const { cfg } = this;
    if (cfg.keepWrkdir) {
      await this.exec([...this.makeBase, 'pbulk-save-wrkdir', `INTO=${join(this.dir, 'wrkdir.tar.gz')}`], undefined);
    }
    if (cfg.keepPrefix && existsSync(join(this.dir, 'install.log'))) {
      await this.exec([...cfg.tar, '-czf', join(this.dir, 'prefix.tar.gz'), cfg.prefix], undefined, { cwd: '/' });
    }
    await this.exec([...this.makeBase, 'clean'], undefined);
  }
}

/** Retention after the outcome is recorded: a successful package keeps no logs. */
export function removeLogDir(cfg: EngineConfig, pkgname: string): void {
  rmSync(join(cfg.bulklog, pkgname), { recursive: true, force: true });
}
