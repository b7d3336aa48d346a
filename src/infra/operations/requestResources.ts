// Request Resources… as an operation: the ResourceSlice (as `liqoctl create resourceslice` forges it, plus extended
// resources such as nvidia.com/gpu) written through the one write path into the consumer's tenant namespace for
// the provider, then followed by watch until the provider accepts or denies it (Liqo's CRD replicator carries it
// across and the provider's controller writes the Authentication and Resources conditions back).
import type { ClusterClient } from '../cluster/clusterClient.ts';
import { applyObject, WriteRefused } from '../writes/applyObject.ts';
import { followObject } from './followObject.ts';
import { RESOURCE_SLICE_API_VERSION, resourceSliceManifest, resourceSliceOutcome, resourceSlicePath, type ResourceSliceRequest } from '../../core/offloading/resourceSlice.ts';
import type { OperationOptions } from './offloading.ts';

export interface ResourceRequestOutcome {
  readonly outcome: 'accepted' | 'denied' | 'pending';
  readonly detail: string;
  /** Why the follow stopped while still pending. */
  readonly stopped?: 'aborted' | 'timedOut';
  /** Pending without any status: the provider never saw the slice (Liqo's CRD replicator has not copied it). */
  readonly unreplicated?: true;
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
  await writeResourceSlice(client, request.tenantNamespace, request.name, manifest, o);
  return followResourceSlice(client, request.tenantNamespace, request.name, o);
}

/** How long a write waits out Liqo's webhook still seeing a ResourceSlice that was just deleted. */
export const STALE_SLICE_RETRY_MS = 30_000;

/**
 * Writes a ResourceSlice. Liqo's webhook refuses a slice whose name another slice in the cluster has, and it looks
 * in its own cache: right after a slice is deleted (a restore, a user re-requesting), it still sees it for a moment.
 * When the API server has no slice of that name, the write is tried again (every second, up to 30 s, within the
 * operation's timeout); when one exists in another namespace, the error says where, and that the name must change.
 */
export async function writeResourceSlice(client: ClusterClient, namespace: string, name: string, manifest: unknown, o: OperationOptions = {}): Promise<void> {
  const deadline = Date.now() + Math.min(STALE_SLICE_RETRY_MS, o.timeoutMs ?? STALE_SLICE_RETRY_MS);
  for (let attempt = 1; ; attempt++) {
    try {
      await applyObject(client, resourceSlicePath(namespace, name), manifest, o.signal ? { signal: o.signal } : {});
      return;
    } catch (e) {
      if (!(e instanceof WriteRefused) || !/already exists/i.test(e.message) || !/admission webhook/i.test(e.message)) throw e;
      const same = await client.list(`/apis/${RESOURCE_SLICE_API_VERSION}/resourceslices`, { fieldSelector: `metadata.name=${name}` }, o.signal);
      const other = same.items.map((x) => (x as { metadata?: { namespace?: string } }).metadata?.namespace).find((ns) => ns !== namespace);
      if (other !== undefined) {
        throw new Error(`A ResourceSlice named "${name}" already exists in namespace ${other} on ${client.server}, and Liqo wants the name unique in the cluster: pick another name. (${e.message})`);
      }
      if (Date.now() >= deadline || o.signal?.aborted) {
        throw new Error(`Liqo's webhook still sees an old ResourceSlice "${name}" that the API server no longer has (tried ${attempt} times); wait a minute, then try again. (${e.message})`);
      }
      o.onProgress?.(`Liqo's webhook still sees the deleted ResourceSlice ${name}; trying again`);
      await sleep(1000, o.signal);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
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
