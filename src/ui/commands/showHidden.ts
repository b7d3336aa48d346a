// liqo.federation.showHidden: pick hidden contexts to show again (all preselected is "show every one").
import * as vscode from 'vscode';
import type { Command } from './command.ts';

export const showHidden: Command = {
  id: 'liqo.federation.showHidden',
  async run({ model }) {
    const hidden = model.hiddenClusters;
    if (hidden.length === 0) {
      void vscode.window.showInformationMessage('No context is hidden from the Liqo view.');
      return;
    }
    const picks = await vscode.window.showQuickPick(
      hidden.map((e) => ({ label: e.contextName, description: e.filePath, id: e.id, picked: true })),
      { title: 'Show hidden contexts again', canPickMany: true, placeHolder: 'The checked contexts are shown again' },
    );
    if (picks?.length) model.setHidden(picks.map((p) => p.id), false);
  },
};
