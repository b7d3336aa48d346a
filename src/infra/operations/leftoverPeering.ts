// Clean Up Leftover Peering as an operation, through the one write path: the tenant namespace Liqo kept (as
// `liqoctl unpeer --delete-namespaces` deletes it), then the ForeignCluster, each followed by watch until it is gone.
// Only for what core/peering/leftover.ts calls a leftover: nothing of a peering still names the peer.
import { REPLICATOR_FINALIZER_PREFIX, stuckNamespaceAdvice, type LeftoverCleanUp, type StuckObject } from '../../core/peering/leftover.ts';
import { KubeApiError, type ClusterClient } from '../cluster/clusterClient.ts';
import { deleteObject } from '../writes/applyObject.ts';
import { followUntilGone } from './followObject.ts';

export const FOREIGN_CLUSTERS_PATH = '/apis/core.liqo.io/v1beta1/foreignclusters';

export interface CleanUpOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  readonly onProgress?: (message: string) => void;
}

/** The objects of the namespace that Liqo's crd-replicator holds by a finalizer (the kinds it replicates from here). */
async function replicatorHeld(client: ClusterClient, namespace: string, signal?: AbortSignal): Promise<StuckObject[]> {
  const ns = encodeURIComponent(namespace);
  const kinds = [
    ['renews.authentication.liqo.io', `/apis/authentication.liqo.io/v1beta1/namespaces/${ns}/renews`],
    ['resourceslices.authentication.liqo.io', `/apis/authentication.liqo.io/v1beta1/namespaces/${ns}/resourceslices`],
    ['secret', `/api/v1/namespaces/${ns}/secrets`],
  ] as const;
  const out: StuckObject[] = [];
  for (const [resource, path] of kinds) {
    // only metadata is read (a Secret's data is never looked at or kept)
    const items = await client.list(path, {}, signal).then((l) => l.items as { metadata?: { name?: string; finalizers?: string[] } }[], () => []);
    for (const it of items) {
      const finalizers = it.metadata?.finalizers ?? [];
      if (it.metadata?.name && finalizers.some((f) => f.startsWith(REPLICATOR_FINALIZER_PREFIX))) out.push({ resource, name: it.metadata.name, finalizers: [...finalizers] });
    }
  }
  return out;
}

export interface CleanUpResult {
  /** What is still there when the follow stopped (Cancel, the time limit, a namespace stuck Terminating). */
  readonly remaining: string[];
  /** Why the tenant namespace stays, and the way out (Liqo's documented manual finalizer removal), when it does. */
  readonly stuck?: { readonly message: string; readonly commands: readonly (readonly string[])[] };
}

export async function cleanUpLeftoverPeering(client: ClusterClient, plan: LeftoverCleanUp, o: CleanUpOptions = {}): Promise<CleanUpResult> {
  const follow = { ...(o.signal ? { signal: o.signal } : {}), timeoutMs: o.timeoutMs ?? 120_000 };
  const remaining: string[] = [];
  if (plan.tenantNamespace) {
    o.onProgress?.(`Deleting namespace ${plan.tenantNamespace}`);
    const nsPath = `/api/v1/namespaces/${encodeURIComponent(plan.tenantNamespace)}`;
    // Already Terminating (an earlier Clean Up): a second DELETE is refused (409), so only wait for it.
    const current = await client.get<{ metadata?: { deletionTimestamp?: string } }>(nsPath, {}, o.signal).catch((e: unknown) => {
      if (e instanceof KubeApiError && e.status === 404) return undefined;
      throw e;
    });
    if (current && !current.metadata?.deletionTimestamp) await deleteObject(client, nsPath, o.signal ? { signal: o.signal } : {});
    // The ForeignCluster goes after the namespace: Liqo recreates a ForeignCluster for objects still labelled with
    // the peer's ID, and the namespace holds those it kept (e.g. v1.2's control-plane Secret).
    const r = await followUntilGone(client, '/api/v1/namespaces', plan.tenantNamespace, follow);
    if (!r.settled) {
      const remaining = [`namespace ${plan.tenantNamespace}`, `ForeignCluster ${plan.foreignCluster}`];
      if (o.signal?.aborted) return { remaining };
      return { remaining, stuck: stuckNamespaceAdvice(plan.tenantNamespace, await replicatorHeld(client, plan.tenantNamespace, o.signal)) };
    }
  }
  o.onProgress?.(`Deleting ForeignCluster ${plan.foreignCluster}`);
  await deleteObject(client, `${FOREIGN_CLUSTERS_PATH}/${encodeURIComponent(plan.foreignCluster)}`, o.signal ? { signal: o.signal } : {});
  const r = await followUntilGone(client, FOREIGN_CLUSTERS_PATH, plan.foreignCluster, follow);
  if (!r.settled) remaining.push(`ForeignCluster ${plan.foreignCluster}`);
  return { remaining };
}
