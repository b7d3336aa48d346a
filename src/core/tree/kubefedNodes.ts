// The KubeFed folder of a cluster (its host cluster): member clusters with their readiness, and each federated
// resource with its placement, the paths its overrides change (values never shown) and its propagation per cluster,
// a failing cluster saying KubeFed's reason. A member is linked to the kubeconfig context of its API endpoint.
import { propagationByCluster } from '../systems/kubefed.ts';
import { caDataFingerprints } from '../federation/caFingerprint.ts';
import type { ClusterTreeContext, SubtreeMap } from './treeContext.ts';
import { childKey, type ClusterRowKey } from './rowKey.ts';
import type { TreeNodeView } from './view.ts';
import { REVEAL_PEER_COMMAND } from './peeringNodes.ts';
import { peerOf } from './systemsContext.ts';
import { groupRow, leafRow, withChildren } from './systemsRows.ts';

export function addKubeFedRows(ctx: ClusterTreeContext, folder: ClusterRowKey, out: SubtreeMap): TreeNodeView[] {
  const input = ctx.systems;
  const k = input?.own.kubefed;
  if (!input || !k) return [];
  const groups: TreeNodeView[] = [];

  const members = k.members.map((m) => {
    const match = peerOf(input, { server: m.apiEndpoint, caFingerprints: m.caBundle ? caDataFingerprints(m.caBundle) : [] });
    const link = match.kind === 'context' ? `⇄ ${match.peer.endpoint.context}` : 'in no kubeconfig';
    const state = m.ready === 'True' ? 'Ready' : m.offline ? 'Offline' : `Ready ${m.ready}`;
    const why = m.ready === 'True' ? '' : [m.reason, m.message].filter(Boolean).join(': ');
    const description = [state, why, m.kubernetesVersion, link].filter(Boolean).join(' · ');
    return leafRow(childKey(folder, 'member', m.name), m.name, description, {
      icon: m.ready === 'True' ? 'pass' : 'error',
      ...(m.ready === 'True' ? {} : { color: 'errorForeground' }),
      kind: 'kubefedCluster',
      flags: [m.ready === 'True' ? 'ready' : 'notReady', match.kind === 'context' ? 'linked' : undefined],
      tooltip: `KubeFedCluster ${m.name} at ${m.apiEndpoint}: ${description}.`,
      ...(match.kind === 'context' ? { command: { command: REVEAL_PEER_COMMAND, title: 'Go to Member Cluster', arguments: [match.peer.entryId] } } : {}),
    });
  });
  if (members.length) groups.push(groupRow(folder, 'members', 'Member Clusters', 'server', members, out));

  const resources = k.resources.map((r) => {
    const name = r.namespace ? `${r.namespace}/${r.name}` : r.name;
    const key = childKey(folder, 'federated', r.kind, name);
    const placement = r.placement.by === 'clusters' ? (r.placement.clusters.length ? `on ${r.placement.clusters.join(', ')}` : 'on no cluster (empty list)') : r.placement.by === 'selector' ? `clusters matching ${r.placement.selector}` : 'placed nowhere (no placement)';
    const per = propagationByCluster(r);
    const failing = per.filter((c) => c.state === 'failing');
    const prop = r.propagation.status === 'True' ? 'propagated' : r.propagation.status === 'False' ? `not propagated${r.propagation.reason ? ` (${r.propagation.reason})` : ''}` : 'propagation unknown';
    const children: TreeNodeView[] = [leafRow(childKey(key, 'placement'), 'Placement', placement, { icon: 'location', kind: 'kubefedPlacement' })];
    for (const o of r.overrides) {
      children.push(leafRow(childKey(key, 'override', o.cluster), `Override on ${o.cluster}`, o.paths.join(', '), { icon: 'replace', kind: 'kubefedOverride', tooltip: `Overrides for ${o.cluster}: ${o.paths.join(', ')} (values are not shown).` }));
    }
    for (const c of per) {
      const text = c.state === 'propagated' ? 'propagated' : c.state === 'pending' ? 'not reported yet' : `failing: ${c.status ?? ''}`;
      children.push(
        leafRow(childKey(key, 'propagation', c.cluster), c.cluster, text, {
          icon: c.state === 'propagated' ? 'pass' : c.state === 'failing' ? 'error' : 'clock',
          ...(c.state === 'failing' ? { color: 'errorForeground' } : {}),
          kind: 'kubefedPropagation',
          flags: [c.state],
          tooltip: `${r.kind} ${name} on cluster ${c.cluster}: ${text}.`,
        }),
      );
    }
    const description = [placement, prop, failing.length ? `failing on ${failing.map((f) => f.cluster).join(', ')}` : ''].filter(Boolean).join(' · ');
    const row = leafRow(key, `${r.kind} ${name}`, description, {
      icon: failing.length || r.propagation.status === 'False' ? 'warning' : 'symbol-class',
      ...(failing.length ? { color: 'list.warningForeground' } : {}),
      kind: 'kubefedResource',
      flags: [failing.length ? 'failing' : undefined],
      tooltip: `${r.kind} ${name}: ${description}.`,
    });
    return withChildren(row, children, out);
  });
  if (resources.length) groups.push(groupRow(folder, 'federated', 'Federated Resources', 'symbol-class', resources, out));
  return groups;
}
