// What a package's log document says about it on its first line: the live state from the
// engine's events, which are ahead of the last read of the bulklog, else the bulklog's facts.
// Pure (no vscode), so it is tested without VS Code.
import { join } from 'node:path';
import type { BulklogPackage } from '../../pkgsrc/bulklog';
import { STATE_LOOK, State } from '../../pkgsrc/states';
import { logFacts } from '../diagnostics/map';
import type { LogPackageInfo } from '../logs/provider';
import type { LivePackage } from './model';

export function packageLogInfo(
  bulklog: string,
  pkgname: string,
  o: { fromDisk: BulklogPackage | undefined; live: LivePackage | undefined; running: boolean },
): LogPackageInfo {
  const { fromDisk, live } = o;
  const state = live?.state ?? fromDisk?.state;
  const building = o.running && state === 'in_processing';
  const facts = building
    ? [`building${live?.phase ? `: ${live.phase} phase` : ''}${live?.host ? ` on ${live.host}` : live?.slot !== undefined ? ` in slot ${live.slot}` : ''}`]
    : fromDisk && fromDisk.state === state
      ? logFacts(fromDisk)
      : state
        ? [STATE_LOOK[state].word]
        : [];
  const failed = state === 'failed';
  return {
    location: fromDisk?.location ?? live?.location,
    facts,
    building,
    ...(state ? { state } : {}),
    failingPhase: failed ? (fromDisk?.failingPhase ?? live?.phase) : undefined,
    failingLog: failed ? (fromDisk?.failingLog ?? live?.logPath) : undefined,
    noLogs:
      state === 'done'
        ? 'Built: pbulk removes the logs of packages that build (and an up-to-date package writes none).'
        : state === State.Broken || state === State.DependsOnBroken || state === State.DependsOnFailed
          ? 'Not built, so no logs: see the reason above.'
          : building
            ? 'The build has not written a log yet.'
            : `No logs in ${join(bulklog, pkgname)}.`,
  };
}
