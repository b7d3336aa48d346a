// Rows for all namespaces (offloaded ones flagged, where Offload/Unoffload attach) and, on a provider, the
// consumers it serves: Tenants, their twin namespaces and the ShadowPods there with the real pods' state.
import type { Namespace, ShadowPod, Tenant } from '../liqo/objects.ts';
import { objectKey } from '../liqo/objects.ts';
import { byName, namespaceRole, podSummary, type NamespaceRole } from '../liqo/snapshot.ts';
import type { Health } from '../liqo/explain.ts';
import type { ClusterTreeContext, SubtreeMap } from './treeContext.ts';
import { linkText, resourceRef } from './treeContext.ts';
import type { TreeNodeView } from './view.ts';
import { ariaLabelOf, code, contextValue, md } from './view.ts';
import { childKey, rowId, type ClusterRowKey } from './rowKey.ts';
import { objectRef } from './treeContext.ts';
import { healthIcon } from './health.ts';
import { remoteNameOf } from './offloadingNodes.ts';

function roleText(r: NamespaceRole): string {
  switch (r.kind) {
    case 'offloaded': {
      const remote = remoteNameOf(r.offloading);
      return `offloaded${remote ? ` → ${remote}` : ''} · ${r.offloading.status?.offloadingPhase ?? 'not processed'}`;
    }
    case 'twin':
      return `remote twin of ${r.originalName ?? '?'} from ${r.originClusterId}`;
    case 'tenant':
      return `Liqo tenant namespace${r.remoteClusterId ? ` for ${r.remoteClusterId}` : ''}`;
    case 'liqo':
      return 'Liqo';
    default:
      return '';
  }
}

export function addNamespaceRows(ctx: ClusterTreeContext, folder: ClusterRowKey): TreeNodeView[] {
  const s = ctx.snapshot;
  return [...s.namespaces].sort(byName).map((ns) => {
    const role = namespaceRole(ns, s.offloadings);
    const terminating = ns.status?.phase === 'Terminating' || Boolean(ns.metadata.deletionTimestamp);
    const description = [roleText(role), terminating ? 'Terminating' : ''].filter(Boolean).join(' · ');
    const key = childKey(folder, ns.metadata.name);
    return {
      key,
      id: rowId(key),
      label: ns.metadata.name,
      ...(description ? { description } : {}),
      tooltip: `**Namespace ${md(ns.metadata.name)}**${description ? `\n\n${md(description)}` : ''}`,
      ariaLabel: ariaLabelOf(ns.metadata.name, description),
      icon: { id: 'symbol-namespace', ...(role.kind === 'offloaded' ? { color: 'charts.blue' } : {}) },
      contextValue: contextValue('namespace', [role.kind !== 'plain' && role.kind, terminating && 'terminating']),
      collapsible: 'none' as const,
      resource: resourceRef(ctx, 'namespaces', objectKey(ns)),
      // The role shown comes from the NamespaceOffloading in the namespace.
      ...(role.kind === 'offloaded' ? { sources: [objectRef('namespaceoffloadings', objectKey(role.offloading))] } : {}),
    };
  });
}

function tenantHealth(t: Tenant): Health {
  const c = t.spec?.tenantCondition ?? 'Active';
  return c === 'Active' ? 'healthy' : 'pending';
}

export function twinNamespacesOf(consumerId: string, namespaces: readonly Namespace[]): Namespace[] {
  return namespaces.filter((ns) => {
    const r = namespaceRole(ns, []);
    return r.kind === 'twin' && r.originClusterId === consumerId;
  });
}

