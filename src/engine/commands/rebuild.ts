// `pkgsrc-bulk rebuild`: build chosen packages of the build in the bulklog again (and what
// depends on them), or every failed one.
import { runEngineCommand } from '../cli/run';
import { RUN_OPTIONS, parseCommon } from '../cli/options';
import { optionLines, type OptionTable } from './options';
import { normalizeLocation } from '../cli/setup';
import { UsageError, type Command } from './types';

const options = {
  ...RUN_OPTIONS,
  failed: { type: 'boolean', help: 'every package in meta/error' },
} as const satisfies OptionTable;

const usage = `usage: pkgsrc-bulk rebuild [options] (--failed | PKGNAME|PKGPATH ...)

Reopens packages of the build in the bulklog and builds them again, followed by the packages
that were waiting for them (indirect-failed ones). Named packages are built even when their
binary package is current. meta/pbuild and the reports are written again at the end.

${optionLines(options)}

Exit status as for build.`;

export const rebuildCommand: Command = {
  name: 'rebuild',
  summary: 'build chosen or all failed packages again',
  usage,
  options,
  run(argv) {
    const o = parseCommon(argv, usage, options);
    if (!o.failed && o.locations.length === 0) throw new UsageError(`name packages or give --failed\n\n${usage}`);
    return runEngineCommand(o, 'rebuild', async (engine, cfg) => {
      // PKGNAMEs pass unchanged; a location may be typed as a path (devel/foo/).
      const packages = o.locations.map((a) => (a.includes('/') ? normalizeLocation(a, cfg.pkgsrc) : a));
      const r = await engine.rebuild({ ...(packages.length ? { packages } : {}), ...(o.failed ? { failed: true } : {}), ...(o.jobs ? { jobs: o.jobs } : {}) });
      if (!o.json) process.stdout.write(`Rebuilding ${r.reset.length} package(s): ${r.reset.slice(0, 12).join(' ')}${r.reset.length > 12 ? ' ...' : ''}\n`);
      return r;
    });
  },
};
