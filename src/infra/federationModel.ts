// The federation model the view and the commands talk to: the session registry (kubeconfig contexts and their
// sessions), the tree view-model (rows, filter, hidden contexts) and when each cluster connects. Rows appear at once:
// connections start after the first answer, a few at a time, each cluster showing "connecting…" meanwhile; a context
// whose credentials run a program waits for the liqo.credentialPlugins policy (core/kubeconfig/credentialPolicy.ts).
// Change events are coalesced per turn of the event loop and carry the ids of rows gone, so the view can forget them.
import type { ClusterEntry } from '../core/kubeconfig/clusters.ts';
import { credentialGate, type CredentialGate, type CredentialPluginPolicy } from '../core/kubeconfig/credentialPolicy.ts';
import type { ConnectionState } from '../core/tree/clusterNodes.ts';
import type { TreeNodeView } from '../core/tree/view.ts';
import type { ViewFilter } from '../core/tree/viewFilter.ts';
import type { KubeObject } from '../core/liqo/objects.ts';
import type { WatchedKind } from '../core/liqo/snapshot.ts';
import type { ClusterSession } from './cluster/clusterSession.ts';
import type { ObjectFollow } from './cluster/objectFollow.ts';
import { objectLocation } from '../core/liqo/objectLocation.ts';
import { objectKey } from '../core/liqo/objects.ts';
import type { ClusterInput as WatchedClusterInput } from '../core/alerts/watched.ts';
import type { Capacity } from '../core/capacity/capacity.ts';
import { capacityOfPeering, capacityOfVirtualNode } from '../core/tree/virtualNodeNodes.ts';
import { peerClusterId } from '../core/tree/peeringNodes.ts';
import { clusterRowId } from '../core/tree/rowKey.ts';
import { SessionRegistry, type RegistrySettings } from './sessionRegistry.ts';
import { TreeViewModel, type TreeChange } from './treeViewModel.ts';
import { ReadOnlyGuard } from './writes/readOnlyGuard.ts';
import { caIdentityOf } from '../core/kubeconfig/sameCluster.ts';
import { ViewMemory, inProcessStore } from './viewMemory.ts';
import type { Logger } from './log.ts';
import type { ClusterInput as MapClusterInput } from '../core/federation/graph.ts';
import { UsageTracker } from './metrics/usageTracker.ts';
import type { UsageState } from './metrics/clusterUsage.ts';
import { capacityOfOffloadedNamespace, type NamespaceCapacity } from '../core/capacity/namespaceCapacity.ts';

export interface FederationSettings extends RegistrySettings {
  /** When credential plugins run (default `onExpand`). */
  readonly credentialPlugins?: CredentialPluginPolicy;
}

/** `undefined`: the root changed. Otherwise the ids of rows whose own view or children changed; `gone`: rows removed. */
export type ChangeListener = (nodeIds: readonly string[] | undefined, gone: readonly string[]) => void;

/**
 * First connections in flight at once: hundreds of contexts (each probe starting its LISTs too) must not stall the
 * extension host, which would make every probe miss its own timeout.
 */
const CONNECT_CONCURRENCY = 32;

export class FederationModel {
  private readonly registry: SessionRegistry;
  private readonly tree: TreeViewModel;
  private readonly log: Logger;
  private readonly listeners = new Set<ChangeListener>();
  private settings: FederationSettings;
  private active = false;
  private disposed = false;
  private loaded: Promise<void> | undefined;
  private hideTimer: NodeJS.Timeout | undefined;
  /** Clusters the user opened (expanded, retried) in this window: their credential plugins may run. */
  private readonly opened = new Set<string>();
  /** Cluster rows expanded right now (by entry id). */
  private readonly wantExpanded = new Set<string>();
  private readonly queued = new Set<ClusterSession>();
  private connectTimer: NodeJS.Immediate | undefined;
  private connecting = 0;
  private pending: { refresh: Set<string> | undefined; gone: Set<string> } | undefined;
  private flushTimer: NodeJS.Immediate | undefined;
  /** Listeners of any change of any cluster (the map), whether or not a tree row shows it; coalesced per turn. */
  private readonly clusterListeners = new Set<() => void>();
  private clusterTimer: NodeJS.Immediate | undefined;
  /** Holders (an open map) that need every cluster's whole snapshot, as if each cluster row were expanded. */
  private wholeWatchers = 0;

  /** liqo.readOnlyContexts: every session's client asks it before a write, the liqoctl runner before a run. */
  readonly readOnly: ReadOnlyGuard;
  /** metrics.k8s.io usage, polled for expanded clusters while the view is visible (read on hover). */
  readonly usage: UsageTracker;

