// liqo.peering.peer: Peer Clusters… from a cluster row (as consumer) or the palette. One multi-step input (Back keeps
// the answers, Escape writes nothing): consumer and provider, then — before any option is asked — the pre-flight
// checks (liqoctl present, reachable, Liqo on both, versions, distinct IDs, a provider address the consumer can
// reach), then the options, then `liqoctl peer` with
// one temporary kubeconfig per side, streamed to the Liqo log and cancellable; the tree shows the peering as it forms
// through its watches.
import * as vscode from 'vscode';
import type { Command, CommandDeps } from './command.ts';
import { clusterItems, clusterTarget, entryIdOfArg, type ClusterTarget } from '../operations/rowTarget.ts';
import { runMultiStep, type InputStep } from '../operations/multiStepInput.ts';
import { PEER_STEPS, type PeerAnswers, type PeerNetwork } from '../../core/multistep/flows.ts';
import { liqoctlLines, withCancellableProgress } from '../operations/progress.ts';
import { requireTrust } from '../operations/trust.ts';
import { peerClusters as peer, peerSideFacts } from '../../infra/operations/peering.ts';
import { ensureLiqoctl } from '../operations/liqoctlReady.ts';
import { preflight } from '../../core/peering/preflight.ts';
import { GATEWAY_SERVICE_TYPES, isQuantity } from '../../core/liqoctl/peer.ts';
import { rollbackPlan } from '../../core/peering/rollback.ts';
import { peeringSideState, runRollback } from '../../infra/operations/peeringRollback.ts';

const quantityStep = (what: string, example: string): InputStep<PeerAnswers> => ({
  kind: 'input',
  title: () => `Resources to request: ${what} (empty: the provider decides)`,
  placeholder: example,
  validate: (v) => (v.trim() === '' || isQuantity(v.trim()) ? undefined : `"${v}" is not a quantity (e.g. ${example}).`),
});

type SideFacts = Awaited<ReturnType<typeof peerSideFacts>>;
interface Checked {
  readonly c: SideFacts;
  readonly p: SideFacts;
  readonly findings: ReturnType<typeof preflight>;
}

/**
 * The pre-flight of the two sides picked, run as soon as the provider is picked (again if Back changed a side): a
 * missing liqoctl or a failed check ends the command before the user has answered questions for nothing.
 */
async function checkSides(deps: CommandDeps, consumer: ClusterTarget, provider: ClusterTarget): Promise<Checked | undefined> {
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
  if (liqoctlVersion === undefined) return undefined;
  const checked = { ...sides, findings: preflight(sides.c.facts, sides.p.facts, liqoctlVersion) };
  for (const f of checked.findings) deps.log[f.severity === 'error' ? 'error' : 'warn'](`Peer pre-flight: ${f.message}`);
  const errors = checked.findings.filter((f) => f.severity === 'error');
  if (errors.length) throw new Error(`Not peering ${consumer.contextName} with ${provider.contextName}: ${errors.map((e) => e.message).join(' ')}`);
  return checked;
}

export const peerClusters: Command = {
  id: 'liqo.peering.peer',
  async run(deps, arg) {
    requireTrust('Peer Clusters…');
    const rowEntry = entryIdOfArg(deps, arg);
    if (rowEntry) clusterTarget(deps, rowEntry); // a cluster gone or not connected stops here, before any question
    let checked: Checked | undefined;
    const answers = await runMultiStep<PeerAnswers>('Peer Clusters', PEER_STEPS, rowEntry ? { consumer: rowEntry } : {}, {
      consumer: { kind: 'pick', title: () => 'consumer (gets a virtual node)', placeholder: 'Pick a cluster (kubeconfig context)', items: () => clusterItems(deps) },
      provider: {
        kind: 'pick',
        title: (a) => `Peer ${clusterTarget(deps, a.consumer!).contextName} (consumer) with which provider?`,
        items: (a) => clusterItems(deps).filter((c) => c.value !== a.consumer),
        after: async (a) => {
          checked = await checkSides(deps, clusterTarget(deps, a.consumer!), clusterTarget(deps, a.provider!));
          return checked !== undefined;
        },
      },
      network: {
        kind: 'pick',
        title: () => 'Network between the clusters',
        items: () => [
          ...GATEWAY_SERVICE_TYPES.map((t) => ({ label: t, detail: `Gateway server exposed as a ${t} Service (port 51840)`, value: t as PeerNetwork })),
          { label: 'Networking disabled', detail: 'No gateway: offloaded pods cannot talk across clusters', value: 'disabled' as PeerNetwork },
        ],
      },
      cpu: quantityStep('CPU', '4'),
      memory: quantityStep('memory', '8Gi'),
      pods: quantityStep('pods', '110'),
    });
    if (!answers || !checked) return;
    const consumer = clusterTarget(deps, answers.consumer!);
    const provider = clusterTarget(deps, answers.provider!);
    const { cpu = '', memory = '', pods = '' } = answers;
    const network = answers.network!;
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
            ...(network === 'disabled' ? { networkingDisabled: true } : { gatewayServiceType: network }),
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
