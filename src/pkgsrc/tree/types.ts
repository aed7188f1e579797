// The shapes of the pkgsrc tree model: what the tree view, the CLI and the engine read.
import type { Problem, Range } from '../problem';
import type { MkDisabledEntry } from './makefile';
import type { MkValue } from './values';

export type { MkDisabledEntry } from './makefile';
export type { MkValue } from './values';

/** The variables read from a package Makefile (and one level of Makefile.common) for display. */
export const packageVars = ['COMMENT', 'CATEGORIES', 'MAINTAINER', 'OWNER', 'HOMEPAGE', 'DISTNAME', 'PKGNAME', 'PKGREVISION', 'LICENSE'] as const;
export type PackageVar = (typeof packageVars)[number];

/** Files of a package directory that the tree view offers to open. */
export const optionalFiles = ['DESCR', 'PLIST', 'distinfo', 'buildlink3.mk', 'options.mk', 'Makefile.common'] as const;
export type OptionalFile = (typeof optionalFiles)[number];

/** An active `SUBDIR+=` entry of the top Makefile. */
export interface CategoryEntry {
  name: string;
  /** Where the name stands in the top Makefile. */
  range: Range;
}

export interface TopLevel {
  root: string;
  makefile: string;
  categories: CategoryEntry[];
  /** Commented-out categories, e.g. regress. */
  disabled: MkDisabledEntry[];
  problems: Problem[];
}

/** An active `SUBDIR+=` entry of a category Makefile: a location pbulk scans. */
export interface PackageEntry {
  /** `category/dir` */
  path: string;
  category: string;
  dir: string;
  /** Where the name stands in the category Makefile. */
  range: Range;
}

export interface CategoryInfo {
  name: string;
  makefile: string;
  comment?: MkValue;
  packages: PackageEntry[];
  /** Commented-out entries with their reasons. */
  disabled: MkDisabledEntry[];
  problems: Problem[];
}

export interface PackageInfo {
  path: string;
  category: string;
  dir: string;
  /** Absolute path of the package Makefile (which may be missing, see `state`). */
  makefile: string;
  state: 'ok' | 'no-makefile' | 'no-dir' | 'unreadable';
  vars: Partial<Record<PackageVar, MkValue>>;
  /** Makefile.common files that were followed (absolute paths). */
  includes: readonly string[];
  problems: readonly Problem[];
}

export interface TreeTotals {
  categories: number;
  packages: number;
  disabledCategories: number;
  disabledPackages: number;
}

export interface TreeIndex {
  root: string;
  categories: CategoryInfo[];
  /** Every package location, category by category in SUBDIR order. */
  packages: PackageInfo[];
  /** Every problem found, each once. */
  problems: Problem[];
  totals: TreeTotals;
}

/** A category without its package entries, only their number. */
export interface CategorySummary extends Omit<CategoryInfo, 'packages'> {
  packageCount: number;
}

/** The tree without the packages' metadata (PkgsrcTree.overview): what `pkgsrc-bulk tree` prints. */
export interface TreeOverview {
  root: string;
  categories: CategorySummary[];
  /** Every problem found, each once, in the order TreeIndex has them. */
  problems: Problem[];
  totals: TreeTotals;
}

/** What an edit on disk changed, so a view refreshes only that. */
export type TreeChange = { kind: 'none' } | { kind: 'root' } | { kind: 'category'; category: string } | { kind: 'packages'; paths: string[] };