export function addConsumerRows(ctx: ClusterTreeContext, folder: ClusterRowKey, out: SubtreeMap): TreeNodeView[] {
  const s = ctx.snapshot;
  const rows: TreeNodeView[] = [];
  for (const t of [...s.tenants].sort(byName)) {
    const consumer = t.spec?.clusterID ?? t.metadata.name;
    const consumerKey = childKey(folder, consumer);
    const id = rowId(consumerKey);
    const links = ctx.contextsFor(consumer);
    const twins = twinNamespacesOf(consumer, s.namespaces).sort(byName);
    const condition = t.spec?.tenantCondition ?? 'Active';
    const description = `${condition} · ${twins.length} namespace${twins.length === 1 ? '' : 's'} · ${linkText(links)}`;
    rows.push({
      key: consumerKey,
      id,
      label: consumer,
      description,
      tooltip: `**Consumer ${md(consumer)}** (Tenant ${code(t.metadata.name)})\n\n- Tenant condition: ${md(condition)}\n- Tenant namespace: ${md(t.status?.tenantNamespace ?? t.metadata.namespace ?? '')}\n- ${md(linkText(links))}`,
      ariaLabel: ariaLabelOf(consumer, description),
      icon: healthIcon(tenantHealth(t)),
      contextValue: contextValue('consumer', [links.length > 0 && 'linked']),
      collapsible: 'collapsed',
      resource: resourceRef(ctx, 'tenants', objectKey(t)),
      sources: twins.map((ns) => objectRef('namespaces', objectKey(ns))),
    });
    const nsRows: TreeNodeView[] = [];
    for (const ns of twins) {
      const nsKey = childKey(consumerKey, 'ns', ns.metadata.name);
      const nsId = rowId(nsKey);
      const shadows = s.shadowPods.filter((p) => p.metadata.namespace === ns.metadata.name).sort(byName);
      const r = namespaceRole(ns, []);
      const original = r.kind === 'twin' ? r.originalName : undefined;
      const nsDesc = `${original ? `← ${original} · ` : ''}${shadows.length} shadow pod${shadows.length === 1 ? '' : 's'}`;
      nsRows.push({
        key: nsKey,
        id: nsId,
        label: ns.metadata.name,
        description: nsDesc,
        tooltip: `**Twin namespace ${md(ns.metadata.name)}** of ${md(original ?? '?')} on consumer ${md(consumer)}`,
        ariaLabel: ariaLabelOf(ns.metadata.name, nsDesc),
        icon: { id: 'symbol-namespace' },
        contextValue: contextValue('namespace', ['twin']),
        collapsible: shadows.length ? 'collapsed' : 'none',
        resource: resourceRef(ctx, 'namespaces', objectKey(ns)),
        sources: shadows.map((sp) => objectRef('shadowpods', objectKey(sp))),
      });
      out.set(nsId, shadows.map((sp) => shadowPodRow(ctx, nsKey, sp)));
    }
    out.set(id, nsRows);
  }
  return rows;
}

function shadowPodRow(ctx: ClusterTreeContext, parent: ClusterRowKey, sp: ShadowPod): TreeNodeView {
  const pod = ctx.snapshot.pods.find((p) => p.metadata.namespace === sp.metadata.namespace && p.metadata.name === sp.metadata.name);
  const summary = pod ? podSummary(pod) : undefined;
  const phase = summary?.phase ?? sp.status?.phase ?? 'Pending';
  const health: Health = phase === 'Failed' || summary?.problem ? 'failed' : phase === 'Running' ? 'healthy' : phase === 'Succeeded' ? 'disabled' : 'pending';
  const description = `${phase}${summary?.problem ? ` · ${summary.problem}` : ''}${pod ? '' : ' · no pod yet'}`;
  const key = childKey(parent, 'shadowpod', sp.metadata.name);
  return {
    key,
    id: rowId(key),
    label: sp.metadata.name,
    description,
    tooltip: `**ShadowPod ${md(sp.metadata.namespace ?? '')}/${md(sp.metadata.name)}**\n\n- ShadowPod phase: ${md(sp.status?.phase ?? '(none)')}\n- Pod: ${pod ? `${md(phase)}${summary?.problem ? ` (${md(summary.problem)})` : ''}, restarts ${summary?.restarts ?? 0}` : 'not created yet'}`,
    ariaLabel: ariaLabelOf(sp.metadata.name, description),
    icon: health === 'healthy' ? { id: 'circle-filled', color: 'testing.iconPassed' } : healthIcon(health),
    contextValue: contextValue('shadowPod', [health === 'failed' && 'failed']),
    collapsible: 'none',
    resource: pod ? resourceRef(ctx, 'pods', objectKey(pod)) : resourceRef(ctx, 'shadowpods', objectKey(sp)),
    sources: [objectRef('shadowpods', objectKey(sp)), objectRef('pods', objectKey(sp))],
  };
}
