// The phases of pkg-build, in the order it runs them. Each phase that ran leaves
// `<bulklog>/<PKGNAME>/<phase>.log`; the failing phase is the last one that exists, which is
// the precedence pbulk's HTML report uses too.

export const PHASES = ['pre-clean', 'depends', 'checksum', 'configure', 'build', 'install', 'package', 'clean', 'deinstall'] as const;

export type Phase = (typeof PHASES)[number];

function isPhase(s: string): s is Phase {
  return (PHASES as readonly string[]).includes(s);
}

/** The phase a file name belongs to (`configure.log` -> `configure`), or undefined. */
export function phaseOfLogName(name: string): Phase | undefined {
  if (!name.endsWith('.log')) return undefined;
  const base = name.slice(0, -4);
  return isPhase(base) ? base : undefined;
}

/** True for the archives pkg-build keeps on failure (wrkdir.tar.gz, prefix.tar.gz). */
export function isArchive(name: string): boolean {
  return name.endsWith('.tar.gz');
}

/** Last phase in PHASES order whose log is among `names` (work.log, archives ignored). */
export function failingPhase(names: Iterable<string>): Phase | undefined {
  let best = -1;
  for (const n of names) {
    const p = phaseOfLogName(n);
    if (p !== undefined) best = Math.max(best, PHASES.indexOf(p));
  }
  return best < 0 ? undefined : PHASES[best];
}

/** Phase name as pkgsrc prints it in its `===> <Verb>ing for` banners, for display. */
export const PHASE_TITLES: Record<Phase, string> = {
  'pre-clean': 'Pre-clean',
  depends: 'Dependencies',
  checksum: 'Checksum',
  configure: 'Configure',
  build: 'Build',
  install: 'Install',
  package: 'Package',
  clean: 'Clean',
  deinstall: 'Deinstall',
};
