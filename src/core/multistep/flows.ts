// The steps of the three multi-step commands, as data: which answers each asks, in which order, and which earlier
// answer makes a step irrelevant. The ui side attaches a picker or an input box to each id.
import type { NamespaceMappingStrategy, PodOffloadingStrategy } from '../offloading/namespaceOffloading.ts';
import type { SelectorTerm } from '../offloading/clusterSelector.ts';
import type { StepSpec } from './stepFlow.ts';

export interface OffloadAnswers {
  /** kubeconfig entry id of the consumer cluster */
  cluster: string;
  namespace: string;
  podOffloadingStrategy: PodOffloadingStrategy;
  namespaceMappingStrategy: NamespaceMappingStrategy;
  remoteNamespaceName: string;
  clusterSelector: SelectorTerm[];
}

export const OFFLOAD_STEPS: readonly StepSpec<OffloadAnswers>[] = [
  { id: 'cluster' },
  { id: 'namespace' },
  { id: 'podOffloadingStrategy' },
  { id: 'namespaceMappingStrategy' },
  // a name of one's own only with SelectedName
  { id: 'remoteNamespaceName', skip: (a) => a.namespaceMappingStrategy !== 'SelectedName' },
  { id: 'clusterSelector' },
];

/** How the gateway is set up: a Service type, or none. */
export type PeerNetwork = 'LoadBalancer' | 'NodePort' | 'ClusterIP' | 'disabled';

export interface PeerAnswers {
  /** kubeconfig entry ids */
  consumer: string;
  provider: string;
  network: PeerNetwork;
  /** '' lets the provider decide */
  cpu: string;
  memory: string;
  pods: string;
}

export const PEER_STEPS: readonly StepSpec<PeerAnswers>[] = [{ id: 'consumer' }, { id: 'provider' }, { id: 'network' }, { id: 'cpu' }, { id: 'memory' }, { id: 'pods' }];

export interface RequestResourcesAnswers {
  name: string;
  /** '' requests none */
  cpu: string;
  memory: string;
  pods: string;
  gpu: string;
  /** "name=quantity, ..." */
  extra: string;
}

export const REQUEST_RESOURCES_STEPS: readonly StepSpec<RequestResourcesAnswers>[] = [{ id: 'name' }, { id: 'cpu' }, { id: 'memory' }, { id: 'pods' }, { id: 'gpu' }, { id: 'extra' }];
