// Build states per package path, without VS Code: the variants of a multi-version location
// folded into one state. The states and their words are src/pkgsrc/states.ts's.
import { ATTENTION_ORDER, STATE_LOOK, type BuildState } from '../../pkgsrc/states';

export interface VariantState {
  pkgname: string;
  state: BuildState;
  /** e.g. the failing phase, or the packages an indirect failure comes from. */
  detail?: string;
}

export interface LocationState {
  state: BuildState;
  variants: VariantState[];
}

/** Which variant's state a location shows: the one a user most needs to see. */
export function locationState(variants: VariantState[]): LocationState | undefined {
  let best: BuildState | undefined;
  for (const v of variants) if (best === undefined || ATTENTION_ORDER.indexOf(v.state) < ATTENTION_ORDER.indexOf(best)) best = v.state;
  return best === undefined ? undefined : { state: best, variants };
}

/** One variant as its tooltip line says it: `failed (build phase)`. */
export function variantText(v: VariantState): string {
  return `${STATE_LOOK[v.state].word}${v.detail ? ` (${v.detail})` : ''}`;
}
