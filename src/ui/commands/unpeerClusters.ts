// liqo.peering.unpeer: Unpeer… from a peering row (or the palette). The row's ForeignCluster tells which side
// consumes; the other side's kubeconfig context is found by its cluster ID. A modal confirmation names both
// clusters, then the real `liqoctl unpeer --skip-confirm` runs with one temporary kubeconfig per side, streamed to
// the Liqo log and cancellable; the tree drops the peering as Liqo tears it down. A provider that does not answer
// gets the forced unpeer instead (operations/forceUnpeerFlow.ts).
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import { contextOfCluster, pickPeering } from '../operations/peeringTarget.ts';
import { liqoctlLines, withCancellableProgress } from '../operations/progress.ts';
import { requireTrust } from '../operations/trust.ts';
import { ensureLiqoctl } from '../operations/liqoctlReady.ts';
import { findLiqo } from '../../infra/liqo/liqoInstallation.ts';
import { unpeerClusters as unpeer } from '../../infra/operations/peering.ts';
import { unansweredBecause } from '../../infra/operations/forceUnpeer.ts';
import { offerForceUnpeer } from '../operations/forceUnpeerFlow.ts';
import { isLeftoverPeering } from '../../core/peering/leftover.ts';
import { unpeerImpact, unpeerImpactText } from '../../core/peering/unpeerImpact.ts';

export const unpeerClusters: Command = {
  id: 'liqo.peering.unpeer',
  async run(deps, arg) {
    requireTrust('Unpeer…');
    const peering = await pickPeering(deps, arg, 'Unpeer');
    if (!peering) return;
    const hereSnapshot = deps.model.session(peering.here.entryId)?.snapshot;
    const fc = hereSnapshot?.foreignClusters.find((f) => (f.spec?.clusterID || f.metadata.name) === peering.peerClusterId);
    if (hereSnapshot && fc && isLeftoverPeering(fc, hereSnapshot)) {
      // liqoctl unpeer "succeeds" on it and changes nothing: say what it is and the way out instead.
      throw new Error(`${peering.here.contextName} is no longer peered with ${peering.peerClusterId}: only the ForeignCluster${fc.status?.tenantNamespace?.local ? ' and the tenant namespace' : ''} Liqo left behind remain. Use Clean Up Leftover Peering… on that row.`);
    }
    const other = await contextOfCluster(deps, peering.peerClusterId, peering.here.entryId);
    // A provider that does not answer (or that no context reaches) cannot take part in liqoctl unpeer: from the
    // consumer, the forced unpeer (or, on Liqo v1.0, the steps by hand) is what is left.
    const hereConsumes = peering.role === 'Provider' || peering.role === 'ConsumerAndProvider';
    const silence = hereConsumes ? await unansweredBecause(other?.client, 5_000) : undefined;
    if (hereConsumes && silence !== undefined) {
      await offerForceUnpeer(deps, peering.here, { clusterId: peering.peerClusterId, contextName: other?.contextName, problem: silence });
      return;
    }
    if (!other) {
      throw new Error(`No kubeconfig context reaches cluster ${peering.peerClusterId}: liqoctl unpeer needs both clusters. Add the peer's kubeconfig (Add Kubeconfig File…) and try again.`);
    }
    // The ForeignCluster on `here` names what the peer is: a Provider means `here` is the consumer.
    const [consumer, provider] = peering.role === 'Consumer' ? [other, peering.here] : [peering.here, other];
    const [cl, pl] = await Promise.all([findLiqo(consumer.client).catch(() => undefined), findLiqo(provider.client).catch(() => undefined)]);
    const consumerSnapshot = deps.model.session(consumer.entryId)?.snapshot;
    const providerId = peering.role === 'Consumer' ? (pl?.clusterId ?? '') : peering.peerClusterId;
    const impact = consumerSnapshot ? unpeerImpactText(unpeerImpact(consumerSnapshot.offloadings, consumerSnapshot.virtualNodes, providerId), consumer.contextName, provider.contextName) : undefined;
    const go = await vscode.window.showWarningMessage(
      `Unpeer ${consumer.contextName} (consumer) from ${provider.contextName} (provider)?`,
      {
        modal: true,
        detail: `${consumer.contextName} loses its virtual node for ${provider.contextName}; pods offloaded there are removed, and the ResourceSlices, tenant and identities of this peering are deleted on both clusters.${impact ? `\n\n${impact}` : ''}`,
      },
      'Unpeer',
    );
    if (go !== 'Unpeer') return;
    const liqoctlVersion = await ensureLiqoctl(deps, [
      { contextName: consumer.contextName, liqoVersion: cl?.version },
      { contextName: provider.contextName, liqoVersion: pl?.version },
    ]);
    if (liqoctlVersion === undefined) return;
    if (!consumer.resolved || !provider.resolved) throw new Error('A kubeconfig entry could not be resolved; fix the kubeconfig first.');
    const sides = [
      { resolved: consumer.resolved, ...(cl ? { liqoNamespace: cl.namespace } : {}) },
      { resolved: provider.resolved, ...(pl ? { liqoNamespace: pl.namespace } : {}) },
    ] as const;
    deps.log.show(true);
    await withCancellableProgress(`Unpeering ${consumer.contextName} ↛ ${provider.contextName}`, (signal, report) =>
      unpeer(deps.liqoctl, sides[0], sides[1], {
        signal,
        onLine: liqoctlLines(deps.log, report),
      }),
    );
    void vscode.window.showInformationMessage(`${consumer.contextName} is no longer peered with ${provider.contextName}.`);
  },
};
