// `pkgsrc-bulk build`: a bulk build as pbulk's bulkbuild does it (without upload), resumed
// when the bulklog holds an unfinished one.
import { runEngineCommand } from '../cli/run';
import { FULL_OPTION, RUN_OPTIONS, parseCommon } from '../cli/options';
import { optionLines, type OptionTable } from './options';
import { locationsFor } from '../cli/setup';
import type { Command } from './types';

const options = {
  ...RUN_OPTIONS,
  full: FULL_OPTION,
  'limited-list': { type: 'string', arg: 'FILE', help: 'build these locations (one per line) and their dependencies' },
  fresh: { type: 'boolean', help: 'start over even when the bulklog holds an unfinished build' },
} as const satisfies OptionTable;

const usage = `usage: pkgsrc-bulk build [options] [--limited-list FILE | PKGPATH ...]

Scans the tree (all of it, or the given locations and their dependencies, or pbulk.conf's
limited_list), resolves, builds every package in sandboxed slots and writes pbulk's bulklog
and reports. An unfinished build in the bulklog is resumed where it stopped.

${optionLines(options)}

Exit status: 0 all built, 1 some package failed (or the scan did), 2 bad usage or config,
3 another engine holds the bulklog, 70 internal error.`;

export const buildCommand: Command = {
  name: 'build',
  summary: 'scan, resolve and build (resuming an unfinished build)',
  usage,
  options,
  run(argv) {
    const o = parseCommon(argv, usage, options);
    return runEngineCommand(o, 'build', async (engine, cfg) => {
      const locations = await locationsFor(o, cfg);
      return engine.start({
        ...(locations ? { locations } : {}),
        ...(o.full ? { full: true } : {}),
        ...(o.jobs ? { jobs: o.jobs } : {}),
        ...(o.fresh ? { resume: false } : {}),
      });
    });
  },
};
