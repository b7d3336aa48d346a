// The record of a working federation (clusters linked by peerings): what was peered with which options, which
// ResourceSlices asked for what, which namespaces were offloaded how, each cluster's Liqo and Kubernetes versions
// and each context's connection facts. It is built from what the tree's model already knows (one ClusterFacts per
// kubeconfig context) and copies only named, non-secret fields: a token, key, password or client certificate has no
// field to land in. Lists are sorted here so the YAML (recordYaml.ts) is the same bytes for the same federation.
import type { ClusterEntry } from '../kubeconfig/clusters.ts';
import type { ClusterSnapshot, LiqoInfo } from '../liqo/snapshot.ts';
import type { ForeignCluster, NamespaceOffloading, ResourceSlice } from '../liqo/objects.ts';
import { peeringHealth, peerClusterId } from '../tree/peeringNodes.ts';
import type { Health } from '../liqo/explain.ts';
import { canonicalTerm, type SelectorOperator, type SelectorTerm } from '../offloading/clusterSelector.ts';
import { isLeftoverPeering } from '../peering/leftover.ts';
import type { NamespaceMappingStrategy, PodOffloadingStrategy } from '../offloading/namespaceOffloading.ts';

export const RECORD_API_VERSION = 'liqo-vscode.io/v1';
export const RECORD_KIND = 'FederationRecord';

/** What one kubeconfig context shows now (gathered by src/infra/federation from the model's sessions). */
export interface ClusterFacts {
  readonly entry: Pick<ClusterEntry, 'contextName' | 'server' | 'tlsServerName'>;
  /** SHA-256 fingerprints of the CA certificates the context trusts (caFingerprint.ts); empty: system roots. */
  readonly caSha256?: readonly string[];
  /** Present only when the cluster answered (the probe's /version). */
  readonly kubernetesVersion?: string;
  readonly liqo?: LiqoInfo;
  readonly snapshot?: ClusterSnapshot;
  /** GatewayServer service type per peer cluster ID, where the cluster shows one (networking.liqo.io). */
  readonly gatewayTypes?: Readonly<Record<string, string>>;
}

export interface ContextRecord {
  readonly name: string;
  readonly clusterId?: string;
  readonly server: string;
  readonly tlsServerName?: string;
  readonly caSha256?: readonly string[];
}

export interface ClusterRecord {
  readonly clusterId: string;
  readonly contexts: readonly string[];
  readonly liqoVersion?: string;
  readonly kubernetesVersion?: string;
  readonly liqoNamespace?: string;
}

export interface SliceRecord {
  readonly name: string;
  readonly namespace: string;
  readonly class?: string;
  readonly resources: Readonly<Record<string, string>>;
}

export interface PeeringRecord {
  readonly consumer: { readonly clusterId: string; readonly context?: string };
  readonly provider: { readonly clusterId: string; readonly context?: string };
  readonly networking: boolean;
  readonly gatewayType?: string;
  readonly modules: { readonly networking: boolean; readonly authentication: boolean; readonly offloading: boolean };
  readonly resourceSlices: readonly SliceRecord[];
}

export interface OffloadingRecord {
  readonly clusterId: string;
  readonly context?: string;
  readonly namespace: string;
  readonly podOffloadingStrategy: PodOffloadingStrategy;
  readonly namespaceMappingStrategy: NamespaceMappingStrategy;
  readonly remoteNamespaceName?: string;
  readonly clusterSelector: readonly SelectorTerm[];
}

export interface FederationRecord {
  readonly apiVersion: typeof RECORD_API_VERSION;
  readonly kind: typeof RECORD_KIND;
  readonly takenAt: string;
  readonly clusters: readonly ClusterRecord[];
  readonly contexts: readonly ContextRecord[];
  readonly peerings: readonly PeeringRecord[];
  readonly offloadings: readonly OffloadingRecord[];
}

