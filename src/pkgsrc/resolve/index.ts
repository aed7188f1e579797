// pbulk-resolve compatible dependency resolution.
export {
  resolveFiles,
  resolveGlobal,
  resolveIncremental,
  type PresolveRecord,
  type ResolveFilesOptions,
  type ResolveOptions,
  type ResolveResult,
} from './resolve';
export { messageLine, messageProblem, type ResolveCode, type ResolveMessage } from './messages';
export { CandidateIndex } from './candidates';
export { resolveLimited, type LimitedOptions, type LimitedResult, type LimitedRound } from './limited';
