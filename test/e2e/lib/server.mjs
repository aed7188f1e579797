// A headless VS Code (code-server) on a free loopback port with its own state directory, so a run
// never sees the user's settings, extensions or another run's windows.
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { codeServerDir } from './paths.mjs';

const quietSettings = {
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.startupEditor': 'none',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
  'window.commandCenter': false,
  // What the sample pbulk.conf is written for, whatever pbulk this machine has installed.
  'pkgsrcBulk.pbulkVersion': '0.68',
};

/** Directories of one isolated server state. */
export function stateLayout(state) {
  return {
    state,
    userData: join(state, 'user-data'),
    extensions: join(state, 'extensions'),
    home: join(state, 'home'),
    tmp: join(state, 'tmp'),
    config: join(state, 'config.yaml'),
    log: join(state, 'server.log'),
  };
}

function prepareState(state, settings) {
  const s = stateLayout(state);
  for (const d of [join(s.userData, 'User'), join(s.userData, 'Machine'), s.extensions, s.home, s.tmp]) mkdirSync(d, { recursive: true });
  writeFileSync(s.config, '');
  const text = JSON.stringify({ ...quietSettings, ...settings }, null, 2);
  writeFileSync(join(s.userData, 'User/settings.json'), text);
  // Machine-scoped settings (workbench.welcomePage.walkthroughs.openOnInstall ...) reach the
  // extension host of a remote window only from the remote machine's settings.
  writeFileSync(join(s.userData, 'Machine/settings.json'), text);
  return s;
}

/** Keeps code-server's config, logs and sockets inside the state directory, not in $HOME or /tmp. */
function serverEnv(s) {
  return {
    ...process.env,
    HOME: s.home,
    XDG_CONFIG_HOME: join(s.home, '.config'),
    XDG_DATA_HOME: join(s.home, '.local/share'),
    XDG_CACHE_HOME: join(s.home, '.cache'),
    TMPDIR: s.tmp,
  };
}

function baseArgs(s) {
  return ['--config', s.config, '--user-data-dir', s.userData, '--extensions-dir', s.extensions];
}

const entry = () => join(codeServerDir(), 'out/node/entry.js');

/** Installs a .vsix into the state's extensions directory (before the server starts). */
export async function installVsix(state, vsix) {
  const s = prepareState(state, {});
  const r = await execa(process.execPath, [entry(), ...baseArgs(s), '--install-extension', vsix, '--force'], {
    env: serverEnv(s),
    all: true,
    reject: false,
    timeout: 120_000,
  });
  if (r.exitCode !== 0 || !/successfully installed/i.test(r.all ?? '')) {
    throw new Error(`installing ${vsix} into code-server failed (exit ${r.exitCode}):\n${r.all}`);
  }
}

/**
 * Starts code-server on 127.0.0.1, by default on a port the OS chooses (read back from its log,
 * so two runs never race for a port). Resolves once it listens; `stop()` ends its whole process
 * group; `exited` settles when the server ends by itself. `workspaceTrust`: folders open in
 * restricted mode unless trusted (with the setting security.workspace.trust.enabled). `wrap`
 * turns the server's argument vector into the one to run (see installed-pbulk.mjs).
 */
export async function startServer({ state, settings = {}, port = 0, timeoutMs = 60_000, workspaceTrust = false, wrap = (argv) => argv }) {
  const s = prepareState(state, settings);
  const log = createWriteStream(s.log);
  const [command, ...args] = wrap([
    process.execPath,
    entry(),
    ...baseArgs(s),
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    // Trust off unless a test is about it: the folder opens trusted, without a prompt.
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ]);
  const child = execa(
    command,
    args,
    // Its own process group, so stop() also ends the extension hosts and terminals it started.
    { env: serverEnv(s), all: true, buffer: false, reject: false, detached: true, stdin: 'ignore' },
  );
  child.all.pipe(log);

  const listening = await new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => done(new Error(`code-server did not listen within ${timeoutMs} ms; log: ${s.log}`)), timeoutMs);
    const onData = (chunk) => {
      seen += chunk.toString();
      const m = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(seen);
      if (m) done(null, Number(m[1]));
    };
    const onExit = () => done(new Error(`code-server exited before listening (exit ${child.exitCode ?? child.signalCode}); log: ${s.log}\n${seen}`));
    function done(err, value) {
      clearTimeout(timer);
      child.all.off('data', onData);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(value);
    }
    child.all.on('data', onData);
    child.once('exit', onExit);
  }).catch(async (e) => {
    await killGroup(child);
    throw e;
  });

  return {
    port: listening,
    origin: `http://127.0.0.1:${listening}`,
    authority: `127.0.0.1:${listening}`,
    layout: s,
    pid: child.pid,
    exited: child.then(() => undefined),
    stop: () => killGroup(child),
  };
}

/** SIGTERM to the server's process group, SIGKILL if it has not exited after 5 s. */
async function killGroup(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const signal = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      // Already gone.
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
  // Children of the group that outlived the server (an extension host busy in a build).
  signal('SIGKILL');
}
