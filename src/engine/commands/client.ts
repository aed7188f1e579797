// `pkgsrc-bulk client`: a host's side of pbulk's master/client protocol, for a master run by
// this engine or by real pbulk (pbulk-scan -m / pbulk-build -m). Scans and builds run in the
// engine's sandboxes, from this host's pbulk.conf (the same file the master has, as pbulk
// requires); logs and packages go to the shared bulklog and packages directories.
import { hostname } from 'node:os';
import { formatMasterAddress, parseMasterAddress } from '../../pkgsrc/wire/address';
import { EXIT } from '../../protocol/exit';
import { ConfigError, loadConfigFile, settingsFor } from '../cli/setup';
import { openSandboxes } from '../core/sandboxes';
import { buildClient } from '../client/build-client';
import { LinkError } from '../client/link';
import { checkMarker } from '../master/marker';
import { scanClient, type ClientLog } from '../client/scan-client';
import { SandboxError } from '../sandbox/errors';
import type { Sandbox } from '../sandbox/types';
import { askTreeIn } from '../core/tree-stage';
import { buildPlaces } from '../core/write-places';
import { configOnly, ENGINE_OPTIONS } from '../cli/options';
import { CONF_OPTIONS, optionLines, parseOptions, type OptionTable } from './options';
import { UsageError, type Command } from './types';

const options = {
  config: {
    type: 'string',
    short: 'c',
    arg: 'FILE',
    help: "pbulk.conf of this host (default: $PBULK_CONF); bulklog, packages and\npkgsrc must be the master's (shared), prefix and pkgdb this host's own",
  },
  master: { type: 'string', arg: 'IP:PORT', help: 'the master (master_port_scan or master_port_build: an IPv4 address)' },
  scan: { type: 'boolean', help: 'serve a scan master' },
  build: { type: 'boolean', help: 'serve a build master' },
  jobs: {
    type: 'string',
    short: 'j',
    arg: 'N',
    help: 'connections, each with its own sandbox (default: scan_procs for a\nscan, build_chroots for a build, else 1)',
  },
  settings: CONF_OPTIONS.settings,
  sandbox: ENGINE_OPTIONS.sandbox,
} as const satisfies OptionTable;

const usage = `usage: pkgsrc-bulk client (--scan | --build) --master IP:PORT [options]

Serves a pbulk master (this engine's, or real pbulk's pbulk-scan -m / pbulk-build -m) from this
host: scans locations (--scan) or builds packages (--build) it is given, in sandboxes, until
the master ends the connection. pbulk's start scripts run it on each client host, e.g.
  ssh HOST pkgsrc-bulk client --build --master \${master_port_build} -c /usr/pbulk/etc/pbulk.conf

${optionLines(options)}

Exit status: 0 the master ended the work, 1 the connection failed or broke pbulk's protocol,
2 bad usage or config, 130 interrupted.`;

export const clientCommand: Command = {
  name: 'client',
  summary: 'scan or build for a pbulk master on another host (master_mode=yes)',
  usage,
  options,
  async run(argv) {
    const v: Record<string, string | boolean | undefined> = parseOptions(argv, options, usage).values;
    if (v.scan === v.build) throw new UsageError(`give exactly one of --scan and --build\n\n${usage}`);
    if (typeof v.master !== 'string') throw new UsageError(`--master IP:PORT is required\n\n${usage}`);
    const addr = parseMasterAddress(v.master);
    if (!addr.ok) throw new UsageError(`--master ${addr.message}`);
    const config = (v.config as string | undefined) ?? process.env.PBULK_CONF;
    if (!config) throw new UsageError(`no pbulk.conf: pass --config FILE or set PBULK_CONF\n\n${usage}`);
    const jobsArg = v.jobs === undefined ? undefined : Number(v.jobs);
    if (jobsArg !== undefined && (!Number.isInteger(jobsArg) || jobsArg < 1))
      throw new UsageError(`--jobs needs a whole number of at least 1, not '${String(v.jobs)}'`);
    const role = v.scan ? 'scan' : 'build';
    const tag = `pkgsrc-bulk client (${role}, ${hostname()})`;
    const log: ClientLog = {
      info: (m) => process.stdout.write(`${tag}: ${m}\n`),
      warn: (m) => process.stderr.write(`${tag}: ${m}\n`),
    };
    let cfg;
    try {
      const settings = await settingsFor(
        configOnly(config, { ...(v.settings ? { settingsFile: v.settings as string } : {}), ...(v.sandbox ? { sandbox: v.sandbox as string } : {}) }),
      );
      cfg = await loadConfigFile(config, settings, { warnings: true });
    } catch (e) {
      if (e instanceof ConfigError) {
        log.warn(e.message);
        return EXIT.usage;
      }
      throw e;
    }
    // The shared directories must be the master's, and the configuration of the same version.
    const marker = await checkMarker(cfg);
    for (const w of marker.warnings) log.warn(w);
    if (marker.errors.length > 0) {
      for (const e of marker.errors) log.warn(e);
      return EXIT.usage;
    }
    const jobs = jobsArg ?? (role === 'scan' ? cfg.scanProcs : cfg.buildChroots) ?? 1;
    const controller = new AbortController();
    const onSignal = (sig: NodeJS.Signals) => {
      log.warn(`${sig}: stopping`);
      controller.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    let opened;
    try {
      opened = await openSandboxes(cfg, role === 'build' ? jobs : 1, (w) => log.warn(w));
    } catch (e) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (e instanceof SandboxError) {
        log.warn(`cannot make the sandboxes: ${e.message}`);
        return EXIT.usage;
      }
      throw e;
    }
    try {
      await using boxes = opened;
      const scanBox = boxes.scan[0]!;
      let build: Sandbox[] = [];
      if (role === 'build') {
        // The build sandboxes get the write places this host's tree names (WRKOBJDIR, DISTDIR), as the master's do.
        const answer = await askTreeIn(cfg, scanBox, { backend: boxes.backendName, signal: controller.signal });
        if (!answer.ok) log.warn(`could not ask the tree for its settings (${answer.message}); the build sandboxes get no private work directory`);
        try {
          build = await boxes.openBuild(buildPlaces(cfg, answer.ok ? answer.vars.values : {}, jobs));
        } catch (e) {
          if (!(e instanceof SandboxError)) throw e;
          log.warn(`cannot make the build sandboxes: ${e.message}`);
          return EXIT.usage;
        }
      }
      log.info(`connecting to ${formatMasterAddress(addr.address)} with ${role === 'build' ? build.length : jobs} connection(s)`);
      const runs =
        role === 'scan'
          ? Array.from({ length: jobs }, () => scanClient(cfg, scanBox, addr.address, log, controller.signal))
          : build.map((box, k) => buildClient(cfg, box, k, addr.address, log, controller.signal));
      const codes = await Promise.all(
        runs.map((r) =>
          r.catch((e: unknown) => {
            if (!(e instanceof LinkError)) throw e;
            log.warn(e.message);
            return EXIT.failed;
          }),
        ),
      );
      return controller.signal.aborted ? 130 : Math.max(...codes);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};
