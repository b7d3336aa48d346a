// The map's links of the other federation systems, apart from Liqo's peerings: Admiralty (a Target or ClusterTarget:
// the sending cluster → the cluster it sends pods to, with its proxy pods and how many have their delegate there),
// KubeFed (the host → each member cluster, with its readiness and the federated resources failing there) and Istio
// (a primary → each remote cluster whose API server it reads through a remote secret). A link's far end is the
// kubeconfig context with the same server and CA (core/systems/endpoint.ts), else a dashed node for that server.
import type { Health } from '../liqo/explain.ts';
import { worstHealth } from '../liqo/explain.ts';
import { matchEndpoint, normalizeServer, type ContextEndpoint, type Endpoint } from '../systems/endpoint.ts';
import type { SystemsSnapshot, AdmiraltyView } from '../systems/snapshot.ts';
import { targetRefKey, type TargetRef } from '../systems/admiralty.ts';
import { propagationByCluster } from '../systems/kubefed.ts';
import { caDataFingerprints } from './caFingerprint.ts';
import { childKey, clusterRowKey, rowId } from '../tree/rowKey.ts';
import { folderKey } from '../tree/clusterTree.ts';

export type LinkSystem = 'admiralty' | 'kubefed' | 'istio';

/** How each system is named on the map (label, legend, hover). */
export const SYSTEM_TITLES: Readonly<Record<LinkSystem, string>> = { admiralty: 'Admiralty', kubefed: 'KubeFed', istio: 'Istio' };

export interface SystemLink {
  /** `<system>:<from node id>-><to node id>` */
  readonly id: string;
  readonly system: LinkSystem;
  readonly from: string;
  readonly to: string;
  readonly health: Health;
  /** The label's line under the system's name: `1 proxy → 1 delegate`, `Ready · 1 failing`, `mesh mesh1`. */
  readonly summary: string;
  /** One sentence per object behind the link (each Target, member, remote cluster), in plain words. */
  readonly explanation: readonly string[];
  /** Admiralty: proxy pods sent over this link, and how many of them have their delegate on the far cluster. */
  readonly proxies?: number;
  readonly delegated?: number;
  /** The row to reveal: the Target, the member cluster or the remote cluster row in the sending cluster's folder. */
  readonly rowId?: string;
  readonly entryId?: string;
}

/** One kubeconfig context as the links see it. */
export interface LinkContext {
  readonly entryId: string;
  readonly endpoint?: ContextEndpoint;
  readonly state: 'reachable' | 'failed' | 'connecting' | 'idle';
  readonly systems?: SystemsSnapshot;
}

/** The sending side: a node drawn for a cluster and the context whose snapshot it reads. */
export interface LinkSource {
  readonly nodeId: string;
  readonly context: LinkContext;
  readonly contextName: string;
}

export interface LinkEnds {
  /** The node of a context (created when the context has no node yet: a cluster without Liqo). */
  nodeOfEntry(entryId: string): string;
  /** The dashed node of an API server no context reaches, named by what the system calls that cluster. */
  unknownNode(server: string, name: string): string;
}

interface MutableLink {
  readonly id: string;
  readonly system: LinkSystem;
  readonly from: string;
  readonly to: string;
  readonly healths: Health[];
  readonly explanation: string[];
  readonly summaries: string[];
  proxies: number;
  delegated: number;
  failing: number;
  readonly rows: { rowId: string; entryId: string }[];
}

const answer = (c: LinkContext): string => (c.state === 'reachable' ? 'answers' : c.state === 'failed' ? 'does not answer' : 'not connected yet');

