// Whole-file findings: variables assigned twice, settings pbulk needs that are missing, and
// shell mistakes that silently turn an assignment into a command.
import type { Range } from '../../problem';
import { allVariables, knownIn, variableInfo } from '../schema/index';
import type { Assignment, CommandStatement } from '../types';
import { plainText } from '../parser';
import { endOfDocument } from './booleans';
import type { CheckRun } from './run';

export function checkDuplicates(run: CheckRun): void {
  for (const v of run.ev.variables.values()) {
    const list = v.assignments;
    for (let i = 1; i < list.length; i++) {
      const a = list[i]!;
      const prev = list[i - 1]!;
      // x="$x more" builds on the previous value on purpose.
      if (run.doc.references.some((r) => r.name === v.name && r.statement === a.index)) continue;
      const fixes = wholeLine(run, prev)
        ? [{ title: `Remove the earlier assignment (line ${prev.range.start.line + 1})`, edits: [{ range: wholeLine(run, prev)!, newText: '' }] }]
        : [];
      run.report(
        a.nameRange,
        'information',
        'duplicate-assignment',
        `${v.name} is assigned again: this value replaces the one on line ${prev.range.start.line + 1}`,
        {
          variables: [v.name],
          fixes,
          related: [run.related(prev, `${v.name} is first assigned here`)],
        },
      );
    }
  }
}

/** The full line(s) of a statement when nothing else shares them, including the line break. */
function wholeLine(run: CheckRun, a: Assignment): Range | undefined {
  const r = a.statementRange;
  const first = run.doc.lines[r.start.line] ?? '';
  const last = run.doc.lines[r.end.line] ?? '';
  if (first.slice(0, r.start.character).trim() !== '' || last.slice(r.end.character).trim() !== '') return undefined;
  if (run.doc.statements.some((s) => s !== a && s.range.start.line <= r.end.line && s.range.end.line >= r.start.line)) return undefined;
  const endLine = r.end.line + 1 < run.doc.lines.length ? r.end.line + 1 : r.end.line;
  return {
    start: { line: r.start.line, character: 0 },
    end: endLine === r.end.line ? { line: endLine, character: last.length } : { line: endLine, character: 0 },
  };
}

export function checkRequired(run: CheckRun): void {
  if (run.opaque) return;
  const master = run.masterMode() === true;
  // bulklog, prefix and pkgdb have their own, sharper diagnostic when unset; config_version too.
  const own = new Set(['bulklog', 'prefix', 'pkgdb', 'master_port_scan', 'master_port_build']);
  const missing = allVariables().filter(
    (v) => v.required && (v.required === 'always' || master) && !own.has(v.name) && knownIn(v, run.version.version) && !run.isSet(v.name),
  );
  if (missing.length === 0) return;
  const names = missing.map((v) => v.name);
  const lines = missing.map((v) => `${v.name}=${v.example ?? ''}`).join('\n');
  const nl = run.doc.text === '' || /[\r\n]$/.test(run.doc.text) ? '' : '\n';
  run.report(run.start(), 'error', 'missing-variable', `pbulk needs settings this file does not set: ${names.join(', ')}`, {
    variables: names,
    fixes: [
      {
        title: `Add ${names.length === 1 ? names[0] : `the ${names.length} missing settings`} with the example values`,
        edits: [{ range: endOfDocument(run), newText: `${nl}${lines}\n` }],
      },
    ],
  });
}

export function checkShellMistakes(run: CheckRun): void {
  for (const s of run.doc.statements) {
    if (s.kind === 'command') commandMistakes(run, s);
    if (s.kind === 'ulimit')
      ulimitArgs(
        run,
        s.args.map((w) => ({ text: plainText(w), range: w.range })),
      );
  }
}

function commandMistakes(run: CheckRun, s: CommandStatement): void {
  const name = plainText(s.name);
  const first = s.args[0];
  // `prefix = /usr/pkg` or `prefix =/usr/pkg`
  if (name !== undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && s.envAssignments.length === 0 && first && first.raw.startsWith('=')) {
    const valueStart = first.raw === '=' ? s.args[1]?.range.start : { line: first.range.start.line, character: first.range.start.character + 1 };
    const edits = valueStart ? [{ range: { start: s.name.range.end, end: valueStart }, newText: '=' }] : [];
    run.report(
      s.range,
      'error',
      'spaces-around-equals',
      `'${name} =' runs a command named ${name} instead of assigning: sh assignments take no blanks around =`,
      {
        variables: [name],
        fixes: edits.length ? [{ title: `Write ${name}=...`, edits }] : [],
      },
    );
    return;
  }
  const a = s.envAssignments[s.envAssignments.length - 1];
  if (!a) return;
  const known = variableInfo(a.name) !== undefined;
  const severity = known || /^[a-z]/.test(a.name) ? 'error' : 'warning';
  if (a.value.raw === '') {
    // `prefix= /usr/pkg`
    run.report(
      s.range,
      severity,
      'assignment-with-command',
      `'${a.name}= ${s.name.raw}' sets ${a.name} to the empty string only for a command named ${s.name.raw}: remove the blank after =`,
      {
        variables: [a.name],
        fixes: [{ title: 'Remove the blank after =', edits: [{ range: { start: a.range.end, end: s.name.range.start }, newText: '' }] }],
      },
    );
    return;
  }
  // `gzip=/bin/gzip -nf -9`: the value ends at the first blank.
  const end = (s.args[s.args.length - 1] ?? s.name).range.end;
  const whole = run.doc.text.slice(run.index.offset(a.value.range.start), run.index.offset(end));
  const quoted = whole.includes('"') ? `'${whole}'` : `"${whole}"`;
  const canQuote = !(whole.includes('"') && whole.includes("'")) && !whole.includes('\n');
  run.report(
    s.range,
    severity,
    'assignment-with-command',
    `the value of ${a.name} ends at the first blank: sh runs '${s.name.raw}' as a command with ${a.name} set only in its environment, and ${a.name} stays ${run.isSet(a.name) ? 'as it was' : 'unset'}. Quote the value`,
    {
      variables: [a.name],
      fixes: canQuote ? [{ title: `Quote the value: ${a.name}=${quoted}`, edits: [{ range: { start: a.value.range.start, end }, newText: quoted }] }] : [],
    },
  );
}

const ULIMIT_RESOURCES = 'tfdscmlpnvwrbeiquxyTk';

function ulimitArgs(run: CheckRun, args: { text: string | undefined; range: Range }[]): void {
  let expectValue: string | undefined;
  for (const a of args) {
    if (a.text === undefined) return; // dynamic
    if (a.text.startsWith('-') && a.text.length > 1 && !/^-\d/.test(a.text)) {
      for (const c of a.text.slice(1)) {
        if (c === 'H' || c === 'S' || c === 'a') continue;
        if (!ULIMIT_RESOURCES.includes(c)) {
          run.report(a.range, 'warning', 'ulimit-arguments', `ulimit: unknown option -${c}: /bin/sh prints an error each time pbulk.conf is sourced`);
          return;
        }
        expectValue = c;
      }
      continue;
    }
    if (!/^(\d+|unlimited)$/.test(a.text)) {
      run.report(a.range, 'warning', 'ulimit-arguments', `ulimit${expectValue ? ` -${expectValue}` : ''}: '${a.text}' is not a number or 'unlimited'`);
      return;
    }
    expectValue = undefined;
  }
}
