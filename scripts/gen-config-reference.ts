// Writes the pbulk.conf configuration reference from the variable schema (and the list of
// check codes) into docs/configuration.md and into README.md between the
// `<!-- config-reference:start -->` and `<!-- config-reference:end -->` markers.
//   node --import tsx scripts/gen-config-reference.ts           write both
//   node --import tsx scripts/gen-config-reference.ts --check   exit 1 when either is stale
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  allVariables,
  booleanParsings,
  checkCodes,
  CURRENT_PBULK_VERSION,
  markdownProse,
  sections,
  versionsText,
  type VariableSpec,
} from '../src/pkgsrc/conf/index';

const ROOT = join(__dirname, '..');
export const START = '<!-- config-reference:start -->';
export const END = '<!-- config-reference:end -->';
const GENERATED = 'Generated from `src/pkgsrc/conf/schema` by `node --import tsx scripts/gen-config-reference.ts`; edit the schema, not this text.';

/** Markdown table cells may not hold a bare `|` or a line break. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function code(s: string): string {
  const ticks = s.includes('`') ? '``' : '`';
  return `${ticks}${s}${ticks}`;
}

/** Ends the text with exactly one full stop (after a closing quote when there is one). */
function sentence(s: string): string {
  return /[.!?]["')]?$/.test(s) ? s : `${s}.`;
}

/**
 * The doc up to its first full stop outside parentheses, quotes and code spans (a colon is no
 * sentence end: "`no`: ..." and "set mail=: to ..." keep going).
 */
function firstSentence(doc: string): string {
  let depth = 0;
  let code = false;
  let quote = false;
  for (let i = 0; i < doc.length; i++) {
    const c = doc[i]!;
    if (c === '`') code = !code;
    else if (code) continue;
    else if (c === '"') quote = !quote;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if ((c === '.' || c === '!' || c === '?') && depth === 0 && !quote && (i + 1 === doc.length || /\s/.test(doc[i + 1]!))) {
      if (/(\b(e\.g|i\.e|etc|cf)|\.\.)$/.test(doc.slice(0, i))) continue;
      return doc.slice(0, i + 1);
    }
  }
  return doc;
}

function facts(v: VariableSpec): string {
  const out = [`type: ${v.type}`, `pbulk versions: ${versionsText(v)}`];
  if (v.vendor) out.push(`${v.vendor} copies only`);
  if (v.required) out.push(v.required === 'always' ? 'required' : 'required in master mode');
  if (v.replacement) out.push(`replaced by ${v.replacement}`);
  if (v.aliasOf) out.push(`older name of ${v.aliasOf}`);
  if (v.internal) out.push('set by pkg-build, not by you');
  return out.join(' · ');
}

export function renderReference(): string {
  const lines: string[] = [
    '# pbulk.conf reference',
    '',
    GENERATED,
    '',
    'pbulk.conf is a `/bin/sh` fragment that every pbulk script sources, on the master and on every',
    'client, once per package build. Assignments are evaluated top to bottom: `${var}` only sees',
    'variables assigned above it. Values with blanks need quotes. The editor and `pkgsrc-bulk lint`',
    `check a config against the installed pbulk (found from its \`share/examples/pbulk/pbulk.conf\`),`,
    `or against the current pbulk (config version ${CURRENT_PBULK_VERSION}) when none is installed.`,
    '',
    '## How pbulk reads booleans',
    '',
    'The scripts compare booleans in different ways, so only exactly `yes` and `no` mean the same',
    'everywhere:',
    '',
    '| Parsing | Meaning | Variables |',
    '|---|---|---|',
  ];
  for (const [key, meaning] of Object.entries(booleanParsings)) {
    const vars = allVariables()
      .filter((v) => v.boolean === key)
      .map((v) => code(v.name));
    lines.push(`| ${key} | ${cell(meaning)} | ${vars.join(', ')} |`);
  }
  for (const section of sections) {
    const vars = allVariables().filter((v) => v.section === section);
    if (vars.length === 0) continue;
    lines.push('', `## ${section}`);
    for (const v of vars) {
      lines.push('', `### ${v.name}`, '', `*${facts(v)}*`, '', markdownProse(v.doc), '', `How pbulk reads it: ${markdownProse(sentence(v.interpretation))}`);
      if (v.example !== undefined)
        lines.push('', `Example: ${code(`${v.name}=${v.example}`)}${v.placeholder ? ` (the uninstalled example has ${code(v.placeholder)})` : ''}`);
      if (v.unset !== undefined) lines.push('', `Unset: ${markdownProse(sentence(v.unset))}`);
    }
  }
  lines.push(
    '',
    '## Diagnostics',
    '',
    'Codes printed in brackets by `pkgsrc-bulk lint` and shown in the Problems panel.',
    '',
    '| Code | Severity | File | Meaning | Fix |',
    '|---|---|---|---|---|',
  );
  for (const c of checkCodes) lines.push(`| ${c.code} | ${c.severity} | ${c.applies} | ${cell(markdownProse(c.text))} | ${c.fix ? 'yes' : ''} |`);
  return lines.join('\n') + '\n';
}

export function renderReadmeSection(): string {
  const lines: string[] = [
    START,
    '## pbulk.conf settings',
    '',
    'The editor checks pbulk.conf and limited_list files while you type; on the command line',
    '`pkgsrc-bulk lint pbulk.conf` runs the same checks (and follows `limited_list`), printing',
    '`file:line:col: severity: message [code]` and exiting 1 on errors (`--json` for tools).',
    `The diagnostic codes are explained at the end of [docs/configuration.md](docs/configuration.md#diagnostics).`,
    '',
    `${GENERATED} The full text of each setting is in [docs/configuration.md](docs/configuration.md).`,
    '',
    '| Setting | Section | Type | pbulk | What it does |',
    '|---|---|---|---|---|',
  ];
  for (const v of allVariables()) {
    const flags = [v.vendor ? v.vendor : '', v.replacement ? `use ${v.replacement}` : '', v.internal ? 'internal' : ''].filter(Boolean).join(', ');
    lines.push(
      `| [${v.name}](docs/configuration.md#${v.name}) | ${v.section} | ${v.type} | ${versionsText(v)}${flags ? ` (${flags})` : ''} | ${cell(markdownProse(firstSentence(v.doc)))} |`,
    );
  }
  lines.push(END);
  return lines.join('\n');
}

/** README.md with the generated section replaced (or appended at the end when absent). */
export function withReadmeSection(readme: string): string {
  const section = renderReadmeSection();
  const s = readme.indexOf(START);
  const e = readme.indexOf(END);
  if (s >= 0 && e > s) return readme.slice(0, s) + section + readme.slice(e + END.length);
  return `${readme.replace(/\n*$/, '\n')}\n${section}\n`;
}

function main(): void {
  const check = process.argv.includes('--check');
  const docPath = join(ROOT, 'docs/configuration.md');
  const readmePath = join(ROOT, 'README.md');
  const doc = renderReference();
  const readme = readFileSync(readmePath, 'utf8');
  const newReadme = withReadmeSection(readme);
  let current = '';
  try {
    current = readFileSync(docPath, 'utf8');
  } catch {
    current = '';
  }
  if (check) {
    const stale = [current !== doc ? 'docs/configuration.md' : '', readme !== newReadme ? 'README.md' : ''].filter(Boolean);
    if (stale.length > 0) {
      console.error(`stale: ${stale.join(', ')}; run node --import tsx scripts/gen-config-reference.ts`);
      process.exit(1);
    }
    return;
  }
  writeFileSync(docPath, doc);
  if (readme !== newReadme) writeFileSync(readmePath, newReadme);
  console.log(`wrote docs/configuration.md (${allVariables().length} settings, ${checkCodes.length} diagnostic codes) and the README section`);
}

if (require.main === module) main();
