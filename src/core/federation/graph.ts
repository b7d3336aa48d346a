// The federation as data, for the map: one node per Liqo cluster (contexts of the same cluster ID merged), a dashed
// node for a peer no kubeconfig reaches, one directed edge per peering (consumer → provider) with its health and the
// tree's words for what is wrong, the resources granted, and the offloaded namespaces that use it with their pods per
// remote cluster. Built from the same snapshots the tree reads; every node and edge names the tree row it stands for.
import type { ClusterEntry } from '../kubeconfig/clusters.ts';
import type { ConnectionState } from '../tree/clusterNodes.ts';
import { liqoSummary } from '../tree/clusterNodes.ts';
import type { ClusterSnapshot, LiqoInfo } from '../liqo/snapshot.ts';
import { formatResources, podSummary, virtualNodeIndex } from '../liqo/snapshot.ts';
import type { ForeignCluster, ResourceList, ResourceSlice } from '../liqo/objects.ts';
import { LABEL_REMOTE_CLUSTER_ID } from '../liqo/objects.ts';
import { explainCondition, worstHealth, type Health } from '../liqo/explain.ts';
import { moduleHealth, peerClusterId, peeringHealth } from '../tree/peeringNodes.ts';
import { nodeReadiness, virtualNodeNames } from '../tree/virtualNodeNodes.ts';
import { childKey, clusterRowId, clusterRowKey, rowId } from '../tree/rowKey.ts';
import { folderKey } from '../tree/clusterTree.ts';
import type { SystemsSnapshot } from '../systems/snapshot.ts';
import type { ContextEndpoint } from '../systems/endpoint.ts';
import { buildSystemLinks, serverNodeId, type LinkContext, type LinkSource, type SystemLink } from './systemLinks.ts';

/** What the map reads about one kubeconfig context: the same facts the tree's cluster row and subtree read. */
export interface ClusterInput {
  readonly entry: Pick<ClusterEntry, 'id' | 'contextName'>;
  readonly state: ConnectionState;
  readonly liqo?: LiqoInfo;
  readonly snapshot?: ClusterSnapshot;
  /**
   * The Liqo cluster ID last seen through this context, kept while it is unreachable (as the tree keeps a peering
   * row linked to it): a cluster whose API server stops stays one failing node, and its peers' edges still reach it.
   */
  readonly clusterId?: string;
  /** Admiralty, KubeFed and Istio as watched in this cluster (absent: not watched, or none of them found). */
  readonly systems?: SystemsSnapshot;
  /** The context's server and CA, to find the context another system's kubeconfig points at. */
  readonly endpoint?: ContextEndpoint;
}

export interface ContextRef {
  readonly entryId: string;
  readonly contextName: string;
}

export interface MapVirtualNode {
  readonly name: string;
  readonly remoteClusterId: string;
  readonly health: Health;
  readonly state: string;
  readonly resources: string;
  readonly gpus: number;
  readonly rowId: string;
}

export interface MapNode {
  /**
   * `cluster:<Liqo cluster ID>`, `context:<entry id>` (no cluster ID known), `peer:<cluster ID>` (a Liqo peer in no
   * kubeconfig) or `server:<API server>` (a cluster another system links to, in no kubeconfig).
   */
  readonly id: string;
  readonly kind: 'cluster' | 'unknownPeer';
  readonly clusterId?: string;
  /** The API server of a `server:` node. */
  readonly server?: string;
  readonly contexts: readonly ContextRef[];
  readonly label: string;
  readonly health: Health;
  /** The tree's words for the cluster's state (its row description). */
  readonly status: string;
  /** What is wrong and what to check, when the cluster is unreachable or Liqo is unhealthy. */
  readonly problem?: string;
  readonly virtualNodes: readonly MapVirtualNode[];
  /** The tree row to reveal (the first context's cluster row); none for an unknown peer. */
  readonly rowId?: string;
  readonly entryId?: string;
}

export interface MapModule {
  readonly name: 'networking' | 'authentication' | 'offloading';
  readonly health: Health;
}

export interface MapNamespace {
  readonly name: string;
  readonly health: Health;
  readonly pods: number;
  readonly failing: number;
  /** The namespace's row under the consumer's Offloaded Namespaces, and that consumer's kubeconfig entry. */
  readonly rowId: string;
  readonly entryId: string;
}

