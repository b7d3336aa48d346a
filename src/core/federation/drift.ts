// What differs between a known-good record and the federation now, each item in plain words with its side (the
// context and cluster it is about) and the action that restores it. A cluster that does not answer is one item of
// its own: what lives only there is unknown, not gone, so nothing about it is reported as removed.
import { federationsOf, observeFederation, offloadingKey, peeringKey, type ClusterFacts, type FederationRecord, type ObservedFederation, type OffloadingRecord, type PeeringRecord, type SliceRecord } from './knownGood.ts';
import { selectorTermToText, type SelectorTerm } from '../offloading/clusterSelector.ts';
import { contextTarget, offloadingTarget, peeringTarget, sliceTarget } from './restoreTargets.ts';

export type DriftKind =
  | 'cluster-unreachable'
  | 'cluster-id-changed'
  | 'context-missing'
  | 'context-changed'
  | 'version-moved'
  | 'peering-gone'
  | 'peering-degraded'
  | 'peering-options-changed'
  | 'slice-removed'
  | 'slice-changed'
  | 'namespace-not-offloaded'
  | 'offloading-changed';

export interface DriftItem {
  readonly kind: DriftKind;
  /** Where: `kind-a (cluster a)`, or a pair for a peering. */
  readonly side: string;
  readonly text: string;
  /** What brings it back (a step of the plan, or what the user must do where the plan cannot). */
  readonly restore: string;
  /** The plan steps that restore this item carry the same target (restoreTargets.ts); none: the plan cannot. */
  readonly target?: string;
}

/** The federation now, seen from every context: the reference's clusters and whatever they are federated with. */
export function observeNow(reference: FederationRecord, facts: readonly ClusterFacts[], takenAt: string): ObservedFederation {
  const wanted = new Set(reference.clusters.map((c) => c.clusterId));
  const ids = new Set<string>();
  for (const group of federationsOf(facts)) if (group.some((id) => wanted.has(id))) for (const id of group) ids.add(id);
  for (const id of wanted) ids.add(id);
  return observeFederation(facts, [...ids], takenAt);
}

export function federationDrift(reference: FederationRecord, facts: readonly ClusterFacts[]): DriftItem[] {
  const now = observeNow(reference, facts, '');
  const items: DriftItem[] = [];
  const byContext = new Map(facts.map((f) => [f.entry.contextName, f]));
  const unreachableIds = new Set<string>();
  const sideOf = (clusterId: string, context?: string) => (context ? `${context} (cluster ${clusterId})` : `cluster ${clusterId}`);

  for (const ctx of reference.contexts) {
    const f = byContext.get(ctx.name);
    const side = sideOf(ctx.clusterId ?? '?', ctx.name);
    if (!f) {
      items.push({ kind: 'context-missing', side, text: `The kubeconfig has no context "${ctx.name}" any more.`, restore: `Add a kubeconfig with context "${ctx.name}" (server ${ctx.server}).` });
      if (ctx.clusterId) unreachableIds.add(ctx.clusterId);
      continue;
    }
    if (f.entry.server !== ctx.server) {
      items.push({ kind: 'context-changed', side, text: `The server of "${ctx.name}" changed from ${ctx.server} to ${f.entry.server}.`, restore: `Set the server of "${ctx.name}" back to ${ctx.server}.`, target: contextTarget(ctx.name) });
    }
    if ((f.entry.tlsServerName ?? '') !== (ctx.tlsServerName ?? '')) {
      const was = ctx.tlsServerName ?? '(none)';
      items.push({ kind: 'context-changed', side, text: `The TLS server name of "${ctx.name}" changed from ${was} to ${f.entry.tlsServerName ?? '(none)'}.`, restore: `Set tls-server-name of "${ctx.name}" back to ${was}.`, target: contextTarget(ctx.name) });
    }
    if (ctx.caSha256 && f.caSha256 && ctx.caSha256.join() !== [...f.caSha256].sort().join()) {
      items.push({ kind: 'context-changed', side, text: `The CA "${ctx.name}" trusts is not the recorded one (fingerprint ${ctx.caSha256[0]}).`, restore: `Check the cluster's CA: it was re-created, or the kubeconfig points at another cluster.` });
    }
    const nowId = f.liqo?.clusterId;
    if (f.kubernetesVersion === undefined) {
      items.push({ kind: 'cluster-unreachable', side, text: `"${ctx.name}" does not answer: what lives on it cannot be compared.`, restore: 'Make the cluster reachable (Retry on its row), then look again.' });
      if (ctx.clusterId) unreachableIds.add(ctx.clusterId);
    } else if (ctx.clusterId && nowId && nowId !== ctx.clusterId) {
      items.push({ kind: 'cluster-id-changed', side, text: `"${ctx.name}" now has Liqo cluster ID ${nowId} (was ${ctx.clusterId}): the cluster was rebuilt or reinstalled.`, restore: `Map the old ID ${ctx.clusterId} to a context when restoring.` });
    }
  }

  for (const c of reference.clusters) {
    const cur = now.record.clusters.find((x) => x.clusterId === c.clusterId);
    if (!cur || unreachableIds.has(c.clusterId) || cur.contexts.length === 0) continue;
    const side = sideOf(c.clusterId, cur.contexts[0]);
    for (const [field, label] of [['liqoVersion', 'Liqo'], ['kubernetesVersion', 'Kubernetes']] as const) {
      const was = c[field];
      const is = cur[field];
      if (was && is && was !== is) items.push({ kind: 'version-moved', side, text: `${label} moved from ${was} to ${is}.`, restore: `Not restored by the plan: ${label === 'Liqo' ? `reinstall Liqo ${was}` : `run Kubernetes ${was}`} if the move broke the federation.` });
    }
  }

  for (const p of reference.peerings) {
    const key = peeringKey(p);
    const side = `${sideOf(p.consumer.clusterId, p.consumer.context)} → ${sideOf(p.provider.clusterId, p.provider.context)}`;
    if (unreachableIds.has(p.consumer.clusterId) && unreachableIds.has(p.provider.clusterId)) continue;
    const cur = now.record.peerings.find((x) => peeringKey(x) === key);
    if (!cur) {
      items.push({ kind: 'peering-gone', side, text: `The peering of ${p.consumer.clusterId} (consumer) with ${p.provider.clusterId} (provider) is gone.`, restore: 'Peer again (liqoctl peer, step of the plan), then its ResourceSlices.', target: peeringTarget(p) });
      continue;
    }
    const health = now.peeringHealth.get(key);
    if (health !== 'healthy') items.push({ kind: 'peering-degraded', side, text: `The peering of ${p.consumer.clusterId} with ${p.provider.clusterId} is ${health ?? 'unknown'}.`, restore: 'See the peering row\'s conditions; the plan re-peers only a peering that is gone.' });
    if (cur.networking !== p.networking) items.push({ kind: 'peering-options-changed', side, text: `Networking is ${cur.networking ? 'enabled' : 'disabled'} (was ${p.networking ? 'enabled' : 'disabled'}).`, restore: 'Unpeer and peer again with the recorded options.' });
    if (unreachableIds.has(p.consumer.clusterId)) continue;
    sliceDrift(p, cur.resourceSlices, side, items);
  }

  for (const o of reference.offloadings) {
    if (unreachableIds.has(o.clusterId)) continue;
    const side = sideOf(o.clusterId, o.context);
    const cur = now.record.offloadings.find((x) => offloadingKey(x) === offloadingKey(o));
    if (!cur) {
      items.push({ kind: 'namespace-not-offloaded', side, text: `Namespace ${o.namespace} is no longer offloaded.`, restore: `Apply its NamespaceOffloading again (${o.podOffloadingStrategy}, ${o.namespaceMappingStrategy}).`, target: offloadingTarget(o) });
      continue;
    }
    for (const change of offloadingChanges(o, cur)) items.push({ kind: 'offloading-changed', side, text: `Namespace ${o.namespace}: ${change}.`, restore: 'Apply the recorded NamespaceOffloading spec again.', target: offloadingTarget(o) });
  }
  return items;
}

