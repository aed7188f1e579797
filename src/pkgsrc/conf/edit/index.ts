// Form-driven edits of a pbulk.conf: the value a form shows for each setting and the minimal
// text edits that carry a change made in the form back into the file.
export { settingEdits } from './edits';
export type { SettingChange, SettingEditResult } from './edits';
export { insertionOffset } from './place';
export { settingSite } from './site';
export type { SettingSite } from './site';
export { formValueOf, quoteStyleOf, referencedNames, shellWord, valuePieces } from './word';
export type { FormValue, QuoteStyle, ValuePiece } from './word';
