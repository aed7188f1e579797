// A machine with pbulk 0.51 installed, as a pkgsrc developer's often is: the extension reads the
// installed pbulk's version from /usr/pbulk/share/examples/pbulk/pbulk.conf (the sample
// pbulk.conf names /usr/pbulk for pbulk's programs) and checks configs against it. The
// extension-host tests run on such a machine, so they prove the tests pin what they depend on
// (pkgsrcBulk.pbulkVersion) instead of relying on what the host has installed.
//
// The stand-in is made without touching the host: the server runs in a private mount namespace
// (unshare) in which an overlay on /usr adds that one file, from a tmpfs. Only root can do that;
// elsewhere the server runs as it is, and the run says so.
import { execa } from 'execa';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const STANDIN_PREFIX = '/usr/pbulk';
export const STANDIN_VERSION = '0.51';
export const STANDIN_FILE = `${STANDIN_PREFIX}/share/examples/pbulk/pbulk.conf`;

const self = fileURLToPath(import.meta.url);

/** The argument vector that runs `argv` in a new mount namespace with the stand-in under /usr. */
function wrapped(layer, argv) {
  return ['unshare', '--mount', '--propagation', 'private', '--', process.execPath, self, layer, '--', ...argv];
}

/**
 * How to run a command on a machine with the stand-in pbulk: `wrap(argv)` gives the argument
 * vector, or `reason` says why it cannot be made here. `dir` holds the layer's mount point.
 */
export async function installedPbulk(dir) {
  if (process.getuid?.() !== 0) return { reason: 'not running as root: no mount namespace for a stand-in /usr/pbulk' };
  const layer = join(dir, 'installed-pbulk');
  mkdirSync(layer, { recursive: true });
  const [cmd, ...args] = wrapped(layer, ['grep', '-q', `^config_version=${STANDIN_VERSION}$`, STANDIN_FILE]);
  const probe = await execa(cmd, args, { reject: false, all: true, stdin: 'ignore' });
  if (probe.exitCode !== 0) return { reason: `the stand-in /usr/pbulk could not be made (exit ${probe.exitCode}): ${probe.all?.trim() || probe.message}` };
  return { wrap: (argv) => wrapped(layer, argv), version: STANDIN_VERSION, file: STANDIN_FILE };
}

/** Inside the namespace: mount the layer, then run the command and exit with its status. */
async function main([layer, sep, ...argv]) {
  if (!layer || sep !== '--' || argv.length === 0) throw new Error('usage: installed-pbulk.mjs LAYER -- COMMAND...');
  await execa('mount', ['-t', 'tmpfs', '-o', 'mode=0755', 'pkgsrc-bulk-installed-pbulk', layer]);
  const upper = join(layer, 'upper');
  const examples = join(upper, STANDIN_PREFIX.replace(/^\/usr\//, ''), 'share/examples/pbulk');
  mkdirSync(examples, { recursive: true });
  mkdirSync(join(layer, 'work'));
  writeFileSync(
    join(examples, 'pbulk.conf'),
    `# Stand-in for the example config an installed pbulk ${STANDIN_VERSION} puts here: only its version.\nconfig_version=${STANDIN_VERSION}\n`,
  );
  await execa('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=/usr,upperdir=${upper},workdir=${join(layer, 'work')}`, '/usr']);
  // The server's process group gets the signals; this process waits for the command to end.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => {});
  const r = await execa(argv[0], argv.slice(1), { stdio: 'inherit', reject: false });
  process.exit(r.exitCode ?? 1);
}

if (process.argv[1] === self) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(`installed-pbulk: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(97);
  });
}
