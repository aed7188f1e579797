// The bootstrap kit's mk.conf against pbulk.conf, when the kit is readable here: the same
// comparison the build engine makes before building, with the values the file sets for
// certain (and pkgsrc's default PACKAGES when it sets none). PKGSRCDIR is not compared:
// pkgsrc replaces it with where the tree really is.
import { comparePlaces } from '../../mkconf/compare';
import { readKitMkConf } from '../../mkconf/kit';
import { staticMkConf } from '../../mkconf/read';
import type { CheckRun } from './run';

export function checkKitMkConf(run: CheckRun): void {
  if (!run.existence) return;
  const kit = run.value('bootstrapkit')?.trim();
  const prefix = run.value('prefix')?.trim();
  const pkgsrc = run.value('pkgsrc')?.trim();
  if (!kit || !kit.startsWith('/') || !prefix?.startsWith('/') || run.isDynamic('bootstrapkit') || run.isDynamic('prefix')) return;
  const found = readKitMkConf(kit, prefix);
  if (!found) return;
  const known: Record<string, string> = pkgsrc?.startsWith('/') ? { PKGSRCDIR: pkgsrc, _PKGSRCDIR: pkgsrc } : {};
  const values = staticMkConf(found.text, known);
  if (values.PACKAGES === undefined && pkgsrc?.startsWith('/') && !/^\s*\.\s*s?include/m.test(found.text)) values.PACKAGES = `${pkgsrc}/packages`;
  const conf: Record<string, string> = {};
  for (const n of ['packages', 'pkgdb', 'prefix'] as const) {
    const v = run.value(n)?.trim();
    if (v?.startsWith('/') && !run.isDynamic(n)) conf[n] = v;
  }
  for (const m of comparePlaces({ PACKAGES: values.PACKAGES ?? '', PKG_DBDIR: values.PKG_DBDIR ?? '', LOCALBASE: values.LOCALBASE ?? '' }, conf, {
    source: `the bootstrap kit's mk.conf (${found.where})`,
  })) {
    run.report(run.anchor(m.setting), 'error', 'mkconf-mismatch', m.message, { variables: [m.setting] });
  }
}