  constructor(settings: FederationSettings, log: Logger, memory: ViewMemory = new ViewMemory(inProcessStore()), readOnly: ReadOnlyGuard = new ReadOnlyGuard()) {
    this.settings = settings;
    this.log = log;
    this.readOnly = readOnly;
    this.usage = new UsageTracker(
      (id) => this.session(id)?.client,
      (id) => this.entry(id)?.contextName ?? id,
      log,
    );
    this.registry = new SessionRegistry({ ...settings, writeGate: readOnly }, log, {
      listChanged: () => {
        this.usage.retain(new Set(this.registry.clusters.map((e) => e.id)));
        this.tree.listChanged();
        this.queueClusterChange();
      },
      sessionsReady: () => {
        // Clusters expanded before their session existed (or shown on an open map) watch their whole subtree.
        for (const e of this.registry.clusters) if (this.wantExpanded.has(e.id) || this.wholeWatchers > 0) this.registry.session(e)?.setExpanded(true);
        this.startConnections();
      },
      sessionChanged: (entry, change) => {
        if (this.disposed) return;
        this.queueClusterChange();
        if (change.connection) this.tree.connectionChanged(entry);
        else this.tree.objectsChanged(entry, change.delta);
      },
    });
    const registry = this.registry;
    this.tree = new TreeViewModel(
      {
        get clusters() {
          return registry.clusters;
        },
        get problems() {
          return registry.problems;
        },
        get filePaths() {
          return registry.filePaths;
        },
        state: (e) => this.displayState(e),
        snapshot: (e) => registry.session(e)?.snapshot,
        liqo: (e) => registry.session(e)?.liqo,
        clusterId: (e) => registry.session(e)?.clusterId,
        caIdentity: (e) => caIdentityOf(registry.resolvedOf(e)),
        readOnlyBy: (e) => readOnly.matchOf(e.contextName),
        systems: (e) => registry.session(e)?.systems,
        endpoint: (e) => registry.session(e)?.endpoint ?? { context: e.contextName, server: e.server, caFingerprints: [] },
      },
      memory,
      (change) => this.queueEmit(change),
    );
  }

