// Building the check context: which pbulk version to check against (a setting, else the
// installed pbulk the config's own paths point at, else a common prefix, else the current one).
import type { ConfCheckContext } from './checks/run';
import type { ConfEvaluation } from './evaluate';
import { staticValue } from './evaluate';
import { realProbe, type FileProbe } from './probe';
import { detectPbulkVersion, type PbulkVersion } from './version';

export interface ConfContextOptions {
  /** A version chosen by the user (e.g. the pkgsrcBulk.pbulkVersion setting); empty: detect. */
  pbulkVersion?: string;
  probe?: FileProbe;
  checkExistence?: boolean;
  /** Prefixes to look in first for share/examples/pbulk/pbulk.conf. */
  prefixes?: string[];
}

/** Where the config says pbulk is installed: /usr/pbulk from pbuild=/usr/pbulk/bin/pbulk-build. */
export function pbulkPrefixesOf(ev: ConfEvaluation): string[] {
  const out: string[] = [];
  for (const [name, tail] of [
    ['pbuild', '/bin/pbulk-build'],
    ['pscan', '/bin/pbulk-scan'],
    ['presolve', '/bin/pbulk-resolve'],
    ['pbuild_script', '/libexec/pbulk/pkg-build'],
  ] as const) {
    const v = staticValue(ev, name);
    if (v?.startsWith('/') && v.endsWith(tail)) out.push(v.slice(0, -tail.length) || '/');
  }
  return [...new Set(out)];
}

export function resolvePbulkVersion(options: ConfContextOptions, ev?: ConfEvaluation): PbulkVersion {
  const chosen = options.pbulkVersion?.trim();
  if (chosen) return { version: chosen, source: 'setting' };
  return detectPbulkVersion([...(options.prefixes ?? []), ...(ev ? pbulkPrefixesOf(ev) : [])], options.probe ?? realProbe);
}

export function createConfContext(options: ConfContextOptions = {}, ev?: ConfEvaluation): ConfCheckContext {
  const ctx: ConfCheckContext = { pbulkVersion: resolvePbulkVersion(options, ev), probe: options.probe ?? realProbe };
  if (options.checkExistence !== undefined) ctx.checkExistence = options.checkExistence;
  return ctx;
}
