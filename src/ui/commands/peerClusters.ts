// liqo.peering.peer: Peer Clusters… from a cluster row (as consumer) or the palette. Picks consumer and provider
// (shown with their Liqo cluster IDs), runs the pre-flight checks (liqoctl present, reachable, Liqo on both,
// versions, distinct IDs, a provider address the consumer can reach), then asks the options, then `liqoctl peer` with
// one temporary kubeconfig per side, streamed to the Liqo log and cancellable; the tree shows the peering as it forms
// through its watches.
import * as vscode from 'vscode';
import type { Command, CommandDeps } from './command.ts';
import { pickCluster, type ClusterTarget } from '../operations/rowTarget.ts';
import { liqoctlLines, withCancellableProgress } from '../operations/progress.ts';
import { requireTrust } from '../operations/trust.ts';
import { peerClusters as peer, peerSideFacts } from '../../infra/operations/peering.ts';
import { ensureLiqoctl } from '../operations/liqoctlReady.ts';
import { preflight } from '../../core/peering/preflight.ts';
import { GATEWAY_SERVICE_TYPES, isQuantity, type GatewayServiceType } from '../../core/liqoctl/peer.ts';
import { rollbackPlan } from '../../core/peering/rollback.ts';
import { peeringSideState, runRollback } from '../../infra/operations/peeringRollback.ts';

async function askQuantity(what: string, example: string): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: `Resources to request: ${what} (empty: the provider decides)`,
    placeHolder: example,
    validateInput: (v) => (v.trim() === '' || isQuantity(v) ? undefined : `"${v}" is not a quantity (e.g. ${example}).`),
  });
}

async function pickProvider(deps: CommandDeps, consumer: ClusterTarget): Promise<ClusterTarget | undefined> {
  const others = deps.model.clusters.filter((c) => c.id !== consumer.entryId);
  const picked = await vscode.window.showQuickPick(
    others.map((c) => ({ label: c.contextName, description: c.server, entryId: c.id })),
    { title: `Peer ${consumer.contextName} (consumer) with which provider?` },
  );
  return picked ? pickCluster(deps, picked.entryId, '') : undefined;
}

