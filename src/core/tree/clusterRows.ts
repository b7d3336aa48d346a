// The rows of one cluster's subtree, kept between changes and updated from per-object change events: a change of
// some objects of some kinds rebuilds only the folders built from those kinds, and names exactly the rows to
// refresh — the rows built from a changed object, or their parent where a row appeared, vanished or moved — by an
// index from objects to rows, never by comparing rendered rows (except a virtual node's own row after its Node's
// status heartbeat, to skip refreshing a row that looks the same: rowPatches.ts; and a folder rebuilt whole, which
// refreshes nothing when it comes out the same: sameFolder). It also says which row ids are
// gone, so the view can forget their handles (bounded memory under pod churn). Pure: it holds rows, not connections.
import type { ClusterTreeContext, SubtreeMap } from './treeContext.ts';
import type { TreeNodeView } from './view.ts';
import { buildFolder, clusterFolders, notInstalledRow, type DeltaKind, type FolderSpec } from './clusterTree.ts';
import { rowId } from './rowKey.ts';
import { patchOwnRows, patchPodRows, podLookup, refOf, virtualNodeSignature, type PodLookup } from './rowPatches.ts';

/** Per kind, the keys of the objects that were added, modified or deleted; `'all'`: the list or its state changed. */
export type ClusterDelta = ReadonlyMap<DeltaKind, ReadonlySet<string> | 'all'>;

export interface RowUpdate {
  /** Rows whose own view or children changed (outermost only: refreshing a row refreshes what is below it). */
  readonly refresh: readonly string[];
  /** Rows that no longer exist. */
  readonly gone: readonly string[];
}

export interface FolderBuild {
  readonly spec: FolderSpec;
  readonly row: TreeNodeView;
  /** Children by parent id, for the folder row and every row below it. */
  readonly children: SubtreeMap;
  /** Each row's parent id (the folder row's is the cluster row). */
  readonly parent: ReadonlyMap<string, string>;
  readonly byId: ReadonlyMap<string, TreeNodeView>;
  /** `kind\0key` of an object → the rows built from it. */
  readonly index: ReadonlyMap<string, readonly string[]>;
}


function indexFolder(spec: FolderSpec, clusterId: string, row: TreeNodeView, children: SubtreeMap): FolderBuild {
  const parent = new Map<string, string>([[row.id, clusterId]]);
  const byId = new Map<string, TreeNodeView>([[row.id, row]]);
  const index = new Map<string, string[]>();
  const add = (ref: string, id: string): void => {
    const ids = index.get(ref);
    if (ids) ids.push(id);
    else index.set(ref, [id]);
  };
  for (const [parentId, rows] of children) {
    for (const r of rows) {
      parent.set(r.id, parentId);
      byId.set(r.id, r);
      if (r.resource) add(refOf(r.resource.kind, r.resource.key), r.id);
      for (const s of r.sources ?? []) add(refOf(s.kind, s.key), r.id);
    }
  }
  return { spec, row, children, parent, byId, index };
}

/**
 * A folder rebuilt whole that came out as it was: the same rows in the same order, each the same in every field.
 * Such a rebuild (a kind listed again after a watch restarts, a namespace's status update under a folder that reads
 * namespaces) refreshes nothing: a refresh makes VS Code fetch the folder's children again, and while it does, a
 * command run from one of its rows' context menus receives no row (VS Code drops the rows' handles until the new
 * children arrive) and runs as if from the palette.
 */
function sameFolder(a: FolderBuild, b: FolderBuild): boolean {
  if (a.byId.size !== b.byId.size || a.children.size !== b.children.size) return false;
  for (const [parentId, rows] of a.children) {
    const other = b.children.get(parentId);
    if (!other || other.length !== rows.length || rows.some((r, i) => r.id !== other[i]!.id)) return false;
  }
  for (const [id, view] of a.byId) if (JSON.stringify(view) !== JSON.stringify(b.byId.get(id))) return false;
  return true;
}

/** `id`, or its nearest ancestor (in `from`) that also exists in `other`: the row whose refresh shows the change. */
function stillThere(id: string, from: FolderBuild, other: FolderBuild): string {
  let at: string | undefined = id;
  while (at !== undefined && at !== from.row.id && !other.byId.has(at)) at = from.parent.get(at);
  return at ?? from.row.id;
}

export class ClusterRows {
  private readonly clusterId: string;
  private folders = new Map<string, FolderBuild>();
  private top: TreeNodeView[] = [];
  private notInstalled: TreeNodeView | undefined;
  /** The virtual-node index the rows were built with (pod rows name the remote cluster through it). */
  private vnSignature = '';

  constructor(ctx: ClusterTreeContext) {
    this.clusterId = rowId(ctx.base);
    this.rebuild(ctx);
  }

  /** The cluster row's children, or a row's children (undefined: not a row of this subtree). */
  children(id: string): readonly TreeNodeView[] | undefined {
    if (id === this.clusterId) return this.top;
    return this.folderOf(id)?.children.get(id) ?? (this.has(id) ? [] : undefined);
  }

  node(id: string): TreeNodeView | undefined {
    if (this.notInstalled?.id === id) return this.notInstalled;
    return this.folderOf(id)?.byId.get(id);
  }

  parentOf(id: string): string | undefined {
    if (this.notInstalled?.id === id) return this.clusterId;
    return this.folderOf(id)?.parent.get(id);
  }

