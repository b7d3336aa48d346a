// The tree model: which kubeconfig files and contexts exist, one ClusterSession per context, and the rows to show.
// It caches everything the tree renders, so expanding a row never waits on the network, and it reports which row
// changed so the view refreshes only that subtree.
import * as path from 'node:path';
import type { KubeconfigSource } from '../core/kubeconfig/sources.ts';
import { buildClusterList, type ClusterEntry, type ClusterList } from '../core/kubeconfig/clusters.ts';
import { clusterErrorNode, clusterNode, fileProblemNode } from '../core/tree/clusterNodes.ts';
import type { TreeNodeView } from '../core/tree/view.ts';
import { ClusterSession, type SessionOptions } from './cluster/clusterSession.ts';
import { loadKubeconfigs, type LoadedKubeconfig } from './kubeconfig/loadFiles.ts';
import { KubeconfigWatcher } from './kubeconfig/watchFiles.ts';
import type { Logger } from './log.ts';

export interface FederationSettings extends SessionOptions {
  readonly sources: readonly KubeconfigSource[];
}

/** `undefined` means the root changed (rows added or removed). */
export type ChangeListener = (nodeId: string | undefined) => void;

export class FederationModel {
  private settings: FederationSettings;
  private files: LoadedKubeconfig[] = [];
  private list: ClusterList = { clusters: [], problems: [] };
  private readonly sessions = new Map<string, ClusterSession>();
  private readonly listeners = new Set<ChangeListener>();
  private readonly watcher: KubeconfigWatcher;
  private readonly log: Logger;
  private active = false;
  private loaded: Promise<void> | undefined;
  private reloadChain: Promise<void> = Promise.resolve();

  constructor(settings: FederationSettings, log: Logger) {
    this.settings = settings;
    this.log = log;
    this.watcher = new KubeconfigWatcher(() => {
      this.log.info('kubeconfig files changed on disk: reloading');
      void this.reload();
    });
  }

  onDidChange(listener: ChangeListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Starts connecting (the view became visible). Idempotent. */
  activate(): Promise<void> {
    this.active = true;
    this.loaded ??= this.reload();
    return this.loaded.then(() => {
      for (const s of this.sessions.values()) if (s.state.kind === 'idle') void s.connect();
    });
  }

  updateSettings(settings: FederationSettings): Promise<void> {
    this.settings = settings;
    return this.reload();
  }

  /** Re-reads every kubeconfig file; sessions whose context did not change keep their state and connection. */
  reload(): Promise<void> {
    // Serialised: a burst of file events must not interleave two reloads.
    this.reloadChain = this.reloadChain.then(() => this.doReload()).catch((err: unknown) => this.log.error(`reload failed: ${(err as Error).message}`));
    return this.reloadChain;
  }

  private async doReload(): Promise<void> {
    this.files = await loadKubeconfigs(this.settings.sources);
    this.list = buildClusterList(this.files);
    const textOf = new Map(this.files.map((f) => [f.path, f.text ?? '']));
    const alive = new Set<string>();
    for (const entry of this.list.clusters) {
      alive.add(entry.id);
      const text = textOf.get(entry.filePath) ?? '';
      const existing = this.sessions.get(entry.id);
      if (existing) {
        existing.update(entry, text, this.settings);
      } else {
        const s = new ClusterSession(entry, text, this.settings, () => this.emit(`cluster:${entry.id}`), this.log);
        this.sessions.set(entry.id, s);
        if (this.active) void s.connect();
      }
    }
    for (const [id, s] of this.sessions) {
      if (!alive.has(id)) {
        s.dispose();
        this.sessions.delete(id);
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

  roots(): TreeNodeView[] {
    const allFiles = this.files.map((f) => f.path);
    const problems = this.list.problems.map(fileProblemNode);
    const clusters = this.list.clusters.map((e) => clusterNode(e, this.sessions.get(e.id)?.state ?? { kind: 'idle' }, allFiles));
    return [...problems, ...clusters];
  }

  children(nodeId: string): TreeNodeView[] {
    if (nodeId.startsWith('cluster:')) {
      const s = this.sessions.get(nodeId.slice('cluster:'.length));
      if (s?.state.kind === 'failed') return [clusterErrorNode(s.entry, s.state.problem)];
    }
    return [];
  }

  retry(entryId: string): Promise<void> {
    const s = this.sessions.get(entryId);
    return s ? s.connect() : Promise.resolve();
  }

  retryAll(): Promise<void> {
    return Promise.all([...this.sessions.values()].map((s) => s.connect())).then(() => undefined);
  }

  private emit(nodeId: string | undefined): void {
    for (const l of this.listeners) {
      try {
        l(nodeId);
      } catch (err) {
        this.log.error(`tree listener failed: ${(err as Error).message}`);
      }
    }
  }

  dispose(): void {
    this.watcher.close();
    for (const s of this.sessions.values()) s.dispose();
    this.sessions.clear();
    this.listeners.clear();
  }
}
