// liqo.kubeconfig.renameContext: rename a context (and its own cluster and user entries), previewed, then written.
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import { renameContext as renameInText } from '../../core/kubeconfig/edits.ts';
import { editOf } from '../../core/kubeconfig/editError.ts';

export const renameContext: Command = {
  id: 'liqo.kubeconfig.renameContext',
  async run({ model, kubeconfig, log }, arg) {
    const entry = await kubeconfig.pickContext(model, arg, 'Rename which context?');
    if (!entry) return;
    const to = await vscode.window.showInputBox({
      title: `Rename context "${entry.contextName}"`,
      value: entry.contextName,
      prompt: `New name (in ${entry.filePath}); its cluster and user entries follow when only this context uses them`,
      validateInput: (v) => (v === '' || v.trim() !== v ? 'Use a non-empty name without surrounding spaces' : undefined),
    });
    if (to === undefined || to === entry.contextName) return;
    const snap = await kubeconfig.read(entry.filePath);
    const result = editOf(entry.filePath, () => renameInText(snap.text ?? '', entry.contextName, to));
    await kubeconfig.previewAndWrite(snap, result, `Rename context "${entry.contextName}" to "${to}"`, log);
  },
};
