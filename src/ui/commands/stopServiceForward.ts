// liqo.forward.stop: the forwards status-bar item's action. Pick a forward to stop, or Stop All.
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import { stateText } from '../serviceForwards.ts';

export const stopServiceForward: Command = {
  id: 'liqo.forward.stop',
  async run({ forwards }) {
    const all = forwards.all;
    if (all.length === 0) {
      void vscode.window.showInformationMessage('No service forward is open in this window.');
      return;
    }
    type Item = vscode.QuickPickItem & { run: () => void };
    const items: Item[] = all.map((o) => ({
      label: `$(debug-stop) Stop ${o.forward.description}`,
      description: `${o.contextName} → ${o.url}`,
      detail: stateText(o.forward.state),
      run: () => forwards.stop(o),
    }));
    if (all.length > 1) items.push({ label: '$(close-all) Stop All', run: () => [...all].forEach((o) => forwards.stop(o)) });
    const pick = await vscode.window.showQuickPick(items, { title: 'Service forwards', matchOnDescription: true });
    pick?.run();
  },
};