/** The record with what the live objects say about health beside it (not part of the record itself). */
export interface ObservedFederation {
  readonly record: FederationRecord;
  /** By peeringKey: the worst health either side's ForeignCluster shows. */
  readonly peeringHealth: ReadonlyMap<string, Health>;
  /** By offloadingKey: the NamespaceOffloading's phase (`''` before Liqo wrote one). */
  readonly offloadingPhase: ReadonlyMap<string, string>;
  /** Context names that did not answer (their part of the federation is unknown, not gone). */
  readonly unreachable: readonly string[];
}

export const peeringKey = (p: { consumer: { clusterId: string }; provider: { clusterId: string } }): string => `${p.consumer.clusterId}→${p.provider.clusterId}`;
export const offloadingKey = (o: { clusterId: string; namespace: string }): string => `${o.clusterId}/${o.namespace}`;

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The federations among the given contexts: sets of Liqo cluster IDs linked by a ForeignCluster on either side.
 * A Liqo cluster with no peering is a federation of its own (and records nothing worth restoring).
 */
export function federationsOf(facts: readonly ClusterFacts[]): string[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r) ?? r;
    parent.set(x, r);
    return r;
  };
  const add = (x: string) => (parent.has(x) ? undefined : parent.set(x, x));
  for (const f of facts) {
    const id = f.liqo?.clusterId;
    if (!id) continue;
    add(id);
    for (const fc of f.snapshot?.foreignClusters ?? []) {
      const peer = peerClusterId(fc);
      add(peer);
      const [a, b] = [find(id), find(peer)];
      if (a !== b) parent.set(a, b);
    }
  }
  const groups = new Map<string, string[]>();
  for (const id of parent.keys()) {
    const r = find(id);
    groups.set(r, [...(groups.get(r) ?? []), id]);
  }
  return [...groups.values()].map((g) => g.sort(cmp)).sort((a, b) => cmp(a[0] ?? '', b[0] ?? ''));
}

