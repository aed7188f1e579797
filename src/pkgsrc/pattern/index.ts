// pkg_install package patterns and version order, as pbulk-resolve uses them.
export { compareVersions, deweyTest, parseVersion, compareParsed, type DeweyOp, type Version } from './dewey';
export { fnmatch, compileGlob, type Glob } from './fnmatch';
export {
  compilePattern,
  expandFirstGroup,
  leavesOf,
  matchCompiled,
  patternError,
  pkgMatch,
  quickMatch,
  type CompiledPattern,
  type Leaf,
  type MatchOptions,
} from './match';
export { bestMatch, comparePkgnames, pkgOrder, pkgVersion, splitPkgname, type SplitName } from './order';
