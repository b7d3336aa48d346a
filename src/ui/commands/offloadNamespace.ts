// liqo.namespace.offload: Offload Namespace… from a namespace row or the palette. Asks the pod offloading strategy
// and the namespace mapping strategy (each explained), builds the cluster selector from the labels the cluster's
// virtual nodes carry with a preview of the nodes it matches, creates the NamespaceOffloading through the one write
// path, then follows its phase by watch until Ready or a failure with Liqo's reasons (Cancel stops following only).
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import { pickCluster, pickNamespace } from '../operations/rowTarget.ts';
import { withCancellableProgress } from '../operations/progress.ts';
import { offloadNamespace as offload } from '../../infra/operations/offloading.ts';
import {
  MAPPING_STRATEGY_HELP,
  NAMESPACE_MAPPING_STRATEGIES,
  namespaceOffloadingManifest,
  POD_OFFLOADING_STRATEGIES,
  POD_STRATEGY_HELP,
  remoteNamespaceNameProblem,
  type OffloadingChoices,
} from '../../core/offloading/namespaceOffloading.ts';
import { describeTerm, labelChoices, matchingNodes, type LabelledNode, type SelectorTerm } from '../../core/offloading/clusterSelector.ts';

const FOLLOW_LIMIT_MS = 3 * 60_000;

async function virtualNodes(client: { list: (p: string, q: Record<string, string>) => Promise<{ items: unknown[] }> }): Promise<LabelledNode[]> {
  const list = await client.list('/api/v1/nodes', { labelSelector: 'liqo.io/type=virtual-node' });
  return list.items.map((n) => {
    const m = (n as { metadata?: { name?: string; labels?: Record<string, string> } }).metadata;
    return { name: m?.name ?? '', labels: m?.labels ?? {} };
  });
}

async function askSelector(nodes: readonly LabelledNode[]): Promise<SelectorTerm[] | undefined> {
  const choices = labelChoices(nodes);
  if (choices.size === 0) return [];
  const items = [...choices].flatMap(([key, values]) =>
    values.map((value) => {
      const matches = matchingNodes([[{ key, operator: 'In', values: [value] }]], nodes).map((n) => n.name);
      return { label: `${key}=${value}`, description: `${matches.length} virtual node(s): ${matches.join(', ')}`, key, value };
    }),
  );
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Cluster selector (labels of the virtual nodes)',
    placeHolder: 'Pick the labels a cluster must have (values of one label are ORed, different labels ANDed); none: every peered cluster',
    canPickMany: true,
  });
  if (!picked) return undefined;
  if (picked.length === 0) return [];
  const byKey = new Map<string, string[]>();
  for (const p of picked) byKey.set(p.key, [...(byKey.get(p.key) ?? []), p.value]);
  return [[...byKey].map(([key, values]) => ({ key, operator: 'In' as const, values }))];
}

export const offloadNamespace: Command = {
  id: 'liqo.namespace.offload',
  async run(deps, arg) {
    const target = await pickCluster(deps, arg, 'Offload Namespace: consumer cluster');
    if (!target) return;
    const namespace = await pickNamespace(deps, arg, target, (ns) => !ns.offloaded && !ns.name.startsWith('kube-') && !ns.name.startsWith('liqo'));
    if (!namespace) return;
    const pod = await vscode.window.showQuickPick(
      POD_OFFLOADING_STRATEGIES.map((s) => ({ label: s, detail: POD_STRATEGY_HELP[s] })),
      { title: `Offload ${namespace}: where may its pods run?` },
    );
    if (!pod) return;
    const mapping = await vscode.window.showQuickPick(
      NAMESPACE_MAPPING_STRATEGIES.map((s) => ({ label: s, detail: MAPPING_STRATEGY_HELP[s] })),
      { title: `Offload ${namespace}: name of the remote namespace` },
    );
    if (!mapping) return;
    let remoteNamespaceName: string | undefined;
    if (mapping.label === 'SelectedName') {
      remoteNamespaceName = await vscode.window.showInputBox({ title: 'Remote namespace name', value: namespace, validateInput: (v) => remoteNamespaceNameProblem(v.trim()) });
      if (remoteNamespaceName === undefined) return;
      remoteNamespaceName = remoteNamespaceName.trim();
    }
    const nodes = await virtualNodes(target.client);
    const clusterSelector = await askSelector(nodes);
    if (clusterSelector === undefined) return;
    const matched = matchingNodes(clusterSelector, nodes).map((n) => n.name);
    const choices: OffloadingChoices = { podOffloadingStrategy: pod.label, namespaceMappingStrategy: mapping.label, clusterSelector, ...(remoteNamespaceName ? { remoteNamespaceName } : {}) };
    const manifest = namespaceOffloadingManifest(namespace, choices);
    const selectorText = clusterSelector.length ? clusterSelector.map(describeTerm).join(' or ') : 'every peered cluster';
    const go = await vscode.window.showInformationMessage(
      `Offload ${namespace} on ${target.contextName}?`,
      { modal: true, detail: `Pods: ${pod.label}. Remote name: ${remoteNamespaceName ?? mapping.label}. Clusters: ${selectorText} — matches ${matched.length ? matched.join(', ') : 'no virtual node now'}.` },
      'Offload',
    );
    if (go !== 'Offload') return;
    const result = await withCancellableProgress(`Offloading ${namespace} on ${target.contextName}`, (signal, report) =>
      offload(target.client, namespace, choices, { signal, onProgress: report, timeoutMs: FOLLOW_LIMIT_MS }),
    );
    deps.log.info(`NamespaceOffloading ${namespace}/offloading applied on ${target.contextName}: ${JSON.stringify(manifest.spec)}; ${result.outcome} (${result.progress.phase})`);
    if (result.outcome === 'ready') {
      void vscode.window.showInformationMessage(`${namespace} is offloaded (Ready${result.progress.remoteNamespaceName ? `, remote namespace ${result.progress.remoteNamespaceName}` : ''}).`);
      return;
    }
    if (result.outcome === 'failed') throw new Error(`Offloading ${namespace} ended ${result.progress.phase}: ${result.progress.reasons.join('; ')}`);
    const why = result.reason === 'aborted' ? 'You stopped following it' : 'It is not Ready after 3 minutes';
    void vscode.window.showWarningMessage(`${why}: the NamespaceOffloading of ${namespace} stays (phase ${result.progress.phase}); its phase shows in the Liqo view.`);
  },
};
