// Clean Up Leftover Peering as an operation, through the one write path: the tenant namespace Liqo kept (as
// `liqoctl unpeer --delete-namespaces` deletes it), then the ForeignCluster, each followed by watch until it is gone.
// Only for what core/peering/leftover.ts calls a leftover: nothing of a peering still names the peer.
import type { LeftoverCleanUp } from '../../core/peering/leftover.ts';
import type { ClusterClient } from '../cluster/clusterClient.ts';
import { deleteObject } from '../writes/applyObject.ts';
import { followObject } from './followObject.ts';

export const FOREIGN_CLUSTERS_PATH = '/apis/core.liqo.io/v1beta1/foreignclusters';

export interface CleanUpOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  readonly onProgress?: (message: string) => void;
}

/** What is still there when the follow stopped (Cancel or the time limit), or nothing: all gone. */
export async function cleanUpLeftoverPeering(client: ClusterClient, plan: LeftoverCleanUp, o: CleanUpOptions = {}): Promise<{ remaining: string[] }> {
  const follow = { ...(o.signal ? { signal: o.signal } : {}), timeoutMs: o.timeoutMs ?? 120_000 };
  const gone = (x: unknown) => (x === undefined ? true : undefined);
  const remaining: string[] = [];
  if (plan.tenantNamespace) {
    o.onProgress?.(`Deleting namespace ${plan.tenantNamespace}`);
    await deleteObject(client, `/api/v1/namespaces/${encodeURIComponent(plan.tenantNamespace)}`, o.signal ? { signal: o.signal } : {});
    // The ForeignCluster goes after the namespace: Liqo recreates a ForeignCluster for objects still labelled with
    // the peer's ID, and the namespace holds those it kept (e.g. v1.2's control-plane Secret).
    const r = await followObject(client, '/api/v1/namespaces', plan.tenantNamespace, gone, follow);
    if (!r.settled) return { remaining: [`namespace ${plan.tenantNamespace}`, `ForeignCluster ${plan.foreignCluster}`] };
  }
  o.onProgress?.(`Deleting ForeignCluster ${plan.foreignCluster}`);
  await deleteObject(client, `${FOREIGN_CLUSTERS_PATH}/${encodeURIComponent(plan.foreignCluster)}`, o.signal ? { signal: o.signal } : {});
  const r = await followObject(client, FOREIGN_CLUSTERS_PATH, plan.foreignCluster, gone, follow);
  if (!r.settled) remaining.push(`ForeignCluster ${plan.foreignCluster}`);
  return { remaining };
}
