// liqo.kubeconfig.add: pick kubeconfig files or folders and add them to `liqo.kubeconfigs`, in the settings scope the
// list comes from (workspace or user). A file that does not parse is refused with the line at fault; nothing is
// written for it.
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import { loadKubeconfig } from '../../infra/kubeconfig/loadFiles.ts';
import { addKubeconfigEntries } from '../settings.ts';

export const addKubeconfigFile: Command = {
  id: 'liqo.kubeconfig.add',
  async run({ reloadSettings, log }, ...args) {
    let paths = args.filter((a): a is vscode.Uri => a instanceof vscode.Uri).map((u) => u.fsPath);
    if (paths.length === 0) {
      const picked = await vscode.window.showOpenDialog({
        title: 'Add Kubeconfig File',
        openLabel: 'Add',
        canSelectFiles: true,
        canSelectFolders: true,
        canSelectMany: true,
        defaultUri: vscode.Uri.file(os.homedir()),
      });
      if (!picked || picked.length === 0) return;
      paths = picked.map((u) => u.fsPath);
    }
    const accepted: string[] = [];
    let contexts = 0;
    for (const p of paths) {
      const isFolder = await vscode.workspace.fs.stat(vscode.Uri.file(p)).then(
        (st) => (st.type & vscode.FileType.Directory) !== 0,
        () => false,
      );
      if (isFolder) {
        accepted.push(p);
        continue;
      }
      const loaded = await loadKubeconfig({ path: p, origin: 'setting' });
      const st = loaded.state;
      if (st.kind === 'malformed') {
        void vscode.window.showErrorMessage(`${p} is not a valid kubeconfig (${st.error.line ? `line ${st.error.line}: ` : ''}${st.error.message}). It was not added: fix it and add it again.`);
        continue;
      }
      if (st.kind === 'missing') {
        void vscode.window.showErrorMessage(`${p} does not exist. Nothing was added.`);
        continue;
      }
      if (st.kind === 'unreadable') {
        void vscode.window.showErrorMessage(`${p} cannot be read: ${st.message}. Nothing was added.`);
        continue;
      }
      if (st.kind === 'ok') contexts += st.config.contexts.length;
      accepted.push(p);
    }
    if (accepted.length === 0) return;
    const scope = await addKubeconfigEntries(accepted);
    log.info(`added to liqo.kubeconfigs (${scope} settings): ${accepted.join(', ')}`);
    await reloadSettings();
    void vscode.window.showInformationMessage(
      `Added ${accepted.length === 1 ? accepted[0] : `${accepted.length} entries`}${contexts ? ` (${contexts} context${contexts === 1 ? '' : 's'})` : ''} to liqo.kubeconfigs in ${scope} settings.`,
    );
  },
};
