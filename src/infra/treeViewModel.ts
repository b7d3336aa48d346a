// The tree's view-model: the rows the view shows, cached per cluster (core/tree/clusterRows.ts), updated from
// per-object change events, and the row ids each change refreshes or removes. Root rows are filtered (text, Liqo
// only, hide unreachable) and hidden contexts left out. It asks the sessions for state through ClusterSource and
// starts nothing itself.
import type { ClusterEntry, FileProblem } from '../core/kubeconfig/clusters.ts';
import { contextKeyOf } from '../core/kubeconfig/contextKey.ts';
import { clusterConnectingNode, clusterErrorNode, clusterNode, fileProblemNode, type ConnectionState } from '../core/tree/clusterNodes.ts';
import { ClusterRows, type ClusterDelta } from '../core/tree/clusterRows.ts';
import { clusterRowId } from '../core/tree/rowKey.ts';
import type { LinkedContext } from '../core/tree/treeContext.ts';
import type { TreeNodeView } from '../core/tree/view.ts';
import { NO_FILTER, filterActive, showCluster, type ClusterFacts, type ViewFilter } from '../core/tree/viewFilter.ts';
import type { ClusterSnapshot, LiqoInfo } from '../core/liqo/snapshot.ts';
import type { ViewMemory } from './viewMemory.ts';
import { sameClusterLinks, type SameClusterLink } from '../core/kubeconfig/sameCluster.ts';
import type { SystemsSnapshot } from '../core/systems/snapshot.ts';
import type { ContextEndpoint } from '../core/systems/endpoint.ts';
import type { SystemsPeer, SystemsTreeInput } from '../core/tree/systemsContext.ts';

/** What the view-model reads about clusters (the sessions, through the FederationModel). */
export interface ClusterSource {
  readonly clusters: readonly ClusterEntry[];
  readonly problems: readonly FileProblem[];
  readonly filePaths: readonly string[];
  /** The state the row shows (a session about to connect shows `connecting`, a deferred one `deferred`). */
  state(entry: ClusterEntry): ConnectionState;
  snapshot(entry: ClusterEntry): ClusterSnapshot | undefined;
  liqo(entry: ClusterEntry): LiqoInfo | undefined;
  clusterId(entry: ClusterEntry): string | undefined;
  /** The CA the context trusts, as caIdentityOf words it (to tell two contexts to one server and CA). */
  caIdentity?(entry: ClusterEntry): string | undefined;
  /** The liqo.readOnlyContexts pattern that makes this context read-only, if any. */
  readOnlyBy?(entry: ClusterEntry): string | undefined;
  /** Admiralty, KubeFed and Istio as watched in the cluster (absent: not watched, or no such source). */
  systems?(entry: ClusterEntry): SystemsSnapshot | undefined;
  /** The context's server and CA, to match kubeconfigs those systems carry. */
  endpoint?(entry: ClusterEntry): ContextEndpoint;
}

/** Rows of other clusters link to this one's systems (a proxy pod to its delegate, a Target to whether it answers). */
const SYSTEMS_CHANGED: ClusterDelta = new Map([['systems', 'all']]);

/** Rows to refresh (`undefined`: the root, i.e. everything) and rows gone (their handles can be forgotten). */
export interface TreeChange {
  readonly refresh: readonly string[] | undefined;
  readonly gone: readonly string[];
}

export class TreeViewModel {
  private readonly source: ClusterSource;
  private readonly memory: ViewMemory;
  private readonly emit: (change: TreeChange) => void;
  private readonly rows = new Map<string, ClusterRows>();
  /** Cluster row id → entry id; and the owner of every row handed out below a cluster row. */
  private readonly clusterRows = new Map<string, ClusterEntry>();
  private readonly owner = new Map<string, string>();
  private entries = new Map<string, ClusterEntry>();
  /** The cluster rows last shown, to tell whether a change altered a row's own view. */
  private readonly shownRow = new Map<string, TreeNodeView>();
  private clusterIds = new Map<string, string | undefined>();
  private rootIds = '';
  /** Contexts that share their cluster with others (by entry id); rebuilt when the list or a cluster ID changes. */
  private sameAs: Map<string, SameClusterLink[]> | undefined;
  private _filter: ViewFilter = NO_FILTER;

  constructor(source: ClusterSource, memory: ViewMemory, emit: (change: TreeChange) => void) {
    this.source = source;
    this.memory = memory;
    this.emit = emit;
  }

