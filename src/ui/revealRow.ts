// Shows a row of the federation view that may never have been expanded: its ancestors are built first (which
// connects and widens a collapsed cluster's watches, as expanding it would), then the view reveals and selects it.
import * as vscode from 'vscode';
import type { FederationModel } from '../infra/federationModel.ts';
import type { FederationTreeProvider, RowHandle } from './federationTreeProvider.ts';

export async function revealRow(model: FederationModel, tree: FederationTreeProvider, view: vscode.TreeView<RowHandle>, rowPath: readonly string[], what: string): Promise<void> {
  if (!model.prepareReveal(rowPath)) {
    void vscode.window.showInformationMessage(`${what} is not in the Liqo view any more (gone, or its cluster is hidden or filtered out).`);
    return;
  }
  await view.reveal(tree.handle(rowPath[rowPath.length - 1]!), { select: true, focus: true, expand: false });
}
