// What a scenario declares: its clusters (and which pods' logs kwok serves from which files, fixed before kwok
// starts), the objects it writes through the API once the API servers are up, and what "ready" means for it.
import type { CatchAllLogRule, LogRule } from '../kwok-config.ts';
import type { KubeRest } from '../kube-rest.ts';
import type { PinnedCrdSystem } from '../crds.ts';
import type { PodUsage } from '../metrics-server.ts';

export interface ClusterPlan {
  name: string;
  /** run kube-controller-manager and kube-scheduler (Deployments, GC, node lifecycle) */
  controllers: boolean;
  podCidr: string;
  logs: LogRule[];
  catchAllLogs: CatchAllLogRule[];
}

export interface LogFile {
  file: string;
  /** lines written before the clusters start (timestamps in the past) */
  history: string[];
  /** lines the log writer keeps appending, in a cycle, while the test bed runs (none: the container is done) */
  live: string[];
}

export interface ScenarioEnv {
  client(cluster: string): KubeRest;
  url(cluster: string): string;
  /** a kubeconfig with embedded credentials for that cluster (what a Liqo Identity secret carries) */
  kubeconfigFor(cluster: string): string;
  /** an https URL on 127.0.0.1 where nothing listens: a peer that cannot be reached */
  unreachableUrl: string;
}

export interface ReadyCheck {
  cluster: string;
  nodes: { name: string; ready: boolean }[];
  pods: { namespace: string; name: string; phase: 'Running' | 'Failed' }[];
  /** Deployments whose replicas must all be available */
  deployments: { namespace: string; name: string }[];
  /** the cluster's pods must number at least this many, none Pending (for generated workloads) */
  minPods?: number;
}

export interface ScenarioPlan {
  name: string;
  clusters: ClusterPlan[];
  logFiles: LogFile[];
  populate(env: ScenarioEnv): Promise<void>;
  readiness: ReadyCheck[];
  /** how long `up` waits for the readiness checks (default 120 s) */
  readyTimeoutMs?: number;
  /** CRDs of other federation systems, pinned in test/testbed/crds/<system>, installed next to Liqo's */
  pinnedCrds?: readonly PinnedCrdSystem[];
  /** run Liqo's own control plane (the live scenario) */
  live?: LivePlan;
  /** run metrics-server on every cluster; kwok reports these pods' usage (by pod name), the others 1m / 1Mi */
  metrics?: PodUsage;
}

/** The live scenario's Liqo: which release, what each cluster offers, and what to do once Liqo is up. */
export interface LivePlan {
  version: string;
  /** where Liqo is installed on every cluster */
  namespace: string;
  clusters: Record<string, { offeredResources: Record<string, string>; clusterLabels: Record<string, string> }>;
  /** runs after Liqo's control plane is up (e.g. the real `liqoctl peer` of --peered) */
  afterUp?(env: LiveEnv): Promise<void>;
}

export interface LiveEnv {
  kubeconfig: string;
  binDir: string;
  /** where Liqo is installed (liqoctl's --namespace and --remote-namespace) */
  liqoNamespace: string;
  client(cluster: string): KubeRest;
  log(msg: string): void;
}
