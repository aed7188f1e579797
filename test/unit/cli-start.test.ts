// The CLI's start: each command is listed by one entry of commands/index.ts and loaded only when
// it runs, and the built engine (dist/) is split so that a process compiles only the command it
// runs. What the split saves is measured by `npm run bench -- cli`.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { commands } from '../../src/engine/commands/index';
import { ensureBuilt } from '../server/lspClient';

const repo = path.resolve(__dirname, '../..');
const dist = path.join(repo, 'dist');

before(() => ensureBuilt('dist/engine-main.mjs', ['src/engine', 'src/pkgsrc', 'src/protocol']));

test('every command entry loads the command it names, with the same summary', async () => {
  const names = commands.map((c) => c.name);
  assert.deepEqual(names, [...names].sort(), 'commands/index.ts lists the commands sorted');
  assert.equal(new Set(names).size, names.length, 'no command is listed twice');
  for (const entry of commands) {
    const cmd = await entry.load();
    assert.equal(cmd.name, entry.name, `the entry '${entry.name}' loads the command '${cmd.name}'`);
    assert.equal(cmd.summary, entry.summary, `the summary of '${entry.name}' in commands/index.ts is the command's own`);
    assert.match(cmd.usage, new RegExp(`pkgsrc-bulk ${entry.name}\\b`));
  }
});

test('pkgsrc-bulk --version prints the version and exits 0', async () => {
  const { execa } = await import('execa');
  const { version } = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string };
  const r = await execa(process.execPath, [path.join(dist, 'engine.js'), '--version'], { reject: false });
  assert.equal(r.exitCode, 0);
  assert.equal(r.stdout, `pkgsrc-bulk ${version}`);
  assert.equal(r.stderr, '');
});

/** The files a module of dist/ loads before it runs: its static imports, transitively. */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(path.join(dist, file), 'utf8');
  for (const m of text.matchAll(/^(?:import|export)\b[^;]*?["']\.\/(engine-[^"']+\.mjs)["']/gms)) staticClosure(m[1]!, seen);
  return seen;
}

/** The source files bundled into a set of dist files (esbuild marks each with a path comment). */
function sourcesOf(files: Set<string>): string[] {
  const out: string[] = [];
  for (const f of files) for (const m of readFileSync(path.join(dist, f), 'utf8').matchAll(/^\/\/ ((?:src|node_modules)\/\S+)$/gm)) out.push(m[1]!);
  return out;
}

function commandFile(name: string): string {
  const main = readFileSync(path.join(dist, 'engine-main.mjs'), 'utf8');
  // The entry's own loader: the first import() after its name, within its entry (one line or several).
  const m = new RegExp(`name: "${name}",[^}]*?import\\("\\./(engine-[^"]+\\.mjs)"\\)`).exec(main);
  assert.ok(m, `engine-main.mjs loads '${name}' with import()`);
  return m[1]!;
}

test('the built CLI entry holds the command list and nothing of the commands themselves', () => {
  const files = staticClosure('engine-main.mjs');
  const sources = sourcesOf(files);
  assert.deepEqual(sources.filter((s) => s.startsWith('src/engine/commands/')).sort(), ['src/engine/commands/index.ts', 'src/engine/commands/types.ts']);
  assert.deepEqual(
    sources.filter((s) => s.startsWith('node_modules/')),
    [],
  );
  const bytes = [...files].reduce((a, f) => a + readFileSync(path.join(dist, f)).length, 0);
  assert.ok(bytes < 32 * 1024, `the entry loads ${bytes} bytes before a command is chosen`);
});

test('tree and resolve load neither the build engine nor its dependencies', () => {
  assert.ok(readdirSync(dist).some((f) => f.startsWith('engine-tree-')));
  for (const name of ['tree', 'resolve']) {
    const sources = sourcesOf(staticClosure(commandFile(name)));
    assert.ok(sources.length > 0);
    const foreign = sources.filter((s) => /^src\/(engine\/(core|sandbox|builder|rpc|scan)|server|extension)\/|^node_modules\/(zod|execa|vscode-)/.test(s));
    assert.deepEqual(foreign, [], `pkgsrc-bulk ${name} loads code it does not run`);
  }
});
