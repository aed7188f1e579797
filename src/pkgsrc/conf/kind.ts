// Which of our two languages a file is: a pbulk.conf (sh assignments) or a limited_list
// (package locations), from its name first and its content when the name says nothing.
import { basename } from 'node:path';

export type ConfFileKind = 'pbulk-conf' | 'limited-list';

export function detectFileKind(path: string, text: string): ConfFileKind {
  const name = basename(path);
  if (name === 'pbulk.conf' || name.endsWith('.pbulk.conf') || /^pbulk-.*\.conf$/.test(name)) return 'pbulk-conf';
  if (/limited[_-]?list/i.test(name) || name === 'pkglist') return 'limited-list';
  // Content: any sh assignment makes it a config; otherwise look for category/dir lines.
  let assignments = 0;
  let locations = 0;
  for (const raw of text.split(/\r\n|\r|\n/, 2000)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (/^(export\s+)?[A-Za-z_][A-Za-z0-9_]*=/.test(line)) assignments++;
    else if (/^[A-Za-z0-9][^/\s]*\/[^/\s]+\/?(\s|$)/.test(line)) locations++;
  }
  return locations > 0 && assignments === 0 ? 'limited-list' : 'pbulk-conf';
}
