// The Admiralty folder of a cluster: where it sends pods (Targets, ClusterTargets: the kubeconfig context they reach,
// or none, and whether that cluster answers), who sends to it (Sources), Admiralty's virtual nodes, each proxy pod
// with its delegate (looked up in the watched pods of the context the Target points at, by the parent-uid label),
// and the delegates it runs for others (linked to the context holding their proxy pod, or named only). Proxy and
// delegate rows carry their pod, so that Why Is This Pod Failing? and Stream Logs… act on them.
import { targetRefKey, type TargetRef } from '../systems/admiralty.ts';
import type { AdmiraltyView, PodState } from '../systems/snapshot.ts';
import type { ClusterTreeContext, SubtreeMap } from './treeContext.ts';
import { childKey, type ClusterRowKey } from './rowKey.ts';
import type { TreeNodeView } from './view.ts';
import { REVEAL_PEER_COMMAND } from './peeringNodes.ts';
import { answerText, peerOf, type SystemsPeer, type SystemsTreeInput } from './systemsContext.ts';
import { groupRow, leafRow } from './systemsRows.ts';

type TargetRow = AdmiraltyView['targets'][number];

function podText(p: PodState): string {
  return `${p.phase}${p.ready ? ' · ready' : ''}`;
}

function reveal(peer: SystemsPeer, title: string) {
  return { command: REVEAL_PEER_COMMAND, title, arguments: [peer.entryId] };
}

/** Where a Target sends: its context (with whether it answers), its own cluster, or why none. */
function targetReach(input: SystemsTreeInput, t: TargetRow): { text: string; peer?: SystemsPeer } {
  if (t.problem) return { text: t.problem };
  if (t.self) return { text: 'this cluster (self)' };
  if (!t.endpoint) return { text: 'its kubeconfig Secret is not read yet' };
  if (!t.endpoint.ok) return { text: t.endpoint.problem };
  const m = peerOf(input, t.endpoint.endpoint);
  if (m.kind === 'none') return { text: `${t.endpoint.endpoint.server} · in no kubeconfig` };
  if (m.kind === 'ca-differs') return { text: `server of context ${m.peer.endpoint.context}, but another CA` };
  return { text: `→ ${m.peer.endpoint.context} · ${answerText(m.peer)}`, peer: m.peer };
}

function sameTarget(a: TargetRef, b: TargetRef): boolean {
  return a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');
}

export function addAdmiraltyRows(ctx: ClusterTreeContext, folder: ClusterRowKey, out: SubtreeMap): TreeNodeView[] {
  const input = ctx.systems;
  const a = input?.own.admiralty;
  if (!input || !a) return [];
  const groups: TreeNodeView[] = [];

  const targets = a.targets.map((t) => {
    const r = targetReach(input, t);
    const label = `${t.kind} ${targetRefKey(t)}`;
    return leafRow(childKey(folder, 'target', t.kind, targetRefKey(t)), label, r.text, {
      icon: r.peer ? (r.peer.state === 'reachable' ? 'pass' : 'warning') : t.problem || (t.endpoint && !t.endpoint.ok) ? 'warning' : 'debug-disconnect',
      kind: 'admiraltyTarget',
      flags: [r.peer ? 'linked' : undefined],
      tooltip: `Admiralty ${t.kind} ${targetRefKey(t)}: sends pods to ${r.text}.${t.secret ? ` Kubeconfig from Secret ${t.secret.namespace}/${t.secret.name} key ${t.secret.key} (only its server and CA are read).` : ''}`,
      ...(r.peer ? { command: reveal(r.peer, 'Go to Target Cluster') } : {}),
    });
  });
  if (targets.length) groups.push(groupRow(folder, 'targets', 'Targets', 'arrow-right', targets, out));

  const sources = a.sources.map((s) => {
    const key = s.namespace ? `${s.namespace}/${s.name}` : s.name;
    return leafRow(childKey(folder, 'source', s.kind, key), `${s.kind} ${key}`, s.identity, { icon: 'arrow-left', kind: 'admiraltySource', tooltip: `Admiralty ${s.kind} ${key}: a cluster authenticating as ${s.identity} may send pods here.` });
  });
  if (sources.length) groups.push(groupRow(folder, 'sources', 'Sources', 'arrow-left', sources, out));

  const nodes = a.virtualNodes.map((n) =>
    leafRow(childKey(folder, 'node', n.name), n.name, `${n.ready ? 'Ready' : 'NotReady'} · ${n.target.kind} ${targetRefKey(n.target)}`, {
      icon: 'server-environment',
      kind: 'admiraltyVirtualNode',
      tooltip: `Admiralty's virtual node for ${n.target.kind} ${targetRefKey(n.target)}: pods bound to it run on that target's cluster.`,
    }),
  );
  if (nodes.length) groups.push(groupRow(folder, 'virtual-nodes', 'Virtual Nodes', 'server-environment', nodes, out));

  const proxies = a.proxyPods.map((p) => proxyRow(ctx.entryId, input, a, folder, p, out));
  if (proxies.length) groups.push(groupRow(folder, 'proxy-pods', 'Proxy Pods', 'symbol-reference', proxies, out));

  const delegates = a.delegatePods.map((d) => {
    const home = input.peers.find((peer) => peer.entryId !== ctx.entryId && peer.systems?.admiralty?.proxyPods.some((p) => p.uid === d.parent.uid));
    const parent = `${d.parent.namespace}/${d.parent.name}`;
    const from = home ? `⇄ ${home.endpoint.context}: ${parent}` : `from ${d.parent.clusterName} (in no kubeconfig): ${parent}`;
    return leafRow(childKey(folder, 'delegate', `${d.namespace}/${d.name}`), `${d.namespace}/${d.name}`, `${podText(d)} · ${from}`, {
      icon: 'symbol-event',
      kind: 'admiraltyDelegate',
      flags: [home ? 'linked' : undefined],
      tooltip: `Delegate pod of proxy pod ${parent} (uid ${d.parent.uid}) sent by cluster ${d.parent.clusterName}${home ? `, context ${home.endpoint.context}` : ': no kubeconfig context holds that proxy pod'}.`,
      pod: { entryId: ctx.entryId, namespace: d.namespace, name: d.name },
      ...(home ? { command: reveal(home, 'Go to Source Cluster') } : {}),
    });
  });
  if (delegates.length) groups.push(groupRow(folder, 'delegate-pods', 'Delegate Pods', 'symbol-event', delegates, out));
  return groups;
}

