// Directories the demo and the e2e runs delete may hold build sandboxes (bind mounts of /dev,
// pkgsrc, ...). A sandbox left mounted by a killed engine must be taken down by the engine's
// own checked cleanup first: a recursive delete through a live bind mount deletes host files.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';

/** Mount points at or below `dir`, from /proc/self/mountinfo (octal escapes decoded). */
export function mountsBelow(dir) {
  let text;
  try {
    text = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return [];
  }
  const unescape = (s) => s.replace(/\\([0-7]{3})/g, (_m, o) => String.fromCharCode(parseInt(o, 8)));
  return text
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((p) => p !== undefined)
    .map(unescape)
    .filter((p) => p === dir || p.startsWith(dir + '/'));
}

/**
 * Removes stale sandboxes in `sandboxBase` with `pkgsrc-bulk sandbox cleanup` (when the engine
 * is built), then throws if anything is still mounted below `dir`: the caller must not delete it.
 */
export async function ensureNothingMounted(dir, { engine, sandboxBase } = {}) {
  if (mountsBelow(dir).length > 0 && engine && existsSync(engine) && sandboxBase && existsSync(sandboxBase)) {
    await execa(process.execPath, [engine, 'sandbox', 'cleanup', '--base', sandboxBase], { reject: false, stdin: 'ignore' });
  }
  const left = mountsBelow(dir);
  if (left.length > 0) {
    throw new Error(`${dir} still has mounts below it; not deleting it (unmount them first):\n  ${left.join('\n  ')}`);
  }
}

/** Where the sample workspace of `dir` keeps its sandboxes (see fixtures/workspace.ts). */
export const sandboxBaseOf = (workspaceDir) => join(workspaceDir, 'sandboxes');
