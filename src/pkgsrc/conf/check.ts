// Runs every pbulk.conf check and returns the diagnostics in document order, together with the
// parser's syntax problems. Pure apart from the file probe in the context.
import { comparePositions } from './positions';
import { checkBooleans } from './checks/booleans';
import { checkDangerousPaths } from './checks/dangerous';
import { checkExistence } from './checks/exists';
import { checkKitMkConf } from './checks/kit';
import { checkMaster } from './checks/master';
import { checkNames } from './checks/names';
import { checkPlaceholders } from './checks/placeholders';
import { checkReferences } from './checks/references';
import { CheckRun, type ConfCheckContext } from './checks/run';
import { checkChroots, checkCrossCompile, checkLimitedBuild, checkLoc, checkPublishing } from './checks/settings';
import { checkDuplicates, checkRequired, checkShellMistakes } from './checks/structure';
import { checkValues } from './checks/values';
import { checkConfigVersion } from './checks/version';
import type { ConfEvaluation } from './evaluate';
import type { ConfDiagnostic, ConfDocument } from './types';

const CHECKS: ((run: CheckRun) => void)[] = [
  checkNames,
  checkPlaceholders,
  checkConfigVersion,
  checkBooleans,
  checkMaster,
  checkValues,
  checkDangerousPaths,
  checkExistence,
  checkKitMkConf,
  checkLoc,
  checkLimitedBuild,
  checkPublishing,
  checkCrossCompile,
  checkChroots,
  checkReferences,
  checkDuplicates,
  checkRequired,
  checkShellMistakes,
];

export function checkConf(doc: ConfDocument, evaluation: ConfEvaluation, context: ConfCheckContext = {}): ConfDiagnostic[] {
  const run = new CheckRun(doc, evaluation, context);
  for (const check of CHECKS) check(run);
  return [...doc.problems, ...run.out].sort((a, b) => comparePositions(a.range.start, b.range.start) || comparePositions(a.range.end, b.range.end));
}
