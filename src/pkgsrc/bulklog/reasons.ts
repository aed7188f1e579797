// PKG_FAIL_REASON / PKG_SKIP_REASON as pbulk-index prints them: a shell-quoted list, e.g.
//   "snobol-1.3 is marked as broken:" Distfile\ doesn\'t\ match
// Splitting it like sh does gives one entry per reason.

export function splitReasons(raw: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else cur += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < raw.length && '"\\$`'.includes(raw[i + 1]!)) cur += raw[++i];
      else cur += c;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (c === '"' || c === "'") quote = c;
    else if (c === '\\' && i + 1 < raw.length) cur += raw[++i];
    else cur += c;
  }
  if (inWord) out.push(cur);
  return out;
}
