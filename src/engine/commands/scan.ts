// `pkgsrc-bulk scan`: only the scan phase (meta/pscan, pscan.stderr, presolve), through the
// scan cache.
import { join } from 'node:path';
import { runEngineCommand } from '../cli/run';
import { FULL_OPTION, RUN_OPTIONS, parseCommon } from '../cli/options';
import { optionLines, type OptionTable } from './options';
import { locationsFor } from '../cli/setup';
import type { Command } from './types';

const options = {
  ...RUN_OPTIONS,
  full: FULL_OPTION,
  'limited-list': { type: 'string', arg: 'FILE', help: 'scan these locations and, round by round, their dependencies' },
} as const satisfies OptionTable;

const usage = `usage: pkgsrc-bulk scan [options] [--limited-list FILE | PKGPATH ...]

Scans the tree with \`make pbulk-index\` (locations whose makefiles did not change since the
last scan come from the scan cache) and resolves dependencies: meta/pscan, meta/pscan.stderr
and meta/presolve in the bulklog, as pbulk's scan phase writes them. Starts a fresh bulklog.

${optionLines(options)}

Exit status: 0 scanned and resolved, 1 unresolvable dependencies or locations that failed to
scan (their packages are missing; meta/pscan.stderr says why), 2 bad usage or config,
3 another engine holds the bulklog, 70 internal error.`;

export const scanCommand: Command = {
  name: 'scan',
  summary: 'scan and resolve only (meta/pscan, meta/presolve)',
  usage,
  options,
  run(argv) {
    const o = parseCommon(argv, usage, options);
    return runEngineCommand(o, 'scan', async (engine, cfg) => {
      const locations = await locationsFor(o, cfg);
      const started = await engine.start({ ...(locations ? { locations } : {}), ...(o.full ? { full: true } : {}), scanOnly: true, resume: false });
      // The scan has no build summary: say where its result is.
      if (!o.json) {
        void started.done.then((r) => {
          if (r.error === undefined && !r.cancelled) process.stdout.write(`Resolved: ${join(cfg.metaDir, 'presolve')}\n`);
        });
      }
      return started;
    });
  },
};
