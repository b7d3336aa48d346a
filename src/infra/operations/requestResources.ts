// Request Resources… as an operation: the ResourceSlice (as `liqoctl create resourceslice` forges it, plus extended
// resources such as nvidia.com/gpu) written through the one write path into the consumer's tenant namespace for
// the provider, then followed by watch until the provider accepts or denies it (Liqo's CRD replicator carries it
// across and the provider's controller writes the Authentication and Resources conditions back).
import type { ClusterClient } from '../cluster/clusterClient.ts';
import { applyObject } from '../writes/applyObject.ts';
import { followObject } from './followObject.ts';
import { RESOURCE_SLICE_API_VERSION, resourceSliceManifest, resourceSliceOutcome, resourceSlicePath, type ResourceSliceRequest } from '../../core/offloading/resourceSlice.ts';
import type { OperationOptions } from './offloading.ts';

export interface ResourceRequestOutcome {
  readonly outcome: 'accepted' | 'denied' | 'pending';
  readonly detail: string;
  /** Why the follow stopped while still pending. */
  readonly stopped?: 'aborted' | 'timedOut';
}

/** The tenant namespace the consumer keeps for a provider, from its ForeignCluster (Liqo writes it into the status). */
export async function tenantNamespaceFor(client: ClusterClient, providerClusterId: string, signal?: AbortSignal): Promise<string> {
  const list = await client.list('/apis/core.liqo.io/v1beta1/foreignclusters', {}, signal);
  const fc = list.items.find((x) => {
    const f = x as { metadata?: { name?: string }; spec?: { clusterID?: string } };
    return (f.spec?.clusterID ?? f.metadata?.name) === providerClusterId;
  }) as { status?: { role?: string; tenantNamespace?: { local?: string } } } | undefined;
  if (!fc) throw new Error(`${client.server} has no peering with cluster ${providerClusterId}: peer the clusters first (Peer Clusters…).`);
  // Liqo keeps a ForeignCluster after unpeer, its role back to Unknown: only a provider takes resource requests.
  const role = fc.status?.role ?? 'Unknown';
  if (role !== 'Provider' && role !== 'ConsumerAndProvider') {
    throw new Error(`Cluster ${providerClusterId} is not a provider of ${client.server} (its role is ${role}): peer the clusters first (Peer Clusters…), with this cluster as the consumer.`);
  }
  const ns = fc.status?.tenantNamespace?.local;
  if (!ns) throw new Error(`The peering with ${providerClusterId} has no tenant namespace yet (authentication not established): wait for the peering to form, then try again.`);
  return ns;
}

export async function requestResources(client: ClusterClient, request: ResourceSliceRequest, o: OperationOptions = {}): Promise<ResourceRequestOutcome> {
  const manifest = resourceSliceManifest(request);
  o.onProgress?.(`creating ResourceSlice ${request.name}`);
  await applyObject(client, resourceSlicePath(request.tenantNamespace, request.name), manifest, o.signal ? { signal: o.signal } : {});
  return followResourceSlice(client, request.tenantNamespace, request.name, o);
}

export async function followResourceSlice(client: ClusterClient, namespace: string, name: string, o: OperationOptions = {}): Promise<ResourceRequestOutcome> {
  let lastDetail = '';
  const r = await followObject(
    client,
    `/apis/${RESOURCE_SLICE_API_VERSION}/namespaces/${encodeURIComponent(namespace)}/resourceslices`,
    name,
    (obj) => {
      if (obj === undefined) return { outcome: 'denied' as const, detail: `ResourceSlice ${name} was deleted before the provider answered.` };
      const s = resourceSliceOutcome(obj);
      if (s.detail !== lastDetail) o.onProgress?.(s.detail);
      lastDetail = s.detail;
      return s.outcome === 'pending' ? undefined : s;
    },
    { ...(o.signal ? { signal: o.signal } : {}), ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}) },
  );
  if (r.settled) return r.value;
  return { ...resourceSliceOutcome(r.last), outcome: 'pending', stopped: r.reason };
}
