// Every CLI command registers here with one entry: its name, its line for `pkgsrc-bulk --help`
// (the same as the command's own `summary`; a test checks) and a loader. The loader's import()
// keeps the command's code out of the CLI's entry: esbuild.mjs splits the engine bundle at
// these imports, so `pkgsrc-bulk --version` or `tree` never compiles the build engine.
// Keep the list sorted.
import type { CommandEntry } from './types';

export const commands: CommandEntry[] = [
  { name: 'build', summary: 'scan, resolve and build (resuming an unfinished build)', load: async () => (await import('./build')).buildCommand },
  { name: 'client', summary: 'scan or build for a pbulk master on another host (master_mode=yes)', load: async () => (await import('./client')).clientCommand },
  { name: 'diff', summary: 'what changed between two runs: new failures, fixed, versions, times', load: async () => (await import('./diff')).diffCommand },
  { name: 'history', summary: 'the runs kept for the bulklog (see diff)', load: async () => (await import('./history')).historyCommand },
  { name: 'lint', summary: 'check pbulk.conf and limited_list files', load: async () => (await import('./lint')).lintCommand },
  { name: 'mail', summary: 'mail the build report (report.txt) to report_recipients', load: async () => (await import('./mail')).mailCommand },
  {
    name: 'publish',
    summary: 'upload the packages and the report (staged, switched at once, with rollback)',
    load: async () => (await import('./publish')).publishCommand,
  },
  { name: 'rebuild', summary: 'build chosen or all failed packages again', load: async () => (await import('./rebuild')).rebuildCommand },
  {
    name: 'report',
    summary: 'regenerate report.txt/.html/.dot from a bulklog and print a summary',
    load: async () => (await import('./report')).reportCommand,
  },
  {
    name: 'resolve',
    summary: 'resolve dependencies of a pscan file like pbulk-resolve (prints presolve)',
    load: async () => (await import('./resolve')).resolveCommand,
  },
  { name: 'sandbox', summary: 'list, create, destroy and clean up build sandboxes', load: async () => (await import('./sandbox')).sandboxCommand },
  { name: 'scan', summary: 'scan and resolve only (meta/pscan, meta/presolve)', load: async () => (await import('./scan')).scanCommand },
  {
    name: 'serve',
    summary: 'run the engine for the extension (JSON-RPC over stdio and a unix socket)',
    load: async () => (await import('./serve')).serveCommand,
  },
  { name: 'status', summary: 'state of the bulklog, live from a running engine', load: async () => (await import('./status')).statusCommand },
  {
    name: 'tree',
    summary: 'list the categories and packages of a pkgsrc tree (--json: the whole model)',
    load: async () => (await import('./tree')).treeCommand,
  },
];
