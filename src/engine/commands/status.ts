// `pkgsrc-bulk status`: the state of a bulklog. When an engine is running on it, asks that
// engine over its socket (and with --watch prints its events until the run ends); otherwise
// reads the bulklog files, which also works for a bulklog from real pbulk.
import { BulklogError, readBulklog } from '../../pkgsrc/bulklog/read';
import { formatTotal } from '../../pkgsrc/states';
import type { NotificationDef } from '../../protocol/rpc';
import type { z } from 'zod';
import type { EngineStatus } from '../../protocol/build';
import { EVENTS, type EventName } from '../core/events';
import { BulklogLock } from '../lock';
import { attachSocket, HELLO_TIMEOUT_MS } from '../../protocol/socket';
import { EXIT } from '../../protocol/exit';
import { configFor, ConfigError } from '../cli/setup';
import { socketPathOf } from '../cli/session';
import { Progress } from '../cli/progress';
import { CONF_OPTIONS, optionLines, parseOptions, type OptionTable } from './options';
import { UsageError, type Command } from './types';
import { configOnly } from '../cli/options';

const options = {
  ...CONF_OPTIONS,
  watch: { type: 'boolean', help: "follow the running engine's events until its run ends" },
  json: { type: 'boolean', help: 'print the status (and with --watch the events) as JSON' },
} as const satisfies OptionTable;

const usage = `usage: pkgsrc-bulk status [-c pbulk.conf] [--settings FILE] [--watch] [--json]

Shows the state of the bulklog pbulk.conf names: from the running engine when there is one
(its socket), else from the bulklog's files.

${optionLines(options)}

Exit status: 0, or 2 when pbulk.conf cannot be used or the bulklog cannot be read.`;

function printStatus(s: EngineStatus, live: boolean, out: NodeJS.WritableStream): void {
  out.write(`${s.bulklog}: ${live ? `engine running, ${s.stage}` : s.stage}\n`);
  out.write(`${formatTotal(s.counts)}\n`);
  for (const r of s.running) out.write(`  building ${r.host ? `on ${r.host}` : `in slot ${r.slot}`}: ${r.pkgname}${r.phase ? ` (${r.phase})` : ''}\n`);
}

export const statusCommand: Command = {
  name: 'status',
  summary: 'state of the bulklog, live from a running engine',
  usage,
  options,
  async run(argv) {
    const v = parseOptions(argv, options, usage).values;
    const config = v.config ?? process.env.PBULK_CONF;
    if (!config) throw new UsageError(`no pbulk.conf: pass --config FILE or set PBULK_CONF\n\n${usage}`);
    let cfg;
    try {
      cfg = await configFor(configOnly(config, v.settings ? { settingsFile: v.settings } : {}));
    } catch (e) {
      if (e instanceof ConfigError) {
        process.stderr.write(`pkgsrc-bulk status: ${e.message}\n`);
        return EXIT.usage;
      }
      throw e;
    }
    const holder = await BulklogLock.holder(cfg.bulklog);
    if (holder) {
      let why = 'nothing listens on it';
      const client = await attachSocket(socketPathOf(cfg)).catch(() => undefined);
      const hello = await client?.hello('pkgsrc-bulk status', HELLO_TIMEOUT_MS).catch((e: Error) => {
        why = e.message;
        client.connection.dispose();
        return undefined;
      });
      if (client && hello) {
        if (v.json && !v.watch) process.stdout.write(JSON.stringify(hello.status) + '\n');
        else if (!v.json) printStatus(hello.status, true, process.stdout);
        if (v.watch && !['idle', 'finished', 'failed', 'cancelled'].includes(hello.status.stage)) {
          const progress = new Progress(process.stdout, process.stderr, {
            tty: process.stdout.isTTY === true,
            json: v.json === true,
            columns: process.stdout.columns,
          });
          await new Promise<void>((resolve) => {
            for (const name of Object.keys(EVENTS) as EventName[]) {
              const def = EVENTS[name] as NotificationDef<z.ZodType>;
              client.on(def, (p: unknown) => {
                progress.handle(name, p as never);
                if (name === 'stage' && ['finished', 'failed', 'cancelled'].includes((p as { stage: string }).stage)) resolve();
              });
            }
            // Messages read just before the engine hung up are still queued: let them through.
            client.connection.onClose(() => setTimeout(resolve, 200));
          });
          progress.end();
        }
        client.connection.dispose();
        return EXIT.ok;
      }
      process.stderr.write(`pkgsrc-bulk status: an engine (pid ${holder.pid}) holds the bulklog but its socket does not answer (${why}); showing the files\n`);
    }
    let b;
    try {
      b = await readBulklog(cfg.bulklog, { metaDir: cfg.metaDir, skipLogs: true });
    } catch (e) {
      if (!(e instanceof BulklogError)) throw e;
      process.stderr.write(`pkgsrc-bulk status: ${e.message} (bulklog=${cfg.bulklog} in ${cfg.configFile}: no build has run there yet?)\n`);
      return EXIT.usage;
    }
    const status: EngineStatus = {
      stage: b.finished ? 'finished' : b.packages.length > 0 ? 'building' : 'idle',
      bulklog: cfg.bulklog,
      config: cfg.configFile,
      counts: b.totals,
      total: b.packages.length,
      running: [],
    };
    if (v.json) process.stdout.write(JSON.stringify(status) + '\n');
    else printStatus(status, false, process.stdout);
    return EXIT.ok;
  },
};
