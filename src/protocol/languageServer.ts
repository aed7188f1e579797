// Messages between the extension's language client and the pbulk.conf language server beyond
// standard LSP. Both sides import this file, so a method name or payload shape is written
// once; it imports no RPC package because the client and the server bundle different versions.

export const LanguageIds = {
  conf: 'pbulk-conf',
  limitedList: 'pkgsrc-limited-list',
} as const;

/** Server -> client: the file a pbulk.conf names in `limited_list` (pbulk's limited build list). */
export interface LimitedListLinkParams {
  /** URI of the pbulk.conf document. */
  conf: string;
  /** Absolute file system path of the list, or null when the conf sets none (or it is dynamic). */
  limitedList: string | null;
}

/** Method name -> parameter type, for every server -> client notification. */
export interface ServerNotifications {
  'pkgsrcBulk/limitedListLink': LimitedListLinkParams;
}

export const ServerNotification = {
  limitedListLink: 'pkgsrcBulk/limitedListLink',
} as const satisfies Record<string, keyof ServerNotifications>;

/** The `pkgsrcBulk` settings the server reads (workspace/configuration section `pkgsrcBulk`). */
export interface ServerSettings {
  /** pkgsrc tree used when a limited_list is not referenced by an open pbulk.conf. */
  pkgsrc: string;
  /** pbulk version config_version must match; empty: detect, else the current version. */
  pbulkVersion: string;
  conf: {
    /** Extra globs of pbulk.conf files (used by the client for language association). */
    files: string[];
    /** Check that named paths exist on this machine. */
    checkPaths: boolean;
    /** Debounce of diagnostics after an edit, in milliseconds. */
    validationDelay: number;
  };
  /** Globs of limited_list files (used by the client for language association). */
  limitedListGlobs: string[];
}

export const ConfigurationSection = 'pkgsrcBulk';