function sliceDrift(peering: PeeringRecord, now: readonly SliceRecord[], side: string, items: DriftItem[]): void {
  for (const s of peering.resourceSlices) {
    const cur = now.find((x) => x.name === s.name && x.namespace === s.namespace);
    if (!cur) {
      items.push({ kind: 'slice-removed', side, text: `ResourceSlice ${s.namespace}/${s.name} (${resourcesText(s.resources)}) was removed.`, restore: 'Create the ResourceSlice again (step of the plan).', target: sliceTarget(peering, s) });
    } else if (resourcesText(cur.resources) !== resourcesText(s.resources) || (cur.class ?? '') !== (s.class ?? '')) {
      items.push({ kind: 'slice-changed', side, text: `ResourceSlice ${s.namespace}/${s.name} asks for ${resourcesText(cur.resources)} (was ${resourcesText(s.resources)}).`, restore: 'Apply the recorded ResourceSlice again.', target: sliceTarget(peering, s) });
    }
  }
}

function offloadingChanges(was: OffloadingRecord, now: OffloadingRecord): string[] {
  const out: string[] = [];
  if (was.podOffloadingStrategy !== now.podOffloadingStrategy) out.push(`pod offloading strategy is ${now.podOffloadingStrategy} (was ${was.podOffloadingStrategy})`);
  if (was.namespaceMappingStrategy !== now.namespaceMappingStrategy) out.push(`namespace mapping strategy is ${now.namespaceMappingStrategy} (was ${was.namespaceMappingStrategy})`);
  if ((was.remoteNamespaceName ?? '') !== (now.remoteNamespaceName ?? '')) out.push(`remote namespace name is ${now.remoteNamespaceName ?? '(default)'} (was ${was.remoteNamespaceName ?? '(default)'})`);
  if (selectorText(was.clusterSelector) !== selectorText(now.clusterSelector)) out.push(`cluster selector is ${selectorText(now.clusterSelector)} (was ${selectorText(was.clusterSelector)})`);
  return out;
}

export function selectorText(terms: readonly SelectorTerm[]): string {
  if (terms.length === 0) return 'every peered cluster';
  const one = (t: SelectorTerm): string => {
    try {
      return `"${selectorTermToText(t)}"`;
    } catch {
      return JSON.stringify(t); // a term Liqo accepted but liqoctl could not have written (a key twice)
    }
  };
  return terms.map(one).join(' or ');
}

function resourcesText(r: Readonly<Record<string, string>>): string {
  const parts = Object.keys(r).sort().map((k) => `${k}=${r[k]}`);
  return parts.length ? parts.join(', ') : 'what the provider decides';
}
