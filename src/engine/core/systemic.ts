// One problem instead of fifty package failures: when the first packages to finish all fail in
// the same phase, from configure on, with the same first error (their names taken out), the
// cause is the set-up (a read-only WRKOBJDIR, a broken compiler, a full disk), not the packages.
// Failures before configure (a distfile that cannot be fetched, a dependency that cannot be
// installed) are each package's own, as in pbulk, however many there are.
import { readFileSync } from 'node:fs';
import type { Phase } from '../../pkgsrc/bulklog/phases';
import { analyzeFailureLog } from '../../pkgsrc/problems';

/** How many of the first packages to finish must fail alike. */
const SYSTEMIC_AFTER = 5;

const SET_UP_PHASES: ReadonlySet<Phase> = new Set(['configure', 'build', 'install', 'package']);

export interface SystemicFailure {
  phase: Phase;
  /** The first error line of the first package, as its log has it. */
  firstError: string;
  /** The packages that failed alike. */
  packages: string[];
}

export interface FinishedPackage {
  pkgname: string;
  location: string;
  ok: boolean;
  phase?: Phase;
  logPath?: string;
}

/** The first error line of a log (the last non-empty line when none is recognised). */
async function firstErrorOf(logPath: string): Promise<string> {
  let text = '';
  try {
    text = readFileSync(logPath, 'latin1');
  } catch {
    return '';
  }
  const lines = text.split('\n');
  const a = await analyzeFailureLog(logPath).catch(() => undefined);
  const at = a?.firstErrorLine;
  const line = at !== undefined ? lines[at] : [...lines].reverse().find((l) => l.trim() !== '');
  return (line ?? '').trim();
}

/** The error with what names the package taken out, so that the same cause compares equal across packages. */
export function normaliseError(line: string, p: { pkgname: string; location: string }): string {
  const [cat = '', dir = ''] = p.location.split('/');
  const base = p.pkgname.replace(/-[^-]*$/, '');
  let out = line;
  for (const [word, as] of [
    [p.pkgname, '<pkg>'],
    [p.location, '<location>'],
    [base, '<name>'],
    [dir, '<dir>'],
    [cat, '<category>'],
  ] as const) {
    if (word.length >= 2) out = out.split(word).join(as);
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** Watches the packages as they finish; says once whether the first ones failed alike. */
export class SystemicWatch {
  private readonly seen: { pkgname: string; phase: Phase; error: string; raw: string }[] = [];
  private decided = false;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly after = SYSTEMIC_AFTER) {}

  /** Feeds one finished package (up-to-date ones tell nothing and are not fed); the verdict comes once. */
  add(p: FinishedPackage): Promise<SystemicFailure | undefined> {
    // One at a time, in the order packages finished, whatever the log reads cost.
    const r = this.chain.then(() => this.judge(p));
    this.chain = r.catch(() => undefined);
    return r;
  }

  private async judge(p: FinishedPackage): Promise<SystemicFailure | undefined> {
    if (this.decided) return undefined;
    if (p.ok || !p.phase || !SET_UP_PHASES.has(p.phase) || !p.logPath) {
      this.decided = true;
      return undefined;
    }
    const raw = await firstErrorOf(p.logPath);
    const error = normaliseError(raw, p);
    const first = this.seen[0];
    if (first && (first.phase !== p.phase || first.error !== error)) {
      this.decided = true;
      return undefined;
    }
    this.seen.push({ pkgname: p.pkgname, phase: p.phase, error, raw });
    if (this.seen.length < this.after) return undefined;
    this.decided = true;
    return { phase: p.phase, firstError: this.seen[0]!.raw, packages: this.seen.map((s) => s.pkgname) };
  }
}