export interface MapEdge {
  /** `<consumer node id>-><provider node id>`. */
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly health: Health;
  /** One line per condition not healthy, in the tree's words: `Title: Status: what is wrong. Check next: …`. */
  readonly explanation: readonly string[];
  readonly modules: readonly MapModule[];
  /** One line per ResourceSlice: `4 CPU · 8Gi · 110 pods · 1 GPU (Accepted)`. */
  readonly resources: readonly string[];
  readonly gpus: number;
  readonly namespaces: readonly MapNamespace[];
  /** The peering row (ForeignCluster) to reveal: on the consumer's side when it is known, else the provider's. */
  readonly rowId?: string;
  readonly entryId?: string;
  /** Which sides' ForeignClusters describe the peering. */
  readonly seenFrom: readonly string[];
}

export interface FederationGraph {
  readonly nodes: readonly MapNode[];
  readonly edges: readonly MapEdge[];
  /** Admiralty, KubeFed and Istio links, drawn apart from the peerings. */
  readonly links: readonly SystemLink[];
  /** Contexts left out: reachable, without Liqo and without a link of another system. */
  readonly withoutLiqo: readonly ContextRef[];
}

const MODULE_NAMES = ['networking', 'authentication', 'offloading'] as const;

/** The graph of every context given (in kubeconfig order). Pure: the same inputs give the same graph. */
export function buildFederationGraph(inputs: readonly ClusterInput[]): FederationGraph {
  const nodes = new Map<string, MutableNode>();
  const withoutLiqo = new Map<string, ClusterInput>();
  const nodeOfCluster = new Map<string, string>();
  const nodeOfEntry = new Map<string, string>();
  const addContext = (input: ClusterInput): string => {
    const ref = { entryId: input.entry.id, contextName: input.entry.contextName };
    const clusterId = input.state.kind === 'reachable' ? input.liqo?.clusterId : input.clusterId;
    const id = clusterId ? `cluster:${clusterId}` : `context:${input.entry.id}`;
    let node = nodes.get(id);
    if (!node) {
      node = { id, kind: 'cluster', contexts: [], inputs: [], ...(clusterId ? { clusterId } : {}) };
      nodes.set(id, node);
      if (clusterId) nodeOfCluster.set(clusterId, id);
    }
    node.contexts.push(ref);
    node.inputs.push(input);
    nodeOfEntry.set(input.entry.id, id);
    return id;
  };
  for (const input of inputs) {
    // Drawn only if another system links it (below).
    if (input.state.kind === 'reachable' && input.liqo?.presence === 'not-installed') withoutLiqo.set(input.entry.id, input);
    else addContext(input);
  }
  const edges = new Map<string, MutableEdge>();
  const nodeFor = (clusterId: string): string => {
    const known = nodeOfCluster.get(clusterId);
    if (known) return known;
    const id = `peer:${clusterId}`;
    if (!nodes.has(id)) nodes.set(id, { id, kind: 'unknownPeer', clusterId, contexts: [], inputs: [] });
    return id;
  };
  const edgeFor = (consumer: string, provider: string): MutableEdge => {
    const id = `${consumer}->${provider}`;
    let e = edges.get(id);
    if (!e) {
      e = { id, from: consumer, to: provider, healths: [], explanation: [], modules: new Map(), resources: [], gpus: 0, namespaces: new Map(), seenFrom: [], peeringRows: [] };
      edges.set(id, e);
    }
    return e;
  };
  for (const node of [...nodes.values()]) {
    if (!node.clusterId) continue;
    // One snapshot per cluster: the contexts of one cluster ID see the same objects.
    const input = node.inputs.find((i) => i.snapshot && i.state.kind === 'reachable');
    const s = input?.snapshot;
    if (!input || !s) continue;
    addPeerings(node, input, s, nodeFor, edgeFor);
    addSlices(node, s, nodeFor, edgeFor);
    addOffloadings(node, input, s, nodeFor, edgeFor);
  }
  const links = addSystemLinks(inputs, nodes, nodeOfEntry, withoutLiqo, addContext);
  return {
    nodes: [...nodes.values()].map(finishNode).sort((a, b) => a.id.localeCompare(b.id)),
    edges: [...edges.values()].map(finishEdge).sort((a, b) => a.id.localeCompare(b.id)),
    links,
    withoutLiqo: [...withoutLiqo.values()].map((i) => ({ entryId: i.entry.id, contextName: i.entry.contextName })),
  };
}

const linkState = (s: ConnectionState): LinkContext['state'] => (s.kind === 'reachable' || s.kind === 'failed' || s.kind === 'connecting' ? s.kind : 'idle');