/** Every link drawn from the given senders, merged per system and pair of ends. */
export function buildSystemLinks(sources: readonly LinkSource[], contexts: readonly LinkContext[], ends: LinkEnds): SystemLink[] {
  const endpoints = contexts.flatMap((c) => (c.endpoint ? [c.endpoint] : []));
  const byName = new Map(contexts.flatMap((c) => (c.endpoint ? [[c.endpoint.context, c] as const] : [])));
  const links = new Map<string, MutableLink>();
  /** The far end of an endpoint: a context's node, or the dashed node of its server. */
  const reach = (e: Endpoint, name: string): { node: string; context?: LinkContext; note: string } => {
    const m = matchEndpoint(e, endpoints);
    const context = m.kind === 'context' ? byName.get(m.context) : undefined;
    if (context) return { node: ends.nodeOfEntry(context.entryId), context, note: `context ${m.kind === 'context' ? m.context : ''}, which ${answer(context)}` };
    const why = m.kind === 'ca-differs' ? `the server of context ${m.context} but another CA` : 'in no kubeconfig';
    return { node: ends.unknownNode(e.server, name), note: `${e.server}, ${why}` };
  };
  const linkFor = (system: LinkSystem, from: string, to: string): MutableLink => {
    const id = `${system}:${from}->${to}`;
    let l = links.get(id);
    if (!l) {
      l = { id, system, from, to, healths: [], explanation: [], summaries: [], proxies: 0, delegated: 0, failing: 0, rows: [] };
      links.set(id, l);
    }
    return l;
  };
  for (const src of sources) {
    const sys = src.context.systems;
    if (!sys) continue;
    if (sys.admiralty) addAdmiralty(src, sys.admiralty, reach, linkFor);
    if (sys.kubefed) addKubeFed(src, sys.kubefed, reach, linkFor);
    if (sys.istio) addIstio(src, sys.istio, reach, linkFor);
  }
  return [...links.values()].map(finish).sort((a, b) => a.id.localeCompare(b.id));
}

type Reach = (e: Endpoint, name: string) => { node: string; context?: LinkContext; note: string };
type LinkFor = (system: LinkSystem, from: string, to: string) => MutableLink;

const systemFolder = (entryId: string, system: LinkSystem) => folderKey(clusterRowKey(entryId), system);

function sameTarget(a: TargetRef, b: TargetRef): boolean {
  return a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');
}

function addAdmiralty(src: LinkSource, a: AdmiraltyView, reach: Reach, linkFor: LinkFor): void {
  const entryId = src.context.entryId;
  for (const t of a.targets) {
    // A Target sending to its own cluster links nothing; one whose kubeconfig cannot be read has no known far end
    // (the tree says why).
    if (t.self || t.problem || !t.endpoint?.ok) continue;
    const far = reach(t.endpoint.endpoint, t.name);
    if (far.node === src.nodeId) continue;
    const l = linkFor('admiralty', src.nodeId, far.node);
    const proxies = a.proxyPods.filter((p) => p.target && sameTarget(p.target, t));
    const delegates = far.context?.systems?.admiralty?.delegatePods ?? [];
    const pairs = proxies.map((p) => ({ proxy: p, delegates: delegates.filter((d) => d.parent.uid === p.uid) }));
    const delegated = pairs.filter((x) => x.delegates.length > 0).length;
    const failedDelegates = pairs.flatMap((x) => x.delegates).filter((d) => d.phase === 'Failed').length;
    l.proxies += proxies.length;
    l.delegated += delegated;
    l.failing += failedDelegates;
    const health: Health =
      far.context?.state === 'failed' || failedDelegates > 0
        ? 'failed'
        : !far.context
          ? 'unknown'
          : far.context.state !== 'reachable' || !far.context.systems || delegated < proxies.length
            ? 'pending'
            : 'healthy';
    l.healths.push(health);
    const podWords = pairs.length
      ? pairs
          .map((x) => `proxy pod ${x.proxy.namespace}/${x.proxy.name} (${x.proxy.phase})${x.delegates.length ? ` runs as delegate ${x.delegates.map((d) => `${d.name} (${d.phase})`).join(', ')}` : far.context?.systems ? ' has no delegate there yet' : ''}`)
          .join('; ')
      : 'no proxy pod sent there now';
    l.explanation.push(`${t.kind} ${targetRefKey(t)} on ${src.contextName} sends pods to ${far.note}: ${podWords}.`);
    l.rows.push({ rowId: rowId(childKey(systemFolder(entryId, 'admiralty'), 'target', t.kind, targetRefKey(t))), entryId });
  }
}

