// The tree model: which kubeconfig files and contexts exist, one ClusterSession per context, and the rows to show.
// It caches every row, so expanding one never waits on the network, and reports exactly which rows' children
// changed so the view refreshes only those subtrees.
import * as path from 'node:path';
import type { KubeconfigSource } from '../core/kubeconfig/sources.ts';
import { buildClusterList, type ClusterEntry, type ClusterList } from '../core/kubeconfig/clusters.ts';
import { clusterErrorNode, clusterNode, fileProblemNode } from '../core/tree/clusterNodes.ts';
import { buildClusterSubtree } from '../core/tree/clusterTree.ts';
import type { LinkedContext, SubtreeMap } from '../core/tree/treeContext.ts';
import type { TreeNodeView } from '../core/tree/view.ts';
import type { KubeObject } from '../core/liqo/objects.ts';
import type { WatchedKind } from '../core/liqo/snapshot.ts';
import { ClusterSession, type SessionOptions } from './cluster/clusterSession.ts';
import type { ResolvedContext } from '../core/kubeconfig/resolved.ts';
import type { CredentialProvider } from './credentials/credentialProvider.ts';
import { credentialProviderForContext } from './credentials/credentialProviderFor.ts';
import { ProcessRunner } from './process/runner.ts';
import { loadKubeconfigs, type LoadedKubeconfig } from './kubeconfig/loadFiles.ts';
import { KubeconfigWatcher } from './kubeconfig/watchFiles.ts';
import type { Logger } from './log.ts';

export interface FederationSettings extends SessionOptions {
  readonly sources: readonly KubeconfigSource[];
}

/** `undefined`: the root changed. Otherwise the ids of rows whose own view or children changed. */
export type ChangeListener = (nodeIds: readonly string[] | undefined) => void;
/** Every change a cluster's watches report, shown in a row or not; `kinds` undefined: the connection changed. */
export type ObjectChangeListener = (entryId: string, kinds: ReadonlySet<WatchedKind> | undefined) => void;

const CLUSTER_PREFIX = 'cluster:';
/** A credential plugin that has not answered by then (a login left waiting in a browser) is killed and reported. */
const CREDENTIAL_PROGRAM_TIMEOUT_MS = 30_000;

interface Subtree {
  readonly children: SubtreeMap;
  readonly byId: Map<string, TreeNodeView>;
  /** Per row its serialised view, and per parent its child ids: what changed between two builds. */
  readonly rowSignatures: Map<string, string>;
  readonly childIds: Map<string, string>;
}

export class FederationModel {
  private settings: FederationSettings;
  private files: LoadedKubeconfig[] = [];
  private list: ClusterList = { clusters: [], problems: [], resolved: new Map() };
  private readonly sessions = new Map<string, ClusterSession>();
  private readonly subtrees = new Map<string, Subtree>();
  private readonly listeners = new Set<ChangeListener>();
  private readonly objectListeners = new Set<ObjectChangeListener>();
  private readonly watcher: KubeconfigWatcher;
  private readonly log: Logger;
  private active = false;
  private loaded: Promise<void> | undefined;
  private reloadChain: Promise<void> = Promise.resolve();
  /** The cluster rows as last reported, to tell whether a session change altered the row itself. */
  private readonly rowSignatures = new Map<string, string>();
  private clusterIdIndex = '';
  private hideTimer: NodeJS.Timeout | undefined;
  /** Runs every credential program of every cluster, gated by workspace trust (settings.allowExec) at each run. */
  private readonly runner: ProcessRunner;
  private readonly credentialProvider: (context: ResolvedContext) => CredentialProvider | undefined;

  constructor(settings: FederationSettings, log: Logger) {
    this.settings = settings;
    this.log = log;
    const trusted = (): boolean => this.settings.allowExec;
    this.runner = new ProcessRunner({ trusted, logger: log });
    this.credentialProvider = (context) => credentialProviderForContext(context, { trusted, runner: this.runner, timeoutMs: CREDENTIAL_PROGRAM_TIMEOUT_MS });
    this.watcher = new KubeconfigWatcher(() => {
      this.log.info('kubeconfig files changed on disk: reloading');
      void this.reload();
    });
  }