  has(id: string): boolean {
    return this.node(id) !== undefined;
  }

  /** Every row id below the cluster row. */
  *ids(): IterableIterator<string> {
    if (this.notInstalled) yield this.notInstalled.id;
    for (const f of this.folders.values()) yield* f.byId.keys();
  }

  get size(): number {
    let n = this.notInstalled ? 1 : 0;
    for (const f of this.folders.values()) n += f.byId.size;
    return n;
  }

  /**
   * Applies a change: `delta` names the objects that changed, `linksChanged` that some context's Liqo cluster ID
   * did (rows naming contexts by cluster ID change). `ctx.snapshot` is the state after the change.
   */
  update(ctx: ClusterTreeContext, delta: ClusterDelta, linksChanged = false): RowUpdate {
    const specs = clusterFolders(ctx);
    const notInstalled = notInstalledRow(ctx);
    const sameFolders = specs.length === this.folders.size && specs.every((s) => this.folders.has(s.key)) && Boolean(notInstalled) === Boolean(this.notInstalled);
    if (!sameFolders) {
      // Liqo appeared or went, or the Consumers folder did: the cluster's own children change.
      const before = new Set(this.ids());
      this.rebuild(ctx);
      for (const id of this.ids()) before.delete(id);
      return { refresh: [this.clusterId], gone: [...before] };
    }
    const refresh = new Set<string>();
    const gone: string[] = [];
    let pods: PodLookup | undefined;
    // Nodes heartbeat (a kubelet's or virtual kubelet's status update every few seconds): while the virtual-node index
    // (node → remote cluster) stays the same, pod rows are not affected by them.
    const vnSignature = virtualNodeSignature(ctx.snapshot);
    const sameIndex = vnSignature === this.vnSignature;
    this.vnSignature = vnSignature;
    for (const spec of specs) {
      const old = this.folders.get(spec.key)!;
      const touched = spec.dependsOn.filter((k) => delta.has(k) && !(sameIndex && delta.get(k) !== 'all' && spec.indexOnly?.includes(k)));
      if (touched.length === 0 && !(linksChanged && spec.links)) continue;
      if (!(linksChanged && spec.links) && touched.every((k) => delta.get(k) !== 'all')) {
        // Changed in place: only the rows of the changed objects are rendered again, where they are.
        const own = touched.filter((k) => k !== 'pods');
        const ownPatched = own.length === 0 ? [] : sameIndex ? patchOwnRows(ctx, old) : undefined;
        const podKeys = delta.get('pods');
        let podPatched: string[] | undefined = [];
        if (ownPatched && podKeys !== undefined && podKeys !== 'all' && touched.includes('pods')) podPatched = patchPodRows(ctx, old, podKeys, (pods ??= podLookup(ctx)));
        if (ownPatched && podPatched) {
          for (const id of [...ownPatched, ...podPatched]) refresh.add(id);
          continue;
        }
      }
      const next = this.buildFolder(ctx, spec);
      this.folders.set(spec.key, next);
      this.top = this.top.map((r) => (r.id === next.row.id ? next.row : r));
      for (const id of old.byId.keys()) if (!next.byId.has(id)) gone.push(id);
      const whole = (linksChanged && spec.links) || touched.some((k) => delta.get(k) === 'all' || spec.wholeOn?.includes(k));
      if (whole) {
        if (!sameFolder(old, next)) refresh.add(next.row.id);
        continue;
      }
      for (const kind of touched) {
        for (const key of delta.get(kind) as ReadonlySet<string>) {
          const ref = refOf(kind, key);
          for (const id of new Set([...(old.index.get(ref) ?? []), ...(next.index.get(ref) ?? [])])) {
            const was = old.parent.get(id);
            const is = next.parent.get(id);
            if (was !== undefined && was === is) refresh.add(id);
            else {
              // Appeared, vanished or moved: the parent's list of children changed.
              if (was !== undefined) refresh.add(stillThere(was, old, next));
              if (is !== undefined) refresh.add(stillThere(is, next, old));
            }
          }
        }
      }
    }
    return { refresh: this.outermost(refresh), gone };
  }

  private rebuild(ctx: ClusterTreeContext): void {
    this.vnSignature = virtualNodeSignature(ctx.snapshot);
    this.folders = new Map();
    this.notInstalled = notInstalledRow(ctx);
    this.top = this.notInstalled ? [this.notInstalled] : [];
    for (const spec of clusterFolders(ctx)) {
      const f = this.buildFolder(ctx, spec);
      this.folders.set(spec.key, f);
      this.top.push(f.row);
    }
  }

  private buildFolder(ctx: ClusterTreeContext, spec: FolderSpec): FolderBuild {
    const children: SubtreeMap = new Map();
    const row = buildFolder(ctx, spec, children);
    return indexFolder(spec, this.clusterId, row, children);
  }

  private folderOf(id: string): FolderBuild | undefined {
    for (const f of this.folders.values()) if (f.byId.has(id)) return f;
    return undefined;
  }

  /** Drops ids below another refreshed id (a refresh covers the subtree). */
  private outermost(ids: ReadonlySet<string>): string[] {
    const out: string[] = [];
    for (const id of ids) {
      let p = this.parentOf(id);
      let covered = false;
      while (p !== undefined && p !== this.clusterId) {
        if (ids.has(p)) {
          covered = true;
          break;
        }
        p = this.parentOf(p);
      }
      if (!covered) out.push(id);
    }
    return out;
  }
}
