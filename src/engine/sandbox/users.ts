// Switching to pbulk.conf's unprivileged_user inside a sandbox. The name is looked up in the
// sandbox's own /etc (a snapshot of the host's, plus whatever builds added), and the switch
// is done by setpriv(1) with numeric ids, so nothing re-resolves names behind our back.
import { readFileSync } from 'node:fs';
import { SandboxError } from './errors';

export interface UserIds {
  name: string;
  uid: number;
  gid: number;
  groups: number[];
  home: string;
}

function readDb(file: string): string[][] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(':'));
}

/** Resolves user in `<etc>/passwd` and `<etc>/group`; numeric names are taken as ids. */
export function lookupUser(etc: string, user: string): UserIds {
  const pw = readDb(`${etc}/passwd`).find((f) => f[0] === user || (/^[0-9]+$/.test(user) && f[2] === user));
  if (!pw || pw.length < 7) {
    throw new SandboxError('bad-spec', `user '${user}' not found in ${etc}/passwd (unprivileged_user must exist in the sandbox's /etc)`);
  }
  // An empty or odd id field must not read as 0 (Number('') is 0): that would be root.
  if (!/^[0-9]+$/.test(pw[2]!) || !/^[0-9]+$/.test(pw[3]!)) throw new SandboxError('bad-spec', `${etc}/passwd: bad uid or gid for user '${user}'`);
  const uid = Number(pw[2]);
  const gid = Number(pw[3]);
  const groups = new Set<number>([gid]);
  for (const g of readDb(`${etc}/group`)) {
    if (g.length >= 4 && g[3]!.split(',').includes(pw[0]!) && /^[0-9]+$/.test(g[2]!)) groups.add(Number(g[2]));
  }
  return { name: pw[0]!, uid, gid, groups: [...groups].sort((a, b) => a - b), home: pw[5] ?? '/' };
}

/** setpriv arguments that become `ids` for the rest of the command line. */
export function setprivArgs(setpriv: string, ids: UserIds): string[] {
  return [setpriv, `--reuid=${ids.uid}`, `--regid=${ids.gid}`, `--groups=${ids.groups.join(',')}`, '--'];
}
