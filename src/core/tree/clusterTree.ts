// The subtree of one reachable cluster: Liqo's folders (peerings, virtual nodes, offloaded namespaces, consumers),
// the services worth opening and all namespaces, or "Liqo not installed"; per-kind failures (403, errors) shown
// inside the folder they affect.
import { KIND_RESOURCE, liqoInfo, type KindState, type WatchedKind } from '../liqo/snapshot.ts';
import type { ClusterTreeContext, SubtreeMap } from './treeContext.ts';
import type { TreeNodeView } from './view.ts';
import { ariaLabelOf, contextValue, md } from './view.ts';
import { childKey, rowId, type ClusterRowKey } from './rowKey.ts';
import { addPeeringRows } from './peeringNodes.ts';
import { addVirtualNodeRows } from './virtualNodeNodes.ts';
import { addOffloadingRows } from './offloadingNodes.ts';
import { addConsumerRows, addNamespaceRows } from './namespaceNodes.ts';
import { RETRY_COMMAND } from './clusterNodes.ts';
import { addAdmiraltyRows } from './admiraltyNodes.ts';
import { addKubeFedRows } from './kubefedNodes.ts';
import { addIstioRows } from './istioNodes.ts';
import { addServiceRows, noServiceRow } from './serviceNodes.ts';

/** What a change names: one of Liqo's watched kinds, or `systems` (Admiralty, KubeFed, Istio: any of their objects). */
export type DeltaKind = WatchedKind | 'systems';

export interface FolderSpec {
  readonly key: string;
  readonly label: string;
  readonly icon: string;
  /** Kinds whose load state (loading, 403, error) the folder shows. */
  readonly kinds: readonly WatchedKind[];
  /** Every kind whose objects its rows are built from: a change of another kind leaves the folder as it is. */
  readonly dependsOn: readonly DeltaKind[];
  /** Its rows name kubeconfig contexts by Liqo cluster ID (they change when a context's cluster ID does). */
  readonly links: boolean;
  /** Kinds that many of its rows read without naming the object (an index): any change refreshes the folder. */
  readonly wholeOn?: readonly DeltaKind[];
  /** Kinds its rows read only through the virtual-node index: a change that leaves the index alone changes nothing. */
  readonly indexOnly?: readonly DeltaKind[];
  readonly build: (ctx: ClusterTreeContext, folder: ClusterRowKey, out: SubtreeMap) => TreeNodeView[];
  /** The row a loaded folder with no rows and no problem shows instead, saying why it is empty (not counted). */
  readonly empty?: (ctx: ClusterTreeContext, folder: ClusterRowKey) => TreeNodeView;
}

// A peering row reads whether any VirtualNode, ResourceSlice or Tenant still names its peer (a leftover otherwise).
// Namespaces are left out on purpose: the leftover's tooltip names its tenant namespace as of the last rebuild,
// and Clean Up reads the current list, so namespace churn need not refresh the folder.
const PEERINGS: FolderSpec = {
  key: 'peerings',
  label: 'Peerings',
  icon: 'plug',
  kinds: ['foreignclusters'],
  dependsOn: ['foreignclusters', 'virtualnodes', 'resourceslices', 'tenants'],
  wholeOn: ['virtualnodes', 'resourceslices', 'tenants'],
  links: true,
  build: addPeeringRows,
};
const VIRTUAL_NODES: FolderSpec = {
  key: 'virtual-nodes',
  label: 'Virtual Nodes',
  icon: 'server-environment',
  kinds: ['virtualnodes', 'virtualNodeNodes', 'resourceslices'],
  dependsOn: ['virtualnodes', 'virtualNodeNodes', 'resourceslices', 'pods'],
  links: true,
  build: addVirtualNodeRows,
};
const OFFLOADED: FolderSpec = {
  key: 'offloaded',
  label: 'Offloaded Namespaces',
  icon: 'cloud-upload',
  kinds: ['namespaceoffloadings'],
  // Pod placement names the remote cluster through the virtual node's labels.
  dependsOn: ['namespaceoffloadings', 'pods', 'virtualnodes', 'virtualNodeNodes'],
  wholeOn: ['virtualnodes', 'virtualNodeNodes'],
  indexOnly: ['virtualnodes', 'virtualNodeNodes'],
  links: true,
  build: addOffloadingRows,
};
const CONSUMERS: FolderSpec = { key: 'consumers', label: 'Consumers', icon: 'organization', kinds: ['tenants', 'shadowpods'], dependsOn: ['tenants', 'shadowpods', 'namespaces', 'pods'], links: true, build: addConsumerRows };
const NAMESPACES: FolderSpec = {
  key: 'namespaces',
  label: 'Namespaces',
  icon: 'symbol-namespace',
  kinds: ['namespaces'],
  dependsOn: ['namespaces', 'namespaceoffloadings'],
  links: false,
  build: (ctx, folder) => addNamespaceRows(ctx, folder),
};

