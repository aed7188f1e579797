// Publishing gates from the engine settings: a repository goes out only when the build made
// at least `minPackages` packages and every required package (a location such as
// pkgtools/pkgin, a PKGBASE such as pkgin, or an exact PKGNAME) is among the successful ones.

export interface Gates {
  minPackages?: number;
  requiredPackages?: string[];
}

export interface GateResult {
  passed: boolean;
  /** Successful packages counted. */
  built: number;
  /** Required entries no successful package matched. */
  missing: string[];
  /** Why the gates refuse, one sentence each; empty when passed. */
  reasons: string[];
}

/** PKGNAME without its version: the part before the last hyphen. */
export function pkgbase(pkgname: string): string {
  const i = pkgname.lastIndexOf('-');
  return i > 0 ? pkgname.slice(0, i) : pkgname;
}

export function evaluateGates(gates: Gates, success: readonly { pkgname: string; location?: string }[]): GateResult {
  const names = new Set(success.map((s) => s.pkgname));
  const bases = new Set(success.map((s) => pkgbase(s.pkgname)));
  const locations = new Set(success.flatMap((s) => (s.location ? [s.location] : [])));
  const built = names.size;
  const reasons: string[] = [];
  if (gates.minPackages !== undefined && built < gates.minPackages)
    reasons.push(`${built} package(s) built, fewer than the ${gates.minPackages} the publish gate asks for`);
  const missing = (gates.requiredPackages ?? []).filter((r) => (r.includes('/') ? !locations.has(r.replace(/\/+$/, '')) : !names.has(r) && !bases.has(r)));
  if (missing.length > 0) reasons.push(`required package(s) not built: ${missing.join(', ')}`);
  return { passed: reasons.length === 0, built, missing, reasons };
}
