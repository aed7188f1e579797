// The extension as users get it: `npm run package` (production bundles + vsce) -> a .vsix.
import { join } from 'node:path';
import { execa } from 'execa';
import { repoRoot } from './paths.mjs';

export const vsixPath = join(repoRoot, 'dist/pkgsrc-bulk.vsix');

export async function packageExtension() {
  const r = await execa('npm', ['run', '--silent', 'package'], { cwd: repoRoot, stdin: 'ignore', all: true, reject: false });
  if (r.exitCode !== 0) throw new Error(`npm run package failed (exit ${r.exitCode}):\n${r.all}`);
  return vsixPath;
}
