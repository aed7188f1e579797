// Where `sandbox list` and `sandbox cleanup` look when no --base is given: where a build with
// the same pbulk.conf (and engine settings) puts its sandboxes, so that after a killed engine
// `pkgsrc-bulk sandbox cleanup -c pbulk.conf` (or just `cleanup` with $PBULK_CONF set) finds them.
import type { OptionTable } from './options';
import { UsageError } from './types';
import { loadPbulkConf } from '../../pkgsrc/conf';
import { defaultSettings, loadSettings, SettingsError } from '../config/settings';
import { formatProblem } from '../../pkgsrc/problem';
import { sandboxBaseFor } from '../sandbox/plan';

/** `list` and `cleanup`: the base directory, or the pbulk.conf and settings it is found from. */
export const BASE_OPTIONS = {
  base: { type: 'string', arg: 'DIR', help: 'the directory the sandboxes are in' },
  config: {
    type: 'string',
    short: 'c',
    arg: 'FILE',
    help: 'without --base: look where a build with this pbulk.conf puts its sandboxes\n(default: $PBULK_CONF): the setting sandboxBase, else the parent of chroot_dir',
  },
  settings: { type: 'string', arg: 'FILE', help: 'engine settings (JSON) naming sandboxBase' },
} as const satisfies OptionTable;

export async function sandboxBaseFromConf(sub: string, config: string | undefined, settingsFile: string | undefined): Promise<string> {
  let settings;
  try {
    settings = settingsFile ? await loadSettings(settingsFile) : defaultSettings();
  } catch (e) {
    if (e instanceof SettingsError) throw new UsageError(e.message);
    throw e;
  }
  if (settings.sandboxBase) return sandboxBaseFor(settings.sandboxBase, undefined)!;
  const file = config || process.env.PBULK_CONF;
  if (!file) throw new UsageError(`${sub} needs --base DIR, or a pbulk.conf (-c FILE or $PBULK_CONF) to find it from`);
  // Only chroot_dir matters here: a pbulk.conf the engine would refuse for other reasons still
  // names where its sandboxes were.
  const conf = await loadPbulkConf(file);
  const unreadable = conf.problems.filter((p) => p.code === 'unreadable-file');
  if (unreadable.length > 0) throw new UsageError(unreadable.map(formatProblem).join('\n'));
  const line = conf.values.chroot_dir?.line;
  const at = `${file}:${line === undefined ? 1 : line + 1}`;
  if (conf.values.chroot_dir?.dynamic) throw new UsageError(`${at}: chroot_dir is only known when the file runs; give --base DIR`);
  const dir = conf.get('chroot_dir');
  if (!dir) throw new UsageError(`${at}: ${file} sets no chroot_dir, so builds with it make no sandboxes; give --base DIR to look elsewhere`);
  if (!dir.startsWith('/')) throw new UsageError(`${at}: chroot_dir must be an absolute path, got '${dir}'`);
  return sandboxBaseFor(undefined, dir)!;
}
