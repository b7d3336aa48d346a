// liqo.federation.showFailing: the status bar's click: reveals the first failing row (an unreachable cluster, then
// a peering, virtual node, ResourceSlice or offloaded namespace), or says all is well.
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import { glanceOf } from '../statusBar.ts';
import { revealRow } from '../revealRow.ts';

export const showFailing: Command = {
  id: 'liqo.federation.showFailing',
  async run({ model, tree, view }) {
    const first = glanceOf(model).failing[0];
    if (!first) {
      await vscode.commands.executeCommand('liqo.federation.focus');
      void vscode.window.showInformationMessage('Liqo: nothing is failing in the clusters shown.');
      return;
    }
    await revealRow(model, tree, view, first.rowPath, first.what);
  },
};