/**
 * The other systems' links. Senders are the drawn clusters (one snapshot per cluster ID, as for peerings) and the
 * clusters without Liqo; a cluster without Liqo becomes a node when a link starts or ends there.
 */
function addSystemLinks(inputs: readonly ClusterInput[], nodes: Map<string, MutableNode>, nodeOfEntry: Map<string, string>, withoutLiqo: Map<string, ClusterInput>, addContext: (input: ClusterInput) => string): SystemLink[] {
  const context = (i: ClusterInput): LinkContext => ({ entryId: i.entry.id, state: linkState(i.state), ...(i.endpoint ? { endpoint: i.endpoint } : {}), ...(i.systems ? { systems: i.systems } : {}) });
  const sources: LinkSource[] = [];
  for (const node of nodes.values()) {
    const input = node.inputs.find((i) => i.systems && i.state.kind === 'reachable');
    if (input) sources.push({ nodeId: node.id, context: context(input), contextName: input.entry.contextName });
  }
  for (const input of withoutLiqo.values()) if (input.systems) sources.push({ nodeId: `context:${input.entry.id}`, context: context(input), contextName: input.entry.contextName });
  const links = buildSystemLinks(sources, inputs.map(context), {
    nodeOfEntry: (entryId) => nodeOfEntry.get(entryId) ?? `context:${entryId}`,
    unknownNode: (server, name) => {
      const id = serverNodeId(server);
      const node = nodes.get(id) ?? { id, kind: 'unknownPeer' as const, server, names: [], contexts: [], inputs: [] };
      if (!node.names?.includes(name)) node.names?.push(name);
      nodes.set(id, node);
      return id;
    },
  });
  for (const l of links) {
    for (const end of [l.from, l.to]) {
      const entryId = end.startsWith('context:') ? end.slice('context:'.length) : undefined;
      const input = entryId ? withoutLiqo.get(entryId) : undefined;
      if (!input) continue;
      withoutLiqo.delete(input.entry.id);
      addContext(input);
    }
  }
  return links;
}

interface MutableNode {
  readonly id: string;
  readonly kind: 'cluster' | 'unknownPeer';
  readonly clusterId?: string;
  /** A `server:` node's API server and the names the linking systems give its cluster. */
  readonly server?: string;
  readonly names?: string[];
  readonly contexts: ContextRef[];
  readonly inputs: ClusterInput[];
}

interface MutableEdge {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly healths: Health[];
  readonly explanation: string[];
  readonly modules: Map<MapModule['name'], Health[]>;
  readonly resources: string[];
  gpus: number;
  readonly namespaces: Map<string, MapNamespace>;
  readonly seenFrom: string[];
  /** Candidate rows; the consumer side's first. */
  readonly peeringRows: { rowId: string; entryId: string; consumerSide: boolean }[];
}

type NodeFor = (clusterId: string) => string;
type EdgeFor = (consumer: string, provider: string) => MutableEdge;

/** The ForeignCluster's role is the peer's: a Provider peer means this cluster consumes from it. */
function directions(fc: ForeignCluster, here: string, peer: string): [string, string, boolean][] {
  const role = fc.status?.role;
  const out: [string, string, boolean][] = [];
  if (role === 'Provider' || role === 'ConsumerAndProvider') out.push([here, peer, true]);
  if (role === 'Consumer' || role === 'ConsumerAndProvider') out.push([peer, here, false]);
  if (out.length === 0) out.push(fc.status?.modules?.offloading?.enabled ? [here, peer, true] : [peer, here, false]);
  return out;
}

function addPeerings(node: MutableNode, input: ClusterInput, s: ClusterSnapshot, nodeFor: NodeFor, edgeFor: EdgeFor): void {
  const entryId = input.entry.id;
  const where = input.entry.contextName;
  for (const fc of s.foreignClusters) {
    const peer = nodeFor(peerClusterId(fc));
    const row = rowId(childKey(folderKey(clusterRowKey(entryId), 'peerings'), fc.metadata.name));
    for (const [consumer, provider, consumerSide] of directions(fc, node.id, peer)) {
      const e = edgeFor(consumer, provider);
      e.healths.push(peeringHealth(fc));
      e.seenFrom.push(where);
      e.peeringRows.push({ rowId: row, entryId, consumerSide });
      for (const name of MODULE_NAMES) {
        const list = e.modules.get(name) ?? [];
        list.push(moduleHealth(fc.status?.modules?.[name]));
        e.modules.set(name, list);
      }
      const conditions = [...MODULE_NAMES.flatMap((m) => fc.status?.modules?.[m]?.conditions ?? []), ...(fc.status?.conditions ?? [])];
      for (const c of conditions) {
        const ex = explainCondition(c);
        if (!ex.what) continue;
        const line = `${ex.title}: ${c.status}: ${ex.what}${ex.side ? ` (on ${ex.side})` : ''}. Seen from ${where}.${ex.check ? ` Check next: ${ex.check}` : ''}`;
        if (!e.explanation.includes(line)) e.explanation.push(line);
      }
    }
  }
}

