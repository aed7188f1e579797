// Master mode: the port settings pbulk-scan/pbulk-build parse with inet_aton (dotted IPv4 only),
// and client lists that must not be empty (the master would wait forever) nor hold one build
// host twice (two builders would wipe each other's prefix).
import { parseMasterAddress } from '../../wire/address';
import { compareVersions } from '../version';
import type { CheckRun } from './run';

const CLIENT_HOST = /^(?:[A-Za-z0-9._+-]+@)?(?:[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])$/;
const CLIENT_HOST_PORT = /^(?:[A-Za-z0-9._+-]+@)?(?:[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\]):(\d+)$/;

export function checkMaster(run: CheckRun): void {
  if (run.masterMode() !== true) return;
  for (const name of ['master_port_scan', 'master_port_build']) checkPort(run, name);
  checkClientLists(run);
}

function checkPort(run: CheckRun, name: string): void {
  const state = run.state(name);
  if (!state?.set) {
    if (!run.opaque)
      run.report(run.anchor('master_mode'), 'error', 'master-port', `master_mode=yes needs ${name} ([a.b.c.d:]port), which is not set`, {
        variables: [name],
      });
    return;
  }
  const value = run.value(name);
  if (value === undefined) return;
  const range = run.anchor(name);
  // When the address came from ${master_ip}, point there too.
  const ipOrigin = state.origin?.uses.find((u) => u.reference.name === 'master_ip')?.origin;
  const related = ipOrigin ? [run.related(ipOrigin.assignment, 'master_ip is set here')] : [];
  // The same reading as the engine's master and pbulk's parse_sockaddr_in.
  const parsed = parseMasterAddress(value);
  if (!parsed.ok) {
    run.report(range, 'error', 'master-port', `${name}: ${parsed.message}`, { related, variables: [name] });
    return;
  }
  const port = parsed.address.port;
  if (port === 0) {
    run.report(
      range,
      'error',
      'master-port',
      `${name}: port 0 makes the master listen on a port of the system's choosing, which the clients cannot know: use a number from 1 to 65535`,
      { related, variables: [name] },
    );
    return;
  }
  if (parsed.address.anyAddress) {
    run.report(
      range,
      'warning',
      'master-port',
      `${name} has no address: the master listens on 0.0.0.0 and the clients, which use the same string, connect to 0.0.0.0. Write the master's IPv4 address, e.g. \${master_ip}:${port}`,
      { variables: [name] },
    );
  }
}

function checkClientLists(run: CheckRun): void {
  const chroots = run.chroots();
  const scanEmpty = !run.isNonEmpty('scan_clients') || (run.value('scan_clients') ?? 'x').trim() === '';
  const buildEmpty = !run.isNonEmpty('build_clients') || (run.value('build_clients') ?? 'x').trim() === '';
  if (!chroots) {
    for (const [name, empty] of [
      ['scan_clients', scanEmpty],
      ['build_clients', buildEmpty],
    ] as const) {
      if (empty && !run.opaque) {
        run.report(
          run.anchor(run.isSet(name) ? name : 'master_mode'),
          'error',
          'master-no-clients',
          `master_mode=yes with no ${name}: the ${name === 'scan_clients' ? 'scan' : 'build'} master waits forever for clients. List client hosts, set master_mode=no, or configure chroot_create and chroot_dir for local chroots`,
          { variables: [name] },
        );
      }
    }
  }
  for (const name of ['scan_clients', 'build_clients']) {
    const seen = new Map<string, { text: string; range: import('../../problem').Range }>();
    for (const w of run.words(name)) {
      const token = w.text;
      const portMatch = CLIENT_HOST_PORT.exec(token);
      const isPath = token.startsWith('/');
      if (!CLIENT_HOST.test(token) && !portMatch && !isPath) {
        run.report(
          w.range,
          'warning',
          'client-list',
          `'${token}' in ${name} is not an ssh destination (host, user@host, host:sshport or /chroot/path): ssh to it will fail`,
          { variables: [name] },
        );
      } else if ((portMatch || isPath) && compareVersions(run.version.version, '0.68') < 0) {
        run.report(
          w.range,
          'warning',
          'client-list',
          `'${token}' in ${name}: ${isPath ? '/chroot/path' : 'host:sshport'} clients need a pbulk from 2016 or later; pbulk ${run.version.version} passes the word to ssh unchanged`,
          { variables: [name] },
        );
      } else if (portMatch && Number(portMatch[1]) > 65535) {
        run.report(w.range, 'warning', 'client-list', `'${token}' in ${name}: ssh port ${portMatch[1]} is above 65535`, { variables: [name] });
      }
      const first = seen.get(token);
      if (first && name === 'build_clients' && !chroots) {
        run.report(
          w.range,
          'warning',
          'duplicate-client',
          `'${token}' is listed twice in build_clients: two build clients on one host share and wipe one \${prefix}, breaking each other's builds`,
          {
            variables: [name],
            fixes: [{ title: `Remove the second '${token}'`, edits: [{ range: extendLeft(run, w.range), newText: '' }] }],
            related: [{ file: run.file, range: first.range, message: 'first listed here' }],
          },
        );
      }
      if (!first) seen.set(token, w);
    }
  }
}

/** The range widened over the blanks before it, so removing a list word leaves one separator. */
function extendLeft(run: CheckRun, r: import('../../problem').Range): import('../../problem').Range {
  const start = run.index.offset(r.start);
  let s = start;
  while (s > 0 && (run.doc.text[s - 1] === ' ' || run.doc.text[s - 1] === '\t')) s--;
  return run.index.range(s, run.index.offset(r.end));
}
