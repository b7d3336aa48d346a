// liqo.tunnel.stop: the status-bar item's action. Pick a tunnel; an open one is stopped, a dropped one is reopened
// or stopped. "Stop All" ends every tunnel of this window.
import * as vscode from 'vscode';
import type { Command } from './command.ts';

export const stopTunnel: Command = {
  id: 'liqo.tunnel.stop',
  async run({ tunnels }) {
    const all = tunnels.all;
    if (all.length === 0) {
      void vscode.window.showInformationMessage('No SSH tunnel is open in this window.');
      return;
    }
    type Item = vscode.QuickPickItem & { run: () => Thenable<unknown> | Promise<unknown> };
    const items: Item[] = [];
    for (const t of all) {
      const dropped = t.tunnel.state.kind === 'dropped';
      if (dropped) items.push({ label: `$(debug-restart) Reopen ${t.contextName}`, description: t.tunnel.label, run: () => tunnels.reopen(t.tunnel) });
      items.push({ label: `$(debug-stop) Stop ${t.contextName}`, description: `${t.tunnel.label}${dropped ? ' (dropped)' : ''}`, run: () => tunnels.stop(t.tunnel) });
    }
    if (all.length > 1) items.push({ label: '$(close-all) Stop All', run: () => Promise.all(all.map((t) => tunnels.stop(t.tunnel))) });
    const pick = await vscode.window.showQuickPick(items, { title: 'SSH tunnels', matchOnDescription: true });
    await pick?.run();
  },
};
