// liqo.resource.revealYaml: open the object behind a row as read-only YAML that follows the cluster live.
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import type { TreeNodeView } from '../../core/tree/view.ts';
import { objectUri } from '../objectDocuments.ts';

export const revealYaml: Command = {
  id: 'liqo.resource.revealYaml',
  async run({ model, tree }, arg) {
    const row: TreeNodeView | undefined = arg && typeof arg === 'object' && 'id' in arg && typeof arg.id === 'string' ? tree.view({ id: arg.id }) : undefined;
    const ref = row?.resource;
    if (!ref) {
      void vscode.window.showInformationMessage('Reveal in YAML works on a row of the Liqo view that stands for a Kubernetes object: right-click one there.');
      return;
    }
    const contextName = model.session(ref.entryId)?.entry.contextName ?? 'cluster';
    const doc = await vscode.workspace.openTextDocument(objectUri(ref, contextName));
    await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
    await vscode.window.showTextDocument(doc, { preview: true });
  },
};
