// `npm run lint`: the layering of src/, checked on every import so that it holds by the build
// and not by habit (docs/development.md). No style rules: the formatter owns the layout.
//
//   pkgsrc     the pure library (formats, parsers, resolver): imports no other layer
//   protocol   every contract between processes: only pkgsrc
//   engine     the build engine process: pkgsrc and protocol
//   server     the language server process: pkgsrc and protocol
//   extension  the VS Code extension: pkgsrc and protocol, never engine or server code
//
// `vscode` only under src/extension. Type-only imports count too: a type imported across a
// boundary is a contract, and contracts live in src/protocol.
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';
import { dirname, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const src = resolve(root, 'src');

/** Layer -> the layers it may import (itself included). */
export const LAYERS = {
  pkgsrc: ['pkgsrc'],
  protocol: ['protocol', 'pkgsrc'],
  engine: ['engine', 'protocol', 'pkgsrc'],
  server: ['server', 'protocol', 'pkgsrc'],
  extension: ['extension', 'protocol', 'pkgsrc'],
};
/** Packages only some layers may import. */
const PACKAGES = { vscode: ['extension'] };

/** The layer a file of src/ belongs to, or undefined outside src/. */
function layerOf(file) {
  const rel = relative(src, file);
  if (rel.startsWith('..') || rel === '') return undefined;
  const top = rel.split(sep)[0];
  return top in LAYERS ? top : undefined;
}

/** Resolves every module specifier (static, dynamic, require, import type) and checks its layer. */
const layerImports = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports follow the layering of src/ (eslint.config.mjs)' },
    messages: {
      layer: "src/{{from}} may not import src/{{to}} ('{{spec}}'); it may import {{allowed}}. A contract between them belongs in src/protocol.",
      package: "'{{spec}}' may only be imported under {{where}}, not in src/{{from}}.",
    },
    schema: [],
  },
  create(context) {
    const file = context.physicalFilename ?? context.filename;
    const from = layerOf(file);
    if (!from) return {};
    function check(node) {
      if (!node || node.type !== 'Literal' || typeof node.value !== 'string') return;
      const spec = node.value;
      if (spec.startsWith('.')) {
        const to = layerOf(resolve(dirname(file), ...spec.split(posix.sep)));
        if (to && !LAYERS[from].includes(to)) {
          context.report({ node, messageId: 'layer', data: { from, to, spec, allowed: LAYERS[from].map((l) => `src/${l}`).join(', ') } });
        }
        return;
      }
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      const where = PACKAGES[name];
      if (where && !where.includes(from)) {
        context.report({ node, messageId: 'package', data: { spec, from, where: where.map((l) => `src/${l}`).join(', ') } });
      }
    }
    return {
      ImportDeclaration: (n) => check(n.source),
      ExportNamedDeclaration: (n) => check(n.source),
      ExportAllDeclaration: (n) => check(n.source),
      ImportExpression: (n) => check(n.source),
      TSImportEqualsDeclaration: (n) => n.moduleReference.type === 'TSExternalModuleReference' && check(n.moduleReference.expression),
      TSImportType: (n) => check(n.source ?? n.argument?.literal),
      CallExpression: (n) => n.callee.type === 'Identifier' && n.callee.name === 'require' && check(n.arguments[0]),
    };
  },
};

export default defineConfig([
  globalIgnores(['dist/', 'node_modules/', '.vscode-test/', 'test/e2e/.cache/']),
  {
    files: ['src/**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: {
      layers: { rules: { imports: layerImports } },
      '@typescript-eslint': tseslint.plugin,
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'layers/imports': 'error',
      // require() would pass around the import checks above.
      '@typescript-eslint/no-require-imports': 'error',
    },
  },
]);
