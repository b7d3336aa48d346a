// liqo.kubeconfig.removeFromList: stop reading a kubeconfig file or folder listed in `liqo.kubeconfigs`. The file
// itself is not touched.
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import { entryIdOf } from './command.ts';
import { listedKubeconfigEntries, removeKubeconfigEntries } from '../settings.ts';

export const removeFromList: Command = {
  id: 'liqo.kubeconfig.removeFromList',
  async run({ model, reloadSettings, log }, arg) {
    const entries = listedKubeconfigEntries();
    if (entries.length === 0) {
      void vscode.window.showInformationMessage('liqo.kubeconfigs lists no file: files from $KUBECONFIG or ~/.kube/config are not removed here.');
      return;
    }
    const file = model.clusters.find((c) => c.id === entryIdOf(model, arg))?.filePath;
    const matching = file ? entries.filter((e) => file === e.resolved || file.startsWith(`${e.resolved}/`)) : [];
    if (file && matching.length === 0) {
      void vscode.window.showInformationMessage(`${file} does not come from liqo.kubeconfigs (it is read from $KUBECONFIG or ~/.kube/config).`);
      return;
    }
    const pick = matching.length === 1 ? matching[0] : (await vscode.window.showQuickPick(entries.map((e) => ({ label: e.entry, description: e.resolved, e })), { title: 'Remove which entry from liqo.kubeconfigs?' }))?.e;
    if (!pick) return;
    await removeKubeconfigEntries([pick.entry]);
    log.info(`removed from liqo.kubeconfigs: ${pick.entry}`);
    await reloadSettings();
    void vscode.window.showInformationMessage(`Removed ${pick.entry} from liqo.kubeconfigs (the file is unchanged).`);
  },
};