  onDidChange(listener: ChangeListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Called (once per turn of the event loop at most) after any cluster's state or watched objects changed. */
  onDidChangeClusters(listener: () => void): { dispose(): void } {
    this.clusterListeners.add(listener);
    return { dispose: () => this.clusterListeners.delete(listener) };
  }

  /**
   * What the federation map draws, read from the same sessions the tree reads: per context its row's state, Liqo's
   * facts and the watched objects. Nothing is requested from any cluster.
   */
  mapInputs(): MapClusterInput[] {
    const systemsOf = this.registry.clusters.map((entry) => this.registry.session(entry)?.systems);
    // Endpoints (a CA fingerprint each) are only read to follow another system's links: none runs, none is needed.
    const anySystem = systemsOf.some((x) => x && (x.admiralty ?? x.kubefed ?? x.istio));
    return this.registry.clusters.map((entry, i) => {
      const s = this.registry.session(entry);
      const systems = systemsOf[i];
      const clusterId = s?.clusterId;
      return {
        entry,
        state: this.displayState(entry),
        ...(anySystem ? { endpoint: s?.endpoint ?? { context: entry.contextName, server: entry.server, caFingerprints: [] } } : {}),
        ...(s?.liqo ? { liqo: s.liqo } : {}),
        ...(s?.snapshot ? { snapshot: s.snapshot } : {}),
        ...(systems ? { systems } : {}),
        ...(clusterId ? { clusterId } : {}),
      };
    });
  }

  /**
   * A map opened: every cluster connects and watches what its expanded row would (peerings, virtual nodes,
   * offloaded namespaces), until the returned disposable is disposed; then collapsed rows narrow again.
   */
  watchWhole(): { dispose(): void } {
    this.wholeWatchers++;
    for (const s of this.registry.allSessions()) s.setExpanded(true);
    void this.activate();
    let done = false;
    return {
      dispose: () => {
        if (done) return;
        done = true;
        this.wholeWatchers--;
        if (this.wholeWatchers > 0 || this.disposed) return;
        for (const e of this.registry.clusters) if (!this.wantExpanded.has(e.id)) this.registry.session(e)?.setExpanded(false);
      },
    };
  }

  private queueClusterChange(): void {
    if (this.disposed || this.clusterListeners.size === 0) return;
    this.clusterTimer ??= setImmediate(() => {
      this.clusterTimer = undefined;
      if (this.disposed) return;
      for (const l of this.clusterListeners) {
        try {
          l();
        } catch (err) {
          this.log.error(`map listener failed: ${(err as Error).message}`);
        }
      }
    });
  }

  /**
   * The view became visible: load the kubeconfigs, then connect (in the background) what the policy allows.
   * Resolves as soon as the contexts are known, so the rows appear before any session or connection exists.
   */
  activate(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    this.active = true;
    this.loaded ??= this.registry.reload();
    this.startConnections();
    return this.registry.firstList;
  }

  /** liqo.readOnlyContexts changed: the guard takes the new patterns at once, the rows redraw their locks. */
  setReadOnlyContexts(value: unknown): void {
    this.readOnly.setPatterns(value);
    this.tree.readOnlyChanged();
  }

  updateSettings(settings: FederationSettings): Promise<void> {
    this.settings = settings;
    return this.registry.updateSettings({ ...settings, writeGate: this.readOnly });
  }

  reload(): Promise<void> {
    return this.registry.reload();
  }

  /** True when no kubeconfig file with at least one context was found (the view shows its welcome content). */
  get isEmpty(): boolean {
    return this.registry.clusters.length === 0 && this.registry.problems.length === 0;
  }

  get clusters(): readonly ClusterEntry[] {
    return this.registry.clusters;
  }

  session(entryId: string): ClusterSession | undefined {
    const entry = this.entry(entryId);
    return entry ? this.registry.session(entry) : undefined;
  }

  entry(entryId: string): ClusterEntry | undefined {
    return this.registry.clusters.find((e) => e.id === entryId);
  }

  /** True when every cluster that is to connect has connected (or failed) and each watch has answered once. */
  get settled(): boolean {
    for (const e of this.registry.clusters) {
      const st = this.displayState(e);
      if (st.kind === 'connecting' || st.kind === 'idle') return false;
      if (st.kind === 'reachable' && !this.registry.session(e)?.settled) return false;
    }
    return true;
  }

  roots(): TreeNodeView[] {
    return this.tree.roots();
  }

  node(id: string): TreeNodeView | undefined {
    return this.tree.node(id);
  }

  parentOf(id: string): string | undefined {
    return this.tree.parentOf(id);
  }

  /** The kubeconfig entry a row belongs to (never parsed out of the id). */
  entryOf(id: string): ClusterEntry | undefined {
    return this.tree.entryOf(id);
  }

  children(nodeId: string): TreeNodeView[] {
    // Asking for a cluster's children means its row is expanded: connect it if it waited, watch its whole subtree.
    if (this.tree.isClusterRow(nodeId)) this.expanded(nodeId);
    return this.tree.children(nodeId);
  }

  /**
   * Builds a cluster's rows without expanding it, so a row below it (a peering the map reveals) has its parents
   * known, down to `depth` levels below the folders. Connects nothing and widens no watch.
   */
  prepareRows(entryId: string, depth = 1): void {
    const entry = this.entry(entryId);
    if (!entry) return;
    // A row is known by id once it was handed out: the folders, and the rows in them (peerings, namespaces), and
    // `depth - 1` levels more (an Admiralty Target sits in the Targets group of the Admiralty folder).
    let level = this.tree.children(clusterRowId(entry.id));
    for (let i = 0; i < depth && level.length > 0; i++) level = level.flatMap((row) => this.tree.children(row.id));
  }

  /**
   * A row was expanded. VS Code caches children, so re-expanding a cluster does not ask for them again: this is
   * what widens a collapsed cluster's watches (their events then refresh the rows that changed meanwhile).
   */
  expanded(nodeId: string): void {
    if (!this.tree.isClusterRow(nodeId)) return;
    const entry = this.tree.entryOf(nodeId);
    if (!entry) return;
    this.wantExpanded.add(entry.id);
    const wasOpened = this.opened.has(entry.id);
    this.opened.add(entry.id);
    this.usage.setExpanded(entry.id, true); // polls once the session has a client
    const s = this.registry.session(entry);
    if (!s) return; // its session is created in a moment, expanded (sessionsReady)
    if (s.state.kind === 'idle') {
      if (!wasOpened) this.tree.connectionChanged(entry); // deferred → connecting
      this.startConnections();
    }
    s.setExpanded(true); // widens the watches, or cancels a pending narrowing
  }

  /** A row was collapsed: a cluster row narrows its watches to what the row itself shows (after a grace period). */
  collapsed(nodeId: string): void {
    if (!this.tree.isClusterRow(nodeId)) return;
    const entry = this.tree.entryOf(nodeId);
    if (!entry) return;
    this.wantExpanded.delete(entry.id);
    this.usage.setExpanded(entry.id, false);
    if (this.wholeWatchers === 0) this.registry.session(entry)?.setExpanded(false);
  }

  /** The view was hidden (`false`) or shown again: hidden for longer than the grace period, nothing is watched. */
  setVisible(visible: boolean, graceMs = 60_000): void {
    if (this.hideTimer) clearTimeout(this.hideTimer);
    this.hideTimer = undefined;
    this.usage.setVisible(visible);
    if (visible) {
      for (const s of this.registry.allSessions()) s.resume();
      return;
    }
    this.hideTimer = setTimeout(() => {
      this.hideTimer = undefined;
      if (this.wholeWatchers > 0) return; // an open map still shows every cluster
      this.log.info('the Liqo view is hidden: watches paused');
      for (const s of this.registry.allSessions()) s.pause();
    }, graceMs);
    this.hideTimer.unref?.();
  }

  get filter(): ViewFilter {
    return this.tree.filter;
  }

  setFilter(filter: ViewFilter): void {
    this.tree.setFilter(filter);
  }

  /** Hides (or shows again) contexts; remembered across reloads by context key. */
  setHidden(entryIds: readonly string[], hidden: boolean): void {
    const entries = entryIds.map((id) => this.entry(id)).filter((e): e is ClusterEntry => e !== undefined);
    this.tree.setHidden(entries, hidden);
  }

  get hiddenClusters(): ClusterEntry[] {
    return this.registry.clusters.filter((e) => this.tree.isHidden(e));
  }

  counts(): { shown: number; total: number; hidden: number } {
    return this.tree.counts();
  }

  /**
   * The Kubernetes object behind a row as the tree's cache holds it: only the fields rows read, for a pod (see
   * core/liqo/cachedObjects.ts). Reveal in YAML follows the whole object instead (followObject).
   */
  object(entryId: string, kind: string, key: string): KubeObject | undefined {
    return this.session(entryId)?.object(kind as WatchedKind, key);
  }

  /**
   * Reads and watches one object whole through its cluster's client until stopped (Reveal in YAML). Undefined while
   * the cluster has no client (not connected yet, or gone from the kubeconfig) or when kind and key name no object.
   */
  followObject(entryId: string, kind: string, key: string, onChange: () => void): ObjectFollow | undefined {
    const location = objectLocation(kind, key);
    return location ? this.session(entryId)?.followObject(location, onChange) : undefined;
  }

  /**
   * What the alerts and the status bar look at: each context the view shows (hidden ones left out), its state as
   * its row shows it and its snapshot when reachable.
   */
  watchedClusters(): WatchedClusterInput[] {
    return this.registry.clusters
      .filter((e) => !this.tree.isHidden(e))
      .map((e) => {
        const session = this.registry.session(e);
        return { entryId: e.id, contextName: e.contextName, state: this.displayState(e), snapshot: session?.snapshot, collapsed: session?.watchScope === 'summary' };
      });
  }

  /** Granted against requested for the peering a ForeignCluster row shows (its peer's virtual nodes here). */
  peeringCapacity(entryId: string, foreignClusterKey: string): Capacity | undefined {
    const s = this.session(entryId)?.snapshot;
    const fc = s?.foreignClusters.find((f) => objectKey(f) === foreignClusterKey);
    return s && fc ? capacityOfPeering(s, peerClusterId(fc)) : undefined;
  }

  /** The cluster ID of the peer a ForeignCluster row shows (what Liqo's metrics call cluster_id). */
  peerClusterIdOf(entryId: string, foreignClusterKey: string): string | undefined {
    const fc = this.session(entryId)?.snapshot?.foreignClusters.find((f) => objectKey(f) === foreignClusterKey);
    return fc ? peerClusterId(fc) : undefined;
  }

  /** Granted against requested for a virtual node row (undefined while the cluster's pods are not watched). */
  virtualNodeCapacity(entryId: string, name: string): Capacity | undefined {
    const s = this.session(entryId)?.snapshot;
    return s && s.kinds.pods.kind === 'ready' ? capacityOfVirtualNode(s, name) : undefined;
  }

  /** Pods and requests per remote cluster of an offloaded namespace (undefined while pods are not watched). */
  offloadedNamespaceCapacity(entryId: string, namespace: string): NamespaceCapacity | undefined {
    const s = this.session(entryId)?.snapshot;
    return s && s.kinds.pods.kind === 'ready' ? capacityOfOffloadedNamespace(s, namespace) : undefined;
  }

  /** The cluster's usage as last polled (metrics.k8s.io), or why there is none. */
  usageOf(entryId: string): UsageState {
    return this.usage.state(entryId);
  }

  /**
   * Makes sure the rows from a cluster row down to a row have been built and handed out (their parents known), so
   * the view can reveal a row nobody expanded yet. Returns false when a row on the way does not exist (any more).
   */
  prepareReveal(rowPath: readonly string[]): boolean {
    for (let i = 0; i + 1 < rowPath.length; i++) {
      const children = this.children(rowPath[i]!);
      if (!children.some((c) => c.id === rowPath[i + 1])) return false;
    }
    return rowPath.length > 0 && this.node(rowPath[rowPath.length - 1]!) !== undefined;
  }

  /** Retry is the user asking for this cluster: its credential plugin may run. */
  retry(entryId: string): Promise<void> {
    const s = this.session(entryId);
    if (!s) return Promise.resolve();
    this.opened.add(entryId);
    return s.connect(this.active);
  }

  /** Refresh: reconnects every cluster the policy lets connect (deferred ones stay deferred). */
  retryAll(): Promise<void> {
    const runs: Promise<void>[] = [];
    for (const e of this.registry.clusters) {
      const s = this.registry.session(e);
      if (s && this.gate(e).kind === 'connect') runs.push(s.connect(this.active));
    }
    return Promise.all(runs).then(() => undefined);
  }

  /** The state a cluster row shows. */
  private displayState(e: ClusterEntry): ConnectionState {
    const st = this.registry.session(e)?.state ?? { kind: 'idle' };
    if (st.kind !== 'idle') return st;
    const gate = this.gate(e);
    if (gate.kind === 'defer') return { kind: 'deferred', program: gate.program, policy: gate.policy };
    return this.active ? { kind: 'connecting' } : st;
  }

  private gate(e: ClusterEntry): CredentialGate {
    return credentialGate(e, this.settings.credentialPlugins ?? 'onExpand', {
      opened: this.opened.has(e.id),
      rememberedLiqo: this.tree.rememberedLiqo(e),
      allowExec: this.settings.allowExec,
    });
  }

  /** Queues every idle session the policy lets connect; a bounded number connect at once, the next as one settles. */
  private startConnections(): void {
    if (!this.active || this.disposed) return;
    for (const e of this.registry.clusters) {
      const s = this.registry.session(e);
      if (s && s.state.kind === 'idle' && this.gate(e).kind === 'connect') this.queued.add(s);
    }
    this.connectTimer ??= setImmediate(() => this.connectBatch());
  }

  private connectBatch(): void {
    this.connectTimer = undefined;
    if (this.disposed) return;
    for (const s of this.queued) {
      if (this.connecting >= CONNECT_CONCURRENCY) break;
      this.queued.delete(s);
      if (s.state.kind !== 'idle') continue;
      this.connecting++;
      void s.connect(true).finally(() => {
        this.connecting--;
        if (this.queued.size) this.connectTimer ??= setImmediate(() => this.connectBatch());
      });
    }
  }

  private queueEmit(change: TreeChange): void {
    if (this.disposed) return;
    const p = (this.pending ??= { refresh: new Set(), gone: new Set() });
    if (change.refresh === undefined) p.refresh = undefined;
    else if (p.refresh) for (const id of change.refresh) p.refresh.add(id);
    for (const id of change.gone) p.gone.add(id);
    this.flushTimer ??= setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushTimer = undefined;
    const p = this.pending;
    this.pending = undefined;
    if (!p || this.disposed) return;
    const ids = p.refresh ? [...p.refresh] : undefined;
    const gone = [...p.gone];
    for (const l of this.listeners) {
      try {
        l(ids, gone);
      } catch (err) {
        this.log.error(`tree listener failed: ${(err as Error).message}`);
      }
    }
  }

  /** Final: nothing reconnects or reloads afterwards, not even a reload that was in flight. */
  dispose(): void {
    this.disposed = true;
    this.active = false;
    if (this.hideTimer) clearTimeout(this.hideTimer);
    if (this.connectTimer) clearImmediate(this.connectTimer);
    if (this.flushTimer) clearImmediate(this.flushTimer);
    if (this.clusterTimer) clearImmediate(this.clusterTimer);
    this.clusterListeners.clear();
    this.queued.clear();
    this.usage.dispose();
    this.registry.dispose();
    this.listeners.clear();
  }
}

