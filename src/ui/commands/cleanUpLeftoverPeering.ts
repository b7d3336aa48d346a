// liqo.peering.cleanUpLeftover: Clean Up Leftover Peering… on a peering row that is no peering any more (what Liqo
// keeps after an unpeer: core/peering/leftover.ts). A modal names what goes (the tenant namespace, the
// ForeignCluster), then both are deleted through the one write path and followed until gone, cancellable.
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import { pickCluster } from '../operations/rowTarget.ts';
import { withCancellableProgress } from '../operations/progress.ts';
import { isLeftoverPeering, leftoverCleanUp } from '../../core/peering/leftover.ts';
import type { ForeignCluster } from '../../core/liqo/objects.ts';
import { cleanUpLeftoverPeering as cleanUp } from '../../infra/operations/leftoverPeering.ts';

export const cleanUpLeftoverPeering: Command = {
  id: 'liqo.peering.cleanUpLeftover',
  async run(deps, arg) {
    const target = await pickCluster(deps, arg, 'Clean Up Leftover Peering: cluster');
    if (!target) return;
    const snapshot = deps.model.session(target.entryId)?.snapshot;
    if (!snapshot) throw new Error(`${target.contextName} is not connected: open the Liqo view (or Retry Connection) and try again.`);
    const leftovers = snapshot.foreignClusters.filter((fc) => isLeftoverPeering(fc, snapshot));
    const row = arg && typeof arg === 'object' && 'id' in arg && typeof arg.id === 'string' ? deps.tree.view({ id: arg.id }) : undefined;
    let fc: ForeignCluster | undefined = row?.resource?.kind === 'foreignclusters' ? leftovers.find((f) => f.metadata.name === row.resource?.key) : undefined;
    if (!fc) {
      if (row?.resource?.kind === 'foreignclusters') throw new Error(`ForeignCluster ${row.resource.key} on ${target.contextName} is a peering again (or is being deleted): nothing to clean up.`);
      if (leftovers.length === 0) throw new Error(`${target.contextName} has no leftover peering: every ForeignCluster there is an active peering.`);
      const picked = await vscode.window.showQuickPick(
        leftovers.map((f) => ({ label: f.spec?.clusterID || f.metadata.name, description: `ForeignCluster ${f.metadata.name}`, f })),
        { title: `Clean Up Leftover Peering: which one on ${target.contextName}?` },
      );
      fc = picked?.f;
    }
    if (!fc) return;
    const plan = leftoverCleanUp(fc, snapshot);
    const what = [plan.tenantNamespace && `the tenant namespace ${plan.tenantNamespace}`, `the ForeignCluster ${plan.foreignCluster}`].filter(Boolean).join(' and ');
    const go = await vscode.window.showWarningMessage(
      `Delete ${what} on ${target.contextName}?`,
      { modal: true, detail: `Nothing of a peering with ${fc.spec?.clusterID || fc.metadata.name} is active on ${target.contextName}; Liqo left these behind. They are deleted as Liqo documents (liqoctl unpeer --delete-namespaces for the tenant namespace, then the ForeignCluster). Peer Clusters… can peer again afterwards.` },
      'Delete',
    );
    if (go !== 'Delete') return;
    const result = await withCancellableProgress(`Cleaning up on ${target.contextName}`, (signal, report) => cleanUp(target.client, plan, { signal, onProgress: report }));
    deps.log.info(`Clean Up Leftover Peering on ${target.contextName}: deleted ${what}${result.remaining.length ? `; still there when the follow stopped: ${result.remaining.join(', ')}` : ''}.`);
    if (result.stuck) {
      deps.log.warn(result.stuck.message);
      throw new Error(result.stuck.message);
    }
    if (result.remaining.length) void vscode.window.showWarningMessage(`Deletion asked; still there: ${result.remaining.join(', ')}. The Liqo view shows when they are gone.`);
    else void vscode.window.showInformationMessage(`Cleaned up: ${what} deleted on ${target.contextName}.`);
  },
};
