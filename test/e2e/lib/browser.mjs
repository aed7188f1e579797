// Debian's chromium driven by playwright-core (which downloads no browser of its own).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.PKGSRC_BULK_CHROMIUM || '/usr/bin/chromium';

/** Size of every page: large enough for the sidebar, an editor and the panel side by side. */
export const viewport = { width: 1280, height: 800 };

export async function launchBrowser() {
  // chromium writes crash reports and caches under $HOME: give it a throwaway one.
  const home = mkdtempSync(join(tmpdir(), 'pkgsrc-bulk-chromium-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // The runner handles signals itself: it also has a server to stop.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache') },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const close = async () => {
    await browser.close().catch(() => {});
    rmSync(home, { recursive: true, force: true });
  };
  return { browser, close };
}
