// Offload and Unoffload as operations the commands (and the tests) call: the NamespaceOffloading written through
// the one write path, then followed by watch until Liqo settles it — Ready, a failure with Liqo's per-cluster
// reasons, or, for Unoffload, the object gone (Liqo's finalizer runs only after the twin namespaces are deleted).
import type { ClusterClient } from '../cluster/clusterClient.ts';
import { applyObject, deleteObject } from '../writes/applyObject.ts';
import { followObject, followUntilGone } from './followObject.ts';
import { NAMESPACE_OFFLOADING_API_VERSION, NAMESPACE_OFFLOADING_NAME, namespaceOffloadingManifest, namespaceOffloadingPath, type OffloadingChoices } from '../../core/offloading/namespaceOffloading.ts';
import { offloadingProgress, type OffloadingProgress } from '../../core/offloading/offloadingPhase.ts';

export interface OperationOptions {
  readonly signal?: AbortSignal;
  /** Short progress text (a phase, a step) for a notification. */
  readonly onProgress?: (message: string) => void;
  readonly timeoutMs?: number;
}

export function namespaceOffloadingsPath(namespace: string): string {
  return `/apis/${NAMESPACE_OFFLOADING_API_VERSION}/namespaces/${encodeURIComponent(namespace)}/namespaceoffloadings`;
}

export type OffloadOutcome =
  | { readonly outcome: 'ready'; readonly progress: OffloadingProgress }
  | { readonly outcome: 'failed'; readonly progress: OffloadingProgress }
  | { readonly outcome: 'stopped'; readonly reason: 'aborted' | 'timedOut'; readonly progress: OffloadingProgress };

/** Creates (or updates) the namespace's NamespaceOffloading, then follows its phase until Ready or a failure. */
export async function offloadNamespace(client: ClusterClient, namespace: string, choices: OffloadingChoices, o: OperationOptions = {}): Promise<OffloadOutcome> {
  const manifest = namespaceOffloadingManifest(namespace, choices);
  o.onProgress?.('creating the NamespaceOffloading');
  await applyObject(client, namespaceOffloadingPath(namespace), manifest, o.signal ? { signal: o.signal } : {});
  return followOffloading(client, namespace, o);
}

/**
 * How long NoClusterSelected must stand before it is a failure. Liqo writes it also when its reconcile fails on the
 * way (a virtual node whose NamespaceMap is not there yet, right after a peering) and then retries: the follow
 * would otherwise report a selector that selects nothing where the next reconcile goes on to Ready.
 */
export const NO_CLUSTER_SELECTED_HOLD_MS = 10_000;

/** Follows an existing NamespaceOffloading's phase (by watch) until it settles. */
export async function followOffloading(client: ClusterClient, namespace: string, o: OperationOptions = {}): Promise<OffloadOutcome> {
  let lastPhase = '';
  const r = await followObject(
    client,
    namespaceOffloadingsPath(namespace),
    NAMESPACE_OFFLOADING_NAME,
    (obj) => {
      const p = offloadingProgress(obj);
      if (p.phase !== lastPhase) o.onProgress?.(p.phase === 'NoClusterSelected' ? `phase: NoClusterSelected (checking for ${NO_CLUSTER_SELECTED_HOLD_MS / 1000} s that it stays)` : `phase: ${p.phase}`);
      lastPhase = p.phase;
      return p.outcome === 'pending' ? undefined : p;
    },
    {
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
      holdMs: (p) => (p.phase === 'NoClusterSelected' ? NO_CLUSTER_SELECTED_HOLD_MS : undefined),
    },
  );
  if (r.settled) return r.value.outcome === 'ready' ? { outcome: 'ready', progress: r.value } : { outcome: 'failed', progress: r.value };
  return { outcome: 'stopped', reason: r.reason, progress: offloadingProgress(r.last) };
}

/** Deletes the NamespaceOffloading and follows it until it is gone (Liqo removed the twin namespaces). */
export async function unoffloadNamespace(client: ClusterClient, namespace: string, o: OperationOptions = {}): Promise<{ gone: boolean; reason?: 'aborted' | 'timedOut' }> {
  o.onProgress?.('deleting the NamespaceOffloading');
  await deleteObject(client, namespaceOffloadingPath(namespace), o.signal ? { signal: o.signal } : {});
  o.onProgress?.('Liqo is removing the remote namespaces');
  const r = await followUntilGone(client, namespaceOffloadingsPath(namespace), NAMESPACE_OFFLOADING_NAME, {
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
  });
  return r.settled ? { gone: true } : { gone: false, reason: r.reason };
}
