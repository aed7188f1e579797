// The workspace a run opens: a generated pkgsrc tree with a pbulk.conf and a limited_list,
// written by test/e2e/fixtures/workspace.ts (TypeScript, so it can use the shared tree generator).
import { join } from 'node:path';
import { execa } from 'execa';
import { repoRoot } from './paths.mjs';

/** Writes the workspace under `dir` and returns its description (see fixtures/workspace.ts). */
export async function createWorkspace(dir, { packages } = {}) {
  const args = ['--import', 'tsx', join(repoRoot, 'test/e2e/fixtures/workspace.ts'), dir];
  if (packages) args.push(String(packages));
  const r = await execa(process.execPath, args, { cwd: repoRoot, stdin: 'ignore' });
  return JSON.parse(r.stdout);
}
