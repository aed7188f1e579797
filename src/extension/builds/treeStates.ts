// The Packages view's build states from the build controller: every package of the build on
// its location (the worst variant of a multi-version location), with the phase of the ones
// building now and the failing phase or the culprits of the others.
import * as vscode from 'vscode';
import { State, formatTotal } from '../../pkgsrc/states';
import { locationState, type LocationState, type VariantState } from '../tree/stateMap';
import type { BuildStateSource } from '../tree/states';
import type { BuildController } from './controller';
import { progressText } from './model';

export class ControllerStates implements BuildStateSource {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private map = new Map<string, LocationState>();
  private readonly sub: vscode.Disposable;

  constructor(private readonly controller: BuildController) {
    this.sub = controller.onDidChange(() => this.update());
    this.update();
  }

  private update(): void {
    const byLocation = new Map<string, VariantState[]>();
    const disk = this.controller.bulklog;
    const building = this.controller.building;
    for (const p of this.controller.model.packages.values()) {
      if (!p.location) continue;
      const d = disk?.byName.get(p.pkgname);
      let detail: string | undefined;
      // Without a running build, a package the bulklog shows in processing was stopped or
      // killed: it is not building, it waits for Resume.
      const stopped = p.state === State.Building && !building;
      if (stopped) detail = 'not finished: stopped';
      else if (p.state === State.Building) detail = `${p.phase ?? 'starting'}${p.host ? ` on ${p.host}` : p.slot !== undefined ? `, slot ${p.slot}` : ''}`;
      else if (p.state === State.Failed) detail = p.phase ? `${p.phase} phase` : undefined;
      else if (p.causes?.length) detail = `because of ${p.causes.join(', ')}`;
      else if (d?.reasons?.length) detail = d.reasons.join(' ');
      const list = byLocation.get(p.location) ?? [];
      list.push({ pkgname: p.pkgname, state: stopped ? State.Queued : p.state, ...(detail ? { detail } : {}) });
      byLocation.set(p.location, list);
    }
    this.map = new Map([...byLocation].map(([loc, vs]) => [loc, locationState(vs)!]));
    this.emitter.fire();
  }

  states(): ReadonlyMap<string, LocationState> {
    return this.map;
  }

  describe(): string | undefined {
    const c = this.controller;
    const dir = c.shownBulklog;
    if (!dir) return undefined;
    if (c.building) return `Building into ${dir} — ${progressText(c.model, Date.now())}`;
    if (!c.bulklog || c.model.total === 0) return undefined;
    return `Bulklog ${dir} — ${formatTotal(c.model.counts())}`;
  }

  dispose(): void {
    this.sub.dispose();
    this.emitter.dispose();
  }
}