/** ResourceSlices live on the consumer: what it asked of each provider and what was granted. */
function addSlices(node: MutableNode, s: ClusterSnapshot, nodeFor: NodeFor, edgeFor: EdgeFor): void {
  for (const slice of s.resourceSlices) {
    const provider = slice.spec?.providerClusterID;
    if (!provider) continue;
    const consumerId = slice.spec?.consumerClusterID;
    if (consumerId && consumerId !== node.clusterId) continue;
    const e = edgeFor(node.id, nodeFor(provider));
    const granted = slice.status?.resources;
    const resources = granted ?? slice.spec?.resources;
    const text = formatResources(resources) || 'no resources';
    e.resources.push(`${slice.metadata.name}: ${text}${granted ? '' : ' requested'} (${sliceState(slice)})`);
    e.gpus += gpuCount(resources);
  }
}

function sliceState(s: ResourceSlice): string {
  const conds = s.status?.conditions ?? [];
  return conds.length ? conds.map((c) => `${c.type} ${c.status}`).join(', ') : 'not answered yet';
}

export function gpuCount(r: ResourceList | undefined): number {
  let n = 0;
  for (const [k, v] of Object.entries(r ?? {})) {
    if (!/gpu/i.test(k)) continue;
    const q = Number(v);
    if (Number.isFinite(q)) n += q;
  }
  return n;
}

/** Offloaded namespaces of a consumer, on the edge to each remote cluster they use, with that cluster's pods. */
function addOffloadings(node: MutableNode, input: ClusterInput, s: ClusterSnapshot, nodeFor: NodeFor, edgeFor: EdgeFor): void {
  if (s.offloadings.length === 0) return;
  const vnIndex = virtualNodeIndex(s);
  const offloaded = new Set(s.offloadings.map((o) => o.metadata.namespace ?? ''));
  // namespace → remote cluster ID → [pods, failing]
  const counts = new Map<string, Map<string, [number, number]>>();
  for (const p of s.pods) {
    const ns = p.metadata.namespace ?? '';
    if (!offloaded.has(ns)) continue;
    const remote = p.spec?.nodeName ? vnIndex.get(p.spec.nodeName) : undefined;
    if (!remote) continue;
    const byRemote = counts.get(ns) ?? new Map<string, [number, number]>();
    counts.set(ns, byRemote);
    const c = byRemote.get(remote) ?? [0, 0];
    c[0]++;
    if (podFails(p)) c[1]++;
    byRemote.set(remote, c);
  }
  const folder = folderKey(clusterRowKey(input.entry.id), 'offloaded');
  for (const o of s.offloadings) {
    const ns = o.metadata.namespace ?? '';
    const byCluster = o.status?.remoteNamespacesConditions ?? {};
    const remotes = new Set([...Object.keys(byCluster), ...(counts.get(ns)?.keys() ?? [])]);
    for (const remote of remotes) {
      const conds = byCluster[remote] ?? [];
      const required = conds.find((c) => c.type === 'OffloadingRequired');
      if (required?.status === 'False' && !counts.get(ns)?.has(remote)) continue; // not selected, nothing runs there
      const ready = conds.find((c) => c.type === 'Ready');
      const [pods, failing] = counts.get(ns)?.get(remote) ?? [0, 0];
      const health: Health = ready?.status === 'False' || failing > 0 ? 'failed' : ready?.status === 'True' ? 'healthy' : 'pending';
      edgeFor(node.id, nodeFor(remote)).namespaces.set(ns, { name: ns, health, pods, failing, rowId: rowId(childKey(folder, ns)), entryId: input.entry.id });
    }
  }
}

/** A pod counts as failing when the tree would show a problem for it, or it failed outright. */
export function podFails(p: Parameters<typeof podSummary>[0]): boolean {
  const s = podSummary(p);
  return s.problem !== undefined || s.phase === 'Failed' || s.phase === 'Unknown';
}

