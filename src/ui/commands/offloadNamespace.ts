// liqo.namespace.offload: Offload Namespace… from a namespace row or the palette. In one multi-step input (Back keeps
// the answers, Escape writes nothing) asks the cluster and namespace (unless the row names them), the pod offloading
// strategy and the namespace mapping strategy (each explained), builds the cluster selector from the labels the cluster's
// virtual nodes carry with a preview of the nodes it matches, creates the NamespaceOffloading through the one write
// path, then follows its phase by watch until Ready or a failure with Liqo's reasons (Cancel stops following only).
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import { clusterItems, clusterTarget, entryIdOfArg, namespaceOfArg, namespacesOf } from '../operations/rowTarget.ts';
import { runMultiStep, type PickItem } from '../operations/multiStepInput.ts';
import { OFFLOAD_STEPS, type OffloadAnswers } from '../../core/multistep/flows.ts';
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

/** The selector's choices: one item per label value the virtual nodes carry, with the nodes it matches. */
function selectorItems(nodes: readonly LabelledNode[]): PickItem<{ key: string; value: string }>[] {
  return [...labelChoices(nodes)].flatMap(([key, values]) =>
    values.map((value) => {
      const matches = matchingNodes([[{ key, operator: 'In', values: [value] }]], nodes).map((n) => n.name);
      return { label: `${key}=${value}`, description: `${matches.length} virtual node(s): ${matches.join(', ')}`, value: { key, value } };
    }),
  );
}

/** Values of one label are ORed, different labels ANDed: one term; nothing picked: every peered cluster. */
function selectorOf(picked: readonly { key: string; value: string }[]): SelectorTerm[] {
  if (picked.length === 0) return [];
  const byKey = new Map<string, string[]>();
  for (const p of picked) byKey.set(p.key, [...(byKey.get(p.key) ?? []), p.value]);
  return [[...byKey].map(([key, values]) => ({ key, operator: 'In' as const, values }))];
}

const picksOf = (selector: unknown): { key: string; value: string }[] =>
  ((selector as SelectorTerm[] | undefined) ?? []).flatMap((term) => term.flatMap((r) => (r.values ?? []).map((value) => ({ key: r.key, value }))));

export const offloadNamespace: Command = {
  id: 'liqo.namespace.offload',
  async run(deps, arg) {
    const given: Partial<OffloadAnswers> = {};
    const rowEntry = entryIdOfArg(deps, arg);
    if (rowEntry) {
      given.cluster = rowEntry;
      clusterTarget(deps, rowEntry); // a cluster gone or not connected stops here, before any question
      const rowNamespace = namespaceOfArg(deps, arg);
      if (rowNamespace) given.namespace = rowNamespace;
    }
    // Read once per cluster: Back and forward again do not list the virtual nodes anew.
    const nodesOf = new Map<string, Promise<LabelledNode[]>>();
    const nodes = (entryId: string) => {
      if (!nodesOf.has(entryId)) nodesOf.set(entryId, virtualNodes(clusterTarget(deps, entryId).client));
      return nodesOf.get(entryId)!;
    };
    const answers = await runMultiStep<OffloadAnswers>('Offload Namespace', OFFLOAD_STEPS, given, {
      cluster: { kind: 'pick', title: () => 'consumer cluster', placeholder: 'Pick a cluster (kubeconfig context)', items: () => clusterItems(deps) },
      namespace: {
        kind: 'pick',
        title: (a) => `namespace on ${clusterTarget(deps, a.cluster!).contextName}`,
        items: async (a) =>
          (await namespacesOf(clusterTarget(deps, a.cluster!), (ns) => !ns.offloaded && !ns.name.startsWith('kube-') && !ns.name.startsWith('liqo'))).map((n) => ({ label: n, value: n })),
      },
      podOffloadingStrategy: {
        kind: 'pick',
        title: (a) => `where may the pods of ${a.namespace} run?`,
        items: () => POD_OFFLOADING_STRATEGIES.map((st) => ({ label: st, detail: POD_STRATEGY_HELP[st], value: st })),
      },
      namespaceMappingStrategy: {
        kind: 'pick',
        title: (a) => `name of the remote namespace of ${a.namespace}`,
        items: () => NAMESPACE_MAPPING_STRATEGIES.map((st) => ({ label: st, detail: MAPPING_STRATEGY_HELP[st], value: st })),
      },
      remoteNamespaceName: { kind: 'input', title: () => 'remote namespace name', value: (a) => a.namespace ?? '', validate: (v) => remoteNamespaceNameProblem(v.trim()) },
      clusterSelector: {
        kind: 'pickMany',
        title: () => 'cluster selector (labels of the virtual nodes)',
        placeholder: 'Pick the labels a cluster must have (values of one label are ORed, different labels ANDed); none: every peered cluster',
        items: async (a) => selectorItems(await nodes(a.cluster!)),
        toAnswer: (picked) => selectorOf(picked as { key: string; value: string }[]),
        fromAnswer: picksOf,
      },
    });
    if (!answers) return;
    const target = clusterTarget(deps, answers.cluster!);
    const namespace = answers.namespace!;
    const clusterSelector = answers.clusterSelector ?? [];
    const remoteNamespaceName = answers.remoteNamespaceName;
    const pod = answers.podOffloadingStrategy!;
    const mapping = answers.namespaceMappingStrategy!;
    const matched = matchingNodes(clusterSelector, await nodes(target.entryId)).map((n) => n.name);
    const choices: OffloadingChoices = { podOffloadingStrategy: pod, namespaceMappingStrategy: mapping, clusterSelector, ...(remoteNamespaceName ? { remoteNamespaceName } : {}) };
    const manifest = namespaceOffloadingManifest(namespace, choices);
    const selectorText = clusterSelector.length ? clusterSelector.map(describeTerm).join(' or ') : 'every peered cluster';
    const go = await vscode.window.showInformationMessage(
      `Offload ${namespace} on ${target.contextName}?`,
      { modal: true, detail: `Pods: ${pod}. Remote name: ${remoteNamespaceName ?? mapping}. Clusters: ${selectorText} — matches ${matched.length ? matched.join(', ') : 'no virtual node now'}.` },
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
