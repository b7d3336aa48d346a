// The rollback of a cancelled Peer Clusters… (core/peering/rollback.ts plans it): each side's Liqo state read before
// the peering and after the Cancel, then the plan run — `liqoctl unpeer` through the one runner, or deletions through
// the one write path, each ForeignCluster followed until gone. Every step is tried; what failed is returned, so the
// caller can say what is left and how to remove it.
import type { ClusterClient } from '../cluster/clusterClient.ts';
import { KubeApiError } from '../cluster/clusterClient.ts';
import type { PeeringSideState, RollbackStep, Side } from '../../core/peering/rollback.ts';
import { deleteObject } from '../writes/applyObject.ts';
import { followUntilGone } from './followObject.ts';
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

/** How long a deleted object may take to go (Liqo's finalizers; a namespace's contents) before its step failed. */
const GONE_WITHIN_MS = 120_000;
/** How long a deleted ForeignCluster is watched for coming back, and how often it is deleted again. */
const FC_SETTLE_MS = 3_000;
const FC_RETRIES = 2;

async function followGone(client: ClusterClient, path: string, signal: AbortSignal | undefined): Promise<boolean> {
  const cut = path.lastIndexOf('/');
  return (await followUntilGone(client, path.slice(0, cut), decodeURIComponent(path.slice(cut + 1)), { ...(signal ? { signal } : {}), timeoutMs: GONE_WITHIN_MS })).settled;
}

/**
 * Runs every step; returns the ones that failed, each with why. Each deletion is followed until the object is gone
 * before the next step: Liqo's ForeignCluster controller creates a cluster's ForeignCluster again on any event of
 * a Tenant or Identity labelled with its ID (their deletion too), so a ForeignCluster deleted while they still go
 * comes back. A deleted ForeignCluster is then checked once more after a moment, and deleted again if it did.
 */
export async function runRollback(liqoctl: LiqoctlRunner, sides: RollbackSides, steps: readonly RollbackStep[], o: LiqoctlStepOptions & { onProgress?: (m: string) => void } = {}): Promise<{ failed: string[] }> {
  const failed: string[] = [];
  const clientOf = (side: Side) => sides[side].client;
  const deleteAndFollow = async (side: Side, path: string, what: string): Promise<void> => {
    await deleteObject(clientOf(side), path, o.signal ? { signal: o.signal } : {});
    if (!(await followGone(clientOf(side), path, o.signal))) {
      throw new Error(o.signal?.aborted ? 'stopped before it was gone' : `still there ${GONE_WITHIN_MS / 1000} s after its deletion (a finalizer that has not run): see its YAML for what holds it`);
    }
    if (!what.startsWith('ForeignCluster ')) return;
    for (let round = 0; round < FC_RETRIES; round++) {
      await new Promise((r) => setTimeout(r, FC_SETTLE_MS));
      const back = await clientOf(side)
        .get(path, {}, o.signal)
        .then(() => true)
        .catch((e: unknown) => {
          if (e instanceof KubeApiError && e.status === 404) return false;
          throw e;
        });
      if (!back) return;
      o.onProgress?.(`Liqo made ${what} on the ${side} again: deleting it again`);
      await deleteObject(clientOf(side), path, o.signal ? { signal: o.signal } : {});
      if (!(await followGone(clientOf(side), path, o.signal))) throw new Error(`made again by Liqo and still there after a second deletion`);
    }
  };
  for (const step of steps) {
    try {
      if (step.kind === 'unpeer') {
        o.onProgress?.(`liqoctl unpeer${step.deleteNamespaces ? ' --delete-namespaces' : ''}`);
        await unpeerClusters(liqoctl, sides.consumer, sides.provider, { ...o, deleteNamespaces: step.deleteNamespaces });
        continue;
      }
      o.onProgress?.(`Deleting ${step.what} on the ${step.side}`);
      await deleteAndFollow(step.side, step.path, step.what);
    } catch (e) {
      failed.push(`${step.kind === 'unpeer' ? 'liqoctl unpeer' : `${step.what} on the ${step.side}`}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { failed };
}
