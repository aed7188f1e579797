// Where the end-to-end suite keeps what it installs and what it leaves behind.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';

/** The repository root. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Install cache, shared by runs and by the demo; outside the repository. */
export function e2eHome() {
  return process.env.PKGSRC_BULK_E2E_HOME || '/var/tmp/pkgsrc-bulk-e2e';
}

/** The installed code-server package. */
export function codeServerDir() {
  return join(e2eHome(), 'cs/node_modules/code-server');
}

/** Written last by install.mjs: its presence means the install finished. */
export function installMarker() {
  return join(e2eHome(), 'cs/.installed');
}

/** Screenshots and server logs of the last run (kept on failure). */
export const resultsDir = join(repoRoot, 'test-results/e2e');
