// The shared-paths marker: before its clients start, a master writes `.pkgsrc-bulk-master` into
// the bulklog and the packages directory (one random token in both) with what a client must
// agree on: the size of the tree's top Makefile and config_version. A client reads it through
// its own pbulk.conf's paths: a missing file means the path is not the master's (or the master
// is real pbulk, which writes none), a different one that it is someone else's.
import { randomBytes } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { EngineConfig } from '../config/types';

export const MARKER_NAME = '.pkgsrc-bulk-master';

const markerSchema = z.object({
  token: z.string(),
  host: z.string(),
  time: z.string(),
  configVersion: z.string(),
  /** Size in bytes of `${pkgsrc}/Makefile`; -1 when it was missing. */
  pkgsrcMakefile: z.number().int(),
});
export type Marker = z.infer<typeof markerSchema>;

async function makefileSize(pkgsrc: string): Promise<number> {
  return stat(join(pkgsrc, 'Makefile')).then(
    (s) => s.size,
    () => -1,
  );
}

export async function writeMarker(cfg: EngineConfig): Promise<Marker> {
  const m: Marker = {
    token: randomBytes(12).toString('hex'),
    host: hostname(),
    time: new Date().toISOString(),
    configVersion: cfg.configVersion ?? '',
    pkgsrcMakefile: await makefileSize(cfg.pkgsrc),
  };
  const text = JSON.stringify(m) + '\n';
  await writeFile(join(cfg.bulklog, MARKER_NAME), text);
  await writeFile(join(cfg.packages, MARKER_NAME), text).catch(async (e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e;
    const { mkdir } = await import('node:fs/promises');
    await mkdir(cfg.packages, { recursive: true });
    await writeFile(join(cfg.packages, MARKER_NAME), text);
  });
  return m;
}

function parseMarker(text: string): Marker | undefined {
  try {
    const r = markerSchema.safeParse(JSON.parse(text));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

async function readMarker(dir: string): Promise<Marker | undefined | 'missing'> {
  const text = await readFile(join(dir, MARKER_NAME), 'utf8').catch(() => undefined);
  return text === undefined ? 'missing' : parseMarker(text);
}

/** What a client finds through its own pbulk.conf: errors stop it, warnings do not. */
export async function checkMarker(cfg: EngineConfig): Promise<{ errors: string[]; warnings: string[] }> {
  const errors: string[] = [];
  const warnings: string[] = [];
  const own = await readMarker(cfg.bulklog);
  if (own === 'missing' || own === undefined) {
    warnings.push(
      `${join(cfg.bulklog, MARKER_NAME)} is ${own === 'missing' ? 'missing' : 'unreadable'}: cannot check that bulklog=${cfg.bulklog}, packages and pkgsrc are the master's shared directories (expected with a real pbulk master; with a pkgsrc-bulk master, bulklog is not shared here)`,
    );
    return { errors, warnings };
  }
  const pk = await readMarker(cfg.packages);
  if (pk === 'missing' || pk?.token !== own.token) {
    errors.push(
      `packages=${cfg.packages} is not the master's packages directory (its ${MARKER_NAME} is ${pk === 'missing' ? 'missing' : 'different'}): it must be shared with the master (NFS) at the same path, or dependencies cannot be installed and packages are lost`,
    );
  }
  const size = await makefileSize(cfg.pkgsrc);
  if (size !== own.pkgsrcMakefile) {
    errors.push(
      `pkgsrc=${cfg.pkgsrc} is not the master's tree (${size < 0 ? 'no Makefile there' : `its Makefile has ${size} bytes, the master's ${own.pkgsrcMakefile}`}): pkgsrc must be shared with the master at the same path`,
    );
  }
  const mine = cfg.configVersion;
  if (mine !== undefined && own.configVersion !== '' && mine !== own.configVersion) {
    errors.push(`config_version=${mine} here, ${own.configVersion} on the master ${own.host}: the hosts must use the same pbulk.conf`);
  }
  return { errors, warnings };
}