  get filter(): ViewFilter {
    return this._filter;
  }

  setFilter(filter: ViewFilter): void {
    this._filter = filter;
    this.emitRoot();
  }

  setHidden(entries: readonly ClusterEntry[], hidden: boolean): void {
    this.memory.setHidden(entries.map(contextKeyOf), hidden);
    this.emitRoot();
  }

  isHidden(entry: ClusterEntry): boolean {
    return this.memory.isHidden(contextKeyOf(entry));
  }

  rememberedLiqo(entry: ClusterEntry): boolean {
    return this.memory.hasLiqo(contextKeyOf(entry));
  }

  /** Counts for the view's message. */
  counts(): { shown: number; total: number; hidden: number } {
    const total = this.source.clusters.length;
    const hidden = this.source.clusters.filter((e) => this.isHidden(e)).length;
    return { shown: this.visibleClusters().length, total, hidden };
  }

  roots(): TreeNodeView[] {
    const rows = [...this.source.problems.map(fileProblemNode), ...this.visibleClusters().map((e) => this.clusterRow(e))];
    this.rootIds = rows.map((r) => r.id).join('\n');
    return rows;
  }

  /** The entry a row belongs to (cluster rows, and any row below one that was handed out). */
  entryOf(id: string): ClusterEntry | undefined {
    const direct = this.clusterRows.get(id);
    if (direct) return direct;
    const entryId = this.owner.get(id);
    return entryId === undefined ? undefined : this.entries.get(entryId);
  }

  isClusterRow(id: string): boolean {
    return this.clusterRows.has(id);
  }

  children(id: string): TreeNodeView[] {
    const entry = this.entryOf(id);
    if (!entry) return [];
    let out: readonly TreeNodeView[];
    if (this.clusterRows.has(id)) {
      const state = this.source.state(entry);
      if (state.kind === 'failed') out = [clusterErrorNode(entry, state.problem)];
      else if (state.kind !== 'reachable') out = [clusterConnectingNode(entry)];
      else out = this.rowsOf(entry)?.children(id) ?? [clusterConnectingNode(entry)];
    } else out = this.rowsOf(entry)?.children(id) ?? [];
    for (const r of out) this.owner.set(r.id, entry.id);
    return [...out];
  }

  node(id: string): TreeNodeView | undefined {
    const entry = this.entryOf(id);
    if (!entry) return this.source.problems.map(fileProblemNode).find((p) => p.id === id);
    if (this.clusterRows.has(id)) return this.clusterRow(entry);
    const state = this.source.state(entry);
    if (state.kind === 'failed') {
      const err = clusterErrorNode(entry, state.problem);
      if (err.id === id) return err;
    }
    const connecting = clusterConnectingNode(entry);
    if (connecting.id === id) return connecting;
    return this.rows.get(entry.id)?.node(id);
  }

  parentOf(id: string): string | undefined {
    if (this.clusterRows.has(id)) return undefined;
    const entry = this.entryOf(id);
    if (!entry) return undefined;
    return this.rows.get(entry.id)?.parentOf(id) ?? clusterRowId(entry.id);
  }

  /** The list of contexts was reloaded: forget what belonged to contexts that are gone. */
  listChanged(): void {
    const alive = new Set(this.source.clusters.map((e) => e.id));
    const gone: string[] = [];
    for (const [id, entry] of this.clusterRows) {
      if (alive.has(entry.id)) continue;
      gone.push(id, ...this.forget(entry.id));
      this.clusterRows.delete(id);
      this.shownRow.delete(id);
    }
    this.sameAs = undefined;
    // A reloaded entry (server or user edited) is a new object: cluster rows map to the current one.
    this.entries = new Map(this.source.clusters.map((e) => [e.id, e]));
    for (const e of this.source.clusters) this.clusterRows.set(clusterRowId(e.id), e);
    this.emit({ refresh: undefined, gone });
  }

  /** A session's connection state changed: its subtree is rebuilt from the next snapshot. */
  connectionChanged(entry: ClusterEntry): void {
    const gone = this.forget(entry.id);
    const refresh = [clusterRowId(entry.id), ...this.othersSystemsChanged(entry, gone)];
    this.afterChange(entry, refresh, gone, true);
  }

