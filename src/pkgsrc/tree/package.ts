// Static metadata of one package: the display variables of its Makefile, following
// `.include "…/Makefile.common"` one level (pbulk-reference §7.1: shared values often live
// there). Values with `${...}` stay as written and are marked unresolved.
import { dirname, resolve } from 'node:path';
import type { Problem, Range } from '../problem';
import { hasExpression, parseMakefile } from './makefile';
import type { MkInclude, ParsedMakefile } from './makefile';
import { packageVars } from './types';
import type { PackageInfo, PackageVar } from './types';
import { evaluateInto } from './values';
import type { MkValue } from './values';

const wantedVars: ReadonlySet<string> = new Set(packageVars);

/** The includes a package's metadata can come from (see commonTarget); bsd.pkg.mk and the like are not kept. */
const isCommon = (p: string) => p === 'Makefile.common' || p.endsWith('/Makefile.common');

export function parsePackageMakefile(text: string, file: string, bytes?: Buffer): ParsedMakefile {
  return parseMakefile(text, file, bytes ? { only: wantedVars, bytes, includes: isCommon } : { only: wantedVars, includes: isCommon });
}

/** `../../category/package/Makefile.common`: how a package names another one's. */
const sibling = /^\.\.\/\.\.\/([^/]+)\/([^/]+)\/Makefile\.common$/;

/** The Makefile.common an include brings in (absolute path), or undefined when not followed. */
export function commonTarget(makefile: string, inc: MkInclude): string | undefined {
  const p = inc.path;
  if (!isCommon(p) || hasExpression(p)) return undefined;
  // The two usual forms by string operations (path.resolve is costly run thousands of times in
  // a fresh process), when the Makefile's path is already normalized.
  const dir = makefile.slice(0, makefile.lastIndexOf('/'));
  if (makefile.startsWith('/') && !makefile.includes('//') && !makefile.includes('/./') && !makefile.includes('/../')) {
    if (p === 'Makefile.common') return `${dir}/Makefile.common`;
    const m = sibling.exec(p);
    const up = dir.lastIndexOf('/', dir.lastIndexOf('/') - 1);
    if (m && up >= 0 && m[1] !== '.' && m[1] !== '..' && m[2] !== '.' && m[2] !== '..') return `${dir.slice(0, up)}/${m[1]}/${m[2]}/Makefile.common`;
  }
  return resolve(dirname(makefile), p);
}

/** A Makefile.common as read: parsed, or absent / unreadable (with its own problems). */
export interface CommonFile {
  file: string;
  parsed?: ParsedMakefile;
  missing: boolean;
  problems: readonly Problem[];
}

export interface PackageInput {
  path: string;
  makefile: string;
  parsed: ParsedMakefile;
  /** Problems of reading the Makefile itself (encoding, size). */
  readProblems: readonly Problem[];
  commons: (file: string) => CommonFile | undefined;
}

const none: readonly never[] = Object.freeze([]);
const origin: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function buildPackageInfo(input: PackageInput): PackageInfo {
  const slash = input.path.indexOf('/');
  const problems: Problem[] = input.readProblems.length + input.parsed.problems.length === 0 ? [] : [...input.readProblems, ...input.parsed.problems];
  const includes: string[] = [];
  const vars: Partial<Record<PackageVar, MkValue>> = {};
  evaluateInto(vars, { file: input.makefile, statements: input.parsed.statements }, (inc) => {
    const target = commonTarget(input.makefile, inc);
    if (target === undefined) return undefined;
    const common = input.commons(target);
    if (!common) return undefined;
    includes.push(target);
    for (const p of common.problems) problems.push(p);
    if (common.missing && !inc.optional) {
      problems.push({
        file: input.makefile,
        range: inc.range,
        severity: 'error',
        message: `The included file ${inc.path} does not exist.`,
        code: 'missing-include',
      });
    }
    return common.parsed ? { file: target, statements: common.parsed.statements } : undefined;
  });
  if (!vars.COMMENT) {
    problems.push({
      file: input.makefile,
      range: origin,
      severity: 'information',
      message: 'No COMMENT in the Makefile or its Makefile.common.',
      code: 'no-comment',
    });
  }
  return {
    path: input.path,
    category: input.path.slice(0, slash),
    dir: input.path.slice(slash + 1),
    makefile: input.makefile,
    state: 'ok',
    vars,
    // Most packages have neither: one shared empty list instead of 20,000 small arrays.
    includes: includes.length > 0 ? includes : none,
    problems: problems.length > 0 ? problems : none,
  };
}

/** How a package is named for people: PKGNAME when set, else DISTNAME, with nbN when both are plain. */
export function displayName(info: PackageInfo): { name: string; unresolved: boolean } | undefined {
  const base = info.vars.PKGNAME ?? info.vars.DISTNAME;
  if (!base) return undefined;
  const rev = info.vars.PKGREVISION;
  // nbN only goes on a name that is final: on `${...}` it would read as part of the expression.
  const withRev = rev && !rev.unresolved && !base.unresolved && /^[1-9][0-9]*$/.test(rev.value) ? `${base.value}nb${rev.value}` : base.value;
  return { name: withRev, unresolved: base.unresolved || (rev?.unresolved ?? false) };
}
