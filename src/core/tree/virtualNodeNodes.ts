// Rows for virtual nodes: the VirtualNode with its Node — readiness, capacity/allocatable (cpu, memory, pods, GPUs
// and other extended resources), labels (what cluster selectors match), taints, the ResourceSlice behind it — and
// the pods running on it.
import type { Node, ResourceSlice, VirtualNode } from '../liqo/objects.ts';
import { objectKey, LABEL_REMOTE_CLUSTER_ID } from '../liqo/objects.ts';
import { byName, formatResources, virtualNodeIndex } from '../liqo/snapshot.ts';
import type { Health } from '../liqo/explain.ts';
import type { ClusterTreeContext, SubtreeMap } from './treeContext.ts';
import { linkText, resourceRef } from './treeContext.ts';
import type { TreeNodeView } from './view.ts';
import { ariaLabelOf, code, contextValue, md } from './view.ts';
import { childKey, rowId, type ClusterRowKey } from './rowKey.ts';
import { objectRef } from './treeContext.ts';
import { healthIcon } from './health.ts';
import { podRow } from './podNodes.ts';
import { sumCapacity, virtualNodeCapacity, type Capacity } from '../capacity/capacity.ts';
import type { Pod } from '../liqo/objects.ts';

const RESOURCE_SLICE_LABEL = 'liqo.io/resourceslice-name';

/**
 * Pods by node name, once per pod list: every virtual node row sums its pods' requests, and a pod event re-renders
 * every virtual node row (rowPatches.ts), so a scan of all pods per row would be O(nodes × pods) per event.
 */
const podsByNodeCache = new WeakMap<readonly Pod[], Map<string, Pod[]>>();
function podsOnNode(pods: readonly Pod[], node: string): readonly Pod[] {
  let m = podsByNodeCache.get(pods);
  if (!m) {
    m = new Map();
    for (const p of pods) {
      const n = p.spec?.nodeName;
      if (!n) continue;
      const list = m.get(n);
      if (list) list.push(p);
      else m.set(n, [p]);
    }
    podsByNodeCache.set(pods, m);
  }
  return m.get(node) ?? [];
}

/**
 * Granted against requested for one virtual node (its pods as the cluster's pod watch knows them). Not part of the
 * row: the sums read every pod, and pod events patch pod rows without listing all pods (rowPatches.ts); the view
 * asks for them when the row is hovered (FederationTreeProvider.resolveTreeItem).
 */
export function capacityOfVirtualNode(s: ClusterTreeContext['snapshot'], name: string): Capacity {
  const vn = s.virtualNodes.find((v) => v.metadata.name === name);
  const node = s.nodes.find((n) => n.metadata.name === name);
  const slice = vn ? sliceFor(vn, s.resourceSlices) : undefined;
  return virtualNodeCapacity(node?.status?.allocatable, slice?.status?.resources, podsOnNode(s.pods, name));
}

export function nodeReadiness(n: Node | undefined): { readonly health: Health; readonly text: string; readonly reason?: string } {
  if (!n) return { health: 'pending', text: 'no Node yet' };
  const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
  if (!ready) return { health: 'pending', text: 'Unknown' };
  if (ready.status === 'True') return { health: n.spec?.unschedulable ? 'pending' : 'healthy', text: n.spec?.unschedulable ? 'Ready, cordoned' : 'Ready' };
  return { health: 'failed', text: 'NotReady', ...(ready.reason || ready.message ? { reason: [ready.reason, ready.message].filter(Boolean).join(': ') } : {}) };
}

export function sliceFor(vn: VirtualNode, slices: readonly ResourceSlice[]): ResourceSlice | undefined {
  const byLabel = vn.metadata.labels?.[RESOURCE_SLICE_LABEL];
  if (byLabel) return slices.find((s) => s.metadata.name === byLabel && s.metadata.namespace === vn.metadata.namespace);
  return slices.find((s) => s.metadata.namespace === vn.metadata.namespace && s.spec?.providerClusterID === vn.spec?.clusterID);
}

function sliceState(s: ResourceSlice | undefined): string {
  if (!s) return 'none';
  const conds = s.status?.conditions ?? [];
  const states = conds.map((c) => `${c.type} ${c.status}`).join(', ');
  return `${s.metadata.name}${states ? ` (${states})` : ''}`;
}

/**
 * Granted against requested for one peering: the virtual nodes of that peer cluster here, added up. Undefined when
 * the pods are not watched (a collapsed cluster) or this cluster has no virtual node of that peer (it consumes
 * nothing from it).
 */
export function capacityOfPeering(s: ClusterTreeContext['snapshot'], peerClusterId: string): Capacity | undefined {
  if (s.kinds.pods.kind !== 'ready') return undefined;
  const names = [...virtualNodeIndex(s)].filter(([, id]) => id === peerClusterId).map(([n]) => n).sort();
  if (names.length === 0) return undefined;
  return sumCapacity(names.map((n) => capacityOfVirtualNode(s, n)), names.length === 1 ? `virtual node ${names[0]}` : `virtual nodes ${names.join(', ')}`);
}

/** The names of the virtual nodes a cluster shows (a VirtualNode, its Node, or both), in row order. */
export function virtualNodeNames(s: ClusterTreeContext['snapshot']): string[] {
  return [...new Set<string>([...s.virtualNodes.map((v) => v.metadata.name), ...s.nodes.map((n) => n.metadata.name)])].sort();
}

/**
 * One virtual node's own row, and its NotReady row when it has one (its pod rows are not built here: they depend on
 * the node only through the virtual-node index, so a Node status heartbeat can re-render this alone).
 */