// Which services are listed depends on which namespaces are offloaded or twins: a change of those rebuilds it whole.
const SERVICES: FolderSpec = {
  key: 'services',
  label: 'Services',
  icon: 'globe',
  kinds: ['services'],
  dependsOn: ['services', 'namespaces', 'namespaceoffloadings'],
  wholeOn: ['namespaces', 'namespaceoffloadings'],
  links: false,
  build: (ctx, folder) => addServiceRows(ctx, folder),
  empty: noServiceRow,
};

// The other federation systems: a folder only where the system is found; rebuilt whole on any change of their
// objects (or of another context's, since rows link to them), as `systems` changes always arrive as 'all'.
const ADMIRALTY: FolderSpec = { key: 'admiralty', label: 'Admiralty', icon: 'rocket', kinds: [], dependsOn: ['systems'], wholeOn: ['systems'], links: false, build: addAdmiraltyRows };
const KUBEFED: FolderSpec = { key: 'kubefed', label: 'KubeFed', icon: 'layers', kinds: [], dependsOn: ['systems'], wholeOn: ['systems'], links: false, build: addKubeFedRows };
const ISTIO: FolderSpec = { key: 'istio', label: 'Istio', icon: 'type-hierarchy-sub', kinds: [], dependsOn: ['systems'], wholeOn: ['systems'], links: false, build: addIstioRows };

/** The folders of the other federation systems present in the cluster, in a fixed order. */
export function systemsFolders(ctx: ClusterTreeContext): FolderSpec[] {
  const own = ctx.systems?.own;
  if (!own) return [];
  // A system's CRDs alone (a KubeFed member cluster has them, with nothing of KubeFed's in it) make no folder.
  const a = own.admiralty;
  const admiralty = a && a.targets.length + a.sources.length + a.virtualNodes.length + a.proxyPods.length + a.delegatePods.length > 0;
  const kubefed = own.kubefed && own.kubefed.members.length + own.kubefed.resources.length > 0;
  return [admiralty ? ADMIRALTY : undefined, kubefed ? KUBEFED : undefined, own.istio ? ISTIO : undefined].filter((f): f is FolderSpec => f !== undefined);
}

export function folderKey(base: ClusterRowKey, key: string): ClusterRowKey {
  return childKey(base, key);
}

/** The folders a cluster shows for its snapshot, in order (none of Liqo's where Liqo is not installed). */
export function clusterFolders(ctx: ClusterTreeContext): FolderSpec[] {
  if (liqoInfo(ctx.snapshot).presence === 'not-installed') return [...systemsFolders(ctx), SERVICES, NAMESPACES];
  const folders = [PEERINGS, VIRTUAL_NODES, OFFLOADED];
  const hasConsumers = ctx.snapshot.tenants.length > 0 || ctx.snapshot.kinds.tenants.kind === 'forbidden' || ctx.snapshot.kinds.tenants.kind === 'error';
  if (hasConsumers) folders.push(CONSUMERS);
  folders.push(SERVICES, ...systemsFolders(ctx), NAMESPACES);
  return folders;
}

