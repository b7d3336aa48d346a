// What every row builder of one cluster's subtree needs: the cluster's id prefix, its snapshot, and the links to
// other kubeconfig contexts by Liqo cluster ID.
import type { ClusterSnapshot, WatchedKind } from '../liqo/snapshot.ts';
import type { ObjectRef, TreeNodeView } from './view.ts';
import type { ClusterRowKey } from './rowKey.ts';
import type { SystemsTreeInput } from './systemsContext.ts';

export interface LinkedContext {
  readonly contextName: string;
  readonly entryId: string;
}

export interface ClusterTreeContext {
  /** The cluster row's key; every descendant's key extends it. */
  readonly base: ClusterRowKey;
  /** The kubeconfig entry id of this cluster (commands take it). */
  readonly entryId: string;
  readonly snapshot: ClusterSnapshot;
  /** Kubeconfig contexts whose Liqo cluster ID is the given one (excluding this cluster itself). */
  readonly contextsFor: (clusterId: string) => readonly LinkedContext[];
  /** Admiralty, KubeFed and Istio as watched in this cluster, with every context's endpoint (absent: not watched). */
  readonly systems?: SystemsTreeInput;
}

/** Children by parent id: the rows under one cluster (or one folder of it), built from its snapshot. */
export type SubtreeMap = Map<string, TreeNodeView[]>;

export function resourceRef(ctx: ClusterTreeContext, kind: WatchedKind, key: string): { readonly entryId: string; readonly kind: WatchedKind; readonly key: string } {
  return { entryId: ctx.entryId, kind, key };
}

export function linkText(links: readonly LinkedContext[]): string {
  return links.length === 0 ? 'no kubeconfig context' : `⇄ ${links.map((l) => l.contextName).join(', ')}`;
}

export function objectRef(kind: WatchedKind, key: string): ObjectRef {
  return { kind, key };
}
