// The floor's request plan, written from what the tree shows and not from the explorer's watch list: per cluster the
// fewest LISTs whose answers hold every row. Pods come either from one LIST of all pods (which also covers the Liqo
// namespace's pods) or from one LIST per namespace whose pods the tree shows; the benchmark measures both and the
// floor is the cheaper one.
import { freshList, PooledCluster, type BareCluster, type ListCall } from './bareClient.ts';

export type PodPlan = 'all-pods' | 'per-namespace';

const LIQO_NS = 'liqo';

/** What the tree needs besides pods: Liqo's identity, version and health, and every Liqo object it shows. */
const FIXED: readonly ListCall[] = [
  { path: `/api/v1/namespaces/${LIQO_NS}/configmaps`, query: { fieldSelector: 'metadata.name=liqo-clusterid-configmap' } },
  { path: `/apis/apps/v1/namespaces/${LIQO_NS}/deployments`, query: { labelSelector: 'app.kubernetes.io/name=controller-manager,app.kubernetes.io/component=controller-manager' } },
  { path: '/api/v1/namespaces' },
  { path: '/apis/core.liqo.io/v1beta1/foreignclusters' },
  { path: '/apis/offloading.liqo.io/v1beta1/virtualnodes' },
  { path: '/api/v1/nodes', query: { labelSelector: 'liqo.io/type=virtual-node' } },
  { path: '/apis/authentication.liqo.io/v1beta1/resourceslices' },
  { path: '/apis/offloading.liqo.io/v1beta1/namespaceoffloadings' },
  { path: '/apis/authentication.liqo.io/v1beta1/tenants' },
  { path: '/apis/offloading.liqo.io/v1beta1/shadowpods' },
  // The Services folder: Grafana and Prometheus anywhere, the services of the shown namespaces.
  { path: '/api/v1/services' },
];

export function floorCalls(shownPodNamespaces: readonly string[], plan: PodPlan): ListCall[] {
  if (plan === 'all-pods') return [...FIXED, { path: '/api/v1/pods' }];
  return [...FIXED, ...[LIQO_NS, ...shownPodNamespaces].map((ns) => ({ path: `/api/v1/namespaces/${encodeURIComponent(ns)}/pods` }))];
}

/** The namespaces whose pods the tree shows: offloaded ones (a NamespaceOffloading) and twins of a consumer's. */
export async function shownPodNamespaces(c: BareCluster): Promise<string[]> {
  const pooled = await PooledCluster.connect(c);
  try {
    const list = async (path: string): Promise<{ metadata: { name: string; namespace?: string; labels?: Record<string, string> } }[]> => {
      const body = await pooled.get(path);
      return (body as { items: { metadata: { name: string; namespace?: string; labels?: Record<string, string> } }[] }).items;
    };
    const [offloadings, namespaces] = await Promise.all([list('/apis/offloading.liqo.io/v1beta1/namespaceoffloadings'), list('/api/v1/namespaces')]);
    const out = new Set(offloadings.map((o) => o.metadata.namespace ?? ''));
    for (const ns of namespaces) {
      const l = ns.metadata.labels ?? {};
      if (l['liqo.io/remote-cluster-id'] && l['liqo.io/tenant-namespace'] !== 'true') out.add(ns.metadata.name);
    }
    out.delete('');
    return [...out].sort();
  } finally {
    pooled.close();
  }
}

export interface FloorCluster {
  readonly cluster: BareCluster;
  readonly shown: readonly string[];
}

/** Every LIST of every cluster at once, each over a fresh connection. */
export async function floorFresh(clusters: readonly FloorCluster[], plan: PodPlan): Promise<{ ms: number; lists: number }> {
  const t0 = performance.now();
  const calls = clusters.flatMap((c) => floorCalls(c.shown, plan).map((call) => freshList(c.cluster, call)));
  await Promise.all(calls);
  return { ms: performance.now() - t0, lists: calls.length };
}

/** One HTTP/2 connection per cluster (its handshake included), every LIST of that cluster multiplexed on it. */
export async function floorPooled(clusters: readonly FloorCluster[], plan: PodPlan): Promise<{ ms: number; lists: number }> {
  const t0 = performance.now();
  let lists = 0;
  await Promise.all(
    clusters.map(async (c) => {
      const pooled = await PooledCluster.connect(c.cluster);
      try {
        const calls = floorCalls(c.shown, plan);
        lists += calls.length;
        await Promise.all(calls.map((call) => pooled.list(call)));
      } finally {
        pooled.close();
      }
    }),
  );
  return { ms: performance.now() - t0, lists };
}
