// The NamespaceOffloading for a namespace from the user's choices, field for field what `liqoctl offload namespace
// … -o yaml` prints (an integration test compares the two for every strategy combination). Liqo requires the name
// `offloading`; an empty selector is written as `nodeSelectorTerms: []`, as liqoctl writes it.
import { canonicalTerm, type SelectorTerm } from './clusterSelector.ts';

export type PodOffloadingStrategy = 'LocalAndRemote' | 'Remote' | 'Local';
export type NamespaceMappingStrategy = 'DefaultName' | 'EnforceSameName' | 'SelectedName';

export const POD_OFFLOADING_STRATEGIES: readonly PodOffloadingStrategy[] = ['LocalAndRemote', 'Remote', 'Local'];
export const NAMESPACE_MAPPING_STRATEGIES: readonly NamespaceMappingStrategy[] = ['DefaultName', 'EnforceSameName', 'SelectedName'];

/** What each strategy means, for the pickers. */
export const POD_STRATEGY_HELP: Readonly<Record<PodOffloadingStrategy, string>> = {
  LocalAndRemote: 'Pods may run on local nodes and on virtual nodes (the scheduler decides).',
  Remote: 'Pods run only on virtual nodes, that is in the selected remote clusters.',
  Local: 'Pods stay on local nodes; the namespace is still replicated remotely (to consume remote services).',
};
export const MAPPING_STRATEGY_HELP: Readonly<Record<NamespaceMappingStrategy, string>> = {
  DefaultName: 'The remote namespace is named <namespace>-<local cluster ID>: never clashes.',
  EnforceSameName: 'The remote namespace has the same name: fails where that name is taken.',
  SelectedName: 'The remote namespace gets a name you choose.',
};

export const NAMESPACE_OFFLOADING_NAME = 'offloading';
export const NAMESPACE_OFFLOADING_API_VERSION = 'offloading.liqo.io/v1beta1';

export interface OffloadingChoices {
  readonly podOffloadingStrategy: PodOffloadingStrategy;
  readonly namespaceMappingStrategy: NamespaceMappingStrategy;
  /** Required with SelectedName, ignored otherwise. */
  readonly remoteNamespaceName?: string;
  /** ORed terms; empty: every peered cluster. */
  readonly clusterSelector: readonly SelectorTerm[];
}

export interface NamespaceOffloadingManifest {
  apiVersion: string;
  kind: 'NamespaceOffloading';
  metadata: { name: string; namespace: string };
  spec: {
    podOffloadingStrategy: PodOffloadingStrategy;
    namespaceMappingStrategy: NamespaceMappingStrategy;
    remoteNamespaceName?: string;
    clusterSelector: { nodeSelectorTerms: Array<{ matchExpressions: Array<{ key: string; operator: string; values?: string[] }> }> };
  };
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why a remote namespace name cannot be used, or undefined when it can. */
export function remoteNamespaceNameProblem(name: string): string | undefined {
  if (name === '') return 'Enter the name of the namespace to create in the remote clusters.';
  if (name.length > 63) return `"${name}" is longer than 63 characters; a namespace name must be a DNS label.`;
  if (!DNS_LABEL.test(name)) return `"${name}" is not a valid namespace name: lower-case letters, digits and '-', starting and ending with a letter or digit.`;
  return undefined;
}

export function namespaceOffloadingManifest(namespace: string, c: OffloadingChoices): NamespaceOffloadingManifest {
  if (c.namespaceMappingStrategy === 'SelectedName') {
    const problem = remoteNamespaceNameProblem(c.remoteNamespaceName ?? '');
    if (problem) throw new Error(`SelectedName needs a remote namespace name: ${problem}`);
  }
  const spec: NamespaceOffloadingManifest['spec'] = {
    podOffloadingStrategy: c.podOffloadingStrategy,
    namespaceMappingStrategy: c.namespaceMappingStrategy,
    clusterSelector: {
      nodeSelectorTerms: c.clusterSelector.map((term) => ({
        matchExpressions: canonicalTerm(term).map((r) => (r.values ? { key: r.key, operator: r.operator, values: [...r.values] } : { key: r.key, operator: r.operator })),
      })),
    },
  };
  // liqoctl passes --remote-namespace-name through whatever the strategy; we only ever send it with SelectedName.
  if (c.namespaceMappingStrategy === 'SelectedName' && c.remoteNamespaceName) spec.remoteNamespaceName = c.remoteNamespaceName;
  return {
    apiVersion: NAMESPACE_OFFLOADING_API_VERSION,
    kind: 'NamespaceOffloading',
    metadata: { name: NAMESPACE_OFFLOADING_NAME, namespace },
    spec,
  };
}

/** The API path of a namespace's NamespaceOffloading. */
export function namespaceOffloadingPath(namespace: string): string {
  return `/apis/${NAMESPACE_OFFLOADING_API_VERSION}/namespaces/${encodeURIComponent(namespace)}/namespaceoffloadings/${NAMESPACE_OFFLOADING_NAME}`;
}
