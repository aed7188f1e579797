// What pbulk's report phase uploads from the bulklog: meta/'s report files and status, and
// for each package in meta/error its phase logs, only those that exist. pbulk assumes the meta
// directory is `meta` under the bulklog; `metaRel` is where it really is.

const REPORT_META_FILES = ['report.bz2', 'report.txt', 'report.html', 'report.dot', 'report.svg', 'status'];
const UPLOADED_LOGS = ['pre-clean', 'depends', 'checksum', 'configure', 'build', 'install', 'package', 'clean', 'deinstall', 'work'];

/** Every file the report upload may carry, relative to the bulklog, in pbulk's order. */
export function reportCandidates(errorPkgs: readonly string[], metaRel = 'meta'): string[] {
  return [...REPORT_META_FILES.map((f) => `${metaRel}/${f}`), ...errorPkgs.flatMap((p) => UPLOADED_LOGS.map((l) => `${p}/${l}.log`))];
}

/** The rsync filter rules: the directories, then the candidates that exist, then `- *`. */
export function reportRules(errorPkgs: readonly string[], exists: (rel: string) => boolean, metaRel = 'meta'): string[] {
  const pkgs = [...new Set(errorPkgs)];
  return [
    `+ ${metaRel}/`,
    ...pkgs.map((p) => `+ ${p}/`),
    ...reportCandidates(pkgs, metaRel)
      .filter(exists)
      .map((f) => `+ ${f}`),
    '- *',
  ];
}