export function virtualNodeRow(ctx: ClusterTreeContext, folder: ClusterRowKey, name: string): { row: TreeNodeView; problem?: TreeNodeView } {
  const s = ctx.snapshot;
  const vn = s.virtualNodes.find((v) => v.metadata.name === name);
  const node = s.nodes.find((n) => n.metadata.name === name);
  const clusterId = vn?.spec?.clusterID ?? node?.metadata.labels?.[LABEL_REMOTE_CLUSTER_ID] ?? '?';
  const ready = nodeReadiness(node);
  const vkCondition = vn?.status?.conditions?.find((c) => c.type === 'VirtualKubelet');
  const capacity = node?.status?.capacity ?? vn?.spec?.resourceQuota?.hard;
  const allocatable = node?.status?.allocatable;
  const slice = vn ? sliceFor(vn, s.resourceSlices) : undefined;
  const labels = node?.metadata.labels ?? vn?.spec?.labels ?? {};
  const taints = node?.spec?.taints ?? vn?.spec?.taints ?? [];
  const vnKey = childKey(folder, name);
  const id = rowId(vnKey);
  const resources = formatResources(allocatable ?? capacity);
  const links = ctx.contextsFor(clusterId);
  const description = [ready.text, resources, `→ ${clusterId}`].filter(Boolean).join(' · ');
  const userLabels = Object.entries(labels).filter(([k]) => !k.startsWith('kubernetes.io/') && !k.startsWith('node.kubernetes.io/') && !k.startsWith('beta.kubernetes.io/'));
  const tooltip = [
    `**Virtual node ${md(name)}** → remote cluster ${md(clusterId)} (${md(linkText(links))})`,
    '',
    `- State: ${md(ready.text)}${ready.reason ? ` — ${md(ready.reason)}` : ''}${vkCondition ? `; virtual kubelet ${md(vkCondition.status)}` : ''}`,
    `- Capacity: ${md(formatResources(capacity) || '(unknown)')}`,
    `- Allocatable: ${md(formatResources(allocatable) || '(unknown)')}`,
    `- ResourceSlice: ${md(sliceState(slice))}${slice?.status?.resources ? ` granting ${md(formatResources(slice.status.resources))}` : ''}`,
    `- Labels (what cluster selectors match): ${userLabels.map(([k, v]) => code(`${k}=${v}`)).join(', ') || '(none)'}`,
    `- Taints: ${taints.map((t) => code(`${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`)).join(', ') || '(none)'}`,
  ].join('\n');
  const row: TreeNodeView = {
    key: vnKey,
    id,
    label: name,
    description,
    tooltip,
    ariaLabel: ariaLabelOf(name, description),
    icon: ready.health === 'healthy' ? { id: 'server', color: 'testing.iconPassed' } : healthIcon(ready.health),
    contextValue: contextValue('virtualNode', [ready.health]),
    collapsible: 'collapsed',
    ...(vn ? { resource: resourceRef(ctx, 'virtualnodes', objectKey(vn)) } : node ? { resource: resourceRef(ctx, 'virtualNodeNodes', objectKey(node)) } : {}),
    // The row shows the VirtualNode, its Node and its ResourceSlice together.
    sources: [...(vn ? [objectRef('virtualnodes', objectKey(vn))] : []), ...(node ? [objectRef('virtualNodeNodes', objectKey(node))] : []), ...(slice ? [objectRef('resourceslices', objectKey(slice))] : [])],
  };
  if (ready.health !== 'failed') return { row };
  const what = `the virtual node is NotReady${ready.reason ? ` (${ready.reason})` : ''}: new pods are not scheduled on it and running ones are marked remote-unavailable`;
  const problemKey = childKey(vnKey, 'problem');
  const problem: TreeNodeView = {
    key: problemKey,
    id: rowId(problemKey),
    label: 'NotReady',
    description: what,
    tooltip: `**${md(what)}.**\n\n**Check next:** the virtual-kubelet pod in ${md(vn?.metadata.namespace ?? 'the tenant namespace')} (label \`offloading.liqo.io/component=virtual-kubelet\`) and the peering's network and API server conditions.`,
    ariaLabel: ariaLabelOf('NotReady', what),
    icon: healthIcon('failed'),
    contextValue: contextValue('condition', ['failed']),
    collapsible: 'none',
  };
  return { row, problem };
}

function noPodsRow(vnKey: ClusterRowKey): TreeNodeView {
  const key = childKey(vnKey, 'no-pods');
  const label = 'No pods on this virtual node';
  return {
    key,
    id: rowId(key),
    label,
    tooltip: 'No pod is scheduled on this virtual node yet. Pods land here when a namespace is offloaded to its remote cluster and its pods are scheduled on it (Offload Namespace…, then Verify Offloading…).',
    ariaLabel: label,
    icon: { id: 'info' },
    contextValue: contextValue('empty'),
    collapsible: 'none',
  };
}

export function addVirtualNodeRows(ctx: ClusterTreeContext, folder: ClusterRowKey, out: SubtreeMap): TreeNodeView[] {
  const s = ctx.snapshot;
  const vnIndex = virtualNodeIndex(s);
  const rows: TreeNodeView[] = [];
  for (const name of virtualNodeNames(s)) {
    const { row, problem } = virtualNodeRow(ctx, folder, name);
    rows.push(row);
    const children: TreeNodeView[] = problem ? [problem] : [];
    for (const pod of s.pods.filter((p) => p.spec?.nodeName === name).sort(byName)) children.push(podRow(ctx, row.key as ClusterRowKey, pod, vnIndex));
    // A row that expands to nothing looks broken: say there is nothing on it yet.
    if (children.length === (problem ? 1 : 0)) children.push(noPodsRow(row.key as ClusterRowKey));
    out.set(row.id, children);
  }
  return rows;
}
