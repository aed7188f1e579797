// Which pkgsrc tree the view shows: the `pkgsrcBulk.pkgsrc` setting when set, else the first
// workspace folder that is in a tree (or holds one in pkgsrc/).
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import * as vscode from 'vscode';
import { checkPkgsrcRoot, findPkgsrcRoot } from '../../pkgsrc/tree';

export type Located = { kind: 'found'; root: string; fromSetting: boolean } | { kind: 'missing' } | { kind: 'invalid'; setting: string; reason: string };

function folders(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

/** `~`, `${workspaceFolder}` and paths relative to the first workspace folder. */
export function expandSetting(value: string): string {
  const first = folders()[0];
  let v = value.replace(/\$\{workspaceFolder\}/g, first ?? '');
  if (v === '~' || v.startsWith('~/')) v = homedir() + v.slice(1);
  return isAbsolute(v) ? v : resolve(first ?? homedir(), v);
}

export async function locateTree(): Promise<Located> {
  const setting = vscode.workspace.getConfiguration('pkgsrcBulk').get<string>('pkgsrc', '').trim();
  if (setting !== '') {
    const check = await checkPkgsrcRoot(expandSetting(setting));
    return check.ok ? { kind: 'found', root: check.root, fromSetting: true } : { kind: 'invalid', setting, reason: check.reason };
  }
  const found = await findPkgsrcRoot(folders());
  return found ? { kind: 'found', root: found, fromSetting: false } : { kind: 'missing' };
}

/** Lets the user pick a directory, checks it, and writes the setting. */
export async function chooseTree(): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: 'Use as pkgsrc Tree',
    title: 'Choose a pkgsrc tree',
  });
  const dir = picked?.[0]?.fsPath;
  if (!dir) return undefined;
  return useTree(dir);
}

/** Writes `dir` to the `pkgsrcBulk.pkgsrc` setting if it is a pkgsrc tree; says why not otherwise. */
async function useTree(dir: string): Promise<string | undefined> {
  const check = await checkPkgsrcRoot(dir);
  if (!check.ok) {
    void vscode.window.showErrorMessage(`Not a pkgsrc tree: ${check.reason}.`);
    return undefined;
  }
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration('pkgsrcBulk').update('pkgsrc', check.root, target);
  return check.root;
}
