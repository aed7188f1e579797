// What every handler gets: the connection, the open documents and the shared per-document state.
// One instance per server process, passed explicitly (no module-level singletons).
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from './analysis';
import type { LimitedListLinks } from './limitedLists';
import type { PackagePaths } from './packagePaths';
import type { ConfEvaluation, FileProbe, PbulkVersion } from '../pkgsrc/conf';
import type { ServerSettings } from '../protocol/languageServer';

export interface ServerContext {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  /** The current settings (defaults until the client answered). */
  settings(): ServerSettings;
  /** What the client can do, from its initialize request. */
  readonly client: { snippets: boolean };
  /**
   * The pbulk version a config is checked against: the setting, else the pbulk installed where
   * the config's own paths (or a common prefix) point, else the current version.
   */
  pbulkVersion(evaluation?: ConfEvaluation): PbulkVersion;
  /** File system questions, cached for a moment so typing does not stat the same paths again. */
  readonly probe: FileProbe;
  /** File system paths of the workspace folders. */
  workspaceFolders(): string[];
  /** Parsed state of an open document at its current version; undefined when it is not open. */
  analysisOf(uri: string): Analysis | undefined;
  readonly links: LimitedListLinks;
  readonly packagePaths: PackagePaths;
  /** Checks the document again after the configured delay (0: right away). */
  revalidate(uri: string, delayMs?: number): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}
