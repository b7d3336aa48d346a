// Rows for offloaded namespaces (NamespaceOffloading): strategies, remote name, phase, one row per remote cluster
// with its conditions, and the namespace's pods with where each runs.
import type { NamespaceOffloading, Pod } from '../liqo/objects.ts';
import { objectKey } from '../liqo/objects.ts';
import { byName, virtualNodeIndex } from '../liqo/snapshot.ts';
import { explainOffloadingPhase, remoteNamespaceHealth } from '../liqo/explain.ts';
import type { ClusterTreeContext, SubtreeMap } from './treeContext.ts';
import { linkText, resourceRef } from './treeContext.ts';
import type { TreeNodeView } from './view.ts';
import { ariaLabelOf, code, contextValue, md } from './view.ts';
import { childKey, rowId, type ClusterRowKey } from './rowKey.ts';
import { healthIcon } from './health.ts';
import { podRow } from './podNodes.ts';

export function remoteNameOf(o: NamespaceOffloading): string | undefined {
  return o.status?.remoteNamespaceName || o.spec?.remoteNamespaceName || undefined;
}

/** NoClusterSelected where the cluster has no virtual node at all (after an Unpeer): no selector is to blame. */
const NO_VIRTUAL_NODE = {
  health: 'failed',
  what: 'this cluster has no virtual node at all (no peering provides resources to it), so no remote namespace can exist',
  check: 'Peer this cluster with a provider (Peer Clusters…), or Unoffload the namespace to keep its pods here.',
} as const;

export function addOffloadingRows(ctx: ClusterTreeContext, folder: ClusterRowKey, out: SubtreeMap): TreeNodeView[] {
  const s = ctx.snapshot;
  const vnIndex = virtualNodeIndex(s);
  const noVirtualNode = vnIndex.size === 0 && s.kinds.virtualnodes.kind === 'ready';
  // Pods grouped by namespace once: filtering all pods per offloaded namespace was O(namespaces × pods), 60% of a
  // rebuild with 1,000 offloaded namespaces and 10,000 pods.
  const podsByNamespace = new Map<string, Pod[]>();
  for (const p of s.pods) {
    const ns = p.metadata.namespace ?? '';
    const list = podsByNamespace.get(ns);
    if (list) list.push(p);
    else podsByNamespace.set(ns, [p]);
  }
  const rows: TreeNodeView[] = [];
  for (const o of [...s.offloadings].sort(byName)) {
    const ns = o.metadata.namespace ?? '';
    const nsKey = childKey(folder, ns);
    const id = rowId(nsKey);
    const phase = o.status?.offloadingPhase;
    const ex = noVirtualNode && phase === 'NoClusterSelected' ? NO_VIRTUAL_NODE : explainOffloadingPhase(phase);
    const strategy = o.spec?.podOffloadingStrategy ?? 'LocalAndRemote';
    const mapping = o.spec?.namespaceMappingStrategy ?? 'DefaultName';
    const remote = remoteNameOf(o);
    const description = `${phase ?? 'not processed'} · ${strategy}${remote ? ` → ${remote}` : ''}`;
    const selector = (o.spec?.clusterSelector?.nodeSelectorTerms ?? [])
      .map((t) => (t.matchExpressions ?? []).map((e) => `${e.key} ${e.operator} ${(e.values ?? []).join(',')}`.trim()).join(' AND '))
      .filter(Boolean)
      .join(' OR ');
    const tooltip = [
      `**Offloaded namespace ${md(ns)}**`,
      '',
      `- Phase: ${md(phase ?? '(none)')}`,
      `- Pod offloading strategy: ${md(strategy)}`,
      `- Namespace mapping strategy: ${md(mapping)}`,
      `- Remote namespace: ${remote ? md(remote) : '(not yet known)'}`,
      `- Cluster selector: ${selector ? code(selector) : 'every virtual node'}`,
      ex.what ? `\n**What is wrong:** ${md(ex.what)}.` : '',
      ex.check ? `\n**Check next:** ${md(ex.check)}` : '',
    ]
      .filter(Boolean)
      .join('\n');
    rows.push({
      key: nsKey,
      id,
      label: ns,
      description,
      tooltip,
      ariaLabel: ariaLabelOf(ns, description),
      icon: healthIcon(ex.health),
      contextValue: contextValue('offloadedNamespace', [phase ?? 'unknown']),
      collapsible: ex.health === 'healthy' ? 'collapsed' : 'expanded',
      resource: resourceRef(ctx, 'namespaceoffloadings', objectKey(o)),
    });
    const children: TreeNodeView[] = [];
    const byCluster = o.status?.remoteNamespacesConditions ?? {};
    for (const clusterId of Object.keys(byCluster).sort()) {
      const h = remoteNamespaceHealth(byCluster[clusterId] ?? []);
      const links = ctx.contextsFor(clusterId);
      const state = h.health === 'healthy' ? 'Ready' : h.health === 'disabled' ? 'not selected' : h.health === 'failed' ? 'Failed' : 'Pending';
      const why = [h.reason, h.message].filter(Boolean).join(': ');
      const cdesc = `${state}${why ? ` · ${why}` : ''}`;
      const remoteKey = childKey(nsKey, 'remote', clusterId);
      children.push({
        key: remoteKey,
        id: rowId(remoteKey),
        label: clusterId,
        description: cdesc,
        tooltip: [
          `**Remote namespace ${md(remote ?? '')} on ${md(clusterId)}** (${md(linkText(links))})`,
          '',
          ...(byCluster[clusterId] ?? []).map((c) => `- ${md(c.type)}: ${md(c.status)}${c.reason ? ` (${md(c.reason)})` : ''}${c.message ? ` — ${md(c.message)}` : ''}`),
          h.health === 'failed' ? `\n**Check next:** on ${md(clusterId)}, whether namespace ${md(remote ?? '')} already exists or is Terminating, and the NamespaceMap in the tenant namespace here.` : '',
        ].join('\n'),
        ariaLabel: ariaLabelOf(clusterId, cdesc),
        icon: healthIcon(h.health),
        contextValue: contextValue('remoteNamespace', [h.health]),
        collapsible: 'none',
      });
    }
    for (const pod of (podsByNamespace.get(ns) ?? []).sort(byName)) children.push(podRow(ctx, nsKey, pod, vnIndex));
    out.set(id, children);
  }
  return rows;
}
