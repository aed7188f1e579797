// Variable names: unknown (with did-you-mean), obsolete (with the replacement), internal to
// pkg-build, older aliases, and names the checked pbulk version does not read.
import { allVariables, knownIn, variableInfo } from '../schema/index';
import { suggestNameCached } from '../suggest';
import type { Assignment, ConfFix } from '../types';
import type { CheckRun } from './run';

function renameFix(run: CheckRun, a: Assignment, to: string): ConfFix {
  const edits = [{ range: a.nameRange, newText: to }];
  // References to the old name further down would now read nothing: rename them too.
  for (const r of run.doc.references) if (r.name === a.name && !r.special) edits.push({ range: r.nameRange, newText: to });
  return { title: `Rename to ${to}`, edits };
}

export function checkNames(run: CheckRun): void {
  const version = run.version.version;
  const referenced = new Set(run.doc.references.map((r) => r.name));
  const candidates = (): string[] =>
    allVariables()
      .filter((v) => knownIn(v, version) && !v.internal)
      .map((v) => v.name);
  const functions = new Set(run.doc.functions.map((f) => f.name));
  for (const s of run.doc.statements) {
    if (s.kind !== 'assignment') continue;
    const spec = variableInfo(s.name);
    if (spec) {
      checkKnown(run, s, spec.name);
      continue;
    }
    // A helper variable read elsewhere in the file (base=/data; bulklog=${base}/bulklog) is fine,
    // and so is anything exported for the commands pbulk runs.
    if (referenced.has(s.name) || functions.has(s.name) || s.exported || run.state(s.name)?.exported) continue;
    const suggestion = suggestNameCached(s.name, version, candidates);
    if (/[A-Z]/.test(s.name) && suggestion?.toLowerCase() !== s.name.toLowerCase()) {
      run.report(
        s.nameRange,
        'information',
        'unknown-variable',
        `${s.name} is not a pbulk setting: pbulk never reads it, and it is not exported to the commands pbulk runs`,
        { variables: [s.name] },
      );
      continue;
    }
    const hint = suggestion ? ` Did you mean ${suggestion}?` : '';
    run.report(s.nameRange, 'warning', 'unknown-variable', `unknown variable ${s.name}: pbulk ${version} never reads it.${hint}`, {
      variables: [s.name],
      fixes: suggestion ? [renameFix(run, s, suggestion)] : [],
    });
  }
}

function checkKnown(run: CheckRun, a: Assignment, name: string): void {
  const spec = variableInfo(name)!;
  const version = run.version.version;
  if (spec.internal) {
    run.report(
      a.nameRange,
      'warning',
      'internal-variable',
      `${name} is set by pkg-build for each package from its build record after pbulk.conf is read: assigning it here has no effect or breaks package builds`,
      { variables: [name] },
    );
    return;
  }
  if (spec.aliasOf) {
    const both = run.isSet(spec.aliasOf);
    run.report(
      a.nameRange,
      'information',
      'alias-variable',
      `${name} is the older name of ${spec.aliasOf}${both ? `; ${spec.aliasOf} is set too and takes precedence` : ''}`,
      {
        variables: [name],
        fixes: both ? [] : [renameFix(run, a, spec.aliasOf)],
      },
    );
  }
  if (knownIn(spec, version)) return;
  if (spec.until !== undefined && spec.replacement !== undefined) {
    run.report(a.nameRange, 'warning', 'obsolete-variable', `${name} is not read by pbulk ${version} (gone since ${spec.until}); use ${spec.replacement}`, {
      variables: [name],
      fixes: [renameFix(run, a, spec.replacement)],
    });
  } else if (spec.until !== undefined) {
    run.report(a.nameRange, 'warning', 'obsolete-variable', `${name} is not read by pbulk ${version} (gone since ${spec.until}): ${spec.doc}`, {
      variables: [name],
    });
  } else {
    const vendor = spec.vendor ? ` (and only in ${spec.vendor}'s copies)` : '';
    run.report(a.nameRange, 'warning', 'variable-not-in-version', `${name} is not read by pbulk ${version}: it first appears in ${spec.since}${vendor}`, {
      variables: [name],
    });
  }
}
