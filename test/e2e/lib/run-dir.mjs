// Per-run directories under the e2e home (workspace, server state, bundled suite). A run that
// was killed leaves its directory and maybe its server (which has its own process group): the
// next run recognises such leftovers by the dead runner pid they record and removes them.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureNothingMounted, sandboxBaseOf } from './mounts.mjs';
import { e2eHome, repoRoot } from './paths.mjs';

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
};

/** The command line of a process, or '' when it is gone. */
const cmdline = (pid) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
};

export function createRunDir() {
  const dir = mkdtempSync(join(e2eHome(), 'run-'));
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ runner: process.pid }));
  return dir;
}

/** Records the server's pid so a later run can stop it if this runner dies first. */
export function recordServer(dir, pid) {
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ runner: process.pid, server: pid }));
}

/**
 * Deletes a run directory, after taking down sandboxes a build left in its workspace; a
 * directory that still has mounts is left alone (and said so), never deleted through them.
 */
export async function removeRunDir(dir) {
  try {
    await ensureNothingMounted(dir, { engine: join(repoRoot, 'dist/engine.js'), sandboxBase: sandboxBaseOf(join(dir, 'workspace')) });
  } catch (e) {
    console.error(`# e2e: ${e.message}`);
    return;
  }
  rmSync(dir, { recursive: true, force: true });
}

/** Removes run directories whose runner is dead, stopping a server still running from one. */
export async function removeStaleRuns() {
  const home = e2eHome();
  if (!existsSync(home)) return;
  for (const name of readdirSync(home).filter((n) => n.startsWith('run-'))) {
    const dir = join(home, name);
    let info = {};
    try {
      info = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    } catch {
      // No record: a run killed before it wrote one; nothing of it can be running.
    }
    if (info.runner && alive(info.runner)) continue;
    // Only a server whose command line names this directory is one of ours.
    if (info.server && alive(info.server) && cmdline(info.server).includes(dir)) {
      try {
        process.kill(-info.server, 'SIGKILL');
      } catch {
        // Gone meanwhile.
      }
    }
    await removeRunDir(dir);
  }
}
