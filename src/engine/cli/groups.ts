// A group name or number to its gid, from /etc/group.
import { readFileSync } from 'node:fs';

export function groupId(nameOrGid: string, file = '/etc/group'): { name: string; gid: number } | undefined {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const [name, , gid] = line.split(':');
    if (name === undefined || gid === undefined) continue;
    if (name === nameOrGid || gid === nameOrGid) return { name, gid: Number(gid) };
  }
  return undefined;
}