  onDidChange(listener: ChangeListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Follows the watched objects themselves (open YAML documents), not the rows built from them. */
  onDidChangeObjects(listener: ObjectChangeListener): { dispose(): void } {
    this.objectListeners.add(listener);
    return { dispose: () => this.objectListeners.delete(listener) };
  }

  /** The view became visible: connect every cluster and watch what the tree shows. Idempotent. */
  activate(): Promise<void> {
    this.active = true;
    this.loaded ??= this.reload();
    return this.loaded.then(() => {
      for (const s of this.sessions.values()) if (s.state.kind === 'idle') void s.connect(true);
    });
  }

  updateSettings(settings: FederationSettings): Promise<void> {
    this.settings = settings;
    return this.reload();
  }

  /** Re-reads every kubeconfig file; sessions whose context did not change keep their state and watches. */
  reload(): Promise<void> {
    // Serialised: a burst of file events must not interleave two reloads.
    this.reloadChain = this.reloadChain.then(() => this.doReload()).catch((err: unknown) => this.log.error(`reload failed: ${(err as Error).message}`));
    return this.reloadChain;
  }

  private async doReload(): Promise<void> {
    this.files = await loadKubeconfigs(this.settings.sources);
    this.list = buildClusterList(this.files);
    const alive = new Set<string>();
    for (const entry of this.list.clusters) {
      alive.add(entry.id);
      const resolved = this.list.resolved.get(entry.id);
      const existing = this.sessions.get(entry.id);
      if (existing) {
        existing.update(entry, resolved, this.sessionOptions());
      } else {
        const s = new ClusterSession(entry, resolved, this.sessionOptions(), (change) => this.onSessionChange(entry.id, change.connection, change.kinds), this.log);
        this.sessions.set(entry.id, s);
        if (this.active) void s.connect(true);
      }
    }
    for (const [id, s] of this.sessions) {
      if (!alive.has(id)) {
        s.dispose();
        this.sessions.delete(id);
        this.subtrees.delete(id);
      }
    }
    for (const p of this.list.problems) this.log.warn(`kubeconfig ${p.filePath}${p.line ? `:${p.line}` : ''}: ${p.message}`);
    const folders = this.settings.sources.filter((s) => s.origin === 'setting').map((s) => s.path);
    this.watcher.watch(
      this.files.map((f) => f.path).concat(this.settings.sources.map((s) => s.path)),
      folders.filter((f) => this.files.some((file) => path.dirname(file.path) === f)),
    );
    this.emit(undefined);
  }

  /** The settings, with the model's credential runner unless the settings bring their own provider factory. */
  private sessionOptions(): SessionOptions {
    return this.settings.credentialProvider ? this.settings : { ...this.settings, credentialProvider: this.credentialProvider };
  }

  /** True when no kubeconfig file with at least one context was found (the view shows its welcome content). */
  get isEmpty(): boolean {
    return this.list.clusters.length === 0 && this.list.problems.length === 0;
  }

  get clusters(): readonly ClusterEntry[] {
    return this.list.clusters;
  }

  session(entryId: string): ClusterSession | undefined {
    return this.sessions.get(entryId);
  }

  /** True when every reachable, watched cluster has heard back from each of its watches once. */
  get settled(): boolean {
    for (const s of this.sessions.values()) {
      if (s.state.kind === 'connecting' || s.state.kind === 'idle') return false;
      if (s.state.kind === 'reachable' && !s.settled) return false;
    }
    return true;
  }

  roots(): TreeNodeView[] {
    return [...this.list.problems.map(fileProblemNode), ...this.list.clusters.map((e) => this.clusterRow(e))];
  }

  /** A cluster row, always computed from the session's current state (never a cached copy). */
  private clusterRow(entry: ClusterEntry): TreeNodeView {
    const s = this.sessions.get(entry.id);
    return clusterNode(entry, s?.state ?? { kind: 'idle' }, this.files.map((f) => f.path), s?.liqo);
  }

  /** The current view of any row by id (stale ids give undefined). */
  node(id: string): TreeNodeView | undefined {
    if (id.startsWith('problem:')) {
      const p = this.list.problems.find((x) => x.id === id);
      return p ? fileProblemNode(p) : undefined;
    }
    const owner = this.ownerOf(id);
    if (!owner) return undefined;
    if (id === `${CLUSTER_PREFIX}${owner.entry.id}`) return this.clusterRow(owner.entry);
    return this.subtree(owner)?.byId.get(id);
  }

  children(nodeId: string): TreeNodeView[] {
    const owner = this.ownerOf(nodeId);
    if (!owner) return [];
    // Asking for a cluster's children means its row is expanded: watch everything its subtree shows.
    if (owner.watchScope !== 'full') owner.setExpanded(true);
    if (nodeId === `${CLUSTER_PREFIX}${owner.entry.id}` && owner.state.kind === 'failed') return [clusterErrorNode(owner.entry, owner.state.problem)];
    return this.subtree(owner)?.children.get(nodeId) ?? [];
  }

  /** A row was collapsed: a cluster row narrows its watches to what the row itself shows (after a grace period). */
  collapsed(nodeId: string): void {
    const owner = this.ownerOf(nodeId);
    if (owner && nodeId === `${CLUSTER_PREFIX}${owner.entry.id}`) owner.setExpanded(false);
  }

  /** The view was hidden (`false`) or shown again: hidden for longer than the grace period, nothing is watched. */
  setVisible(visible: boolean, graceMs = 60_000): void {
    if (this.hideTimer) clearTimeout(this.hideTimer);
    this.hideTimer = undefined;
    if (visible) {
      for (const s of this.sessions.values()) s.resume();
      return;
    }
    this.hideTimer = setTimeout(() => {
      this.hideTimer = undefined;
      this.log.info('the Liqo view is hidden: watches paused');
      for (const s of this.sessions.values()) s.pause();
    }, graceMs);
    this.hideTimer.unref?.();
  }

  /** The Kubernetes object behind a row (Reveal in YAML). */
  object(entryId: string, kind: string, key: string): KubeObject | undefined {
    return this.sessions.get(entryId)?.object(kind as WatchedKind, key);
  }

  retry(entryId: string): Promise<void> {
    const s = this.sessions.get(entryId);
    return s ? s.connect(this.active) : Promise.resolve();
  }

  retryAll(): Promise<void> {
    return Promise.all([...this.sessions.values()].map((s) => s.connect(this.active))).then(() => undefined);
  }

  private ownerOf(nodeId: string): ClusterSession | undefined {
    if (!nodeId.startsWith(CLUSTER_PREFIX)) return undefined;
    const rest = nodeId.slice(CLUSTER_PREFIX.length);
    let best: ClusterSession | undefined;
    for (const [id, s] of this.sessions) {
      if ((rest === id || rest.startsWith(`${id}/`)) && (!best || id.length > best.entry.id.length)) best = s;
    }
    return best;
  }

  private contextsFor(selfId: string): (clusterId: string) => readonly LinkedContext[] {
    return (clusterId) => {
      const out: LinkedContext[] = [];
      for (const s of this.sessions.values()) {
        if (s.entry.id !== selfId && s.clusterId === clusterId) out.push({ contextName: s.entry.contextName, entryId: s.entry.id });
      }
      return out;
    };
  }

  private subtree(s: ClusterSession): Subtree | undefined {
    const cached = this.subtrees.get(s.entry.id);
    if (cached) return cached;
    const snapshot = s.snapshot;
    if (!snapshot) return undefined;
    const children = buildClusterSubtree({ base: `${CLUSTER_PREFIX}${s.entry.id}`, entryId: s.entry.id, snapshot, contextsFor: this.contextsFor(s.entry.id) });
    const byId = new Map<string, TreeNodeView>();
    const rowSignatures = new Map<string, string>();
    const childIds = new Map<string, string>();
    for (const [parent, rows] of children) {
      for (const r of rows) {
        byId.set(r.id, r);
        rowSignatures.set(r.id, JSON.stringify(r));
      }
      childIds.set(parent, rows.map((r) => r.id).join('\n'));
    }
    const built = { children, byId, rowSignatures, childIds };
    this.subtrees.set(s.entry.id, built);
    return built;
  }

  private onSessionChange(entryId: string, connection: boolean, kinds: ReadonlySet<WatchedKind>): void {
    const s = this.sessions.get(entryId);
    if (!s) return;
    for (const l of this.objectListeners) l(entryId, connection ? undefined : kinds);
    const clusterRowId = `${CLUSTER_PREFIX}${entryId}`;
    const rowSignature = JSON.stringify(this.clusterRow(s.entry));
    const rowChanged = rowSignature !== this.rowSignatures.get(clusterRowId);
    this.rowSignatures.set(clusterRowId, rowSignature);
    const before = this.subtrees.get(entryId);
    this.subtrees.delete(entryId);
    const index = [...this.sessions.values()].map((x) => `${x.entry.id}=${x.clusterId ?? ''}`).join('\n');
    if (index !== this.clusterIdIndex) {
      // A cluster ID appeared or changed: links (peerings ⇄ contexts) may change in every cluster's subtree.
      this.clusterIdIndex = index;
      this.subtrees.clear();
      this.emit(undefined);
      return;
    }
    if (connection || !before) {
      this.emit([clusterRowId]);
      return;
    }
    const after = this.subtree(s);
    if (!after) {
      this.emit([clusterRowId]);
      return;
    }
    // Refresh a row whose own view changed, and a parent whose set of children changed; nothing else.
    const changed: string[] = [];
    for (const [id, sig] of after.rowSignatures) if (before.rowSignatures.has(id) && before.rowSignatures.get(id) !== sig) changed.push(id);
    for (const [parent, ids] of after.childIds) if (before.childIds.get(parent) !== ids) changed.push(parent);
    // The cluster row's own description (Liqo version, health) comes from the same snapshot.
    if (rowChanged) changed.push(clusterRowId);
    if (changed.length) this.emit(pruneDescendants(changed));
  }

  private emit(nodeIds: readonly string[] | undefined): void {
    for (const l of this.listeners) {
      try {
        l(nodeIds);
      } catch (err) {
        this.log.error(`tree listener failed: ${(err as Error).message}`);
      }
    }
  }

  dispose(): void {
    if (this.hideTimer) clearTimeout(this.hideTimer);
    this.watcher.close();
    for (const s of this.sessions.values()) s.dispose();
    this.runner.dispose();
    this.sessions.clear();
    this.subtrees.clear();
    this.listeners.clear();
  }
}

/** Refreshing a row refreshes its descendants: keep only the outermost ids. */
function pruneDescendants(ids: readonly string[]): string[] {
  const sorted = [...new Set(ids)].sort((a, b) => a.length - b.length);
  const out: string[] = [];
  for (const id of sorted) if (!out.some((p) => id.startsWith(`${p}/`))) out.push(id);
  return out;
}
