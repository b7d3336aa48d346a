// Shows a row of the federation view that may never have been expanded: its ancestors are built first (which
// connects and widens a collapsed cluster's watches, as expanding it would), then the view reveals and selects it.
import * as vscode from 'vscode';
import type { FederationModel } from '../infra/federationModel.ts';
import type { FederationTreeProvider, RowHandle } from './federationTreeProvider.ts';

export async function revealRow(model: FederationModel, tree: FederationTreeProvider, view: vscode.TreeView<RowHandle>, rowPath: readonly string[], what: string, o: { fromNotification?: boolean } = {}): Promise<void> {
  if (!model.prepareReveal(rowPath)) {
    void vscode.window.showInformationMessage(`${what} is not in the Liqo view any more (gone, or its cluster is hidden or filtered out).`);
    return;
  }
  const handle = tree.handle(rowPath[rowPath.length - 1]!);
  await view.reveal(handle, { select: true, focus: true, expand: false });
  if (o.fromNotification) {
    // A notification's button closes its toast, and VS Code then gives the focus to the editor when the toast held
    // it; that can come after this reveal (seen in a clean CI run: the row selected, the editor focused). The view
    // takes the focus once more a moment later.
    await new Promise((r) => setTimeout(r, REFOCUS_AFTER_NOTIFICATION_MS));
    if (tree.view(handle) !== undefined) await view.reveal(handle, { select: false, focus: true, expand: false });
  }
}

const REFOCUS_AFTER_NOTIFICATION_MS = 300;
