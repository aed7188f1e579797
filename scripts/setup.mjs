// Installs what the build, the tests and the demo need on a fresh Debian machine, and nothing
// that is already there: Debian packages through apt-get, npm packages through `npm ci`.
// Plain Node with no dependencies, because it runs before node_modules exists.
//   node scripts/setup.mjs          bmake, bubblewrap, rsync, gcc, iproute2, openssh-client and the npm packages
//   node scripts/setup.mjs --e2e    also chromium, ripgrep and the headless VS Code (see test/e2e)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const e2e = process.argv.includes('--e2e');

function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}
function dpkgHas(pkg) {
  return spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' }).stdout?.includes('ok installed');
}

// bubblewrap: the rootless sandbox backend's first choice (its tests run with it and with unshare).
// gcc: the demo's and the end-to-end suite's sample packages compile C sources of their own.
// rsync: publishing uploads with it (its tests use a local target and an rsync daemon).
const wanted = [
  ['bmake', () => have('bmake')],
  ['bubblewrap', () => have('bwrap')],
  ['rsync', () => have('rsync')],
  ['gcc', () => have('cc')],
];
// iproute2 and openssh-client: the multi-host tests make client hosts as network namespaces
// (ip netns) and check ssh pre-flight against them.
wanted.push(['iproute2', () => have('ip')], ['openssh-client', () => have('ssh')]);
if (e2e) {
  wanted.push(['chromium', () => existsSync('/usr/bin/chromium')]);
  wanted.push(['ripgrep', () => have('rg')]);
  wanted.push(['libkrb5-dev', () => dpkgHas('libkrb5-dev')]);
}
const missing = wanted.filter(([, ok]) => !ok()).map(([pkg]) => pkg);
if (missing.length > 0) {
  if (process.getuid?.() !== 0 && !have('sudo')) {
    console.error(`setup: missing Debian packages ${missing.join(' ')}; install them as root: apt-get install -y ${missing.join(' ')}`);
    process.exit(1);
  }
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  console.log(`setup: apt-get install -y ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), 'update', '-qq'], { stdio: 'inherit', env });
  execFileSync(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), 'install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
}

// npm ci when node_modules is missing or older than the lock file.
const lock = join(root, 'package-lock.json');
const marker = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs) {
  console.log('setup: npm ci');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}

if (e2e) {
  execFileSync(process.execPath, [join(root, 'test/e2e/install.mjs')], { cwd: root, stdio: 'inherit' });
}
