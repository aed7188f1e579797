// Public API of the pbulk.conf / limited_list library, used by the language server (completion,
// hover, diagnostics, quick fixes), the engine (loadPbulkConf) and the `lint` command.
export type {
  Assignment,
  Comment,
  CommandStatement,
  ConfDiagnostic,
  ConfDocument,
  ConfFix,
  DynamicKind,
  DynamicRegion,
  ExportStatement,
  Reference,
  ReferenceContext,
  RelatedInformation,
  Statement,
  TextEdit,
  UlimitStatement,
  UnsetStatement,
  Word,
  WordPart,
} from './types';
export { parseConf, plainText } from './parser';
export { evaluateConf, staticValue, valueChain } from './evaluate';
export type { ConfEvaluation, ReferenceStatus, ReferenceUse, UlimitCall, ValueOrigin, VariableState } from './evaluate';
export { checkConf } from './check';
export type { BooleanMeaning, ConfCheckContext } from './checks/run';
export { booleanMeaning } from './checks/run';
export { checkLimitedList, limitedListLocations, PACKAGE_LOCATION, parseLimitedList, stripsComments } from './limited-list';
export type { LimitedList, LimitedListEntry } from './limited-list';
export { loadPbulkConf, readConfText, MAX_CONF_BYTES } from './load';
export type { ConfValue, LoadedConf } from './load';
export { detectFileKind } from './kind';
export type { ConfFileKind } from './kind';
export { createConfContext, pbulkPrefixesOf, resolvePbulkVersion } from './context';
export type { ConfContextOptions } from './context';
export { cachedProbe, realProbe, tableProbe } from './probe';
export type { FileInfo, FileProbe } from './probe';
export {
  compareVersions,
  configVersionOf,
  COMMON_PBULK_PREFIXES,
  CURRENT_PBULK_VERSION,
  defaultPbulkVersion,
  detectPbulkVersion,
  KNOWN_PBULK_VERSIONS,
} from './version';
export type { PbulkVersion } from './version';
export {
  allVariables,
  booleanParsings,
  booleanText,
  confSchema,
  knownIn,
  markdownProse,
  sections,
  valueTypes,
  variableInfo,
  variableMarkdown,
  variableSpec,
  versionsText,
} from './schema/index';
export type { BooleanParsing, VariableSpec } from './schema/index';
export { LineIndex, comparePositions, rangeContains } from './positions';
export { suggestName } from './suggest';
export { checkCodes } from './codes';
export type { CheckCode } from './codes';
