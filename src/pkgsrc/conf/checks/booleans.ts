// Booleans: the scripts compare them in different ways (exact `yes`, any-case yes, anything but
// `no` ...), so anything but exactly `yes` or `no` may mean the opposite of what it says.
import { allVariables, booleanText, knownIn } from '../schema/index';
import { booleanMeaning } from './run';
import type { CheckRun } from './run';

const YES = /^(y|yes|true|on|1|enabled?)$/i;
const NO = /^(n|no|false|off|0|disabled?|)$/i;

export function checkBooleans(run: CheckRun): void {
  for (const spec of allVariables()) {
    if (!spec.boolean) continue;
    if (spec.boolean === 'not-no' && !run.isSet(spec.name) && !run.opaque && knownIn(spec, run.version.version)) {
      // `[ "$x" != no ]` is true for an unset variable too.
      const cross = spec.name === 'cross_compile';
      run.report(
        run.start(),
        cross ? 'error' : 'warning',
        'boolean-value',
        `${spec.name} is not set, and pbulk treats anything but exactly 'no' as yes: ${cross ? 'pre-build switches to cross-compiling and requires target_arch and target_destdir' : `${spec.name} is on`}. Add ${spec.name}=no (or yes).`,
        {
          variables: [spec.name],
          fixes: [
            {
              title: `Add ${spec.name}=no`,
              edits: [{ range: endOfDocument(run), newText: `${run.doc.text === '' || /\n$/.test(run.doc.text) ? '' : '\n'}${spec.name}=no\n` }],
            },
          ],
        },
      );
      continue;
    }
    const value = run.value(spec.name);
    const a = run.finalAssignment(spec.name);
    if (value === undefined || !a || value === 'yes' || value === 'no') continue;
    const meaning = booleanMeaning(spec.boolean, value);
    const intent = YES.test(value.trim()) ? 'yes' : NO.test(value.trim()) ? 'no' : undefined;
    const reads = meaning === 'on' ? 'yes' : meaning === 'off' ? 'no' : undefined;
    let severity: 'error' | 'warning' = 'warning';
    let effect: string;
    if (meaning === 'abort') {
      severity = 'error';
      effect = `the scan and build phases exit with "${spec.name} must be either yes or no."`;
    } else if (meaning === 'nothing-built') {
      severity = 'error';
      effect = 'pbulk prints "Unsupported value" and continues with an empty dependency resolution: nothing is built';
    } else {
      effect = `pbulk reads '${value}' as ${reads}`;
      // Reading an intended "no" as yes switches a mode on (cross_compile=NO cross-compiles).
      if (intent === 'no' && reads === 'yes') severity = 'error';
      if (intent !== undefined && intent === reads) effect += ' here, but other pbulk scripts compare booleans differently';
    }
    const message = `${spec.name}='${value}': ${effect}. ${spec.name} is ${booleanText(spec)}; write exactly yes or no.`;
    const range = a.value.raw === '' ? a.range : a.value.range;
    const fixes = intent
      ? [{ title: `Change to ${intent}`, edits: [{ range: a.value.raw === '' ? { start: a.range.end, end: a.range.end } : a.value.range, newText: intent }] }]
      : [];
    run.report(range, severity, 'boolean-value', message, { fixes, variables: [spec.name] });
  }
}

export function endOfDocument(run: CheckRun): import('../../problem').Range {
  const line = run.doc.lines.length - 1;
  const p = { line, character: run.doc.lines[line]!.length };
  return { start: p, end: p };
}
