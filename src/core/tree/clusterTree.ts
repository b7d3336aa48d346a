// The subtree of one reachable cluster: Liqo's folders (peerings, virtual nodes, offloaded namespaces, consumers)
// and all namespaces, or "Liqo not installed"; per-kind failures (403, errors) shown inside the folder they affect.
import { KIND_RESOURCE, liqoInfo, type KindState, type WatchedKind } from '../liqo/snapshot.ts';
import type { ClusterTreeContext, SubtreeMap } from './treeContext.ts';
import type { TreeNodeView } from './view.ts';
import { ariaLabelOf, contextValue, md } from './view.ts';
import { addPeeringRows } from './peeringNodes.ts';
import { addVirtualNodeRows } from './virtualNodeNodes.ts';
import { addOffloadingRows } from './offloadingNodes.ts';
import { addConsumerRows, addNamespaceRows } from './namespaceNodes.ts';
import { RETRY_COMMAND } from './clusterNodes.ts';

interface FolderSpec {
  readonly key: string;
  readonly label: string;
  readonly icon: string;
  readonly kinds: readonly WatchedKind[];
  readonly build: (ctx: ClusterTreeContext, folderId: string, out: SubtreeMap) => TreeNodeView[];
}

const PEERINGS: FolderSpec = { key: 'peerings', label: 'Peerings', icon: 'plug', kinds: ['foreignclusters'], build: addPeeringRows };
const VIRTUAL_NODES: FolderSpec = { key: 'virtual-nodes', label: 'Virtual Nodes', icon: 'server-environment', kinds: ['virtualnodes', 'virtualNodeNodes', 'resourceslices'], build: addVirtualNodeRows };
const OFFLOADED: FolderSpec = { key: 'offloaded', label: 'Offloaded Namespaces', icon: 'cloud-upload', kinds: ['namespaceoffloadings'], build: addOffloadingRows };
const CONSUMERS: FolderSpec = { key: 'consumers', label: 'Consumers', icon: 'organization', kinds: ['tenants', 'shadowpods'], build: addConsumerRows };
const NAMESPACES: FolderSpec = { key: 'namespaces', label: 'Namespaces', icon: 'symbol-namespace', kinds: ['namespaces'], build: (ctx, id) => addNamespaceRows(ctx, id) };

export function folderId(base: string, key: string): string {
  return `${base}/${key}`;
}

/** Builds every row under the cluster row; the map's entry for `ctx.base` is the cluster's children. */
export function buildClusterSubtree(ctx: ClusterTreeContext): SubtreeMap {
  const out: SubtreeMap = new Map();
  const info = liqoInfo(ctx.snapshot);
  const folders: FolderSpec[] = [];
  const top: TreeNodeView[] = [];
  if (info.presence === 'not-installed') {
    const description = "Liqo's CRDs are not on this cluster";
    top.push({
      id: `${ctx.base}/liqo-not-installed`,
      label: 'Liqo not installed',
      description,
      tooltip: `**Liqo is not installed on this cluster**\n\n${md(description)} (core.liqo.io/v1beta1 ForeignCluster is unknown to the API server). Install Liqo v1.0.x with liqoctl install, then this cluster joins the federation view by itself.`,
      ariaLabel: ariaLabelOf('Liqo not installed', description),
      icon: { id: 'info', color: 'descriptionForeground' },
      contextValue: contextValue('liqoNotInstalled'),
      collapsible: 'none',
    });
  } else {
    folders.push(PEERINGS, VIRTUAL_NODES, OFFLOADED);
    const hasConsumers = ctx.snapshot.tenants.length > 0 || ctx.snapshot.kinds.tenants.kind === 'forbidden' || ctx.snapshot.kinds.tenants.kind === 'error';
    if (hasConsumers) folders.push(CONSUMERS);
  }
  folders.push(NAMESPACES);
  for (const f of folders) top.push(buildFolder(ctx, f, out));
  out.set(ctx.base, top);
  return out;
}

function buildFolder(ctx: ClusterTreeContext, f: FolderSpec, out: SubtreeMap): TreeNodeView {
  const id = folderId(ctx.base, f.key);
  const states = f.kinds.map((k) => [k, ctx.snapshot.kinds[k]] as const);
  const rows = f.build(ctx, id, out);
  const problems = states.flatMap(([k, st]) => kindProblemRow(ctx, id, k, st));
  const loading = rows.length === 0 && states.some(([, st]) => st.kind === 'loading');
  const children = [...problems, ...rows];
  if (loading) {
    children.push({ id: `${id}/loading`, label: 'Loading…', ariaLabel: 'Loading…', icon: { id: 'loading~spin' }, contextValue: contextValue('loading'), collapsible: 'none' });
  }
  const description = problems.length ? `${rows.length} · ${problems.length === 1 ? 'problem' : `${problems.length} problems`}` : loading ? '' : String(rows.length);
  out.set(id, children);
  return {
    id,
    label: f.label,
    ...(description ? { description } : {}),
    ariaLabel: ariaLabelOf(f.label, description),
    icon: { id: f.icon, ...(problems.length ? { color: 'list.warningForeground' } : {}) },
    contextValue: contextValue('folder', [f.key]),
    collapsible: children.length === 0 ? 'none' : problems.length ? 'expanded' : 'collapsed',
  };
}

function kindProblemRow(ctx: ClusterTreeContext, folder: string, kind: WatchedKind, st: KindState): TreeNodeView[] {
  const resource = KIND_RESOURCE[kind];
  if (st.kind === 'forbidden') {
    const label = `No permission to list ${resource}`;
    return [
      {
        id: `${folder}/forbidden/${kind}`,
        label,
        description: 'forbidden (403)',
        tooltip: `**${md(label)}**\n\n${md(st.message)}\n\nAsk the cluster admin for get/list/watch on ${md(resource)}; the rest of the tree still works.`,
        ariaLabel: ariaLabelOf(label, 'forbidden (403)'),
        icon: { id: 'lock', color: 'list.warningForeground' },
        contextValue: contextValue('kindError', ['forbidden']),
        collapsible: 'none',
      },
    ];
  }
  if (st.kind === 'error') {
    const label = `Cannot watch ${resource}`;
    const retry = st.retryInSeconds ? `retrying in ${st.retryInSeconds} s` : 'retrying';
    return [
      {
        id: `${folder}/error/${kind}`,
        label,
        description: `${st.message} · ${retry}`,
        tooltip: `**${md(label)}**\n\n${md(st.message)}\n\nThe watch restarts by itself with backoff; Retry restarts it now.`,
        ariaLabel: ariaLabelOf(label, st.message),
        icon: { id: 'error', color: 'errorForeground' },
        contextValue: contextValue('kindError', ['error']),
        collapsible: 'none',
        command: { command: RETRY_COMMAND, title: 'Retry', arguments: [ctx.entryId] },
      },
    ];
  }
  return [];
}
