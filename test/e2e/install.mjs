// Installs the headless VS Code the end-to-end suite and the demo run in: the VS Code server
// inside the `code-server` npm package (4.100.3 = VS Code 1.100, runs on Node 20), into a cache
// directory outside the repository. Idempotent: returns at once when it is already there.
// Debian packages (chromium, ripgrep, libkrb5-dev) come from scripts/setup.mjs --e2e.
// Plain Node, no dependencies.
//   node test/e2e/install.mjs     env PKGSRC_BULK_E2E_HOME (default /var/tmp/pkgsrc-bulk-e2e)
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODE_SERVER_VERSION, codeServerDir, e2eHome, installMarker } from './lib/paths.mjs';

function have(cmd) {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd], { stdio: 'ignore' }).status === 0;
}

function dpkgHas(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('ok installed');
}

/** What must already be on the machine; scripts/setup.mjs --e2e installs it. */
function checkSystem() {
  const missing = [];
  if (!existsSync('/usr/bin/chromium')) missing.push('chromium');
  if (!have('rg')) missing.push('ripgrep');
  // kerberos, one of VS Code's native modules, builds against the Kerberos headers.
  if (have('dpkg-query') && !dpkgHas('libkrb5-dev')) missing.push('libkrb5-dev');
  if (missing.length > 0) {
    throw new Error(`missing Debian packages: ${missing.join(' ')} (run: node scripts/setup.mjs --e2e)`);
  }
}

/**
 * VS Code's @vscode/ripgrep postinstall downloads rg from GitHub unless a cached release asset is
 * in $TMPDIR/vscode-ripgrep-cache-<version>/: put Debian's rg there under the asset's name.
 */
function seedRipgrepCache(tmp) {
  const cache = join(tmp, 'vscode-ripgrep-cache-1.15.11');
  const asset = join(cache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  if (existsSync(asset)) return;
  const pack = mkdtempSync(join(tmp, 'rgpack-'));
  const rg = execFileSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).trim();
  copyFileSync(rg, join(pack, 'rg'));
  mkdirSync(cache, { recursive: true });
  execFileSync('tar', ['czf', asset, '-C', pack, 'rg']);
  rmSync(pack, { recursive: true, force: true });
}

export function isInstalled() {
  return existsSync(installMarker()) && existsSync(join(codeServerDir(), 'lib/vscode/out/server-main.js'));
}

export function install({ quiet = false } = {}) {
  if (isInstalled()) {
    if (!quiet) console.log(`e2e: code-server ${CODE_SERVER_VERSION} already installed in ${e2eHome()}`);
    return;
  }
  checkSystem();
  const home = e2eHome();
  const tmp = join(home, 'tmp');
  mkdirSync(tmp, { recursive: true });
  seedRipgrepCache(tmp);

  // Staging directories of installs that were interrupted (a running one is younger than this).
  for (const name of readdirSync(home).filter((n) => n.startsWith('cs-stage-'))) {
    if (Date.now() - statSync(join(home, name)).mtimeMs > 30 * 60_000) rmSync(join(home, name), { recursive: true, force: true });
  }
  // Install into a fresh staging directory and rename it into place at the end, so an
  // interrupted install never looks like a finished one.
  const stage = mkdtempSync(join(home, 'cs-stage-'));
  writeFileSync(join(stage, 'package.json'), JSON.stringify({ name: 'pkgsrc-bulk-e2e-host', private: true }) + '\n');
  const env = {
    ...process.env,
    TMPDIR: tmp,
    // node-pty's postinstall runs `npx node-gyp`, which must not stop to ask.
    npm_config_yes: 'true',
    // code-server's postinstall refuses to run as root without it.
    npm_config_unsafe_perm: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  const t0 = Date.now();
  console.log(`e2e: installing code-server ${CODE_SERVER_VERSION} into ${home} (about 1.5 minutes; native modules build with node-gyp)`);
  const r = spawnSync('npm', ['install', '--no-save', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: stage,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) {
    throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${r.status ?? r.signal}); staging left in ${stage}`);
  }
  const pkg = join(stage, 'node_modules/code-server');
  const version = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).version;
  if (version !== CODE_SERVER_VERSION) throw new Error(`installed code-server ${version}, wanted ${CODE_SERVER_VERSION}`);
  for (const f of ['lib/vscode/out/server-main.js', 'lib/vscode/node_modules/@vscode/ripgrep/bin/rg']) {
    if (!existsSync(join(pkg, f))) throw new Error(`code-server install is incomplete: ${join(pkg, f)} is missing`);
  }
  const dest = join(home, 'cs');
  if (isInstalled()) {
    // Another run (the demo, a second test run) finished the same install meanwhile.
    rmSync(stage, { recursive: true, force: true });
    return;
  }
  rmSync(dest, { recursive: true, force: true });
  renameSync(stage, dest);
  writeFileSync(installMarker(), `${CODE_SERVER_VERSION}\n`);
  console.log(`e2e: code-server ${CODE_SERVER_VERSION} installed in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    install();
  } catch (e) {
    console.error(`e2e install: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
