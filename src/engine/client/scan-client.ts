// pbulk-scan -c with the engine's sandbox: take a location from the master, validate it as
// pbulk's client does ("Invalid path from master" ends the client), run `make pbulk-index` in
// the scan sandbox and send the output back (length 0 when the scan failed). Ends with the
// master's end-of-file.
import { join } from 'node:path';
import { encodeScanOutput, scanJobLengthProblem, scanLocationProblem } from '../../pkgsrc/wire/frames';
import type { MasterAddress } from '../../pkgsrc/wire/address';
import type { EngineConfig } from '../config/types';
import type { Sandbox } from '../sandbox/types';
import { LinkError, MasterLink } from './link';

export interface ClientLog {
  info(m: string): void;
  warn(m: string): void;
}

export async function scanClient(cfg: EngineConfig, box: Sandbox, address: MasterAddress, log: ClientLog, signal: AbortSignal): Promise<number> {
  const link = await MasterLink.connect(address, 2, scanJobLengthProblem);
  const stop = () => link.socket.destroy();
  signal.addEventListener('abort', stop, { once: true });
  let scanned = 0;
  try {
    for (;;) {
      const frame = await link.next();
      if (frame === undefined) {
        log.info(`scan master ${address.host}:${address.port} is done (${scanned} locations scanned here)`);
        return 0;
      }
      const bad = scanLocationProblem(frame);
      const location = frame.toString('latin1');
      if (bad) throw new LinkError(`Invalid path from master: ${JSON.stringify(location)} (${bad})`);
      log.info(`Scanning ${location}`);
      const r = await box
        .exec([...cfg.make, 'pbulk-index'], {
          env: { PATH: cfg.settings.path, ...cfg.settings.env },
          cwd: join(cfg.pkgsrc, location),
          capture: true,
          captureEncoding: 'latin1',
          limits: { timeoutMs: cfg.settings.scanTimeoutMs },
          signal,
        })
        .catch((e: Error) => {
          log.warn(`${location}: ${e.message}`);
          return undefined;
        });
      if (signal.aborted) return 130;
      const out = r && r.exitCode === 0 && r.stdout && !r.stdout.includes('\0') ? Buffer.from(r.stdout, 'latin1') : undefined;
      if (!out && r)
        log.warn(
          `${location}: make pbulk-index ${r.timedOut ? 'timed out' : r.exitCode !== 0 ? `exited ${r.exitCode ?? r.signal}` : 'printed nothing usable'}${r.stderr ? `: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`,
        );
      if (!(await link.write(encodeScanOutput(out)))) throw new LinkError('the scan master closed the connection before the output was sent');
      scanned++;
    }
  } finally {
    signal.removeEventListener('abort', stop);
    link.close();
  }
}
