// Build times of earlier runs, so the scheduler can order by the real critical path: a small
// JSON file beside the bulklog (the bulklog itself is emptied by every fresh run), keyed by
// PKGNAME without its version so a version bump keeps the history. Only successful builds
// count: a failure's time says little about a real build.
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../pkgsrc/bulklog/write';

export function pkgbase(pkgname: string): string {
  const i = pkgname.lastIndexOf('-');
  return i > 0 ? pkgname.slice(0, i) : pkgname;
}

export class BuildTimes {
  private constructor(
    readonly file: string,
    private readonly ms: Map<string, number>,
  ) {}

  static async load(file: string): Promise<BuildTimes> {
    try {
      const raw = JSON.parse(await readFile(file, 'utf8')) as unknown;
      const m = new Map<string, number>();
      if (raw && typeof raw === 'object') {
        for (const [k, v] of Object.entries(raw as Record<string, unknown>)) if (typeof v === 'number' && v >= 0) m.set(k, v);
      }
      return new BuildTimes(file, m);
    } catch {
      return new BuildTimes(file, new Map());
    }
  }

  get(pkgname: string): number | undefined {
    return this.ms.get(pkgbase(pkgname));
  }

  set(pkgname: string, ms: number): void {
    this.ms.set(pkgbase(pkgname), Math.round(ms));
  }

  /** Median of the known times (the weight of a package never built before). */
  median(): number | undefined {
    const v = [...this.ms.values()].sort((a, b) => a - b);
    return v.length > 0 ? v[Math.floor(v.length / 2)] : undefined;
  }

  async save(): Promise<void> {
    await writeFileAtomic(this.file, JSON.stringify(Object.fromEntries([...this.ms].sort())) + '\n');
  }
}
