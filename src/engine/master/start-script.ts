// pscan_start_script / pbuild_start_script, run as pbulk's masters run them: the program itself
// with no arguments (never through a shell string), after the port is bound; jobs are handed
// out only once it has exited 0. The scripts read pbulk.conf themselves: PBULK_CONF names ours
// (pbulk 0.68 and later honour it), PKGSRC_BULK_MASTER the address actually listened on.
// Their output, and that of the clients they leave running in the background, is appended to
// a log in the meta directory.
import { closeSync, openSync } from 'node:fs';
import { loadExeca } from '../execa';
import { MasterError } from './errors';

export interface StartScriptOptions {
  script: string;
  variable: string;
  env: Record<string, string>;
  logFile: string;
  signal?: AbortSignal;
}

export async function runStartScript(o: StartScriptOptions): Promise<void> {
  const { execa } = await loadExeca();
  let fd: number;
  try {
    fd = openSync(o.logFile, 'a');
  } catch (e) {
    throw new MasterError(`cannot open ${o.logFile} for the start script's output: ${(e as Error).message}`, o.variable);
  }
  try {
    // A file descriptor, not a pipe: the clients the script leaves in the background keep
    // writing to the log, and the script counts as ended when it exits (execa's types omit
    // plain descriptors for stdout and stderr, which it passes on to spawn unchanged).
    const out = fd as unknown as 'inherit';
    const r = await execa(o.script, [], {
      stdin: 'ignore',
      stdout: out,
      stderr: out,
      env: o.env,
      extendEnv: true,
      reject: false,
      cancelSignal: o.signal ?? new AbortController().signal,
    });
    if (r.isCanceled) return;
    if (r.exitCode !== 0) {
      const why = r.exitCode === undefined ? (r.signal ? `killed by ${r.signal}` : (r.originalMessage ?? r.message)) : `exited ${r.exitCode}`;
      throw new MasterError(`Start script failed: ${o.variable}=${o.script} ${why} (its output is in ${o.logFile})`, o.variable);
    }
  } finally {
    closeSync(fd);
  }
}
