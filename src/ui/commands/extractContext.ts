// liqo.kubeconfig.extractContext: write one context, its cluster and user, with certificate and token files
// embedded, to a 0600 file (what `liqoctl peer --remote-kubeconfig` wants); an existing file it replaces becomes 0600
// too, as it now holds credentials. The source file is not changed.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import { extractContext as extractFromText, fileReferences } from '../../core/kubeconfig/extract.ts';
import { editOf } from '../../core/kubeconfig/editError.ts';
import { readReferencedFiles } from '../../infra/kubeconfig/referencedFiles.ts';
import { describeWrites } from '../kubeconfigWorkbench.ts';

export const extractContext: Command = {
  id: 'liqo.kubeconfig.extractContext',
  async run({ model, kubeconfig, log }, arg) {
    const entry = await kubeconfig.pickContext(model, arg, 'Extract which context?');
    if (!entry) return;
    const source = await kubeconfig.read(entry.filePath);
    const text = source.text ?? '';
    const files = await readReferencedFiles(entry.filePath, editOf(entry.filePath, () => fileReferences(text, entry.contextName)));
    const extracted = editOf(entry.filePath, () => extractFromText(text, entry.contextName, files));
    const target = await vscode.window.showSaveDialog({
      title: `Extract context "${entry.contextName}" to a file`,
      saveLabel: 'Extract',
      defaultUri: vscode.Uri.file(path.join(os.homedir(), `${entry.contextName.replace(/[^A-Za-z0-9._-]/g, '_')}.kubeconfig`)),
    });
    if (!target) return;
    const snap = await kubeconfig.read(target.fsPath);
    if (snap.text !== undefined) {
      const ok = await vscode.window.showWarningMessage(`${target.fsPath} exists. Replace it with the extracted context?`, { modal: true, detail: 'Its current content goes to the backups (Liqo: Undo Last Kubeconfig Change).' }, 'Replace');
      if (ok !== 'Replace') return;
    }
    const out = await kubeconfig.writer.write(snap, extracted.text, `Extract context "${entry.contextName}" (${target.fsPath})`);
    log.info(`extracted context ${entry.contextName} from ${entry.filePath} to ${target.fsPath}`);
    const notes = extracted.notes.length > 0 ? ` Note: ${extracted.notes.join('; ')}.` : '';
    const mode = `0${(out.mode & 0o777).toString(8)}`;
    kubeconfig.offerUndo(`Extracted "${entry.contextName}" to ${target.fsPath} (${mode}, certificates embedded).${describeWrites([out])}${notes}`, out.backup.id);
  },
};
