// Where the engine of a bulklog listens (src/protocol/socket.ts connects to it): the unix socket in the meta
// directory (the engine's default), or a short path in the temporary directory when that one
// would be too long for a unix socket address, or the socket the engine settings name. A
// reloaded window finds the same path again and re-attaches. Pure (node only).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** sun_path holds 108 bytes on Linux, 104 on the BSDs and macOS, the terminating NUL included. */
const MAX_SOCKET_PATH = 100;

/** The `socket` an engine settings file sets, if any. */
export function settingsSocket(settingsFile: string | undefined): string | undefined {
  if (!settingsFile) return undefined;
  try {
    const v = (JSON.parse(readFileSync(settingsFile, 'utf8')) as { socket?: unknown }).socket;
    return typeof v === 'string' && v !== '' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The socket path for a meta directory, and whether the engine must be told it (`--socket`). */
export function socketPathFor(metaDir: string, settingsFile?: string): { path: string; explicit: boolean } {
  const fromSettings = settingsSocket(settingsFile);
  if (fromSettings) return { path: fromSettings, explicit: false };
  const inMeta = join(metaDir, 'engine.sock');
  if (Buffer.byteLength(inMeta) <= MAX_SOCKET_PATH) return { path: inMeta, explicit: false };
  const uid = process.getuid?.() ?? 0;
  return { path: join(tmpdir(), `pkgsrc-bulk-${uid}`, `${createHash('sha256').update(metaDir).digest('hex').slice(0, 20)}.sock`), explicit: true };
}