function addKubeFed(src: LinkSource, k: NonNullable<SystemsSnapshot['kubefed']>, reach: Reach, linkFor: LinkFor): void {
  const entryId = src.context.entryId;
  for (const m of k.members) {
    const far = reach({ server: m.apiEndpoint, caFingerprints: m.caBundle ? caDataFingerprints(m.caBundle) : [] }, m.name);
    // The host is usually a member of itself: that membership links nothing.
    if (far.node === src.nodeId) continue;
    const l = linkFor('kubefed', src.nodeId, far.node);
    const failing = k.resources.flatMap((r) =>
      propagationByCluster(r)
        .filter((c) => c.cluster === m.name && c.state === 'failing')
        .map((c) => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name} (${c.status ?? 'failing'})`),
    );
    l.failing += failing.length;
    const ready = m.ready === 'True' ? 'Ready' : m.offline ? 'Offline' : `Ready ${m.ready}`;
    l.healths.push(m.ready === 'False' || m.offline || failing.length ? 'failed' : m.ready === 'True' ? 'healthy' : 'pending');
    l.summaries.push(ready);
    const why = m.ready === 'True' ? '' : ` (${[m.reason, m.message].filter(Boolean).join(': ') || 'no reason given'})`;
    l.explanation.push(
      `KubeFedCluster ${m.name} on ${src.contextName} makes ${far.note} a member: ${ready}${why}.${failing.length ? ` Not propagated there: ${failing.join(', ')}.` : ''}`,
    );
    l.rows.push({ rowId: rowId(childKey(systemFolder(entryId, 'kubefed'), 'member', m.name)), entryId });
  }
}

function addIstio(src: LinkSource, i: NonNullable<SystemsSnapshot['istio']>, reach: Reach, linkFor: LinkFor): void {
  const entryId = src.context.entryId;
  const running = i.istiod.filter((d) => d.running);
  const istiod = running.length ? `istiod ${running.map((d) => d.version ?? '?').join(', ')} running` : 'istiod not running';
  const mesh = [i.meshId ? `mesh ${i.meshId}` : '', i.network ? `network ${i.network}` : ''].filter(Boolean).join(', ');
  for (const s of i.remoteSecrets) {
    for (const c of s.clusters) {
      // A kubeconfig in the secret that does not parse has no known far end (the tree shows its problem).
      if (!('endpoint' in c)) continue;
      const far = reach(c.endpoint, c.clusterName);
      if (far.node === src.nodeId) continue;
      const l = linkFor('istio', src.nodeId, far.node);
      l.healths.push(running.length ? 'healthy' : 'failed');
      if (i.meshId) l.summaries.push(`mesh ${i.meshId}`);
      l.explanation.push(`Istio on ${src.contextName} (${istiod}${mesh ? `, ${mesh}` : ''}) reads the API server of remote cluster ${c.clusterName}, ${far.note}, through remote secret ${s.namespace}/${s.name}.`);
      l.rows.push({ rowId: rowId(childKey(childKey(systemFolder(entryId, 'istio'), 'remote-secret', `${s.namespace}/${s.name}`), c.clusterName)), entryId });
    }
  }
}

function finish(l: MutableLink): SystemLink {
  let summary: string;
  if (l.system === 'admiralty') summary = l.proxies ? `${l.proxies} prox${l.proxies === 1 ? 'y' : 'ies'} → ${l.delegated} delegate${l.delegated === 1 ? '' : 's'}${l.failing ? `, ${l.failing} failed` : ''}` : 'no proxy pods';
  else if (l.system === 'kubefed') summary = `${[...new Set(l.summaries)].join(', ')}${l.failing ? ` · ${l.failing} failing` : ''}`;
  else summary = [...new Set(l.summaries)].join(', ') || 'remote cluster';
  const row = l.rows[0];
  return {
    id: l.id,
    system: l.system,
    from: l.from,
    to: l.to,
    health: worstHealth(l.healths),
    summary,
    explanation: l.explanation,
    ...(l.system === 'admiralty' ? { proxies: l.proxies, delegated: l.delegated } : {}),
    ...(row ? { rowId: row.rowId, entryId: row.entryId } : {}),
  };
}

/** The id of the dashed node of an API server no context reaches (one node per server, whichever system names it). */
export function serverNodeId(server: string): string {
  return `server:${normalizeServer(server)}`;
}
