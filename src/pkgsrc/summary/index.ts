// pkg_summary(5): the index of a binary package repository that pkgin and pkg_add read.
export * from './record';
export { formatPkgSummary, formatSummaryRecord } from './format';
export { parsePkgSummary, type ParseSummaryOptions, type SummaryParse } from './parse';
