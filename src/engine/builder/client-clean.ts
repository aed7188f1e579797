// pbulk's client-clean: wipe prefix, pkgdb and varbase/qmail, then restore the bootstrap kit
// (a .tar.gz unpacked at /, or a directory copied into the prefix). Run before every package,
// and by pre-build before the scan when builds run on the host.
import { join } from 'node:path';
import type { EngineConfig } from '../config/types';
import type { ExecResult } from '../sandbox/types';

export type Run = (argv: string[]) => Promise<ExecResult>;

/** Returns why the wipe failed, if it did (the kit is restored anyway). */
export async function clientClean(cfg: EngineConfig, run: Run): Promise<string | undefined> {
  const rm = await run(['rm', '-rf', cfg.prefix, cfg.pkgdb, join(cfg.varbase, 'qmail')]);
  const why = rm.exitCode !== 0 ? `client-clean: rm -rf ${cfg.prefix} ${cfg.pkgdb} failed: ${rm.stderr ?? ''}`.trim() : undefined;
  const kit = cfg.bootstrapKit;
  if (kit === undefined || kit === '') return why;
  if (kit.endsWith('.tar.gz') || kit.endsWith('.tgz')) {
    await run([...cfg.tar, '-xzf', kit, '-C', '/']);
  } else {
    await run(['mkdir', '-p', cfg.prefix]);
    await run(['cp', '-R', `${kit}/.`, cfg.prefix]);
  }
  return why;
}
