// Builds the inputs of the federation map as the cluster sessions hand them over: per kubeconfig context, its state,
// Liqo facts and a snapshot of ForeignClusters, ResourceSlices, virtual nodes, NamespaceOffloadings and pods, in the
// shapes Liqo v1.0.x's API returns. Used by the graph model's tests and by `npm run bench -- map`.
import { emptySnapshot, type ClusterSnapshot, type LiqoInfo } from '../../src/core/liqo/snapshot.ts';
import type { ForeignCluster, LiqoCondition, PeeringRole, NamespaceOffloading, Node, Pod, ResourceSlice, VirtualNode } from '../../src/core/liqo/objects.ts';
import type { ClusterInput } from '../../src/core/federation/graph.ts';

export function readySnapshot(parts: Partial<ClusterSnapshot>): ClusterSnapshot {
  const base = emptySnapshot();
  const kinds = Object.fromEntries(Object.keys(base.kinds).map((k) => [k, { kind: 'ready' }])) as unknown as ClusterSnapshot['kinds'];
  return { ...base, kinds, ...parts };
}

export function liqo(clusterId: string, healthy = true): LiqoInfo {
  return { presence: 'installed', clusterId, version: 'v1.0.1', healthy, unhealthyPods: healthy ? [] : ['liqo-controller-manager-5d9'] };
}

export function reachable(context: string, clusterId: string, snapshot: ClusterSnapshot, healthy = true): ClusterInput {
  return { entry: { id: `/kube/config#${context}`, contextName: context }, state: { kind: 'reachable', serverVersion: 'v1.34.4' }, liqo: liqo(clusterId, healthy), snapshot };
}

const established = (type: string): LiqoCondition => ({ type, status: 'Established' });

export function foreignCluster(peerId: string, role: PeeringRole, broken?: LiqoCondition): ForeignCluster {
  return {
    metadata: { name: peerId },
    spec: { clusterID: peerId },
    status: {
      role,
      modules: {
        networking: { enabled: true, conditions: [broken?.type.startsWith('Network') ? broken : established('NetworkConnectionStatus')] },
        authentication: { enabled: true, conditions: [established('AuthIdentityControlPlaneStatus')] },
        offloading: { enabled: role !== 'Consumer', conditions: role !== 'Consumer' ? [{ type: 'OffloadingVirtualNodeStatus', status: 'Ready' }] : [] },
      },
      // The ForeignCluster's own conditions (APIServerStatus): where Liqo says the peer's API server does not answer.
      ...(broken && !broken.type.startsWith('Network') ? { conditions: [broken] } : {}),
    },
  };
}

export function resourceSlice(consumer: string, provider: string, resources: Record<string, string>): ResourceSlice {
  return {
    metadata: { name: provider, namespace: `liqo-tenant-${provider}` },
    spec: { consumerClusterID: consumer, providerClusterID: provider, resources },
    status: { resources, conditions: [{ type: 'Resources', status: 'Accepted' }] },
  };
}

export function virtualNode(provider: string, gpus = 0): { vn: VirtualNode; node: Node } {
  const allocatable: Record<string, string> = { cpu: '4', memory: '8Gi', pods: '110', ...(gpus ? { 'nvidia.com/gpu': String(gpus) } : {}) };
  return {
    vn: { metadata: { name: provider, namespace: `liqo-tenant-${provider}` }, spec: { clusterID: provider, createNode: true } },
    node: {
      metadata: { name: provider, labels: { 'liqo.io/type': 'virtual-node', 'liqo.io/remote-cluster-id': provider } },
      status: { allocatable, capacity: allocatable, conditions: [{ type: 'Ready', status: 'True' }] },
    },
  };
}

export function offloading(namespace: string, providers: readonly string[]): NamespaceOffloading {
  return {
    metadata: { name: 'offloading', namespace },
    spec: { podOffloadingStrategy: 'Remote', namespaceMappingStrategy: 'DefaultName' },
    status: {
      offloadingPhase: 'Ready',
      remoteNamespaceName: `${namespace}-remote`,
      remoteNamespacesConditions: Object.fromEntries(providers.map((p) => [p, [{ type: 'OffloadingRequired', status: 'True' as const }, { type: 'Ready', status: 'True' as const }]])),
    },
  };
}

export function pod(namespace: string, name: string, nodeName: string, failing = false): Pod {
  return {
    metadata: { name, namespace },
    spec: { nodeName },
    status: failing
      ? { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [{ name: 'app', restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } }] }
      : { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'app', restartCount: 0, state: { running: {} } }] },
  };
}

/**
 * A federation of `clusters` clusters in groups of `perFederation`: within each group, cluster i consumes from the
 * next `providersPerCluster` clusters of the group (cyclically; one ForeignCluster on each side), and offloads
 * `namespacesPerConsumer` namespaces to its providers with `podsPerNamespace` pods spread over them, every tenth pod
 * crash-looping. Deterministic. Keep providersPerCluster below half the group size (no two-way peerings).
 */
export function generateFederation(opts: { clusters: number; perFederation: number; providersPerCluster?: number; namespacesPerConsumer: number; podsPerNamespace: number }): ClusterInput[] {
  const ids = Array.from({ length: opts.clusters }, (_, i) => `cluster-${String(i).padStart(3, '0')}`);
  const providersOf = new Map<string, string[]>();
  const consumersOf = new Map<string, string[]>();
  for (let start = 0; start < ids.length; start += opts.perFederation) {
    const group = ids.slice(start, start + opts.perFederation);
    const p = Math.min(opts.providersPerCluster ?? 1, Math.floor((group.length - 1) / 2) || (group.length > 1 ? 1 : 0));
    group.forEach((c, i) => {
      for (let k = 1; k <= p; k++) {
        const provider = group[(i + k) % group.length]!;
        if (provider === c || (providersOf.get(provider) ?? []).includes(c)) continue;
        providersOf.set(c, [...(providersOf.get(c) ?? []), provider]);
        consumersOf.set(provider, [...(consumersOf.get(provider) ?? []), c]);
      }
    });
  }
  return ids.map((c) => {
    const providers = providersOf.get(c) ?? [];
    const vns = providers.map((p, i) => virtualNode(p, i % 3 === 0 ? 1 : 0));
    const offloadings: NamespaceOffloading[] = [];
    const pods: Pod[] = [];
    for (let n = 0; n < (providers.length ? opts.namespacesPerConsumer : 0); n++) {
      const ns = `app-${c}-${n}`;
      offloadings.push(offloading(ns, providers));
      for (let k = 0; k < opts.podsPerNamespace; k++) pods.push(pod(ns, `${ns}-pod-${k}`, providers[k % providers.length]!, k % 10 === 9));
    }
    return reachable(
      `ctx-${c}`,
      c,
      readySnapshot({
        foreignClusters: [...providers.map((p) => foreignCluster(p, 'Provider')), ...(consumersOf.get(c) ?? []).map((x) => foreignCluster(x, 'Consumer'))],
        resourceSlices: providers.map((p) => resourceSlice(c, p, { cpu: '4', memory: '8Gi', pods: '110' })),
        virtualNodes: vns.map((v) => v.vn),
        nodes: vns.map((v) => v.node),
        offloadings,
        pods,
      }),
    );
  });
}
