// liqo.kubeconfig.mergeInto: add a context (with its cluster and user, files embedded) to another kubeconfig file.
// Name collisions are shown first and each is resolved by the user: the proposed rename, an overwrite, or keeping
// the target's entry. The target's current-context is never changed.
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import { extractContext, fileReferences } from '../../core/kubeconfig/extract.ts';
import { planMerge, merge, askResolutions, type CollisionResolution } from '../../core/kubeconfig/merge.ts';
import { editOf } from '../../core/kubeconfig/editError.ts';
import { readReferencedFiles } from '../../infra/kubeconfig/referencedFiles.ts';

export const mergeInto: Command = {
  id: 'liqo.kubeconfig.mergeInto',
  async run({ model, kubeconfig, log }, arg, targetArg) {
    const entry = await kubeconfig.pickContext(model, arg, 'Merge which context into another file?');
    if (!entry) return;
    const sourceText = (await kubeconfig.read(entry.filePath)).text ?? '';
    const files = await readReferencedFiles(entry.filePath, editOf(entry.filePath, () => fileReferences(sourceText, entry.contextName)));
    const source = editOf(entry.filePath, () => extractContext(sourceText, entry.contextName, files).text);
    let target = typeof targetArg === 'string' ? targetArg : undefined;
    if (!target) {
      const known = [...new Set(model.clusters.map((c) => c.filePath))].filter((f) => f !== entry.filePath);
      const browse = { label: '$(folder-opened) Choose a file…', file: undefined as string | undefined };
      const pick = await vscode.window.showQuickPick([...known.map((f) => ({ label: f, file: f as string | undefined })), browse], { title: `Merge "${entry.contextName}" into…` });
      if (!pick) return;
      target = pick.file ?? (await vscode.window.showOpenDialog({ title: 'Merge into this kubeconfig', canSelectMany: false }))?.[0]?.fsPath;
      if (!target) return;
    }
    const snap = await kubeconfig.read(target);
    const targetText = snap.text ?? '';
    const chosen = target;
    const resolutions = await askResolutions(editOf(chosen, () => planMerge(targetText, source)), async (c) => {
      const pick = await vscode.window.showQuickPick(
        [
          { label: `Rename the incoming ${c.kind} to "${c.proposedName}"`, r: { action: 'rename', to: c.proposedName } as CollisionResolution },
          { label: `Overwrite the ${c.kind} "${c.name}" in ${target}`, r: { action: 'overwrite' } as CollisionResolution },
          { label: `Keep the existing ${c.kind} "${c.name}"`, r: { action: 'keep-target' } as CollisionResolution },
        ],
        { title: `Both files have a ${c.kind} named "${c.name}", with different contents`, ignoreFocusOut: true },
      );
      return pick?.r;
    });
    if (!resolutions) return;
    await kubeconfig.previewAndWrite(snap, editOf(chosen, () => merge(targetText, source, resolutions)), `Merge context "${entry.contextName}"`, log);
  },
};
