// The routes to an offloaded pod's log. The pod runs on a virtual node (label liqo.io/type=virtual-node), whose
// liqo.io/remote-cluster-id names the provider. Path 1 asks the consumer's API server, where Liqo's virtual kubelet
// answers; path 2 asks the provider directly: its context is found by cluster ID among the kubeconfig contexts,
// the remote namespace comes from the NamespaceOffloading status (remoteNamespaceName) or else the provider's
// NamespaceMap on the consumer, and the pod has the same name there. An Admiralty proxy pod is read from its
// delegate pod, found through the kubeconfig context its Target's kubeconfig points at.
import { KubeApiError } from '../cluster/clusterClient.ts';
import type { LogTarget } from '../../core/logs/logSource.ts';
import type { ClusterDirectory, ClusterHandle } from './clusterDirectory.ts';
import type { LogRoute } from './podLogStream.ts';
import type { Node, Pod } from '../../core/liqo/objects.ts';
import { isProxyPod } from '../../core/systems/admiralty.ts';
import { followAdmiraltyPod } from '../systems/admiraltyFollow.ts';

type PodShape = Pod & { readonly spec?: Pod['spec'] & { readonly schedulerName?: string } };
interface NodeShape {
  metadata?: { labels?: Record<string, string> };
}
interface NamespaceMapShape {
  metadata?: { labels?: Record<string, string> };
  status?: { currentMapping?: Record<string, { remoteNamespace?: string }> };
}

export interface PodRoutes {
  readonly routes: LogRoute[];
  /** The provider's cluster ID, for an offloaded pod. */
  readonly remoteClusterId?: string;
  /** The provider's side (context and namespace), when a context reaches it. */
  readonly provider?: { readonly handle: ClusterHandle; readonly namespace: string };
  /** Why there is no provider-direct path, for an offloaded pod without one (or no delegate path, for a proxy pod). */
  readonly note?: string;
  /** For an Admiralty proxy pod: the delegate pod its log is read from. */
  readonly delegate?: LogTarget;
}

async function getOrUndefined<T>(h: ClusterHandle, path: string, signal: AbortSignal): Promise<T | undefined> {
  try {
    return await h.client.get<T>(path, undefined, signal);
  } catch (err) {
    if (err instanceof KubeApiError && (err.status === 404 || err.status === 403)) return undefined;
    throw err;
  }
}

/** The remote namespace of `namespace` on the provider `clusterId`, as the consumer's Liqo recorded it. */
export async function remoteNamespaceOf(consumer: ClusterHandle, namespace: string, clusterId: string, signal: AbortSignal): Promise<string | undefined> {
  const off = await getOrUndefined<{ status?: { remoteNamespaceName?: string } }>(consumer, `/apis/offloading.liqo.io/v1beta1/namespaces/${namespace}/namespaceoffloadings/offloading`, signal);
  if (off?.status?.remoteNamespaceName) return off.status.remoteNamespaceName;
  try {
    const maps = await consumer.client.list('/apis/offloading.liqo.io/v1beta1/namespacemaps', { labelSelector: `liqo.io/remote-cluster-id=${clusterId}` }, signal);
    for (const m of maps.items as NamespaceMapShape[]) {
      const remote = m.status?.currentMapping?.[namespace]?.remoteNamespace;
      if (remote) return remote;
    }
  } catch {
    /* no NamespaceMap API (Liqo not installed): no mapping */
  }
  return undefined;
}

/**
 * An Admiralty proxy pod's routes: straight from its delegate (the real pod, on the cluster its Target sends to),
 * then through the proxy's own API server, where Admiralty's virtual kubelet serves the delegate's log; when no
 * context reaches the delegate, only the latter, and a note saying why by name with the next step.
 */
async function proxyRoutes(dir: ClusterDirectory, here: ClusterHandle, target: LogTarget, pod: Pod, node: Node | undefined, signal: AbortSignal): Promise<PodRoutes | undefined> {
  const f = await followAdmiraltyPod(dir, here, pod, node, signal);
  if (f?.role !== 'proxy') return undefined;
  const viaProxy: LogRoute = { target, client: here.client, label: `through ${here.context}'s API server (Admiralty's virtual kubelet serves the delegate's log)` };
  if (!f.delegate) {
    const next = f.problem?.checks[0] ? ` ${f.problem.checks[0]}` : '';
    return { routes: [viaProxy], note: `${target.namespace}/${target.pod} is an Admiralty proxy pod with no container logs of its own: ${f.problem?.text ?? 'its delegate is not known'}. Reading it through ${here.context}'s API server instead.${next}` };
  }
  const d = f.delegate;
  const direct: LogRoute = {
    target: { ...target, context: d.handle.context, namespace: d.namespace, pod: d.name },
    client: d.handle.client,
    label: `from the delegate pod ${d.namespace}/${d.name} on ${d.handle.context} (${target.pod} is an Admiralty proxy pod with no container logs of its own; ${f.via})`,
  };
  return { routes: [direct, viaProxy], delegate: { context: d.handle.context, namespace: d.namespace, pod: d.name } };
}

export async function routesForPod(dir: ClusterDirectory, consumer: ClusterHandle, target: LogTarget, signal: AbortSignal): Promise<PodRoutes> {
  const local: LogRoute = { target, client: consumer.client };
  const pod = await getOrUndefined<PodShape>(consumer, `/api/v1/namespaces/${target.namespace}/pods/${target.pod}`, signal);
  const nodeName = pod?.spec?.nodeName;
  if (pod && isProxyPod(pod)) {
    const vn = nodeName ? await getOrUndefined<Node>(consumer, `/api/v1/nodes/${nodeName}`, signal).catch(() => undefined) : undefined;
    const admiralty = await proxyRoutes(dir, consumer, target, pod, vn, signal);
    if (admiralty) return admiralty;
  }
  if (!nodeName) return { routes: [local] };
  const node = await getOrUndefined<NodeShape>(consumer, `/api/v1/nodes/${nodeName}`, signal).catch(() => undefined);
  const labels = node?.metadata?.labels ?? {};
  if (labels['liqo.io/type'] !== 'virtual-node') return { routes: [local] };
  const clusterId = labels['liqo.io/remote-cluster-id'] ?? nodeName;
  const viaConsumer: LogRoute = { target, client: consumer.client, label: `through ${consumer.context}'s API server (Liqo virtual kubelet for ${clusterId})` };
  const [providers, remoteNs] = await Promise.all([dir.contextsFor(clusterId, signal, consumer.context), remoteNamespaceOf(consumer, target.namespace, clusterId, signal)]);
  const provider = providers[0];
  if (!provider) return { routes: [viaConsumer], remoteClusterId: clusterId, note: `no kubeconfig context reaches the provider ${clusterId}: only the consumer's path is available` };
  if (!remoteNs) return { routes: [viaConsumer], remoteClusterId: clusterId, note: `the remote namespace of ${target.namespace} on ${clusterId} is not recorded (no NamespaceOffloading status or NamespaceMap)` };
  const direct: LogRoute = {
    target: { ...target, context: provider.context, namespace: remoteNs },
    client: provider.client,
    label: `straight from the provider ${provider.context} (${remoteNs}/${target.pod})`,
  };
  return { routes: [viaConsumer, direct], remoteClusterId: clusterId, provider: { handle: provider, namespace: remoteNs } };
}
