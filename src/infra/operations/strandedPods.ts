// The pods an Unoffload (or Unpeer) left stranded in one namespace, read once through the ClusterClient (the tree
// watches pods of offloaded namespaces only, so a namespace that just stopped being offloaded is not watched), and
// their deletion through the one write path so that their controllers recreate them on the cluster's own nodes.
import type { ClusterClient } from '../cluster/clusterClient.ts';
import type { Node, Pod } from '../../core/liqo/objects.ts';
import { LABEL_TYPE, TYPE_VIRTUAL_NODE } from '../../core/liqo/objects.ts';
import { strandedPods, type StrandedPod } from '../../core/liqo/strandedPods.ts';
import { deleteObject } from '../writes/applyObject.ts';

export async function findStrandedPods(client: ClusterClient, namespace: string, signal?: AbortSignal): Promise<StrandedPod[]> {
  const ns = encodeURIComponent(namespace);
  const [pods, nodes] = await Promise.all([client.list(`/api/v1/namespaces/${ns}/pods`, {}, signal), client.list('/api/v1/nodes', {}, signal).catch(() => undefined)]);
  const all = nodes?.items as Node[] | undefined;
  const virtual = new Set((all ?? []).filter((n) => n.metadata.labels?.[LABEL_TYPE] === TYPE_VIRTUAL_NODE).map((n) => n.metadata.name));
  return strandedPods(pods.items as Pod[], virtual, all ? new Set(all.map((n) => n.metadata.name)) : undefined);
}

export async function deleteStrandedPods(client: ClusterClient, namespace: string, pods: readonly StrandedPod[], signal?: AbortSignal): Promise<string[]> {
  const failed: string[] = [];
  for (const p of pods) {
    try {
      await deleteObject(client, `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(p.name)}`, signal ? { signal } : {});
    } catch (e) {
      failed.push(`${p.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return failed;
}
