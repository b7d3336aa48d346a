// liqo.kubeconfig.undo: restore the file changed last from the backup ring (refused when it changed since).
import * as vscode from 'vscode';
import type { Command } from './command.ts';

export const undoKubeconfigChange: Command = {
  id: 'liqo.kubeconfig.undo',
  async run({ kubeconfig, log }) {
    const last = await kubeconfig.writer.lastChange();
    if (!last) {
      void vscode.window.showInformationMessage('There is no kubeconfig change to undo.');
      return;
    }
    const ok = await vscode.window.showWarningMessage(`Undo "${last.label}"?`, { modal: true, detail: `${last.file} goes back to its content from before ${last.time}.` }, 'Undo');
    if (ok !== 'Undo') return;
    const undone = await kubeconfig.writer.undoLast();
    log.info(`kubeconfig ${undone.file}: undid "${undone.label}"`);
    void vscode.window.showInformationMessage(`Undone: ${undone.label}.`);
  },
};
