// Rows changed in place: when the objects that changed keep their rows where they are (a pod's status, a virtual
// node's Node status heartbeat), only those rows are rendered again and swapped into the cached folder, instead of
// rebuilding the folder (at 10,000 pods a rebuild is 20,000 pod rows). Each patch returns the rows to refresh, or
// undefined when the change needs the full rebuild: a row added, removed or moved, or another row depending on it.
import type { Pod } from '../liqo/objects.ts';
import { objectKey } from '../liqo/objects.ts';
import { virtualNodeIndex, type ClusterSnapshot } from '../liqo/snapshot.ts';
import type { FolderBuild } from './clusterRows.ts';
import { podRow } from './podNodes.ts';
import { childKey, rowId, type ClusterRowKey } from './rowKey.ts';
import type { ClusterTreeContext } from './treeContext.ts';
import type { TreeNodeView } from './view.ts';
import { virtualNodeNames, virtualNodeRow } from './virtualNodeNodes.ts';

export const refOf = (kind: string, key: string): string => `${kind}\0${key}`;

export interface PodLookup {
  readonly byKey: (key: string) => Pod | undefined;
  readonly vnIndex: ReadonlyMap<string, string | undefined>;
}

export function podLookup(ctx: ClusterTreeContext): PodLookup {
  const s = ctx.snapshot;
  let byKey = s.pod;
  if (!byKey) {
    const m = new Map(s.pods.map((p) => [objectKey(p), p]));
    byKey = (key) => m.get(key);
  }
  return { byKey, vnIndex: virtualNodeIndex(s) };
}

/** What pod rows show of the virtual nodes (node → remote cluster), as one comparable string. */
export function virtualNodeSignature(s: ClusterSnapshot): string {
  return [...virtualNodeIndex(s)]
    .map(([name, remote]) => `${name}\0${remote ?? ''}`)
    .sort()
    .join('\n');
}

/** The folders whose pod rows sit under a row named by the pod's node (virtual nodes) or namespace (offloaded). */
const POD_PARENT: Readonly<Record<string, (p: Pod) => string | undefined>> = {
  'virtual-nodes': (p) => p.spec?.nodeName,
  offloaded: (p) => p.metadata.namespace,
};

/** Swaps rendered rows into the folder (same ids, same parents). */
function swapIn(f: FolderBuild, rows: readonly TreeNodeView[]): void {
  const byId = f.byId as Map<string, TreeNodeView>;
  const children = f.children as Map<string, TreeNodeView[]>;
  for (const next of rows) {
    byId.set(next.id, next);
    const parentId = f.parent.get(next.id)!;
    children.set(parentId, (children.get(parentId) ?? []).map((r) => (r.id === next.id ? next : r)));
  }
}

/** Pods that changed in place (same node, same namespace): their rows rendered again where they are. */
export function patchPodRows(ctx: ClusterTreeContext, f: FolderBuild, keys: ReadonlySet<string>, pods: PodLookup): string[] | undefined {
  const parentName = POD_PARENT[f.spec.key];
  const updates: TreeNodeView[] = [];
  for (const key of keys) {
    const pod = pods.byKey(key);
    const ids = f.index.get(refOf('pods', key)) ?? [];
    if (!pod) {
      if (ids.length > 0) return undefined;
      continue;
    }
    if (!parentName) {
      if (ids.length > 0) return undefined;
      continue;
    }
    const where = parentName(pod);
    const folderKey = f.row.key as ClusterRowKey;
    // no row yet, but one is due under an existing parent: it appears, which the full build does
    if (ids.length === 0) {
      if (where !== undefined && f.byId.has(rowId(childKey(folderKey, where)))) return undefined;
      continue;
    }
    for (const id of ids) {
      const row = f.byId.get(id);
      const parentRow = f.byId.get(f.parent.get(id) ?? '');
      if (!row || row.sources || row.resource?.kind !== 'pods' || !parentRow || parentRow.key.scope !== 'cluster') return undefined;
      if (parentRow.key.path.at(-1) !== where || parentRow.key.path.length !== folderKey.path.length + 1) return undefined;
      const next = podRow(ctx, parentRow.key, pod, pods.vnIndex);
      if (next.id !== id) return undefined;
      updates.push(next);
    }
  }
  swapIn(f, updates);
  return updates.map((r) => r.id);
}

const sameView = (a: TreeNodeView | undefined, b: TreeNodeView | undefined): boolean =>
  a === b ||
  (a !== undefined &&
    b !== undefined &&
    a.label === b.label &&
    a.description === b.description &&
    a.tooltip === b.tooltip &&
    a.ariaLabel === b.ariaLabel &&
    a.contextValue === b.contextValue &&
    a.collapsible === b.collapsible &&
    a.command?.command === b.command?.command &&
    a.icon?.id === b.icon?.id &&
    a.icon?.color === b.icon?.color &&
    a.resource?.kind === b.resource?.kind &&
    a.resource?.key === b.resource?.key);

const refsOf = (r: TreeNodeView | undefined): string => (r?.sources ?? []).map((s) => refOf(s.kind, s.key)).join('\n');

/**
 * A folder's own rows rendered again where they are, for a change of the objects they are built from (not pods):
 * today the virtual nodes (a Node status heartbeat every few seconds). The same virtual nodes, each with the same
 * objects behind it and its NotReady row still there or still absent; the caller checked that the virtual-node
 * index, which their pod rows read, is the same. Only rows whose view changed are refreshed.
 */
export function patchOwnRows(ctx: ClusterTreeContext, f: FolderBuild): string[] | undefined {
  if (f.spec.key !== 'virtual-nodes') return undefined;
  const folderKey = f.row.key as ClusterRowKey;
  const rendered = virtualNodeNames(ctx.snapshot).map((name) => virtualNodeRow(ctx, folderKey, name));
  const shown = (f.children.get(f.row.id) ?? []).filter((r) => r.sources?.length);
  if (shown.length !== rendered.length || rendered.some((r, i) => shown[i]?.id !== r.row.id)) return undefined;
  const updates: TreeNodeView[] = [];
  const refresh: string[] = [];
  for (const { row, problem } of rendered) {
    const old = f.byId.get(row.id);
    if (refsOf(old) !== refsOf(row)) return undefined;
    const first = f.children.get(row.id)?.[0];
    const oldProblem = first?.id === rowId(childKey(row.key as ClusterRowKey, 'problem')) ? first : undefined;
    if (Boolean(oldProblem) !== Boolean(problem)) return undefined;
    if (!sameView(old, row) || !sameView(oldProblem, problem)) refresh.push(row.id);
    updates.push(row, ...(problem ? [problem] : []));
  }
  swapIn(f, updates);
  return refresh;
}
