// liqo.kubeconfig.removeFromList: stop reading a kubeconfig file or folder listed in `liqo.kubeconfigs`. The file
// itself is not touched. A file read because its folder is listed cannot be removed alone: the user is asked, with
// the folder's files named, whether to remove the whole folder entry or only hide this file's contexts.
import * as path from 'node:path';
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
    const matching = file ? entries.filter((e) => file === e.resolved || file.startsWith(`${e.resolved}${path.sep}`)) : [];
    if (file && matching.length === 0) {
      void vscode.window.showInformationMessage(`${file} does not come from liqo.kubeconfigs (it is read from $KUBECONFIG or ~/.kube/config).`);
      return;
    }
    const pick = matching.length === 1 ? matching[0] : (await vscode.window.showQuickPick(entries.map((e) => ({ label: e.entry, description: e.resolved, e })), { title: 'Remove which entry from liqo.kubeconfigs?' }))?.e;
    if (!pick) return;
    if (file && file !== pick.resolved) {
      // The file comes from a listed folder: removing the entry stops reading every file of that folder.
      const inFolder = [...new Set(model.clusters.map((c) => c.filePath).filter((f) => f.startsWith(`${pick.resolved}${path.sep}`)))].sort();
      const hide = `Hide ${path.basename(file)}'s Contexts`;
      const remove = 'Remove Folder Entry';
      const answer = await vscode.window.showWarningMessage(
        `${file} is read because the folder ${pick.entry} is listed in liqo.kubeconfigs.`,
        { modal: true, detail: `Removing the folder entry stops reading all ${inFolder.length} file${inFolder.length === 1 ? '' : 's'} in it:\n${inFolder.map((f) => `• ${path.basename(f)}`).join('\n')}\n\nOr hide only this file's contexts (Show Hidden Contexts… brings them back).` },
        hide,
        remove,
      );
      if (answer === hide) {
        const ids = model.clusters.filter((c) => c.filePath === file).map((c) => c.id);
        model.setHidden(ids, true);
        log.info(`hid the ${ids.length} context(s) of ${file} (its folder ${pick.entry} stays listed)`);
        return;
      }
      if (answer !== remove) return;
    }
    await removeKubeconfigEntries([pick.entry]);
    log.info(`removed from liqo.kubeconfigs: ${pick.entry}`);
    await reloadSettings();
    void vscode.window.showInformationMessage(`Removed ${pick.entry} from liqo.kubeconfigs (the file is unchanged).`);
  },
};
