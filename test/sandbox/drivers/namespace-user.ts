// Run by namespace.test.ts as a throwaway unprivileged user: makes a rootless sandbox with the
// tool named in argv, checks it from inside and from the host side, and prints the findings
// as one JSON line for the test to judge.
import { readFileSync, existsSync } from 'node:fs';
import { NamespaceBackend } from '../../../src/engine/sandbox/backends/namespace';
import { mountsUnder, readMountinfoSync } from '../../../src/engine/sandbox/mountinfo';
import { privateDirFor, statePathFor } from '../../../src/engine/sandbox/state';
import { specFor, ENV } from '../fixtures';

async function main(): Promise<void> {
  const [tool, base, host, roHost] = process.argv.slice(2) as ['bwrap' | 'unshare', string, string, string];
  const warnings: string[] = [];
  const be = new NamespaceBackend({ tool, warn: (m) => warnings.push(m) });
  const root = `${base}/ns-${tool}`;
  const spec = specFor(root, [host]);
  // A directory the user owns, mounted read-only: only the mount can refuse a write there
  // (system dirs refuse an unprivileged user by their permissions already).
  spec.roDirs.push(roHost);
  const sb = await be.create(spec);
  const run = (script: string) => sb.exec(['/bin/sh', '-c', script], { env: ENV, cwd: '/tmp', capture: true });
  const running = run('sleep 0.5');
  await new Promise((r) => setTimeout(r, 200));
  const hostMountsDuringExec = mountsUnder(readMountinfoSync(), base).map((m) => m.mountPoint);
  await running;
  const checks = {
    id: (await run('id -u')).stdout,
    rw: (await run(`echo from-${tool} > ${host}/written && echo ok`)).stdout,
    ro: (await run(`touch ${roHost}/x 2>&1 || echo refused`)).stdout,
    // Mount point and options (fields 5 and 6) as the namespace itself sees them.
    roFlags: (await run(`awk '$5 == "/usr/bin" || $5 == "/etc" || $5 == "${roHost}" { split($6, o, ","); print $5, o[1] }' /proc/self/mountinfo | sort -u`))
      .stdout,
    proc: (await run('grep -c ^Pid: /proc/self/status; ls /proc | grep -c "^[0-9]"')).stdout,
    cwd: (await run('pwd')).stdout,
    readOnlyDirs: (await run('mkdir -p /tmp/locked/inner && touch /tmp/locked/inner/f && chmod 0555 /tmp/locked/inner /tmp/locked && echo ok')).stdout,
  };
  let userSwitch = '';
  try {
    await sb.exec(['id'], { env: ENV, cwd: '/', user: 'root' });
  } catch (e) {
    userSwitch = e instanceof Error ? e.message : String(e);
  }
  await sb.destroy();
  const after = {
    rootExists: existsSync(root),
    stateExists: existsSync(statePathFor(root)),
    privateExists: existsSync(privateDirFor(root)),
    mounts: mountsUnder(readMountinfoSync(), base).length,
  };
  process.stdout.write(
    JSON.stringify({ uid: process.getuid?.(), hostMountsDuringExec, checks, userSwitch, after, warnings, written: readFileSync(`${host}/written`, 'utf8') }) +
      '\n',
  );
}

main().catch((e: unknown) => {
  process.stdout.write(JSON.stringify({ error: e instanceof Error ? e.stack : String(e) }) + '\n');
  process.exitCode = 1;
});
