// pbulk-build -c with the engine's sandboxed pkg-build: ask for work with `G`, build the
// record the master sends in a sandbox slot, answer `D` or `F`, again, until the master ends
// the connection. A successful package's log directory is removed before `D`, as pkg-build
// does. If the master goes away mid-package, the build is stopped: its package is handed out
// again by the master anyway.
import { parseScan } from '../../pkgsrc/scan/parse';
import { dependsOf } from '../../pkgsrc/scan/record';
import { buildInfoLengthProblem, buildInfoPkgname, CMD_GET, STATUS_DONE, STATUS_FAILED } from '../../pkgsrc/wire/frames';
import type { MasterAddress } from '../../pkgsrc/wire/address';
import { PackageBuild, removeLogDir } from '../builder/builder';
import { jobFromRecord } from '../builder/job';
import type { EngineConfig } from '../config/types';
import type { Sandbox } from '../sandbox/types';
import { LinkError, MasterLink } from './link';
import type { ClientLog } from './scan-client';

const G = Buffer.from([CMD_GET]);
const D = Buffer.from([STATUS_DONE]);
const F = Buffer.from([STATUS_FAILED]);

export async function buildClient(cfg: EngineConfig, box: Sandbox, slot: number, address: MasterAddress, log: ClientLog, signal: AbortSignal): Promise<number> {
  const link = await MasterLink.connect(address, 4, buildInfoLengthProblem);
  const stopAll = () => link.socket.destroy();
  signal.addEventListener('abort', stopAll, { once: true });
  let built = 0;
  try {
    for (;;) {
      if (!(await link.write(G))) return link.closed && !signal.aborted ? 0 : 130;
      const frame = await link.next();
      if (frame === undefined) {
        log.info(`build master ${address.host}:${address.port} is done (${built} packages built in slot ${slot})`);
        return 0;
      }
      const text = frame.toString('latin1');
      const pkgname = buildInfoPkgname(frame);
      if (!pkgname || frame.includes(0)) throw new LinkError(`Inconsistent build info from server: ${JSON.stringify(text.slice(0, 40))}`);
      const parsed = parseScan(text, { format: 'presolve' });
      const record = parsed.records[0];
      if (!record || parsed.records.length !== 1) throw new LinkError(`Inconsistent build info from server for ${pkgname}: not one presolve record`);
      log.info(`Building package ${pkgname} (slot ${slot})`);
      // The build stops when the master goes away: nobody would hear the answer.
      const one = new AbortController();
      const onGone = () => one.abort();
      const offClose = link.onClose(onGone);
      signal.addEventListener('abort', onGone, { once: true });
      const job = { ...jobFromRecord(record), depends: dependsOf(record) ?? [], text };
      let ok: boolean;
      try {
        const out = await new PackageBuild(cfg, { sandbox: box, index: slot }, job, { note: (m) => log.info(m) }, one.signal).run();
        if (out.kind === 'cancelled') {
          if (signal.aborted) return 130;
          log.info(`the build master ended the connection during ${pkgname}: its build is stopped (the master hands it out again)`);
          return 0;
        }
        ok = out.kind !== 'failed';
        log.info(
          `${ok ? 'Successfully built' : 'Failed to build'} ${pkgname}${out.kind === 'failed' ? ` (${out.phase})` : out.kind === 'up-to-date' ? ' (up to date)' : ''}`,
        );
      } catch (e) {
        log.warn(`${pkgname}: ${(e as Error).message}`);
        ok = false;
      } finally {
        signal.removeEventListener('abort', onGone);
        offClose();
      }
      if (ok) removeLogDir(cfg, pkgname);
      if (!(await link.write(ok ? D : F))) throw new LinkError(`the build master closed the connection before the result of ${pkgname} was sent`);
      built++;
    }
  } finally {
    signal.removeEventListener('abort', stopAll);
    link.close();
  }
}
