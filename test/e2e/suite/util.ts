// Helpers for the extension-host tests: the extension under test, and waiting on conditions.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { PkgsrcBulkApi } from '../../../src/extension/extension';
import type { WorkspaceInfo } from '../fixtures/workspace';

export const EXTENSION_ID = 'pkgsrc-bulk.pkgsrc-bulk';

/** The extension under test, activated; its API object. */
export async function activateExtension(): Promise<PkgsrcBulkApi> {
  const ext = vscode.extensions.getExtension<PkgsrcBulkApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this extension host`);
  return ext.activate();
}

/** The workspace folder the run opened (the generated sample workspace). */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open');
  return folder.uri;
}

/** What the run's sample workspace holds (written beside the bundle by test/e2e/run.mjs). */
export function sampleWorkspace(): WorkspaceInfo {
  return JSON.parse(fs.readFileSync(path.join(__dirname, 'workspace.json'), 'utf8')) as WorkspaceInfo;
}

/**
 * Resolves with the first truthy value of `probe`, re-evaluated whenever `events` fire (and once
 * at the start), or rejects after `timeoutMs` naming what it waited for.
 */
export function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  events: vscode.Event<unknown>[],
  timeoutMs = 30_000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const subs: vscode.Disposable[] = [];
    let settled = false;
    const finish = (err: Error | null, value?: T) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const s of subs) s.dispose();
      if (err) reject(err);
      else resolve(value as T);
    };
    const check = async () => {
      try {
        const v = await probe();
        if (v) finish(null, v);
      } catch (e) {
        finish(e instanceof Error ? e : new Error(String(e)));
      }
    };
    const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
    for (const ev of events) subs.push(ev(() => void check()));
    void check();
  });
}
