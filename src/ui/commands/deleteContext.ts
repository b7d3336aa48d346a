// liqo.kubeconfig.deleteContext: delete a context (and its cluster and user entries no other context uses).
import type { Command } from './command.ts';
import { deleteContext as deleteInText } from '../../core/kubeconfig/edits.ts';
import { editOf } from '../../core/kubeconfig/editError.ts';

export const deleteContext: Command = {
  id: 'liqo.kubeconfig.deleteContext',
  async run({ model, kubeconfig, log }, arg) {
    const entry = await kubeconfig.pickContext(model, arg, 'Delete which context?');
    if (!entry) return;
    const snap = await kubeconfig.read(entry.filePath);
    await kubeconfig.previewAndWrite(snap, editOf(entry.filePath, () => deleteInText(snap.text ?? '', entry.contextName)), `Delete context "${entry.contextName}"`, log);
  },
};
