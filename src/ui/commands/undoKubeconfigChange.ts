// liqo.kubeconfig.undo: restore the files of a change from the backup ring (refused when one changed since). From the
// palette it undoes the newest change of any window; the Undo button of a "saved" message passes its own change's
// id, so it never reverts what another window saved meanwhile. A change that added a liqo.kubeconfigs entry (Import
// over SSH) loses that entry with its file, so no error row is left behind.
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import { removeKubeconfigEntries } from '../settings.ts';

export const undoKubeconfigChange: Command = {
  id: 'liqo.kubeconfig.undo',
  async run({ kubeconfig, log, reloadSettings }, changeId) {
    const id = typeof changeId === 'number' ? changeId : undefined;
    const entries = await kubeconfig.writer.changes();
    const last = id === undefined ? entries.at(-1) : entries.find((e) => e.id === id);
    if (!last) {
      void vscode.window.showInformationMessage(id === undefined ? 'There is no kubeconfig change to undo.' : 'That kubeconfig change was already undone, or is older than the kept backups.');
      return;
    }
    const files = last.group === undefined ? [last.file] : entries.filter((e) => e.group === last.group).map((e) => e.file);
    const detail = `${files.join(' and ')} ${files.length === 1 ? 'goes' : 'go'} back to ${files.length === 1 ? 'its' : 'their'} content from before ${last.time}.`;
    const ok = await vscode.window.showWarningMessage(`Undo "${last.label}"?`, { modal: true, detail }, 'Undo');
    if (ok !== 'Undo') return;
    const undone = await kubeconfig.writer.undo(last.id);
    log.info(`kubeconfig ${undone.file}: undid "${undone.label}"`);
    if (undone.listEntry !== undefined && !existsSync(undone.file)) {
      await removeKubeconfigEntries([undone.listEntry]);
      await reloadSettings();
      log.info(`removed from liqo.kubeconfigs: ${undone.listEntry} (its file was removed by the undo)`);
    }
    void vscode.window.showInformationMessage(`Undone: ${undone.label}.`);
  },
};
