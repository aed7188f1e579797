// The part every sandbox with a root directory shares: its state file, the process groups it
// started, and one destroy (idempotent, retryable after a refusal) that goes through the same
// state-driven teardown as `sandbox cleanup`.
import type { BackendName, ExecOptions, ExecResult, Sandbox } from './types';
import { SandboxError } from './errors';
import { ProcessGroups } from './exec';
import { teardownByState, type Warn } from './lifecycle';
import { readState, type StateFile } from './state';
import { checkAbsolute, hostPath } from './paths';

export abstract class OwnedSandbox implements Sandbox {
  readonly groups = new ProcessGroups();
  private destroying: Promise<void> | undefined;
  private destroyed = false;

  constructor(
    readonly backend: BackendName,
    readonly root: string,
    protected readonly state: StateFile,
    protected readonly warn: Warn,
  ) {}

  /** Where a path inside the sandbox lives on the host (for writing files into it). */
  hostPath(inside: string): string {
    return hostPath(this.root, checkAbsolute(inside, 'path inside the sandbox'));
  }

  get statePath(): string {
    return this.state.path;
  }

  protected checkUsable(options: ExecOptions): string {
    if (this.destroyed || this.destroying) throw new SandboxError('bad-spec', `sandbox ${this.root} is destroyed`);
    return checkAbsolute(options.cwd, 'working directory');
  }

  abstract exec(argv: string[], options: ExecOptions): Promise<ExecResult>;

  destroy(): Promise<void> {
    if (this.destroyed) return Promise.resolve();
    if (!this.destroying) {
      this.destroying = this.doDestroy().then(
        () => {
          this.destroyed = true;
        },
        (e: unknown) => {
          this.destroying = undefined; // a refusal (busy) may be retried once the user intervened
          throw e;
        },
      );
    }
    return this.destroying;
  }

  private async doDestroy(): Promise<void> {
    await this.state.append([{ kind: 'destroying' }]);
    const view = await readState(this.state.path);
    if (!view) throw new SandboxError('foreign', `state file ${this.state.path} of sandbox ${this.root} disappeared; not deleting anything`);
    await teardownByState(view, { warn: this.warn, groups: this.groups });
    await this.state.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.destroy();
  }
}
