// The ordered way back to a known-good record, as Liqo needs it: kubeconfig entries first (so each cluster is
// reached where it was), then peerings (liqoctl peer, without its default slice), then the recorded ResourceSlices,
// then the NamespaceOffloadings (before any pod of their namespace needs one). Each step carries the exact argv or
// object; what is already in place is skipped, so a second plan after a successful run is empty. Clusters are
// named by the record's cluster IDs: when a context now shows another ID (a rebuilt cluster) or none holds the
// old one, the plan says so and waits for a mapping old ID → context instead of guessing.
import { GATEWAY_SERVICE_TYPES, peerCommand, type GatewayServiceType, type PeerOptions } from '../liqoctl/peer.ts';
import { namespaceOffloadingManifest, type NamespaceOffloadingManifest } from '../offloading/namespaceOffloading.ts';
import { resourceSliceManifest } from '../offloading/resourceSlice.ts';
import type { SelectorTerm } from '../offloading/clusterSelector.ts';
import { offloadingKey, peeringKey, type ClusterFacts, type FederationRecord, type OffloadingRecord } from './knownGood.ts';
import { observeNow, selectorText } from './drift.ts';
import { LABEL_REMOTE_CLUSTER_ID } from '../liqo/objects.ts';
import { contextTarget, offloadingTarget, peeringTarget, sliceTarget } from './restoreTargets.ts';

/** Which drift items (restoreTargets.ts) a step restores. */
interface Targeted {
  readonly targets?: readonly string[];
}

export type RestoreStep = Targeted &
  (
  | { readonly kind: 'kubeconfig'; readonly title: string; readonly context: string; readonly server?: string; readonly tlsServerName?: string }
  | {
      readonly kind: 'peer';
      readonly title: string;
      readonly consumerContext: string;
      readonly providerContext: string;
      /** What liqoctl is told besides the two sides (the runner rebuilds the argv with private kubeconfig copies). */
      readonly choices: PeerStepChoices;
      readonly consumerLiqoNamespace?: string;
      readonly providerLiqoNamespace?: string;
      readonly argv: readonly string[];
    }
  | { readonly kind: 'resourceSlice'; readonly title: string; readonly context: string; readonly manifest: Record<string, unknown>; readonly liqoNamespace?: string }
  | { readonly kind: 'namespaceOffloading'; readonly title: string; readonly context: string; readonly manifest: NamespaceOffloadingManifest; readonly replaces: boolean }
  /** A step that cannot run as things are: the runner stops here and says why. */
  | { readonly kind: 'blocked'; readonly title: string; readonly why: string }
  );

export type PeerStepChoices = Omit<PeerOptions, 'consumer' | 'provider'>;

export interface UnmappedCluster {
  readonly oldClusterId: string;
  /** Why no context was taken for it. */
  readonly why: string;
  /** Contexts it could be (those whose cluster ID is not in the record). */
  readonly candidates: readonly string[];
}

export interface RestorePlan {
  readonly steps: readonly RestoreStep[];
  /** What is already as recorded, in words. */
  readonly inPlace: readonly string[];
  readonly unmapped: readonly UnmappedCluster[];
}

export interface PlanInputs {
  readonly reference: FederationRecord;
  readonly facts: readonly ClusterFacts[];
  /** Old cluster ID → context name, as the user chose (overrides what the plan would take). */
  readonly mapping?: Readonly<Record<string, string>>;
  /** The kubeconfig file of a context, for liqoctl's --kubeconfig (the runner hands it a private copy). */
  readonly kubeconfigOf: (context: string) => string;
}