export const peerClusters: Command = {
  id: 'liqo.peering.peer',
  async run(deps, arg) {
    requireTrust('Peer Clusters…');
    const consumer = await pickCluster(deps, arg, 'Peer Clusters: consumer (gets a virtual node)');
    if (!consumer) return;
    const provider = await pickProvider(deps, consumer);
    if (!provider) return;
    const sides = await withCancellableProgress('Checking both clusters before peering', async (signal) => {
      const [c, p] = await Promise.all([peerSideFacts(consumer.contextName, consumer.client, signal), peerSideFacts(provider.contextName, provider.client, signal)]);
      return { c, p };
    });
    // A missing liqoctl stops here, right after the two clusters are picked, with the way to get one (and the
    // matching download).
    const liqoctlVersion = await ensureLiqoctl(deps, [
      { contextName: consumer.contextName, liqoVersion: sides.c.facts.liqoVersion },
      { contextName: provider.contextName, liqoVersion: sides.p.facts.liqoVersion },
    ]);
    if (liqoctlVersion === undefined) return;
    const checked = { ...sides, findings: preflight(sides.c.facts, sides.p.facts, liqoctlVersion) };
    for (const f of checked.findings) deps.log[f.severity === 'error' ? 'error' : 'warn'](`Peer pre-flight: ${f.message}`);
    const errors = checked.findings.filter((f) => f.severity === 'error');
    if (errors.length) throw new Error(`Not peering ${consumer.contextName} with ${provider.contextName}: ${errors.map((e) => e.message).join(' ')}`);
    // Asked only once liqoctl and both clusters are known to be fit: a missing liqoctl or a failed check ends the
    // command before the user has answered questions for nothing.
    const gw = await vscode.window.showQuickPick(
      [...GATEWAY_SERVICE_TYPES.map((t) => ({ label: t, detail: `Gateway server exposed as a ${t} Service (port 51840)` })), { label: 'Networking disabled', detail: 'No gateway: offloaded pods cannot talk across clusters' }],
      { title: 'Network between the clusters' },
    );
    if (!gw) return;
    const cpu = await askQuantity('CPU', '4');
    if (cpu === undefined) return;
    const memory = await askQuantity('memory', '8Gi');
    if (memory === undefined) return;
    const pods = await askQuantity('pods', '110');
    if (pods === undefined) return;
    const warnings = checked.findings.filter((f) => f.severity === 'warning');
    const detail = `${consumer.contextName} (cluster ID ${checked.c.facts.clusterId}) consumes from ${provider.contextName} (cluster ID ${checked.p.facts.clusterId}).${warnings.length ? `\n\nWarnings:\n${warnings.map((w) => `• ${w.message}`).join('\n')}` : ''}`;
    const actions = warnings.some((w) => w.offersRewrite) ? ['Peer Anyway', 'Open Provider Kubeconfig'] : ['Peer'];
    const answer = await vscode.window.showWarningMessage(`Peer ${consumer.contextName} with ${provider.contextName}?`, { modal: true, detail }, ...actions);
    if (answer === 'Open Provider Kubeconfig') {
      await vscode.commands.executeCommand('liqo.kubeconfig.open', provider.entryId);
      return;
    }
    if (answer !== 'Peer' && answer !== 'Peer Anyway') return;
    const consumerResolved = consumer.resolved;
    const providerResolved = provider.resolved;
    if (!consumerResolved || !providerResolved) throw new Error('A kubeconfig entry could not be resolved; fix the kubeconfig first.');
    deps.log.show(true);
    const consumerSide = { resolved: consumerResolved, liqoNamespace: checked.c.facts.liqoNamespace, client: consumer.client };
    const providerSide = { resolved: providerResolved, liqoNamespace: checked.p.facts.liqoNamespace, client: provider.client };
    // What each side holds before: a Cancel rolls back only what this peering added.
    const [consumerBefore, providerBefore] = await Promise.all([peeringSideState(consumer.client), peeringSideState(provider.client)]);
    let cancelled = false;
    try {
      await withCancellableProgress(`Peering ${consumer.contextName} → ${provider.contextName}`, (signal, report) => {
        signal.addEventListener('abort', () => (cancelled = true), { once: true });
        return peer(
          deps.liqoctl,
          consumerSide,
          providerSide,
          {
            ...(gw.label === 'Networking disabled' ? { networkingDisabled: true } : { gatewayServiceType: gw.label as GatewayServiceType }),
            cpu,
            memory,
            pods,
          },
          {
            signal,
            onLine: liqoctlLines(deps.log, report),
          },
        );
      });
    } catch (e) {
      if (!cancelled) throw e;
      const ids = { consumerId: checked.c.facts.clusterId ?? '', providerId: checked.p.facts.clusterId ?? '' };
      const failed = await withCancellableProgress('Peering cancelled: removing what it had made', async (signal, report) => {
        const [consumerAfter, providerAfter] = await Promise.all([peeringSideState(consumer.client, signal), peeringSideState(provider.client, signal)]);
        const steps = rollbackPlan(ids, { consumer: consumerBefore, provider: providerBefore }, { consumer: consumerAfter, provider: providerAfter });
        deps.log.info(`Peering ${consumer.contextName} → ${provider.contextName} cancelled; rollback: ${steps.map((st) => (st.kind === 'unpeer' ? 'liqoctl unpeer' : `delete ${st.what} on the ${st.side}`)).join(', ') || 'nothing to remove'}`);
        return (await runRollback(deps.liqoctl, { consumer: consumerSide, provider: providerSide }, steps, { signal, onLine: liqoctlLines(deps.log, report), onProgress: report })).failed;
      });
      if (failed.length) {
        for (const f of failed) deps.log.error(`Rollback of the cancelled peering: ${f}`);
        throw new Error(`Peering cancelled, but not all it had made could be removed: ${failed.join('; ')}. Remove the rest with Unpeer… or Clean Up Leftover Peering… on the peering rows.`);
      }
      void vscode.window.showInformationMessage(`Peering ${consumer.contextName} → ${provider.contextName} cancelled; what it had made is removed.`);
      return;
    }
    void vscode.window.showInformationMessage(`${consumer.contextName} is peered with ${provider.contextName}.`);
  },
};
