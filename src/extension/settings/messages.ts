// Messages between the settings form's webview (media/settings/settings.js) and the extension,
// written once here. What the webview sends is checked with zod before anything acts on it.
import { z } from 'zod';
import type { SettingsModel } from './model';

export const fromWebview = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  /** Give a setting this value as written (adds it when the file lacks it). */
  z.object({ type: z.literal('set'), name: z.string(), value: z.string() }),
  /** Remove the setting's assignments. */
  z.object({ type: z.literal('unset'), name: z.string() }),
  /** Choose a path for the setting with a file dialog. */
  z.object({ type: z.literal('pick'), name: z.string() }),
  /** Apply a quick fix offered with the model. */
  z.object({ type: z.literal('fix'), id: z.string() }),
  /** Show a 0-based line in the text editor. */
  z.object({ type: z.literal('reveal'), line: z.number().int().nonnegative() }),
  /** Open the file in the text editor. */
  z.object({ type: z.literal('openText') }),
]);

export type FromWebview = z.infer<typeof fromWebview>;

export type ToWebview =
  /** The whole form, after every change of the text or of its diagnostics. */
  | { type: 'model'; model: SettingsModel; version: number }
  /** A change the form could not make, said next to the setting. */
  | { type: 'notice'; name?: string; message: string };
