// The bulklog library's states are the package states of src/pkgsrc/states.ts.
export { BROKEN_STATES, BUILD_STATES, FINAL_STATES, State, emptyTotals, isBroken, isBuildState, type BuildState, type FinalState } from '../states';
