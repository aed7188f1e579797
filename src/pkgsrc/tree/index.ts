// The pkgsrc tree model (no vscode import): used by the tree view, the CLI and the engine.
export { PkgsrcTree, uniqueProblems } from './tree';
export type { TreeOptions } from './tree';
export type { ParallelStats, WorkerOptions } from './worker-pool';
export { checkPkgsrcRoot, findPkgsrcRoot, isPkgsrcRoot } from './root';
export type { RootCheck } from './root';
export { displayName } from './package';
export { findEntries, findPackages } from './find';
export type { FindEntry, Findable } from './find';
export { parseMakefile, hasExpression, spanRange } from './makefile';
export type { AssignOp, Span, MkAssignment, MkInclude, MkStatement, MkWord, ParsedMakefile, ParseOptions } from './makefile';
export { readSubdirs } from './category';
export { evaluate } from './values';
export * from './types';
