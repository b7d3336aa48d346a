// The one seam that says which kubeconfig entries are "the same context": the key a cluster session is registered
// under and the key the view remembers things by (hidden, has Liqo). Until the resolved context
// (core/kubeconfig/resolved.ts) is carried by each ClusterEntry, the key is the entry id (file + context name);
// once it is, this is where the resolved context's identity (context, cluster and user as kubectl resolves them)
// takes over, and nothing else changes.
import type { ClusterEntry } from './clusters.ts';

export function contextKeyOf(entry: ClusterEntry): string {
  return entry.id;
}
