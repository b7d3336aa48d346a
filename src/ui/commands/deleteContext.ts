// liqo.kubeconfig.deleteContext: delete a context (and its cluster and user entries no other context uses, in its
// file or in the rest of its KUBECONFIG list).
import type { Command } from './command.ts';
import { deleteContext as deleteInText } from '../../core/kubeconfig/edits.ts';
import { editOf } from '../../core/kubeconfig/editError.ts';

export const deleteContext: Command = {
  id: 'liqo.kubeconfig.deleteContext',
  async run({ model, kubeconfig, log }, arg) {
    const entry = await kubeconfig.pickContext(model, arg, 'Delete which context?');
    if (!entry) return;
    const { snapshot, outside } = await kubeconfig.readInList(entry.filePath);
    await kubeconfig.previewAndWrite(snapshot, editOf(entry.filePath, () => deleteInText(snapshot.text ?? '', entry.contextName, outside)), `Delete context "${entry.contextName}"`, log);
  },
};
