// Taking a sandbox down, the one place that deletes: kill what runs inside, unmount everything
// below the root (deepest first), retry while something is busy, then re-read mountinfo and
// refuse with a precise list if anything is left. Only then is the tree removed, by the
// mount-id-checked walker of remove.ts.
import { rmdir } from 'node:fs/promises';
import { SandboxError, errnoCode } from './errors';
import { describeMount, mountsUnder, readMountinfo } from './mountinfo';
import { unmountAllUnder } from './mounts';
import { describeUse, killAll, processesUsing, waitGone } from './procs';
import { removeTree } from './remove';
import type { ProcessGroups } from './exec';

export interface TeardownOptions {
  root: string;
  base: string;
  /** Process groups this process started in the sandbox. */
  groups?: ProcessGroups;
  /** The scratch dir beside the root (overlay upper/work), removed too. */
  privateDir?: string;
  /** False when the root was never recorded as created by us: then it is only rmdir'ed if empty. */
  ownsRoot?: boolean;
  /** Runs between the unmount check and the delete (the command backend's chroot_delete). */
  beforeDelete?: () => Promise<void>;
  /** Unmount rounds before giving up. */
  attempts?: number;
}

export interface TeardownReport {
  killed: number[];
  unmounted: number;
  removed: number;
}

export async function teardown(o: TeardownOptions): Promise<TeardownReport> {
  const killed: number[] = [];
  if (o.groups && o.groups.size > 0) {
    const pids = o.groups.killAll('SIGKILL');
    killed.push(...pids);
    await waitGone(pids, 2000);
  }
  const attempts = o.attempts ?? 4;
  // The scratch dir beside the root holds nothing mounted normally, but a kill during the
  // overlay probe can leave one there.
  const places = o.privateDir ? [o.root, o.privateDir] : [o.root];
  let unmounted = 0;
  let lastStderr = '';
  for (let i = 0; i < attempts; i++) {
    // Anything chrooted inside keeps mounts busy and could write through them: it goes first.
    const rooted = (await processesUsing(o.root)).filter((u) => u.via === 'root').map((u) => u.pid);
    if (rooted.length > 0) {
      killAll(rooted);
      killed.push(...rooted);
      await waitGone(rooted, 2000);
    }
    let leftNow = 0;
    for (const dir of places) {
      const before = mountsUnder(await readMountinfo(), dir).length;
      const { left, stderr } = await unmountAllUnder(dir);
      unmounted += before - left.length;
      leftNow += left.length;
      if (stderr) lastStderr = stderr;
    }
    if (leftNow === 0) break;
    await new Promise((r) => setTimeout(r, 50 * 2 ** i));
  }
  const info = await readMountinfo();
  const left = places.flatMap((dir) => mountsUnder(info, dir));
  if (left.length > 0) {
    const users = await processesUsing(o.root);
    throw new SandboxError(
      'busy',
      `sandbox ${o.root} is still in use; nothing was deleted.\nstill mounted:\n  ${left.map(describeMount).join('\n  ')}` +
        (users.length ? `\nused by:\n  ${users.map(describeUse).join('\n  ')}` : '') +
        (lastStderr ? `\numount said: ${lastStderr}` : '') +
        `\nStop those processes, then run \`pkgsrc-bulk sandbox cleanup --base ${o.base}\`.`,
    );
  }
  if (o.beforeDelete) await o.beforeDelete();
  let removed = 0;
  if (o.ownsRoot === false) {
    try {
      await rmdir(o.root); // only ever succeeds on an empty directory
      removed++;
    } catch (e) {
      if (errnoCode(e) !== 'ENOENT' && errnoCode(e) !== 'ENOTEMPTY' && errnoCode(e) !== 'EEXIST') throw e;
    }
  } else {
    removed += (await removeTree(o.root, o.base)).removed;
  }
  if (o.privateDir) removed += (await removeTree(o.privateDir, o.base)).removed;
  return { killed, unmounted, removed };
}
