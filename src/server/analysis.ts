// Parsed and evaluated state of each open document, computed once per version and shared by all
// handlers (hover, completion, symbols ...). Parsing never executes the file.
import { fileURLToPath } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { type ConfDocument, type ConfEvaluation, evaluateConf, parseConf } from '../pkgsrc/conf';
import { LanguageIds } from '../protocol/languageServer';

/** Larger documents are not analysed: a pbulk.conf is a few KB, a whole-tree limited_list ~400 KB. */
const maxAnalysedLength = 4 * 1024 * 1024;

interface Base {
  uri: string;
  version: number;
  /** File system path for file: URIs, else the URI itself (used as the label in messages). */
  file: string;
  /** Set when the text was too large to analyse. */
  tooLarge?: number;
}

export interface ConfAnalysis extends Base {
  kind: 'conf';
  doc: ConfDocument;
  evaluation: ConfEvaluation;
}

export interface ListAnalysis extends Base {
  kind: 'list';
  text: string;
}

export type Analysis = ConfAnalysis | ListAnalysis;

export function uriToFile(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

export function analyse(td: TextDocument): Analysis {
  const file = uriToFile(td.uri);
  const full = td.getText();
  const tooLarge = full.length > maxAnalysedLength ? full.length : undefined;
  const text = tooLarge ? '' : full;
  const base: Base = { uri: td.uri, version: td.version, file, ...(tooLarge ? { tooLarge } : {}) };
  if (td.languageId === LanguageIds.limitedList) return { ...base, kind: 'list', text };
  const doc = parseConf(text, file);
  return { ...base, kind: 'conf', doc, evaluation: evaluateConf(doc) };
}

export class AnalysisCache {
  private readonly byUri = new Map<string, Analysis>();

  get(td: TextDocument): Analysis {
    const cached = this.byUri.get(td.uri);
    if (cached && cached.version === td.version && (cached.kind === 'list') === (td.languageId === LanguageIds.limitedList)) return cached;
    const a = analyse(td);
    this.byUri.set(td.uri, a);
    return a;
  }

  delete(uri: string): void {
    this.byUri.delete(uri);
  }
}
