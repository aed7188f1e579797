// The pbulk.conf library bundled with esbuild into `dir` and loaded, as the language server
// runs it (one bundle, no tsx on the way), for benchmarks that time it in this process.
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type * as Conf from '../../src/pkgsrc/conf/index';

export function loadBundledConf(dir: string): typeof Conf {
  const out = join(dir, 'conf.js');
  esbuild.buildSync({
    entryPoints: [join(__dirname, '../../src/pkgsrc/conf/index.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: out,
    logLevel: 'warning',
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(out) as typeof Conf;
}
