// liqo.kubeconfig.renameContext: rename a context (and its own cluster and user entries), previewed, then written.
// In a KUBECONFIG list the other files count: their names are taken, their contexts' entries are kept, and the file
// whose current-context kubectl uses follows the new name.
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import { renameContext as renameInText, followRenamedContext } from '../../core/kubeconfig/edits.ts';
import { editOf } from '../../core/kubeconfig/editError.ts';
import type { PlannedChange } from '../kubeconfigWorkbench.ts';

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
    const { snapshot, outside, others } = await kubeconfig.readInList(entry.filePath);
    const changes: PlannedChange[] = [{ snapshot, result: editOf(entry.filePath, () => renameInText(snapshot.text ?? '', entry.contextName, to, outside)) }];
    const holder = outside.currentContext?.name === entry.contextName ? others.get(outside.currentContext.file) : undefined;
    if (holder) changes.push({ snapshot: holder, result: editOf(holder.path, () => followRenamedContext(holder.text ?? '', entry.contextName, to)) });
    await kubeconfig.previewAndWriteAll(changes, `Rename context "${entry.contextName}" to "${to}"`, log);
  },
};
