// KubeFed v0.10.0's objects (core.kubefed.io, types.kubefed.io; CRDs pinned in test/testbed/crds/kubefed), shaped
// as its controllers write them. Each builder cites the upstream file (kubernetes-retired/kubefed at v0.10.0).
import { ago, type Obj } from './common.ts';

/** charts/kubefed/values.yaml: the namespace the control plane (and its KubeFedClusters) lives in */
export const KUBEFED_NS = 'kube-federation-system';

/**
 * A member cluster as `kubefedctl join` registers it (pkg/kubefedctl/join.go: apiEndpoint, caBundle, secretRef to
 * `<cluster>-<random>`), with the status the cluster controller writes
 * (pkg/controller/kubefedcluster/clusterclient.go GetClusterStatus: Ready/ClusterReady "/healthz responded with ok",
 * or Offline/ClusterNotReachable "cluster is not reachable").
 */
export function kubeFedCluster(name: string, apiEndpoint: string, caBundle: string, ready: boolean): Obj {
  const probe = ago(20);
  const since = ago(3 * 86400);
  const conditions = ready
    ? [{ type: 'Ready', status: 'True', reason: 'ClusterReady', message: '/healthz responded with ok', lastProbeTime: probe, lastTransitionTime: since }]
    : [
        { type: 'Offline', status: 'True', reason: 'ClusterNotReachable', message: 'cluster is not reachable', lastProbeTime: probe, lastTransitionTime: since },
        { type: 'Ready', status: 'False', reason: 'ClusterNotReachable', message: 'cluster is not reachable', lastProbeTime: probe, lastTransitionTime: since },
      ];
  return {
    apiVersion: 'core.kubefed.io/v1beta1',
    kind: 'KubeFedCluster',
    metadata: { name, namespace: KUBEFED_NS },
    spec: { apiEndpoint, caBundle, secretRef: { name: `${name}-4k7xq` } },
    status: { conditions, ...(ready ? { kubernetesVersion: 'v1.34.4' } : {}) },
  };
}

export interface ClusterPropagation {
  name: string;
  /** pkg/controller/sync/status/status.go PropagationStatus; '' is ClusterPropagationOK (omitted) */
  status: '' | 'ClusterNotReady' | 'CreationFailed' | 'UpdateFailed' | 'ApplyOverridesFailed' | 'CreationTimedOut';
}

/**
 * A FederatedDeployment (types.kubefed.io) with placement and overrides (example/sample1/federateddeployment.yaml),
 * and the status the sync controller writes (pkg/controller/sync/status/status.go GenericFederatedStatus:
 * condition Propagation, reason CheckClusters when a cluster failed; one entry per placed cluster).
 */
export function federatedDeployment(o: {
  namespace: string;
  name: string;
  template: object;
  clusters: string[];
  clusterSelector?: Record<string, string>;
  overrides: { clusterName: string; clusterOverrides: { path: string; op?: string; value?: unknown }[] }[];
  propagation: ClusterPropagation[];
}): Obj {
  const ok = o.propagation.every((p) => p.status === '');
  const when = ago(600);
  return {
    apiVersion: 'types.kubefed.io/v1beta1',
    kind: 'FederatedDeployment',
    metadata: { name: o.name, namespace: o.namespace },
    spec: {
      template: o.template,
      placement: { clusters: o.clusters.map((name) => ({ name })), ...(o.clusterSelector ? { clusterSelector: { matchLabels: o.clusterSelector } } : {}) },
      overrides: o.overrides,
    },
    status: {
      observedGeneration: 1,
      conditions: [{ type: 'Propagation', status: ok ? 'True' : 'False', ...(ok ? {} : { reason: 'CheckClusters' }), lastUpdateTime: when, lastTransitionTime: when }],
      clusters: o.propagation.map((p) => (p.status === '' ? { name: p.name } : { name: p.name, status: p.status })),
    },
  };
}

/** The label the sync controller puts on what it propagates (pkg/controller/util/managedlabel.go). */
export const KUBEFED_MANAGED = { 'kubefed.io/managed': 'true' };

/** What `kubefedctl enable deployments` (or the chart, charts/kubefed/templates/federatedtypeconfig.yaml) registers. */
export function federatedTypeConfig(target: { group: string; version: string; kind: string; plural: string }): Obj {
  const scope = 'Namespaced';
  return {
    apiVersion: 'core.kubefed.io/v1beta1',
    kind: 'FederatedTypeConfig',
    metadata: { name: target.group ? `${target.plural}.${target.group}` : target.plural, namespace: KUBEFED_NS },
    spec: {
      federatedType: { group: 'types.kubefed.io', kind: `Federated${target.kind}`, pluralName: `federated${target.plural}`, scope, version: 'v1beta1' },
      propagation: 'Enabled',
      targetType: { ...(target.group ? { group: target.group } : {}), kind: target.kind, pluralName: target.plural, scope, version: target.version },
    },
  };
}
