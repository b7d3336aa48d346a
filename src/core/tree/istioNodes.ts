// The Istio folder of a cluster running istiod: istiod (running, version, revision), the mesh ID, the network, and
// each remote secret's clusters linked to the kubeconfig context of the same server and CA (or "matches no
// context"). A remote secret is known here only as cluster names, servers and CA fingerprints: no credential.
import type { ClusterTreeContext, SubtreeMap } from './treeContext.ts';
import { childKey, type ClusterRowKey } from './rowKey.ts';
import type { TreeNodeView } from './view.ts';
import { REVEAL_PEER_COMMAND } from './peeringNodes.ts';
import { answerText, peerOf } from './systemsContext.ts';
import { leafRow, withChildren } from './systemsRows.ts';

export function addIstioRows(ctx: ClusterTreeContext, folder: ClusterRowKey, out: SubtreeMap): TreeNodeView[] {
  const input = ctx.systems;
  const i = input?.own.istio;
  if (!input || !i) return [];
  const rows: TreeNodeView[] = i.istiod.map((d) => {
    const description = [d.running ? 'running' : 'not running', d.version, d.revision ? `revision ${d.revision}` : '', `${d.ready} ready`].filter(Boolean).join(' · ');
    return leafRow(childKey(folder, 'istiod', d.name), d.name, description, {
      icon: d.running ? 'pass' : 'error',
      ...(d.running ? {} : { color: 'errorForeground' }),
      kind: 'istiod',
      flags: [d.running ? 'running' : 'down'],
      tooltip: `istiod Deployment ${i.namespace}/${d.name}: ${description}.`,
    });
  });
  rows.push(leafRow(childKey(folder, 'mesh'), 'Mesh ID', i.meshId ?? 'not set (mesh config has no meshId)', { icon: 'globe', kind: 'istioMesh' }));
  rows.push(leafRow(childKey(folder, 'network'), 'Network', i.network ?? `not set (no topology.istio.io/network label on ${i.namespace})`, { icon: 'type-hierarchy', kind: 'istioNetwork' }));
  for (const s of i.remoteSecrets) {
    const key = childKey(folder, 'remote-secret', `${s.namespace}/${s.name}`);
    const clusters = s.clusters.map((c) => {
      const ck = childKey(key, c.clusterName);
      if ('problem' in c) return leafRow(ck, c.clusterName, c.problem, { icon: 'warning', color: 'list.warningForeground', kind: 'istioRemoteCluster', flags: ['problem'] });
      const m = peerOf(input, c.endpoint);
      const text = m.kind === 'context' ? `⇄ ${m.peer.endpoint.context} · ${answerText(m.peer)}` : m.kind === 'ca-differs' ? `server of context ${m.peer.endpoint.context}, but another CA` : 'matches no context';
      return leafRow(ck, c.clusterName, text, {
        icon: m.kind === 'context' ? 'link' : 'debug-disconnect',
        kind: 'istioRemoteCluster',
        flags: [m.kind === 'context' ? 'linked' : 'unlinked'],
        tooltip: `Remote cluster ${c.clusterName}: this control plane reads the API server ${c.endpoint.server} (${text}). Only the server and the CA of the secret are read.`,
        ...(m.kind === 'context' ? { command: { command: REVEAL_PEER_COMMAND, title: 'Go to Remote Cluster', arguments: [m.peer.entryId] } } : {}),
      });
    });
    const summary = s.clusters.map((c) => c.clusterName).join(', ');
    const row = leafRow(key, s.name, summary, { icon: 'key', kind: 'istioRemoteSecret', tooltip: `Remote secret ${s.namespace}/${s.name}: clusters ${summary}. Its credentials are never read out.` });
    rows.push(withChildren(row, clusters, out, 'expanded'));
  }
  return rows;
}