export function restorePlan(input: PlanInputs): RestorePlan {
  const { reference, facts } = input;
  const byContext = new Map(facts.map((f) => [f.entry.contextName, f]));
  const recordedIds = new Set(reference.clusters.map((c) => c.clusterId));
  const unmapped: UnmappedCluster[] = [];
  const candidates = facts.filter((f) => !f.liqo?.clusterId || !recordedIds.has(f.liqo.clusterId)).map((f) => f.entry.contextName).sort();

  const contextFor = new Map<string, string>();
  for (const c of reference.clusters) {
    const chosen = input.mapping?.[c.clusterId];
    if (chosen !== undefined) {
      if (byContext.has(chosen)) contextFor.set(c.clusterId, chosen);
      else unmapped.push({ oldClusterId: c.clusterId, why: `the context "${chosen}" chosen for it is not in the kubeconfig`, candidates });
      continue;
    }
    const sameId = facts.filter((f) => f.liqo?.clusterId === c.clusterId).map((f) => f.entry.contextName).sort();
    const recorded = c.contexts.find((n) => byContext.has(n));
    const recordedId = recorded ? byContext.get(recorded)?.liqo?.clusterId : undefined;
    if (recorded && (recordedId === undefined || recordedId === c.clusterId)) contextFor.set(c.clusterId, recorded);
    else if (sameId[0]) contextFor.set(c.clusterId, sameId[0]);
    else if (recorded) unmapped.push({ oldClusterId: c.clusterId, why: `context "${recorded}" now has cluster ID ${recordedId}: the cluster was rebuilt`, candidates: [recorded, ...candidates.filter((x) => x !== recorded)] });
    else unmapped.push({ oldClusterId: c.clusterId, why: 'no context in the kubeconfig has this cluster ID', candidates });
  }
  // The ID each recorded cluster has now (the mapped context's), or the old one while it is unknown (unreachable).
  const newId = (old: string): string => byContext.get(contextFor.get(old) ?? '')?.liqo?.clusterId ?? old;
  const liqoNamespaceOf = (old: string): string | undefined => reference.clusters.find((c) => c.clusterId === old)?.liqoNamespace;
  const now = observeNow({ ...reference, clusters: reference.clusters.map((c) => ({ ...c, clusterId: newId(c.clusterId) })) }, facts, '');

  const steps: RestoreStep[] = [];
  const inPlace: string[] = [];
  const missing = (old: string, what: string): RestoreStep => ({ kind: 'blocked', title: what, why: `cluster ${old} has no context to act on: map it to a context first.` });

  // 1. kubeconfig entries
  for (const ctx of reference.contexts) {
    const f = byContext.get(ctx.name);
    if (!f) {
      // A context the mapping replaced is not needed under its old name.
      if (ctx.clusterId && contextFor.has(ctx.clusterId)) continue;
      steps.push({ kind: 'blocked', targets: [contextTarget(ctx.name)], title: `Kubeconfig context ${ctx.name}`, why: `the kubeconfig has no context "${ctx.name}": add the cluster's kubeconfig (server ${ctx.server}).` });
      continue;
    }
    const server = f.entry.server !== ctx.server ? ctx.server : undefined;
    const tls = (f.entry.tlsServerName ?? '') !== (ctx.tlsServerName ?? '') ? (ctx.tlsServerName ?? '') : undefined;
    if (server === undefined && tls === undefined) {
      inPlace.push(`context ${ctx.name}: server and TLS name as recorded`);
      continue;
    }
    const what = [server !== undefined ? `server ${server}` : '', tls !== undefined ? `tls-server-name ${tls || '(none)'}` : ''].filter(Boolean).join(', ');
    steps.push({ kind: 'kubeconfig', targets: [contextTarget(ctx.name)], title: `Set ${what} on context ${ctx.name}`, context: ctx.name, ...(server !== undefined ? { server } : {}), ...(tls !== undefined ? { tlsServerName: tls } : {}) });
  }

  // 2. peerings
  for (const p of reference.peerings) {
    const [c, pr] = [p.consumer.clusterId, p.provider.clusterId];
    const label = `peering ${c} → ${pr}`;
    if (now.record.peerings.some((x) => peeringKey(x) === peeringKey({ consumer: { clusterId: newId(c) }, provider: { clusterId: newId(pr) } }))) {
      inPlace.push(`${label}: peered`);
      continue;
    }
    const cCtx = contextFor.get(c);
    const pCtx = contextFor.get(pr);
    if (!cCtx || !pCtx) {
      steps.push({ ...missing(cCtx ? pr : c, `Peer ${label}`), targets: [peeringTarget(p)] });
      continue;
    }
    const gw = GATEWAY_SERVICE_TYPES.includes(p.gatewayType as GatewayServiceType) ? (p.gatewayType as GatewayServiceType) : undefined;
    const choices: PeerStepChoices = { networkingDisabled: !p.networking, ...(gw ? { gatewayServiceType: gw } : {}), createResourceSlice: false };
    const cmd = peerCommand({
      consumer: { kubeconfig: input.kubeconfigOf(cCtx), context: cCtx, ...nsOf(liqoNamespaceOf(c)) },
      provider: { kubeconfig: input.kubeconfigOf(pCtx), context: pCtx, ...nsOf(liqoNamespaceOf(pr)) },
      ...choices,
    });
    steps.push({
      kind: 'peer',
      targets: [peeringTarget(p)],
      title: `Peer ${cCtx} (consumer) with ${pCtx} (provider)`,
      consumerContext: cCtx,
      providerContext: pCtx,
      choices,
      ...(liqoNamespaceOf(c) ? { consumerLiqoNamespace: liqoNamespaceOf(c) } : {}),
      ...(liqoNamespaceOf(pr) ? { providerLiqoNamespace: liqoNamespaceOf(pr) } : {}),
      argv: ['liqoctl', ...cmd.args],
    });
  }

  // 3. ResourceSlices, in the consumer's tenant namespace for the provider's current ID
  for (const p of reference.peerings) {
    const [c, pr] = [p.consumer.clusterId, p.provider.clusterId];
    const cur = now.record.peerings.find((x) => peeringKey(x) === peeringKey({ consumer: { clusterId: newId(c) }, provider: { clusterId: newId(pr) } }));
    for (const s of p.resourceSlices) {
      const namespace = s.namespace === `liqo-tenant-${pr}` ? `liqo-tenant-${newId(pr)}` : s.namespace;
      const name = s.name === pr ? newId(pr) : s.name;
      const have = cur?.resourceSlices.find((x) => x.name === name && x.namespace === namespace);
      if (have && sameResources(have.resources, s.resources) && (have.class ?? '') === (s.class ?? '')) {
        inPlace.push(`ResourceSlice ${namespace}/${name}: as recorded`);
        continue;
      }
      const cCtx = contextFor.get(c);
      const targets = [sliceTarget(p, s), peeringTarget(p)];
      if (!cCtx || !contextFor.get(pr)) {
        steps.push({ ...missing(cCtx ? pr : c, `ResourceSlice ${namespace}/${name}`), targets });
        continue;
      }
      try {
        // A recorded slice without quantities is the one liqoctl peer makes: the provider decides what it offers.
        const manifest = resourceSliceManifest({ name, tenantNamespace: namespace, providerClusterId: newId(pr), resources: s.resources, providerDecides: true, ...(s.class ? { class: s.class } : {}) });
        steps.push({ kind: 'resourceSlice', targets, title: `${have ? 'Update' : 'Create'} ResourceSlice ${namespace}/${name} on ${cCtx}`, context: cCtx, manifest, ...(liqoNamespaceOf(c) ? { liqoNamespace: liqoNamespaceOf(c) } : {}) });
      } catch (err) {
        steps.push({ kind: 'blocked', targets, title: `ResourceSlice ${namespace}/${name}`, why: `the recorded slice cannot be written: ${(err as Error).message}` });
      }
    }
  }

  // 4. NamespaceOffloadings
  for (const o of reference.offloadings) {
    const ctx = contextFor.get(o.clusterId);
    const selector = o.clusterSelector.map((t) => remapTerm(t, newId));
    const cur = now.record.offloadings.find((x) => offloadingKey(x) === offloadingKey({ clusterId: newId(o.clusterId), namespace: o.namespace }));
    const wanted: OffloadingRecord = { ...o, clusterId: newId(o.clusterId), clusterSelector: selector };
    if (cur && sameOffloading(cur, wanted)) {
      inPlace.push(`namespace ${o.namespace}: offloaded as recorded`);
      continue;
    }
    if (!ctx) {
      steps.push({ ...missing(o.clusterId, `Offload namespace ${o.namespace}`), targets: [offloadingTarget(o)] });
      continue;
    }
    try {
      const manifest = namespaceOffloadingManifest(o.namespace, {
        podOffloadingStrategy: o.podOffloadingStrategy,
        namespaceMappingStrategy: o.namespaceMappingStrategy,
        ...(o.remoteNamespaceName ? { remoteNamespaceName: o.remoteNamespaceName } : {}),
        clusterSelector: selector,
      });
      const how = `${o.podOffloadingStrategy}, ${o.namespaceMappingStrategy}, ${selectorText(selector)}`;
      steps.push({ kind: 'namespaceOffloading', targets: [offloadingTarget(o)], title: `${cur ? 'Re-offload' : 'Offload'} namespace ${o.namespace} on ${ctx} (${how})`, context: ctx, manifest, replaces: cur !== undefined });
    } catch (err) {
      steps.push({ kind: 'blocked', targets: [offloadingTarget(o)], title: `Offload namespace ${o.namespace}`, why: (err as Error).message });
    }
  }
  return { steps, inPlace, unmapped };
}

function nsOf(ns: string | undefined): { liqoNamespace?: string } {
  return ns ? { liqoNamespace: ns } : {};
}

function sameResources(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a).sort();
  return ka.join() === Object.keys(b).sort().join() && ka.every((k) => a[k] === b[k]);
}

function sameOffloading(a: OffloadingRecord, b: OffloadingRecord): boolean {
  return (
    a.podOffloadingStrategy === b.podOffloadingStrategy &&
    a.namespaceMappingStrategy === b.namespaceMappingStrategy &&
    (a.remoteNamespaceName ?? '') === (b.remoteNamespaceName ?? '') &&
    selectorText(a.clusterSelector) === selectorText(b.clusterSelector)
  );
}

/** A selector naming old cluster IDs (liqo.io/remote-cluster-id in (…)) names the new ones. */
function remapTerm(term: SelectorTerm, newId: (old: string) => string): SelectorTerm {
  return term.map((r) => (r.values && r.key === LABEL_REMOTE_CLUSTER_ID ? { ...r, values: r.values.map(newId) } : r));
}
