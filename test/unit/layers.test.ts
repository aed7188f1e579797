// The layering of src/ is enforced by `npm run lint` (eslint.config.mjs), which the test command
// runs: a cross-layer import written into a file of src/ must fail it, with the layers rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const root = join(__dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

/** The layers-rule messages for `code` as if it were the file `path` of the repository. */
async function layerErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  assert.ok(result, `no lint result for ${path}`);
  const fatal = result.messages.filter((m) => m.fatal);
  assert.deepEqual(fatal, [], `${path} did not parse`);
  return result.messages.filter((m) => m.ruleId === 'layers/imports' && m.severity === 2).map((m) => m.message);
}

test('pkgsrc importing the extension fails the lint, naming both layers', async () => {
  const errors = await layerErrors(
    'src/pkgsrc/layering-violation.ts',
    "import { BuildModel } from '../extension/builds/model';\nexport const m = BuildModel;\n",
  );
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, /src\/pkgsrc may not import src\/extension \('\.\.\/extension\/builds\/model'\)/);
});

test('pkgsrc imports no other layer, not even the protocol; a type import and a re-export count', async () => {
  const errors = await layerErrors(
    'src/pkgsrc/scan/layering-violation.ts',
    [
      "import type { EngineClient } from '../../protocol/client';",
      "export { EXIT } from '../../protocol/exit';",
      "export * from '../../engine/heap';",
      "export type S = import('../../server/settings').Settings;",
      "export async function f(c: EngineClient) { return [c, await import('../../server/debounce')]; }",
    ].join('\n'),
  );
  assert.equal(errors.length, 5, errors.join('\n'));
});

test('engine and server never import vscode nor each other', async () => {
  assert.equal((await layerErrors('src/engine/commands/x.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n")).length, 1);
  assert.equal((await layerErrors('src/server/x.ts', "import type { Uri } from 'vscode';\nexport type U = Uri;\n")).length, 1);
  assert.equal((await layerErrors('src/engine/x.ts', "import { debounce } from '../server/debounce';\nexport const d = debounce;\n")).length, 1);
  assert.equal((await layerErrors('src/server/handlers/x.ts', "import { Heap } from '../../engine/heap';\nexport const h = Heap;\n")).length, 1);
});

test('the extension reaches engine and server code only through src/protocol', async () => {
  assert.equal(
    (await layerErrors('src/extension/x.ts', "import type { ServerSettings } from '../server/settings';\nexport type S = ServerSettings;\n")).length,
    1,
  );
  assert.equal((await layerErrors('src/extension/builds/x.ts', "import { EXIT } from '../../engine/cli/run';\nexport const e = EXIT;\n")).length, 1);
  // Allowed: the protocol, the pkgsrc library, vscode, and the extension's own folders (its
  // engine/ folder is not src/engine).
  const allowed = [
    "import * as vscode from 'vscode';",
    "import { EXIT } from '../../protocol/exit';",
    "import { LanguageIds } from '../../protocol/languageServer';",
    "import { State } from '../../pkgsrc/states';",
    "import { connectEngine } from '../engine/engineProcess';",
    'export const all = [vscode, EXIT, LanguageIds, State, connectEngine];',
  ].join('\n');
  assert.deepEqual(await layerErrors('src/extension/builds/x.ts', allowed), []);
});

test('files outside src/ (tests, benchmarks) may import any layer', async () => {
  assert.deepEqual(
    await layerErrors('test/unit/x.test.ts', "import { BuildModel } from '../../src/extension/builds/model';\nexport const m = BuildModel;\n"),
    [],
  );
});
