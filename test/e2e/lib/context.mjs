// State shared by the runner and the UI test files: filled in by run.mjs before mocha loads them.
export const ctx = {
  /** @type {import('playwright-core').Browser | undefined} */
  browser: undefined,
  /** The running server: { origin, authority, port, layout, stop }. */
  server: undefined,
  /** The generated workspace: { root, pkgsrc, pbulkConf, limitedList, packages, categories }. */
  workspace: undefined,
  /** The installed extension's directory (the extension host tests load it as the development extension). */
  extensionDir: '',
  /** The bundled extension-host suite: { dir, index, files }. */
  suite: undefined,
  /** The shared window of the UI tests (see mainPage() in workbench.mjs). */
  page: undefined,
  /** Open pages, screenshot by the runner when a test fails. */
  pages: new Set(),
  resultsDir: '',
  docsImages: false,
  docsImagesDir: '',
  /** @type {(line: string) => void} */
  log: (line) => console.log(line),
};
