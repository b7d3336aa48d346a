// liqo.cluster.muteAlerts: no alert for this context (or each selected one, or the ones picked) until unmuted;
// stored by context name in the user's liqo.alerts.mutedContexts. The status bar still counts its failures.
import * as vscode from 'vscode';
import type { Command, CommandDeps } from './command.ts';
import { entryIdOf, selectedRows } from './command.ts';
import { readAlertSettings, setContextsMuted } from '../settings.ts';

export async function contextNamesOf(deps: CommandDeps, arg: unknown, all: unknown, muted: boolean): Promise<string[]> {
  const names = selectedRows(arg, all)
    .map((a) => entryIdOf(deps.model, a))
    .map((id) => (id === undefined ? undefined : deps.model.entry(id)?.contextName))
    .filter((n): n is string => n !== undefined);
  if (names.length) return names;
  const current = readAlertSettings().muted;
  const candidates = [...new Set(deps.model.clusters.map((e) => e.contextName))].filter((n) => current.has(n) === !muted);
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(muted ? 'Every context is muted already.' : 'No context is muted.');
    return [];
  }
  const picks = await vscode.window.showQuickPick(candidates, { title: muted ? 'Mute Liqo alerts for contexts' : 'Unmute Liqo alerts for contexts', canPickMany: true });
  return picks ?? [];
}

export const muteAlerts: Command = {
  id: 'liqo.cluster.muteAlerts',
  async run(deps, arg, all) {
    const names = await contextNamesOf(deps, arg, all, true);
    if (names.length === 0) return;
    await setContextsMuted(names, true);
    void vscode.window.showInformationMessage(`Liqo alerts muted for ${names.join(', ')} (setting liqo.alerts.mutedContexts).`);
  },
};
