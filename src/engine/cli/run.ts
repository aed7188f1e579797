// The common life of scan, build and rebuild on the command line: open a session, show the
// events, start the work, wait for it, and turn the outcome into an exit code.
import { BusyError, RequestError, type Engine, type RunResult, type StartedRun } from '../core/engine';
import { LockedError } from '../lock';
import { SocketInUseError } from '../rpc/socket';
import { UsageError } from '../commands/types';
import { EXIT } from '../../protocol/exit';
import type { CommonOptions } from './options';
import { Progress } from './progress';
import { ConfigError, configFor } from './setup';
import { openSession } from './session';
import type { EngineConfig } from '../config/types';

export interface CliIo {
  stdout: NodeJS.WriteStream | NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const defaultIo: CliIo = { stdout: process.stdout, stderr: process.stderr };

export function outcomeCode(r: RunResult): number {
  if (r.setup) return EXIT.usage;
  if (r.systemic) return EXIT.systemic;
  if (r.error !== undefined || r.cancelled || r.scanFailures.length > 0) return EXIT.failed;
  return r.counts.failed + r.counts['indirect-failed'] > 0 ? EXIT.failed : EXIT.ok;
}

export async function runEngineCommand(
  o: CommonOptions,
  command: string,
  act: (engine: Engine, cfg: EngineConfig) => Promise<StartedRun>,
  io: CliIo = defaultIo,
): Promise<number> {
  let cfg: EngineConfig;
  try {
    cfg = await configFor(o, io.stderr);
  } catch (e) {
    if (e instanceof ConfigError) {
      io.stderr.write(`pkgsrc-bulk ${command}: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
  let session;
  try {
    session = await openSession(cfg, `pkgsrc-bulk ${command}`, { log: (m) => io.stderr.write(`pkgsrc-bulk: ${m}\n`) });
  } catch (e) {
    if (e instanceof LockedError) {
      io.stderr.write(`pkgsrc-bulk ${command}: ${e.message}\n`);
      return EXIT.locked;
    }
    if (e instanceof SocketInUseError || e instanceof ConfigError) {
      io.stderr.write(`pkgsrc-bulk ${command}: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
  const tty = 'isTTY' in io.stdout && io.stdout.isTTY === true;
  const progress = new Progress(io.stdout, io.stderr, { tty, json: o.json, columns: 'columns' in io.stdout ? io.stdout.columns : undefined });
  const off = session.engine.hub.on((name, payload) => progress.handle(name, payload));
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupts++;
    if (interrupts === 1) {
      io.stderr.write(`\npkgsrc-bulk: ${sig}: stopping the running builds (again to quit at once)\n`);
      session.engine.cancel();
    } else {
      // Quitting without teardown: say where the sandboxes went, as a kill -9 would leave them.
      io.stderr.write(
        `pkgsrc-bulk: ${sig} again: quitting now; sandboxes still there are removed by the next build or \`pkgsrc-bulk sandbox cleanup -c ${cfg.configFile}\`\n`,
      );
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    let started: StartedRun;
    try {
      started = await act(session.engine, cfg);
    } catch (e) {
      // A limited list that cannot be read or holds bad entries is a usage error (exit 2).
      if (e instanceof RequestError || e instanceof BusyError || e instanceof UsageError) {
        io.stderr.write(`pkgsrc-bulk ${command}: ${e.message}\n`);
        return EXIT.usage;
      }
      throw e;
    }
    const r = await started.done;
    progress.end();
    if (r.error !== undefined) io.stderr.write(`pkgsrc-bulk ${command}: ${r.error}\n`);
    if (r.scanFailures.length > 0) {
      const n = r.scanFailures.length;
      const list = r.scanFailures.slice(0, 10).join(' ') + (n > 10 ? ` and ${n - 10} more` : '');
      io.stderr.write(
        `pkgsrc-bulk ${command}: ${n} location${n === 1 ? '' : 's'} failed to scan and ${n === 1 ? 'is' : 'are'} not in the build (${cfg.metaDir}/pscan.stderr says why): ${list}\n`,
      );
    }
    if (r.cancelled) io.stderr.write(`pkgsrc-bulk ${command}: cancelled; run it again to carry on where it stopped\n`);
    return outcomeCode(r);
  } finally {
    progress.end();
    off();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await session.close();
  }
}