function finishNode(n: MutableNode): MapNode {
  if (n.server !== undefined) {
    const names = n.names?.join(', ') || n.server;
    return { id: n.id, kind: 'unknownPeer', server: n.server, contexts: [], label: names, health: 'unknown', status: `${n.server} · in no kubeconfig`, virtualNodes: [] };
  }
  const label = n.kind === 'unknownPeer' ? (n.clusterId ?? '?') : n.contexts.map((c) => c.contextName).join(', ');
  if (n.kind === 'unknownPeer') {
    return { id: n.id, kind: n.kind, clusterId: n.clusterId ?? '', contexts: [], label, health: 'unknown', status: `${n.clusterId} · in no kubeconfig`, virtualNodes: [] };
  }
  const first = n.inputs[0]!;
  const reachable = n.inputs.find((i) => i.state.kind === 'reachable') ?? first;
  const { health, status, problem } = clusterHealth(reachable);
  const s = reachable.state.kind === 'reachable' ? reachable.snapshot : undefined;
  const virtualNodes = s ? mapVirtualNodes(s, reachable.entry.id) : [];
  return {
    id: n.id,
    kind: 'cluster',
    ...(n.clusterId ? { clusterId: n.clusterId } : {}),
    contexts: n.contexts,
    label,
    health,
    status,
    ...(problem ? { problem } : {}),
    virtualNodes,
    rowId: clusterRowId(reachable.entry.id),
    entryId: reachable.entry.id,
  };
}

/** The cluster row's words: connection failures with their hint, Liqo's pods not ready by name. */
export function clusterHealth(input: ClusterInput): { health: Health; status: string; problem?: string } {
  const st = input.state;
  switch (st.kind) {
    case 'failed':
      return { health: 'failed', status: st.problem.summary, problem: `${st.problem.summary}. ${st.problem.hint}` };
    case 'connecting':
      return { health: 'pending', status: 'connecting…' };
    case 'idle':
      return { health: 'unknown', status: 'not connected' };
    case 'deferred':
      return { health: 'unknown', status: st.policy === 'onExpand' ? `expand to connect (runs ${st.program})` : `not connected: liqo.credentialPlugins is "never" (runs ${st.program})` };
    case 'reachable': {
      const liqo = input.liqo;
      const status = (liqo && liqoSummary(liqo)) ?? `Kubernetes ${st.serverVersion}`;
      if (liqo?.healthy === false) return { health: 'failed', status, problem: `Liqo pods not ready: ${liqo.unhealthyPods.join(', ')}` };
      return { health: liqo?.healthy ? 'healthy' : 'unknown', status };
    }
  }
}

function mapVirtualNodes(s: ClusterSnapshot, entryId: string): MapVirtualNode[] {
  const folder = folderKey(clusterRowKey(entryId), 'virtual-nodes');
  return virtualNodeNames(s).map((name) => {
    const vn = s.virtualNodes.find((v) => v.metadata.name === name);
    const node = s.nodes.find((x) => x.metadata.name === name);
    const ready = nodeReadiness(node);
    const r = node?.status?.allocatable ?? node?.status?.capacity ?? vn?.spec?.resourceQuota?.hard;
    return {
      name,
      remoteClusterId: vn?.spec?.clusterID ?? node?.metadata.labels?.[LABEL_REMOTE_CLUSTER_ID] ?? '?',
      health: ready.health,
      state: ready.text,
      resources: formatResources(r),
      gpus: gpuCount(r),
      rowId: rowId(childKey(folder, name)),
    };
  });
}

function finishEdge(e: MutableEdge): MapEdge {
  const row = e.peeringRows.find((r) => r.consumerSide) ?? e.peeringRows[0];
  return {
    id: e.id,
    from: e.from,
    to: e.to,
    // An edge known only from a ResourceSlice or an offloaded namespace has no peering to judge it by.
    health: e.healths.length ? worstHealth(e.healths) : 'unknown',
    explanation: e.explanation,
    modules: MODULE_NAMES.map((name) => ({ name, health: worstHealth(e.modules.get(name) ?? ['unknown']) })),
    resources: e.resources,
    gpus: e.gpus,
    namespaces: [...e.namespaces.values()].sort((a, b) => a.name.localeCompare(b.name)),
    seenFrom: e.seenFrom,
    ...(row ? { rowId: row.rowId, entryId: row.entryId } : {}),
  };
}
