// The one owner of the sandboxes a process makes: a run's scan and build slots from plain
// pbulk.conf values (plan, backend, names, counts), or a list of specs (`sandbox create`).
// Each batch is made in parallel, all or none; everything made is torn down together by one
// idempotent destroy, which `await using` calls on the way out, and on SIGINT/SIGTERM before
// the process exits. A kill -9 leaves them to `pkgsrc-bulk sandbox cleanup` (or to the next
// engine, which removes sandboxes of dead owners when it claims their names). With the `none`
// backend scan and build share the single host slot. The build slots may be made later
// (deferBuild, then openBuild), once the scan sandbox has told what they must hold.
import type { BackendName, Sandbox, SandboxBackend, SandboxSpec } from './types';
import { SandboxError } from './errors';
import { createBackend } from './backends';
import { defaultSpec, planSandboxes, type DefaultSpecInput, type PlanInput, type SandboxPlan } from './plan';
import { defaultWarn, type Warn } from './lifecycle';

export interface RunSandboxesInput {
  /** chroot_dir, build_chroots, scan_chroots/scan_procs, chroot_create/chroot_delete, overrides. */
  plan: PlanInput;
  /** pkgsrc, bulklog, packages, distdir, prefix, pkgdb, varbase, bootstrapkit. */
  content: DefaultSpecInput;
  warn?: Warn;
  /** Make only the scan slots now; the build slots come from openBuild. */
  deferBuild?: boolean;
}

export class RunSandboxes implements AsyncDisposable {
  /** The scan slots (empty for a list of specs). */
  scan: Sandbox[] = [];
  /** The build slots; empty until openBuild when deferBuild was asked. */
  build: Sandbox[] = [];
  private readonly made: Sandbox[] = [];
  private opening: Promise<Sandbox[]> | undefined;
  private closing: Promise<void> | undefined;

  private constructor(
    readonly backend: SandboxBackend,
    /** How pbulk.conf's values were read (undefined for a list of specs). */
    readonly plan: SandboxPlan | undefined,
    private readonly content: DefaultSpecInput,
    private readonly warn: Warn,
  ) {}

  /** A run's sandboxes from pbulk.conf's values; the plan's warnings go to `warn`. */
  static async open(input: RunSandboxesInput): Promise<RunSandboxes> {
    const warn = input.warn ?? defaultWarn;
    const plan = planSandboxes(input.plan);
    for (const w of plan.warnings) warn(w);
    const backend = createBackend(plan.backend, {
      ...(input.plan.chrootCreate ? { chrootCreate: input.plan.chrootCreate } : {}),
      ...(input.plan.chrootDelete ? { chrootDelete: input.plan.chrootDelete } : {}),
      ...(plan.base ? { base: plan.base } : {}),
      warn,
    });
    const run = new RunSandboxes(backend, plan, { ...input.content, ...(plan.base ? { base: plan.base } : {}) }, warn);
    if (plan.backend === 'none') {
      run.scan = run.build = await run.make(['/'].map((r) => defaultSpec(r, run.content)));
    } else if (input.deferBuild) {
      run.scan = await run.make(plan.scanRoots.map((r) => defaultSpec(r, run.content)));
    } else {
      const all = await run.make([...plan.scanRoots, ...plan.buildRoots].map((r) => defaultSpec(r, run.content)));
      run.scan = all.slice(0, plan.scanRoots.length);
      run.build = all.slice(plan.scanRoots.length);
    }
    return run;
  }

  /** One sandbox per spec, as build slots (`none` makes one whatever the number of specs). */
  static async create(backend: SandboxBackend, specs: SandboxSpec[], options: { warn?: Warn } = {}): Promise<RunSandboxes> {
    const run = new RunSandboxes(backend, undefined, {}, options.warn ?? defaultWarn);
    run.build = await run.make(specs);
    return run;
  }

  get backendName(): BackendName {
    return this.backend.name;
  }

  /** Every sandbox made so far. */
  get all(): readonly Sandbox[] {
    return this.made;
  }

  /** Makes the build slots with the content given at open plus `more` (once; later calls return the same). */
  openBuild(more: Partial<DefaultSpecInput> = {}): Promise<Sandbox[]> {
    if (this.closing) return Promise.reject(new SandboxError('bad-spec', 'the sandboxes are being removed'));
    if (this.build.length > 0) return Promise.resolve(this.build);
    const roots = this.plan?.buildRoots ?? [];
    return (this.opening ??= this.make(roots.map((r) => defaultSpec(r, { ...this.content, ...more }))).then((b) => (this.build = b)));
  }

  /**
   * Creates one sandbox per spec, in parallel. If any fails, the ones made are destroyed and the
   * first error is thrown.
   */
  private async make(specs: SandboxSpec[]): Promise<Sandbox[]> {
    if (this.closing) throw new SandboxError('bad-spec', 'the sandboxes are being removed');
    const backend = this.backend;
    const wanted = specs.slice(0, Math.max(1, Math.min(specs.length, backend.maxSlots)));
    if (wanted.length < specs.length) this.warn(`the ${backend.name} backend has ${backend.maxSlots} slot(s); using ${wanted.length} of ${specs.length}`);
    const results = await Promise.allSettled(wanted.map((s) => backend.create(s)));
    const made = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await Promise.allSettled(made.map((s) => s.destroy()));
      throw failed.reason;
    }
    if (this.closing) {
      // Torn down while these were being made: they go too.
      await Promise.allSettled(made.map((s) => s.destroy()));
      throw new SandboxError('bad-spec', 'the sandboxes are being removed');
    }
    this.made.push(...made);
    return made;
  }

  /**
   * Destroys every sandbox (in parallel). Sandboxes that refuse (busy) are reported together in
   * one error; the others are gone either way. Idempotent.
   */
  destroy(): Promise<void> {
    this.closing ??= Promise.allSettled(this.made.map((s) => s.destroy())).then((rs) => {
      const errs = rs.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      if (errs.length === 1) throw errs[0];
      if (errs.length > 1) throw new SandboxError('busy', errs.map((e) => (e instanceof Error ? e.message : String(e))).join('\n\n'));
    });
    return this.closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.destroy();
  }

  /** SIGINT/SIGTERM: tear down, then exit 130/143. Returns the uninstaller. */
  teardownOnSignals(options: { exit?: (code: number) => void } = {}): () => void {
    return teardownOnSignals(() => this.destroy(), this.warn, options);
  }
}

/**
 * On SIGINT or SIGTERM: run destroy, then exit with 128 + the signal number (what a shell
 * reports). A second signal while that runs only says so. Returns the uninstaller.
 */
function teardownOnSignals(destroy: () => Promise<void>, warn: Warn, options: { exit?: (code: number) => void } = {}): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let started = false;
  const handler = (sig: NodeJS.Signals) => {
    if (started) {
      warn(`${sig} again: still removing sandboxes, please wait (kill -9 leaves them for \`pkgsrc-bulk sandbox cleanup\`)`);
      return;
    }
    started = true;
    const code = 128 + (sig === 'SIGINT' ? 2 : 15);
    destroy().then(
      () => exit(code),
      (e: unknown) => {
        warn(`while removing sandboxes after ${sig}: ${e instanceof Error ? e.message : String(e)}`);
        exit(code);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
