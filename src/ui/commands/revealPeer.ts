// liqo.peering.revealPeer: jump from a peering (or consumer) to the kubeconfig context of the same cluster ID.
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import { clusterRowId } from '../../core/tree/rowKey.ts';

export const revealPeer: Command = {
  id: 'liqo.peering.revealPeer',
  async run({ model, tree, view }, arg) {
    let entryId: string | undefined = typeof arg === 'string' ? arg : undefined;
    if (!entryId && arg && typeof arg === 'object' && 'id' in arg && typeof arg.id === 'string') {
      const row = tree.view({ id: arg.id });
      entryId = row?.command?.command === revealPeer.id ? (row.command.arguments?.[0] as string | undefined) : undefined;
      if (!entryId) {
        void vscode.window.showInformationMessage(`No kubeconfig context has cluster ID ${row?.label ?? ''}: add the peer cluster's kubeconfig to jump to it.`);
        return;
      }
    }
    if (!entryId) {
      void vscode.window.showInformationMessage('Go to Peer Cluster works on a peering row of the Liqo view.');
      return;
    }
    const target = model.session(entryId);
    if (!target) return;
    await view.reveal(tree.handle(clusterRowId(entryId)), { select: true, focus: true, expand: true });
  },
};