/** The record of the federation holding `clusterIds`, from every context's facts (others are ignored). */
export function observeFederation(facts: readonly ClusterFacts[], clusterIds: readonly string[], takenAt: string): ObservedFederation {
  const members = new Set(clusterIds);
  const inFed = facts.filter((f) => f.liqo?.clusterId && members.has(f.liqo.clusterId));
  const contextOf = (id: string): string | undefined =>
    inFed
      .filter((f) => f.liqo?.clusterId === id)
      .map((f) => f.entry.contextName)
      .sort(cmp)[0];
  // Contexts whose cluster did not answer are kept (their connection facts are worth restoring) when their last
  // known cluster ID belongs here.
  const contexts: ContextRecord[] = inFed
    .map((f) => ({
      name: f.entry.contextName,
      ...(f.liqo?.clusterId ? { clusterId: f.liqo.clusterId } : {}),
      server: f.entry.server,
      ...(f.entry.tlsServerName ? { tlsServerName: f.entry.tlsServerName } : {}),
      ...(f.caSha256?.length ? { caSha256: [...f.caSha256].sort(cmp) } : {}),
    }))
    .sort((a, b) => cmp(a.name, b.name));
  const clusters: ClusterRecord[] = [...members].sort(cmp).map((id) => {
    const seen = inFed.filter((f) => f.liqo?.clusterId === id);
    const answered = seen.find((f) => f.kubernetesVersion !== undefined) ?? seen[0];
    return {
      clusterId: id,
      contexts: seen.map((f) => f.entry.contextName).sort(cmp),
      ...(answered?.liqo?.version ? { liqoVersion: answered.liqo.version } : {}),
      ...(answered?.kubernetesVersion ? { kubernetesVersion: answered.kubernetesVersion } : {}),
      ...(answered?.liqo?.namespace ? { liqoNamespace: answered.liqo.namespace } : {}),
    };
  });

  const peerings = new Map<string, PeeringRecord>();
  const health = new Map<string, Health>();
  for (const f of inFed) {
    const here = f.liqo?.clusterId ?? '';
    for (const fc of f.snapshot?.foreignClusters ?? []) {
      // What an unpeer leaves is no peering, whatever its role says: Liqo v1.2 keeps role Provider (authentication
      // "enabled", no condition) until a later resync, while Identity, ResourceSlice and VirtualNode are gone.
      if (f.snapshot && isLeftoverPeering(fc, f.snapshot)) continue;
      const peer = peerClusterId(fc);
      const role = fc.status?.role;
      // The ForeignCluster's role is the peer's: a Provider peer means this cluster consumes from it.
      const pairs: [string, string][] = [];
      if (role === 'Provider' || role === 'ConsumerAndProvider') pairs.push([here, peer]);
      if (role === 'Consumer' || role === 'ConsumerAndProvider') pairs.push([peer, here]);
      for (const [consumer, provider] of pairs) {
        const key = peeringKey({ consumer: { clusterId: consumer }, provider: { clusterId: provider } });
        const h = peeringHealth(fc);
        health.set(key, worse(health.get(key), h));
        // The consumer's ForeignCluster shows how the peering was made (networking, gateway); prefer it.
        if (peerings.has(key) && consumer !== here) continue;
        peerings.set(key, peeringRecord(fc, consumer, provider, contextOf, gatewayTypeOf(inFed, consumer, provider), slicesFor(inFed, consumer, provider)));
      }
    }
  }

  const offloadings: OffloadingRecord[] = [];
  const phases = new Map<string, string>();
  for (const f of inFed) {
    const id = f.liqo?.clusterId ?? '';
    for (const o of f.snapshot?.offloadings ?? []) {
      const rec = offloadingRecord(o, id, f.entry.contextName);
      if (offloadings.some((x) => offloadingKey(x) === offloadingKey(rec))) continue;
      offloadings.push(rec);
      phases.set(offloadingKey(rec), o.status?.offloadingPhase ?? '');
    }
  }
  offloadings.sort((a, b) => cmp(offloadingKey(a), offloadingKey(b)));

  const record: FederationRecord = {
    apiVersion: RECORD_API_VERSION,
    kind: RECORD_KIND,
    takenAt,
    clusters,
    contexts,
    peerings: [...peerings.values()].sort((a, b) => cmp(peeringKey(a), peeringKey(b))),
    offloadings,
  };
  const unreachable = inFed.filter((f) => f.kubernetesVersion === undefined).map((f) => f.entry.contextName).sort(cmp);
  return { record, peeringHealth: health, offloadingPhase: phases, unreachable };
}

/**
 * Healthy: every context of the federation answered, there is at least one peering, and every peering and every
 * offloading is healthy (ForeignCluster modules and conditions healthy, offloading phase Ready). A peer without a
 * kubeconfig context does not block the record; the plan says it cannot act on it.
 */
export function isHealthy(o: ObservedFederation): boolean {
  if (o.unreachable.length > 0 || o.record.peerings.length === 0) return false;
  for (const p of o.record.peerings) if (o.peeringHealth.get(peeringKey(p)) !== 'healthy') return false;
  for (const off of o.record.offloadings) if (o.offloadingPhase.get(offloadingKey(off)) !== 'Ready') return false;
  return true;
}

function worse(a: Health | undefined, b: Health): Health {
  if (a === undefined) return b;
  const order: Health[] = ['failed', 'pending', 'unknown', 'disabled', 'healthy'];
  return order.indexOf(a) <= order.indexOf(b) ? a : b;
}

