// What every handler gets: the connection, the open documents and the shared per-document state.
// One instance per server process, passed explicitly (no module-level singletons).
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from './analysis';
import type { LimitedListLinks } from './limitedLists';
import type { PackagePaths } from './packagePaths';
import type { PbulkVersion } from '../pkgsrc/conf/version';
import type { ServerSettings } from './protocol';

export interface ServerContext {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  /** The current settings (defaults until the client answered). */
  settings(): ServerSettings;
  /** What the client can do, from its initialize request. */
  readonly client: { snippets: boolean };
  /** The pbulk version configs are checked against (setting, detected, or the current one). */
  pbulkVersion(): PbulkVersion;
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
