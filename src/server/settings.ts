// The `pkgsrcBulk` settings as the server sees them. Values come from the client (a settings.json
// the user typed by hand), so each field is checked on its own: a bad one falls back to its
// default and is reported, the others still apply.
import { z } from 'zod';
import type { ServerSettings } from '../protocol/languageServer';

export const defaultSettings: ServerSettings = {
  pkgsrc: '',
  pbulkVersion: '',
  conf: { files: [], checkPaths: true, validationDelay: 150 },
  limitedListGlobs: ['**/limited_list', '**/*.limited_list'],
};

const fields = {
  pkgsrc: z.string(),
  pbulkVersion: z.string().regex(/^(\d+\.\d+)?$/, 'expected a version such as 0.51, or empty'),
  'conf.files': z.array(z.string()),
  'conf.checkPaths': z.boolean(),
  'conf.validationDelay': z.number().min(0).max(5000),
  limitedListGlobs: z.array(z.string()),
} as const;

export interface SettingsResult {
  settings: ServerSettings;
  /** One line per rejected field, e.g. `pkgsrcBulk.conf.validationDelay: ...`. */
  errors: string[];
}

function lookup(raw: unknown, dotted: string): unknown {
  let v: unknown = raw;
  for (const key of dotted.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** Reads settings from what workspace/configuration returned (an object, or null/undefined). */
export function parseSettings(raw: unknown): SettingsResult {
  const errors: string[] = [];
  const pick = <K extends keyof typeof fields>(key: K, fallback: z.infer<(typeof fields)[K]>): z.infer<(typeof fields)[K]> => {
    const value = lookup(raw, key);
    if (value === undefined || value === null) return fallback;
    const r = fields[key].safeParse(value);
    if (r.success) return r.data as z.infer<(typeof fields)[K]>;
    errors.push(`pkgsrcBulk.${key}: ${r.error.issues.map((i) => i.message).join('; ')} (using the default)`);
    return fallback;
  };
  const d = defaultSettings;
  return {
    settings: {
      pkgsrc: pick('pkgsrc', d.pkgsrc),
      pbulkVersion: pick('pbulkVersion', d.pbulkVersion),
      conf: {
        files: pick('conf.files', d.conf.files),
        checkPaths: pick('conf.checkPaths', d.conf.checkPaths),
        validationDelay: pick('conf.validationDelay', d.conf.validationDelay),
      },
      limitedListGlobs: pick('limitedListGlobs', d.limitedListGlobs),
    },
    errors,
  };
}
