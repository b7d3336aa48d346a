// The rollback of a cancelled Peer Clusters… (core/peering/rollback.ts plans it): each side's Liqo state read before
// the peering and after the Cancel, then the plan run — `liqoctl unpeer` through the one runner, or deletions through
// the one write path, each ForeignCluster followed until gone. Every step is tried; what failed is returned, so the
// caller can say what is left and how to remove it.
import type { ClusterClient } from '../cluster/clusterClient.ts';
import { KubeApiError } from '../cluster/clusterClient.ts';
import type { PeeringSideState, RollbackStep, Side } from '../../core/peering/rollback.ts';
import { deleteObject } from '../writes/applyObject.ts';
import { followObject } from './followObject.ts';
import { unpeerClusters, type LiqoctlStepOptions, type PeeringSide } from './peering.ts';
import type { LiqoctlRunner } from '../liqoctl/liqoctlRunner.ts';

type Listed = { metadata?: { name?: string; namespace?: string }; spec?: { clusterID?: string } };

async function listOrEmpty(client: ClusterClient, path: string, query: Record<string, string>, signal?: AbortSignal): Promise<Listed[]> {
  try {
    return (await client.list(path, query, signal)).items as Listed[];
  } catch (e) {
    if (e instanceof KubeApiError && e.status === 404) return []; // Liqo's CRDs absent: nothing of a peering
    throw e;
  }
}

export async function peeringSideState(client: ClusterClient, signal?: AbortSignal): Promise<PeeringSideState> {
  const [fcs, namespaces, tenants, identities] = await Promise.all([
    listOrEmpty(client, '/apis/core.liqo.io/v1beta1/foreignclusters', {}, signal),
    listOrEmpty(client, '/api/v1/namespaces', { labelSelector: 'liqo.io/tenant-namespace=true' }, signal),
    listOrEmpty(client, '/apis/authentication.liqo.io/v1beta1/tenants', {}, signal),
    listOrEmpty(client, '/apis/authentication.liqo.io/v1beta1/identities', {}, signal),
  ]);
  const namespacedFor = (o: Listed) => ({ namespace: o.metadata?.namespace ?? '', name: o.metadata?.name ?? '', clusterId: o.spec?.clusterID ?? '' });
  return {
    foreignClusters: fcs.map((f) => f.metadata?.name ?? '').filter(Boolean),
    tenantNamespaces: namespaces.map((n) => n.metadata?.name ?? '').filter(Boolean),
    tenants: tenants.map(namespacedFor),
    identities: identities.map(namespacedFor),
  };
}

export interface RollbackSides {
  readonly consumer: PeeringSide & { readonly client: ClusterClient };
  readonly provider: PeeringSide & { readonly client: ClusterClient };
}

/** Runs every step; returns the ones that failed, each with why. */
export async function runRollback(liqoctl: LiqoctlRunner, sides: RollbackSides, steps: readonly RollbackStep[], o: LiqoctlStepOptions & { onProgress?: (m: string) => void } = {}): Promise<{ failed: string[] }> {
  const failed: string[] = [];
  const clientOf = (side: Side) => sides[side].client;
  for (const step of steps) {
    try {
      if (step.kind === 'unpeer') {
        o.onProgress?.(`liqoctl unpeer${step.deleteNamespaces ? ' --delete-namespaces' : ''}`);
        await unpeerClusters(liqoctl, sides.consumer, sides.provider, { ...o, deleteNamespaces: step.deleteNamespaces });
        continue;
      }
      o.onProgress?.(`Deleting ${step.what} on the ${step.side}`);
      await deleteObject(clientOf(step.side), step.path, o.signal ? { signal: o.signal } : {});
      if (step.what.startsWith('ForeignCluster ')) {
        const name = step.path.slice(step.path.lastIndexOf('/') + 1);
        await followObject(clientOf(step.side), step.path.slice(0, step.path.lastIndexOf('/')), decodeURIComponent(name), (x) => (x === undefined ? true : undefined), { ...(o.signal ? { signal: o.signal } : {}), timeoutMs: 60_000 });
      }
    } catch (e) {
      failed.push(`${step.kind === 'unpeer' ? 'liqoctl unpeer' : `${step.what} on the ${step.side}`}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { failed };
}
