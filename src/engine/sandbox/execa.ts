// execa is published as ESM only. A static import breaks when tests load this code as CommonJS
// through tsx (a dependency of execa has no `require` export), while import() works both there
// and in the esbuild bundle. Everything in the sandbox layer gets execa from here.
type ExecaModule = typeof import('execa');

let loading: Promise<ExecaModule> | undefined;

export function loadExeca(): Promise<ExecaModule> {
  return (loading ??= import('execa'));
}