/** Builds every row under the cluster row; the map's entry for the cluster row's id is the cluster's children. */
export function buildClusterSubtree(ctx: ClusterTreeContext): SubtreeMap {
  const out: SubtreeMap = new Map();
  const top: TreeNodeView[] = [];
  const notInstalled = notInstalledRow(ctx);
  if (notInstalled) top.push(notInstalled);
  for (const f of clusterFolders(ctx)) top.push(buildFolder(ctx, f, out));
  out.set(rowId(ctx.base), top);
  return out;
}

/** The "Liqo not installed" row, where that is the case. */
export function notInstalledRow(ctx: ClusterTreeContext): TreeNodeView | undefined {
  if (liqoInfo(ctx.snapshot).presence !== 'not-installed') return undefined;
  const description = "Liqo's CRDs are not on this cluster";
  const key = childKey(ctx.base, 'liqo-not-installed');
  return {
      key,
      id: rowId(key),
      label: 'Liqo not installed',
      description,
      tooltip: `**Liqo is not installed on this cluster**\n\n${md(description)} (core.liqo.io/v1beta1 ForeignCluster is unknown to the API server). Install Liqo v1.0.x with liqoctl install, then this cluster joins the federation view by itself.`,
      ariaLabel: ariaLabelOf('Liqo not installed', description),
      icon: { id: 'info', color: 'descriptionForeground' },
      contextValue: contextValue('liqoNotInstalled'),
      collapsible: 'none',
  };
}

/** One folder row; its descendants go into `out` (by parent id). */
export function buildFolder(ctx: ClusterTreeContext, f: FolderSpec, out: SubtreeMap): TreeNodeView {
  const key = folderKey(ctx.base, f.key);
  const id = rowId(key);
  const states = f.kinds.map((k) => [k, ctx.snapshot.kinds[k]] as const);
  const rows = f.build(ctx, key, out);
  const problems = states.flatMap(([k, st]) => kindProblemRow(ctx, key, k, st));
  const loading = rows.length === 0 && states.some(([, st]) => st.kind === 'loading');
  const children = [...problems, ...rows];
  if (loading) {
    const loadingKey = childKey(key, 'loading');
    children.push({ key: loadingKey, id: rowId(loadingKey), label: 'Loading…', ariaLabel: 'Loading…', icon: { id: 'loading~spin' }, contextValue: contextValue('loading'), collapsible: 'none' });
  } else if (rows.length === 0 && problems.length === 0 && f.empty) children.push(f.empty(ctx, key));
  const description = problems.length ? `${rows.length} · ${problems.length === 1 ? 'problem' : `${problems.length} problems`}` : loading ? '' : String(rows.length);
  out.set(id, children);
  return {
    key,
    id,
    label: f.label,
    ...(description ? { description } : {}),
    ariaLabel: ariaLabelOf(f.label, description),
    icon: { id: f.icon, ...(problems.length ? { color: 'list.warningForeground' } : {}) },
    contextValue: contextValue('folder', [f.key]),
    collapsible: children.length === 0 ? 'none' : problems.length ? 'expanded' : 'collapsed',
  };
}

function kindProblemRow(ctx: ClusterTreeContext, folder: ClusterRowKey, kind: WatchedKind, st: KindState): TreeNodeView[] {
  const resource = KIND_RESOURCE[kind];
  if (st.kind === 'forbidden') {
    const label = `No permission to list ${resource}`;
    return [
      {
        key: childKey(folder, 'forbidden', kind),
        id: rowId(childKey(folder, 'forbidden', kind)),
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
        key: childKey(folder, 'error', kind),
        id: rowId(childKey(folder, 'error', kind)),
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
