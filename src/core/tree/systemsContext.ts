// What the rows of the other federation systems (Admiralty, KubeFed, Istio) need besides their own cluster's
// snapshot: every kubeconfig context's endpoint (server and CA, to match a kubeconfig another system carries), whether
// that context's cluster answers, and its own systems snapshot (a proxy pod's delegate lives there).
import type { ContextEndpoint } from '../systems/endpoint.ts';
import { matchEndpoint, type Endpoint } from '../systems/endpoint.ts';
import type { SystemsSnapshot } from '../systems/snapshot.ts';

export interface SystemsPeer {
  readonly entryId: string;
  readonly endpoint: ContextEndpoint;
  /** the context's connection state as its cluster row shows it */
  readonly state: 'reachable' | 'failed' | 'connecting' | 'idle';
  /** its watched systems; undefined while not watched (not reachable yet, or its watches not started) */
  readonly systems?: SystemsSnapshot;
}

export interface SystemsTreeInput {
  /** this cluster's systems */
  readonly own: SystemsSnapshot;
  /** every kubeconfig context (this one included: a Target may point back at its own cluster) */
  readonly peers: readonly SystemsPeer[];
}

export type PeerMatch = { readonly kind: 'context'; readonly peer: SystemsPeer } | { readonly kind: 'ca-differs'; readonly peer: SystemsPeer } | { readonly kind: 'none' };

/** The context whose server and CA an endpoint carried by another system points at. */
export function peerOf(input: SystemsTreeInput, endpoint: Endpoint): PeerMatch {
  const m = matchEndpoint(
    endpoint,
    input.peers.map((p) => p.endpoint),
  );
  if (m.kind === 'none') return m;
  const peer = input.peers.find((p) => p.endpoint.context === m.context);
  return peer ? { kind: m.kind, peer } : { kind: 'none' };
}

export function answerText(p: SystemsPeer): string {
  return p.state === 'reachable' ? 'answers' : p.state === 'failed' ? 'does not answer' : 'not connected yet';
}
