// The command line of publish and mail: the work runs in this process's own engine session
// (holding the bulklog lock, so no build starts meanwhile), or, when another engine holds the
// bulklog (the editor's, idle or not), in that engine through its socket, which refuses while
// it builds.
import type { EngineClient } from '../../protocol/client';
import { EXIT } from '../../protocol/exit';
import { configFor, ConfigError } from '../cli/setup';
import { openSession, socketPathOf } from '../cli/session';
import { CONF_OPTIONS, JSON_OPTION, parseOptions, type OptionSpec, type OptionTable } from '../commands/options';
import { UsageError } from '../commands/types';
import type { EngineConfig } from '../config/types';
import type { Engine } from '../core/engine';
import { BusyError } from '../core/engine';
import { BulklogLock, LockedError } from '../lock';
import { attachSocket, HELLO_TIMEOUT_MS } from '../../protocol/socket';
import { configOnly } from '../cli/options';

export interface PublishCli<R extends { ok: boolean; lines: string[]; error?: string }> {
  command: string;
  usage: string;
  argv: string[];
  /** The command's own switches (publishOptions gives its whole table). */
  flags: Readonly<Record<string, OptionSpec & { type: 'boolean' }>>;
  /** In this process; `log` prints each line as it happens. */
  local(engine: Engine, cfg: EngineConfig, flags: Record<string, boolean>, log: (l: string) => void): Promise<R>;
  /** In the engine that holds the bulklog. */
  remote(client: EngineClient, flags: Record<string, boolean>): Promise<R>;
}

/** The options of publish and mail: the pbulk.conf, the settings, the command's switches, --json. */
export function publishOptions(flags: PublishCli<never>['flags']): OptionTable {
  return { ...CONF_OPTIONS, ...flags, ...JSON_OPTION };
}

export async function runPublishCli<R extends { ok: boolean; lines: string[]; error?: string }>(c: PublishCli<R>): Promise<number> {
  const v = parseOptions(c.argv, publishOptions(c.flags), c.usage).values as Record<string, string | boolean | undefined>;
  const config = (v.config as string | undefined) ?? process.env.PBULK_CONF;
  if (!config) throw new UsageError(`no pbulk.conf: pass --config FILE or set PBULK_CONF\n\n${c.usage}`);
  const flags = Object.fromEntries(Object.keys(c.flags).map((k) => [k, v[k] === true]));
  const json = v.json === true;
  const err = (m: string) => process.stderr.write(`pkgsrc-bulk ${c.command}: ${m}\n`);
  let cfg: EngineConfig;
  try {
    cfg = await configFor(configOnly(config, v.settings ? { settingsFile: v.settings as string } : {}));
  } catch (e) {
    if (e instanceof ConfigError) {
      err(e.message);
      return EXIT.usage;
    }
    throw e;
  }
  const print = (l: string) => {
    if (!json) process.stdout.write(`${l}\n`);
  };
  let result: R;
  try {
    result = await inEngine(c, cfg, flags, print);
  } catch (e) {
    if (e instanceof LockedError || e instanceof BusyError) {
      err(e.message);
      return e instanceof LockedError ? EXIT.locked : EXIT.failed;
    }
    throw e;
  }
  if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  if (result.error) err(result.error);
  return result.ok ? EXIT.ok : EXIT.failed;
}

async function inEngine<R extends { ok: boolean; lines: string[]; error?: string }>(
  c: PublishCli<R>,
  cfg: EngineConfig,
  flags: Record<string, boolean>,
  print: (l: string) => void,
): Promise<R> {
  if (await BulklogLock.holder(cfg.bulklog)) {
    const client = await attachSocket(socketPathOf(cfg)).catch(() => undefined);
    // An engine that holds the bulklog but does not answer: the local session below says it is locked.
    const hello = await client?.hello(`pkgsrc-bulk ${c.command}`, HELLO_TIMEOUT_MS).catch(() => client.connection.dispose());
    if (client && hello) {
      try {
        let r: R;
        try {
          r = await c.remote(client, flags);
        } catch (e) {
          // The engine's answer to a busy engine is a JSON-RPC error with its message.
          throw new BusyError((e as Error).message);
        }
        for (const l of r.lines) print(l);
        return r;
      } finally {
        client.connection.dispose();
      }
    }
  }
  const session = await openSession(cfg, `pkgsrc-bulk ${c.command}`);
  try {
    return await session.engine.exclusive(c.command, () => c.local(session.engine, cfg, flags, print));
  } finally {
    await session.close();
  }
}
