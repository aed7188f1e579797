// Small pkgsrc trees spelled out package by package, for engine tests that need exact names
// and outcomes (the generator in test/fixtures/generate.ts makes the large random ones). The
// Makefiles use the knobs of test/fixtures/mk/bsd.pkg.mk.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeMkFiles } from '../fixtures/mk';

export interface SmallPackage {
  /** `category/dir` */
  path: string;
  /** DISTNAME, e.g. `foo-1.0`; PKGNAME follows it (plus PKGREVISION). */
  distname: string;
  pkgname?: string;
  revision?: number;
  /** `pattern:../../cat/dir` entries (patterns as written) or bare `cat/dir` (pattern `dir-[0-9]*`). */
  depends?: string[];
  buildDepends?: string[];
  broken?: string;
  failPhase?: string;
  failOnly?: string;
  buildSeconds?: number;
  pythonVersions?: string[];
  destdir?: 'user-destdir' | 'destdir' | 'none';
  extra?: string[];
  rcsRevision?: number;
  /** DISTFILES and MASTER_SITES (file:// sites are copied from; others fail as without a network). */
  distfiles?: string[];
  masterSites?: string[];
}

function dep(d: string): string {
  if (d.includes(':')) return d;
  const dir = d.split('/')[1]!;
  return `${dir.replace(/^py-/, '${PYPKGPREFIX}-')}-[0-9]*:../../${d}`;
}

export function packageMakefile(p: SmallPackage): string {
  const L = [`# $NetBSD: Makefile,v 1.${p.rcsRevision ?? 1} 2013/01/01 00:00:00 test Exp $`, '', `DISTNAME=\t${p.distname}`];
  if (p.pkgname) L.push(`PKGNAME=\t${p.pkgname}`);
  if (p.revision) L.push(`PKGREVISION=\t${p.revision}`);
  L.push(`CATEGORIES=\t${p.path.split('/')[0]}`, `COMMENT=\tTest package ${p.distname}`);
  for (const d of p.depends ?? []) L.push(`DEPENDS+=\t${dep(d)}`);
  for (const d of p.buildDepends ?? []) L.push(`BUILD_DEPENDS+=\t${dep(d)}`);
  if (p.broken) L.push(`BROKEN=\t${p.broken}`);
  if (p.failPhase) L.push(`FIXTURE_FAIL_PHASE=\t${p.failPhase}`);
  if (p.failOnly) L.push(`FIXTURE_FAIL_ONLY=\t${p.failOnly}`);
  if (p.buildSeconds !== undefined) L.push(`FIXTURE_BUILD_SECONDS=\t${p.buildSeconds}`);
  if (p.pythonVersions) L.push(`PYTHON_VERSIONS_ACCEPTED=\t${p.pythonVersions.join(' ')}`);
  if (p.destdir) L.push(`PKG_DESTDIR_SUPPORT=\t${p.destdir}`);
  if (p.distfiles) L.push(`DISTFILES=\t${p.distfiles.join(' ')}`);
  if (p.masterSites) L.push(`MASTER_SITES=\t${p.masterSites.join(' ')}`);
  L.push(...(p.extra ?? []), '', '.include "../../mk/bsd.pkg.mk"', '');
  return L.join('\n');
}

/** Writes top, category and package Makefiles plus mk/ under root. */
export function writeSmallTree(root: string, packages: SmallPackage[]): void {
  mkdirSync(root, { recursive: true });
  const cats = new Map<string, string[]>();
  for (const p of packages) {
    const [c, d] = p.path.split('/') as [string, string];
    cats.set(c, [...(cats.get(c) ?? []), d]);
    writePackage(root, p);
  }
  const top = [...cats.keys()].sort();
  writeFileSync(join(root, 'Makefile'), [...top.map((c) => `SUBDIR+=\t${c}`), '', '.include "mk/misc/toplevel.mk"', ''].join('\n'));
  for (const [c, dirs] of cats) {
    writeFileSync(
      join(root, c, 'Makefile'),
      [`COMMENT=\t${c}`, '', ...dirs.sort().map((d) => `SUBDIR+=\t${d}`), '', '.include "../mk/misc/category.mk"', ''].join('\n'),
    );
  }
  writeMkFiles(root);
}

export function writePackage(root: string, p: SmallPackage): void {
  mkdirSync(join(root, p.path), { recursive: true });
  writeFileSync(join(root, p.path, 'Makefile'), packageMakefile(p));
}
