// Loaded by the extension host as extensionTestsPath: runs bundled *.test.js files next to it
// with mocha and settles when they finish; the workbench turns that into the exit code.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

/** Written by test/e2e/lib/bundle-suite.mjs beside the bundle. */
export interface SuiteOptions {
  /** Bundled test files, relative to this directory. */
  files: string[];
  /** A regular expression over the full test titles. */
  grep?: string;
}

export function run(): Promise<void> {
  return runWith(JSON.parse(fs.readFileSync(path.join(__dirname, 'options.json'), 'utf8')) as SuiteOptions);
}

export function runWith(options: SuiteOptions): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  if (options.grep) mocha.grep(new RegExp(options.grep));
  for (const f of options.files) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension-host test(s) failed`)) : resolve()));
    } catch (e) {
      reject(e);
    }
  });
}
