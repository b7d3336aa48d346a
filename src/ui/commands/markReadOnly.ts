// liqo.cluster.markReadOnly / liqo.cluster.allowWrites: the row menu's way to list or unlist a context's exact name in
// liqo.readOnlyContexts, at User scope so it is visible in Settings and travels with the user's settings. A context
// that stays read-only through a wider pattern is said so, with the pattern to edit (it may cover other contexts).
import * as vscode from 'vscode';
import type { Command, CommandDeps } from './command.ts';
import { entryIdOf, selectedRows } from './command.ts';
import { READ_ONLY_SETTING, withoutReadOnly, withReadOnly } from '../../core/readOnly/readOnlyContexts.ts';
import { readOnlyContextsAtUserScope, setReadOnlyContextsAtUserScope } from '../settings.ts';

function contextNames(deps: CommandDeps, arg: unknown, all: unknown): string[] {
  const names = selectedRows(arg, all)
    .map((a) => entryIdOf(deps.model, a))
    .map((id) => deps.model.clusters.find((c) => c.id === id)?.contextName)
    .filter((n): n is string => n !== undefined);
  return [...new Set(names)];
}

async function pickContexts(deps: CommandDeps, title: string, want: (readOnly: boolean) => boolean): Promise<string[]> {
  const picks = await vscode.window.showQuickPick(
    deps.model.clusters.filter((c) => want(deps.model.readOnly.matchOf(c.contextName) !== undefined)).map((c) => ({ label: c.contextName, description: c.server })),
    { title, canPickMany: true },
  );
  return [...new Set((picks ?? []).map((p) => p.label))];
}

export const markReadOnly: Command = {
  id: 'liqo.cluster.markReadOnly',
  async run(deps, arg, all) {
    let names = contextNames(deps, arg, all);
    if (names.length === 0) names = await pickContexts(deps, 'Mark contexts read-only', (ro) => !ro);
    if (names.length === 0) return;
    let patterns = readOnlyContextsAtUserScope();
    for (const n of names) patterns = withReadOnly(patterns, n);
    await setReadOnlyContextsAtUserScope(patterns);
    deps.model.setReadOnlyContexts(vscode.workspace.getConfiguration().get(READ_ONLY_SETTING));
    void vscode.window.showInformationMessage(`${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} read-only (listed in ${READ_ONLY_SETTING}, User settings): commands that write to ${names.length === 1 ? 'it' : 'them'} refuse.`);
  },
};

export const allowWrites: Command = {
  id: 'liqo.cluster.allowWrites',
  async run(deps, arg, all) {
    let names = contextNames(deps, arg, all);
    if (names.length === 0) names = await pickContexts(deps, 'Allow writes to contexts', (ro) => ro);
    if (names.length === 0) return;
    let patterns = readOnlyContextsAtUserScope();
    for (const n of names) patterns = withoutReadOnly(patterns, n).patterns;
    await setReadOnlyContextsAtUserScope(patterns);
    deps.model.setReadOnlyContexts(vscode.workspace.getConfiguration().get(READ_ONLY_SETTING));
    // What still holds: a wider User pattern, or any pattern in Workspace or Remote settings (which this does not edit).
    const still = names.map((n) => ({ n, by: deps.model.readOnly.matchOf(n) })).filter((s) => s.by !== undefined);
    if (still.length) {
      void vscode.window.showWarningMessage(
        `Still read-only: ${still.map((s) => `${s.n} (matches "${s.by}")`).join(', ')}. That pattern in ${READ_ONLY_SETTING} covers the context${still.length === 1 ? '' : 's'} (and may cover others): edit it in Settings (User, Remote or Workspace) to lift it.`,
        'Open Settings',
      ).then((a) => (a === 'Open Settings' ? vscode.commands.executeCommand('workbench.action.openSettings', READ_ONLY_SETTING) : undefined));
      return;
    }
    void vscode.window.showInformationMessage(`${names.join(', ')}: writes allowed again.`);
  },
};