/** A proxy pod and, below it, its delegate on the cluster of the context its Target points at. */
function proxyRow(entryId: string, input: SystemsTreeInput, a: AdmiraltyView, folder: ClusterRowKey, p: AdmiraltyView['proxyPods'][number], out: SubtreeMap): TreeNodeView {
  const key = childKey(folder, 'proxy', `${p.namespace}/${p.name}`);
  const target = p.target ? a.targets.find((t) => sameTarget(t, p.target!)) : undefined;
  const reach = target ? targetReach(input, target) : undefined;
  const peer = reach?.peer;
  const delegates = peer?.systems?.admiralty?.delegatePods.filter((d) => d.parent.uid === p.uid) ?? [];
  let side: string;
  if (!p.target) side = 'not bound to an Admiralty virtual node yet';
  else if (!peer) side = `delegate on ${p.target.kind} ${targetRefKey(p.target)}: ${reach?.text ?? 'target not found'}`;
  else if (!peer.systems) side = `delegate on ${peer.endpoint.context}: not known (${answerText(peer)})`;
  else if (delegates.length === 0) side = `no delegate on ${peer.endpoint.context} yet`;
  else side = delegates.map((d) => `⇄ ${peer.endpoint.context}: ${d.name} ${podText(d)}`).join(', ');
  const children = peer
    ? delegates.map((d) =>
        leafRow(childKey(key, 'delegate', `${d.namespace}/${d.name}`), `${d.namespace}/${d.name}`, `${podText(d)} · on ${peer.endpoint.context}${d.nodeName ? ` (node ${d.nodeName})` : ''}`, {
          icon: 'symbol-event',
          kind: 'admiraltyDelegate',
          flags: ['linked'],
          tooltip: `Delegate of proxy pod ${p.namespace}/${p.name}, running on context ${peer.endpoint.context}.`,
          pod: { entryId: peer.entryId, namespace: d.namespace, name: d.name },
          command: reveal(peer, 'Go to Delegate Cluster'),
        }),
      )
    : [];
  const row = leafRow(key, `${p.namespace}/${p.name}`, `proxy ${podText(p)} · ${side}`, {
    icon: 'symbol-reference',
    kind: 'admiraltyProxyPod',
    flags: [delegates.length ? 'delegated' : undefined],
    tooltip: `Proxy pod ${p.namespace}/${p.name}: ${podText(p)} here${p.nodeName ? ` on ${p.nodeName}` : ''}. Its delegate: ${side}.`,
    pod: { entryId, namespace: p.namespace, name: p.name },
  });
  if (children.length === 0) return row;
  out.set(row.id, children);
  return { ...row, collapsible: 'collapsed' };
}
