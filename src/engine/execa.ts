// execa is ESM-only; the engine runs as CommonJS (the bundle, and tsx in tests), so it is
// loaded once through import(), which both esbuild and tsx handle.
type ExecaModule = typeof import('execa');

let loading: Promise<ExecaModule> | undefined;

export function loadExeca(): Promise<ExecaModule> {
  loading ??= import('execa');
  return loading;
}
