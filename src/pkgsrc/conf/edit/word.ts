// A setting's value as a form shows it, and back to a shell word. The form value is the text of
// the value with the quoting taken off but the ${var} references kept as written: `"gzip -nf -9"`
// shows as `gzip -nf -9`, `${prefix}/bin/bmake` as itself. Writing quotes only what needs it,
// keeping the quote style the value had. Values with anything a form cannot show faithfully
// (command substitution, tilde expansion, a literal `$` that would read as a reference ...) have
// no form value: the form shows their line read-only.
import type { Word, WordPart } from '../types';

/** A piece of a form value: literal text, or a reference kept as written. */
export type ValuePiece = { lit: string } | { ref: string };

/** `$name`, `${name}` and `${name op word}` with a default/alternative/pattern op and a plain word. */
const REFERENCE = /\$\{[A-Za-z_][A-Za-z0-9_]*(?:(?::?[-+]|##?|%%?)[^}'"`$\\]*)?\}|\$[A-Za-z_][A-Za-z0-9_]*/g;
/** The word after the operator of `${name op word}`. */
const OP_WORD = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[-+]|##?|%%?)(.*)\}$/;
/** Characters that need no quoting in an assignment's value. */
const PLAIN = /^[A-Za-z0-9_./:@%+,=-]*$/;

/** Splits a form value into literal text and references. */
export function valuePieces(value: string): ValuePiece[] {
  const out: ValuePiece[] = [];
  let at = 0;
  for (const m of value.matchAll(REFERENCE)) {
    if (m.index > at) out.push({ lit: value.slice(at, m.index) });
    out.push({ ref: m[0] });
    at = m.index + m[0].length;
  }
  if (at < value.length) out.push({ lit: value.slice(at) });
  return out;
}

/** The names a form value refers to. */
export function referencedNames(value: string): string[] {
  return valuePieces(value).flatMap((p) => ('ref' in p ? [/^\$\{?([A-Za-z_][A-Za-z0-9_]*)/.exec(p.ref)![1]!] : []));
}

export type FormValue = { value: string } | { unrepresentable: string };

/**
 * The form value of a word, given the document text (references are kept as written), or why it
 * has none.
 */
export function formValueOf(word: Word, text: string, offsetOf: (p: { line: number; character: number }) => number): FormValue {
  const pieces: ValuePiece[] = [];
  const add = (p: ValuePiece): void => {
    const last = pieces[pieces.length - 1];
    if ('lit' in p && p.lit === '') return;
    if ('lit' in p && last && 'lit' in last) last.lit += p.lit;
    else pieces.push(p);
  };
  const walk = (parts: WordPart[], quoted: boolean): string | undefined => {
    for (const [i, p] of parts.entries()) {
      switch (p.kind) {
        case 'literal':
          if (!quoted && ((i === 0 && p.text.startsWith('~')) || p.text.includes(':~'))) return 'tilde expansion (a home directory)';
          add({ lit: p.text });
          break;
        case 'single':
          add({ lit: p.text });
          break;
        case 'double': {
          const why = walk(p.parts, true);
          if (why) return why;
          break;
        }
        case 'param': {
          const raw = text.slice(offsetOf(p.range.start), offsetOf(p.range.end));
          if (p.ref.special) return `$${p.ref.name}, set by whoever sources the file`;
          const m = raw.match(REFERENCE);
          if (!m || m[0] !== raw) return `${raw}, an expansion the form does not edit`;
          add({ ref: raw });
          break;
        }
        case 'command':
          return 'a command substitution, known only when the file runs';
        case 'arith':
          return 'an arithmetic expansion';
      }
    }
    return undefined;
  };
  const why = walk(word.parts, false);
  if (why) return { unrepresentable: why };
  const value = pieces.map((p) => ('lit' in p ? p.lit : p.ref)).join('');
  // A literal `$name` (quoted or escaped in the file) would read back as a reference.
  const again = valuePieces(value);
  const same = again.length === pieces.length && again.every((p, i) => JSON.stringify(p) === JSON.stringify(pieces[i]));
  if (!same) return { unrepresentable: 'a literal $ or a reference run together with text' };
  return { value };
}

export type QuoteStyle = 'plain' | 'double' | 'single';

/** How a word is quoted as a whole: `"..."`, `'...'`, or anything else. */
export function quoteStyleOf(word: Word): QuoteStyle {
  if (word.parts.length === 1) {
    const k = word.parts[0]!.kind;
    if (k === 'double') return 'double';
    if (k === 'single') return 'single';
  }
  return 'plain';
}

/** The shell word for a form value: sh expands it back to the same text and references. */
export function shellWord(value: string, style: QuoteStyle = 'plain'): string {
  const pieces = valuePieces(value);
  const refs = pieces.some((p) => 'ref' in p);
  if (style === 'single' && !refs && !value.includes("'")) return `'${value}'`;
  const plain = pieces.every((p) => PLAIN.test('lit' in p ? p.lit : (OP_WORD.exec(p.ref)?.[1] ?? '')));
  if (style === 'plain' && plain) return value;
  return `"${pieces.map((p) => ('lit' in p ? p.lit.replace(/[\\"`$]/g, '\\$&') : p.ref)).join('')}"`;
}