  /** Some watched objects of a cluster changed. */
  objectsChanged(entry: ClusterEntry, delta: ClusterDelta): void {
    const refresh: string[] = [];
    const gone: string[] = [];
    const rows = this.rows.get(entry.id);
    const snapshot = this.source.snapshot(entry);
    if (rows && snapshot) {
      const u = rows.update(this.contextOf(entry, snapshot), delta);
      refresh.push(...u.refresh);
      gone.push(...u.gone);
    }
    if (delta.has('systems')) refresh.push(...this.othersSystemsChanged(entry, gone));
    this.afterChange(entry, refresh, gone, false);
  }

  /** Rebuilds the other clusters' system folders (only those that exist), which link to this cluster's objects and state. */
  private othersSystemsChanged(entry: ClusterEntry, gone: string[]): string[] {
    const refresh: string[] = [];
    if (!this.source.systems) return refresh;
    for (const other of this.source.clusters) {
      const rows = other.id === entry.id ? undefined : this.rows.get(other.id);
      const snapshot = rows ? this.source.snapshot(other) : undefined;
      if (!rows || !snapshot) continue;
      const u = rows.update(this.contextOf(other, snapshot), SYSTEMS_CHANGED);
      refresh.push(...u.refresh);
      gone.push(...u.gone);
    }
    return refresh;
  }

  private systemsInput(entry: ClusterEntry): SystemsTreeInput | undefined {
    const own = this.source.systems?.(entry);
    const endpointOf = this.source.endpoint?.bind(this.source);
    if (!own || !endpointOf) return undefined;
    const peers = this.source.clusters.map((e): SystemsPeer => {
      const state = this.source.state(e).kind;
      const systems = this.source.systems?.(e);
      return { entryId: e.id, endpoint: endpointOf(e), state: state === 'reachable' || state === 'failed' || state === 'connecting' ? state : 'idle', ...(systems ? { systems } : {}) };
    });
    return { own, peers };
  }

  /** Forgets a cluster's cached rows; returns their ids. */
  private forget(entryId: string): string[] {
    const rows = this.rows.get(entryId);
    this.rows.delete(entryId);
    const gone = rows ? [...rows.ids()] : [];
    for (const [id, owner] of this.owner) if (owner === entryId) this.owner.delete(id);
    return gone;
  }

  private afterChange(entry: ClusterEntry, refresh: string[], gone: string[], connection: boolean): void {
    const rowId = clusterRowId(entry.id);
    for (const id of gone) this.owner.delete(id);
    // The cluster row's own view (state, Liqo version and health) — one row, compared field by field.
    const before = this.shownRow.get(rowId);
    const after = this.clusterRow(entry);
    if (!connection && before && !sameClusterRow(before, after)) refresh.push(rowId);
    // Links between clusters (peerings ⇄ contexts by Liqo cluster ID) change in every other cluster's subtree.
    const clusterId = this.source.clusterId(entry);
    if (this.clusterIds.get(entry.id) !== clusterId) {
      this.clusterIds.set(entry.id, clusterId);
      // "Same cluster as" on other rows may have appeared or gone with this ID.
      const linksBefore = this.sameClusterMap();
      this.sameAs = undefined;
      const linksNow = this.sameClusterMap();
      for (const other of this.source.clusters) {
        if (linksText(linksBefore.get(other.id)) === linksText(linksNow.get(other.id))) continue;
        if (other.id !== entry.id || (!connection && !refresh.includes(rowId))) refresh.push(clusterRowId(other.id));
      }
      for (const other of this.source.clusters) {
        const rows = other.id === entry.id ? undefined : this.rows.get(other.id);
        const snapshot = rows ? this.source.snapshot(other) : undefined;
        if (!rows || !snapshot) continue;
        const u = rows.update(this.contextOf(other, snapshot), new Map(), true);
        refresh.push(...u.refresh);
        gone.push(...u.gone);
      }
    }
    const liqo = this.source.liqo(entry);
    if (liqo && liqo.presence !== 'unknown') this.memory.rememberLiqo(contextKeyOf(entry), liqo.presence === 'installed');
    // Which clusters the root shows may have changed (a filter on Liqo or reachability). Without a filter it changes
    // only on reload.
    if (!filterActive(this._filter)) {
      if (refresh.length || gone.length) this.emit({ refresh: [...new Set(refresh)], gone });
      return;
    }
    const roots = this.visibleClusters();
    const rootIds = [...this.source.problems.map((p) => fileProblemNode(p).id), ...roots.map((e) => clusterRowId(e.id))].join('\n');
    if (rootIds !== this.rootIds) {
      this.emit({ refresh: undefined, gone });
      return;
    }
    if (refresh.length || gone.length) this.emit({ refresh: [...new Set(refresh)], gone });
  }