function peeringRecord(
  fc: ForeignCluster,
  consumer: string,
  provider: string,
  contextOf: (id: string) => string | undefined,
  gatewayType: string | undefined,
  resourceSlices: SliceRecord[],
): PeeringRecord {
  const m = fc.status?.modules;
  const on = (x: { enabled?: boolean } | undefined) => x?.enabled === true;
  const cCtx = contextOf(consumer);
  const pCtx = contextOf(provider);
  return {
    consumer: { clusterId: consumer, ...(cCtx ? { context: cCtx } : {}) },
    provider: { clusterId: provider, ...(pCtx ? { context: pCtx } : {}) },
    networking: on(m?.networking),
    ...(gatewayType ? { gatewayType } : {}),
    modules: { networking: on(m?.networking), authentication: on(m?.authentication), offloading: on(m?.offloading) },
    resourceSlices,
  };
}

/** The GatewayServer's service type: the provider shows it for the consumer (liqoctl's default), or the other way. */
function gatewayTypeOf(facts: readonly ClusterFacts[], consumer: string, provider: string): string | undefined {
  const of = (id: string, peer: string) => facts.find((f) => f.liqo?.clusterId === id && f.gatewayTypes?.[peer])?.gatewayTypes?.[peer];
  return of(provider, consumer) ?? of(consumer, provider);
}

/** The consumer's ResourceSlices for a provider (the consumer side owns them; the provider holds a replica). */
function slicesFor(facts: readonly ClusterFacts[], consumer: string, provider: string): SliceRecord[] {
  const own = facts.filter((f) => f.liqo?.clusterId === consumer);
  const source = own.length ? own : facts.filter((f) => f.liqo?.clusterId === provider);
  const out = new Map<string, SliceRecord>();
  for (const f of source) {
    for (const s of f.snapshot?.resourceSlices ?? []) {
      if (s.spec?.providerClusterID !== provider) continue;
      if (s.spec.consumerClusterID && s.spec.consumerClusterID !== consumer) continue;
      if (own.length === 0 && !s.spec.consumerClusterID) continue;
      const rec = sliceRecord(s);
      out.set(`${rec.namespace}/${rec.name}`, rec);
    }
  }
  return [...out.values()].sort((a, b) => cmp(a.name, b.name) || cmp(a.namespace, b.namespace));
}

function sliceRecord(s: ResourceSlice): SliceRecord {
  const resources: Record<string, string> = {};
  for (const k of Object.keys(s.spec?.resources ?? {}).sort(cmp)) resources[k] = String(s.spec?.resources?.[k]);
  return { name: s.metadata.name, namespace: s.metadata.namespace ?? '', ...(s.spec?.class ? { class: s.spec.class } : {}), resources };
}

const OPERATORS: readonly SelectorOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

function offloadingRecord(o: NamespaceOffloading, clusterId: string, context: string): OffloadingRecord {
  const spec = o.spec ?? {};
  const terms: SelectorTerm[] = (spec.clusterSelector?.nodeSelectorTerms ?? []).map((t) =>
    canonicalTermLoose(
      (t.matchExpressions ?? []).map((r) => {
        const operator = OPERATORS.includes(r.operator as SelectorOperator) ? (r.operator as SelectorOperator) : 'In';
        return operator === 'In' || operator === 'NotIn' ? { key: r.key, operator, values: [...(r.values ?? [])] } : { key: r.key, operator };
      }),
    ),
  );
  terms.sort((a, b) => cmp(JSON.stringify(a), JSON.stringify(b)));
  const mapping = spec.namespaceMappingStrategy ?? 'DefaultName';
  return {
    clusterId,
    context,
    namespace: o.metadata.namespace ?? '',
    podOffloadingStrategy: spec.podOffloadingStrategy ?? 'LocalAndRemote',
    namespaceMappingStrategy: mapping,
    ...(spec.remoteNamespaceName ? { remoteNamespaceName: spec.remoteNamespaceName } : {}),
    clusterSelector: terms,
  };
}

/** canonicalTerm, except a term Liqo accepted as written (a key twice, an empty In) is recorded as it is, sorted. */
function canonicalTermLoose(term: SelectorTerm): SelectorTerm {
  try {
    return canonicalTerm(term);
  } catch {
    return [...term].sort((a, b) => cmp(a.key, b.key));
  }
}
