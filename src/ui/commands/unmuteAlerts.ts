// liqo.cluster.unmuteAlerts: alerts again for this context (or each selected one, or the ones picked); what is
// already failing when unmuted is taken as it is, not announced (core/alerts/transitions.ts).
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import { readAlertSettings, setContextsMuted } from '../settings.ts';
import { contextNamesOf } from './muteAlerts.ts';

export const unmuteAlerts: Command = {
  id: 'liqo.cluster.unmuteAlerts',
  async run(deps, arg, all) {
    const names = await contextNamesOf(deps, arg, all, false);
    if (names.length === 0) return;
    const muted = readAlertSettings().muted;
    const notMuted = names.filter((n) => !muted.has(n));
    await setContextsMuted(names, false);
    const stillMuted = readAlertSettings().muted;
    const workspaceKept = names.filter((n) => stillMuted.has(n));
    if (workspaceKept.length) void vscode.window.showWarningMessage(`${workspaceKept.join(', ')} stay muted by the workspace's liqo.alerts.mutedContexts setting.`);
    else void vscode.window.showInformationMessage(notMuted.length === names.length ? `${names.join(', ')} ${names.length === 1 ? 'was' : 'were'} not muted.` : `Liqo alerts on again for ${names.join(', ')}.`);
  },
};
