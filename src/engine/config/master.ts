// pbulk.conf's master mode as the engine runs it: with master_mode=yes and a non-empty
// scan_clients (build_clients) the scan (build) runs on those hosts through pbulk's protocol,
// the engine being the master; with both lists empty (the chroot variant) everything stays
// on this host. The ports must parse as pbulk parses them (IPv4 only), or the run is refused
// with the error on the setting's line.
import type { LoadedConf } from '../../pkgsrc/conf';
import { parseMasterAddress } from '../../pkgsrc/wire/address';
import type { MasterConfig, MasterRole } from './types';

const VARS = [
  'master_mode',
  'master_ip',
  'master_port_scan',
  'master_port_build',
  'scan_clients',
  'build_clients',
  'pscan_start_script',
  'pbuild_start_script',
  'config_version',
  'bulklog',
  'packages',
  'pkgsrc',
];

export function masterConfig(conf: LoadedConf, err: (name: string, message: string) => void): MasterConfig | undefined {
  if (!/^yes$/i.test(conf.get('master_mode')?.trim() ?? '')) return undefined;
  const words = (name: string) => (conf.get(name) ?? '').split(/[ \t\n]+/).filter((w) => w !== '');
  const lines: Record<string, number> = {};
  for (const n of VARS) {
    const l = conf.values[n]?.line;
    if (l !== undefined) lines[n] = l;
  }
  const role = (clientsVar: string, portVar: string, scriptVar: string): MasterRole | undefined => {
    const clients = words(clientsVar);
    if (clients.length === 0) return undefined;
    const port = conf.get(portVar)?.trim();
    if (port === undefined || port === '') {
      err(conf.values[portVar] ? portVar : 'master_mode', `master_mode=yes with ${clientsVar} needs ${portVar} ([a.b.c.d:]port), which is not set`);
      return undefined;
    }
    const a = parseMasterAddress(port);
    if (!a.ok) {
      err(portVar, `${portVar}: ${a.message}`);
      return undefined;
    }
    const script = conf.get(scriptVar)?.trim();
    return { address: a.address, port, clients, ...(script ? { startScript: script } : {}) };
  };
  const scan = role('scan_clients', 'master_port_scan', 'pscan_start_script');
  const build = role('build_clients', 'master_port_build', 'pbuild_start_script');
  if (!scan && !build) return undefined;
  return { ...(scan ? { scan } : {}), ...(build ? { build } : {}), configVersion: conf.get('config_version') ?? '', lines };
}