  private emitRoot(): void {
    this.emit({ refresh: undefined, gone: [] });
  }

  private visibleClusters(): ClusterEntry[] {
    return this.source.clusters.filter((e) => !this.isHidden(e) && showCluster(this.factsOf(e), this._filter));
  }

  private factsOf(e: ClusterEntry): ClusterFacts {
    const liqo = this.source.liqo(e);
    const clusterId = this.source.clusterId(e);
    return {
      contextName: e.contextName,
      clusterName: e.clusterName,
      userName: e.userName,
      server: e.server,
      state: this.source.state(e).kind,
      liqo: liqo?.presence ?? 'unknown',
      rememberedLiqo: this.memory.hasLiqo(contextKeyOf(e)),
      ...(clusterId ? { clusterId } : {}),
    };
  }

  private clusterRow(entry: ClusterEntry): TreeNodeView {
    const id = clusterRowId(entry.id);
    this.clusterRows.set(id, entry);
    const row = clusterNode(entry, this.source.state(entry), this.source.filePaths, this.source.liqo(entry), {
      readOnlyBy: this.source.readOnlyBy?.(entry),
      sameAs: this.sameClusterMap().get(entry.id),
    });
    this.shownRow.set(id, row);
    return row;
  }

  /** Read-only patterns changed: every cluster row is redrawn (the lock may come or go on any). */
  readOnlyChanged(): void {
    this.emitRoot();
  }

  private sameClusterMap(): Map<string, SameClusterLink[]> {
    this.sameAs ??= sameClusterLinks(
      this.source.clusters.map((e) => ({ entryId: e.id, contextName: e.contextName, server: e.server, ca: this.source.caIdentity?.(e), clusterId: this.source.clusterId(e) })),
    );
    return this.sameAs;
  }

  private rowsOf(entry: ClusterEntry): ClusterRows | undefined {
    const cached = this.rows.get(entry.id);
    if (cached) return cached;
    const snapshot = this.source.snapshot(entry);
    if (!snapshot) return undefined;
    const rows = new ClusterRows(this.contextOf(entry, snapshot));
    this.rows.set(entry.id, rows);
    // clusterIds is not set here: it records the IDs the other clusters' links were last updated for, and only
    // afterChange updates them. Recording an ID learnt while these rows were built (the session's cache has it, its
    // change event is still on the way) made that event look like no change, and the other clusters' peering rows
    // stayed unlinked.
    return rows;
  }

  private contextsByClusterId(): Map<string, LinkedContext[]> {
    const m = new Map<string, LinkedContext[]>();
    for (const e of this.source.clusters) {
      const id = this.source.clusterId(e);
      if (id === undefined) continue;
      const links = m.get(id) ?? [];
      links.push({ contextName: e.contextName, entryId: e.id });
      m.set(id, links);
    }
    return m;
  }

  private contextOf(entry: ClusterEntry, snapshot: ClusterSnapshot): ConstructorParameters<typeof ClusterRows>[0] {
    let byClusterId: Map<string, LinkedContext[]> | undefined;
    const systems = this.systemsInput(entry);
    return {
      base: { scope: 'cluster', entry: entry.id, path: [] },
      entryId: entry.id,
      snapshot,
      ...(systems ? { systems } : {}),
      contextsFor: (clusterId) => {
        // Built on first use, once per build: rows ask per peering, and there may be hundreds of contexts.
        byClusterId ??= this.contextsByClusterId();
        return (byClusterId.get(clusterId) ?? []).filter((l) => l.entryId !== entry.id);
      },
    };
  }
}

function linksText(links: readonly SameClusterLink[] | undefined): string {
  return (links ?? []).map((l) => `${l.entryId}:${l.why}`).join('\n');
}

function sameClusterRow(a: TreeNodeView, b: TreeNodeView): boolean {
  return a.description === b.description && a.tooltip === b.tooltip && a.contextValue === b.contextValue && a.collapsible === b.collapsible && a.icon?.id === b.icon?.id && a.icon?.color === b.icon?.color;
}
