// The session registry: which kubeconfig files and contexts exist, and one ClusterSession per context, registered
// under the context's key (core/kubeconfig/contextKey.ts — the entry id today, the resolved context once entries
// carry it). Reloads are serialised; a session whose context did not change keeps its state and watches. It decides
// nothing about rows or about when to connect: the FederationModel does.
//
// The list of contexts is announced before any session exists: the sessions' module (the Kubernetes client and its
// dependencies, the largest part of the bundle) is loaded lazily, after the first rows are on screen.
//
// dispose() is final: a reload in flight when it is called finishes without creating or keeping any session.
import * as path from 'node:path';
import type { KubeconfigSource } from '../core/kubeconfig/sources.ts';
import { buildClusterList, type ClusterEntry, type ClusterList } from '../core/kubeconfig/clusters.ts';
import { contextKeyOf } from '../core/kubeconfig/contextKey.ts';
import type { ClusterSession, SessionChange, SessionOptions } from './cluster/clusterSession.ts';
import type * as SessionModule from './cluster/clusterSession.ts';
import { loadKubeconfigs, type LoadedKubeconfig } from './kubeconfig/loadFiles.ts';
import { KubeconfigWatcher } from './kubeconfig/watchFiles.ts';
import type { Logger } from './log.ts';
import type { ResolvedContext } from '../core/kubeconfig/resolved.ts';
import type { CredentialProvider } from './credentials/credentialProvider.ts';
import { credentialProviderForContext } from './credentials/credentialProviderFor.ts';
import { ProcessRunner } from './process/runner.ts';

/** A credential plugin that has not answered by then (a login left waiting in a browser) is killed and reported. */
const CREDENTIAL_PROGRAM_TIMEOUT_MS = 30_000;

let sessionModule: Promise<typeof SessionModule> | undefined;
/** Loaded once, on the first reload that needs a session (esbuild keeps a dynamically imported module lazy). */
function loadSessionModule(): Promise<typeof SessionModule> {
  sessionModule ??= import('./cluster/clusterSession.ts');
  return sessionModule;
}

export interface RegistrySettings extends SessionOptions {
  readonly sources: readonly KubeconfigSource[];
}

export interface RegistryListener {
  /** The list of files and contexts was (re)loaded (sessions of new contexts may not exist yet). */
  listChanged(): void;
  /** Every context of the list has its session now. */
  sessionsReady(): void;
  /** A session's connection or watched objects changed. */
  sessionChanged(entry: ClusterEntry, change: SessionChange): void;
}

export class SessionRegistry {
  private settings: RegistrySettings;
  private files: LoadedKubeconfig[] = [];
  private list: ClusterList = { clusters: [], problems: [], resolved: new Map() };
  /** Runs every credential program of every cluster, gated by workspace trust (settings.allowExec) at each run. */
  private readonly runner: ProcessRunner;
  private readonly credentialProvider: (context: ResolvedContext) => CredentialProvider | undefined;
  private readonly sessions = new Map<string, ClusterSession>();
  private readonly watcher: KubeconfigWatcher;
  private readonly log: Logger;
  private readonly listener: RegistryListener;
  private reloadChain: Promise<void> = Promise.resolve();
  private disposed = false;
  private resolveFirstList: () => void = () => undefined;
  /** Resolves once the first list of contexts is known (rows can be shown), before sessions are created. */
  readonly firstList = new Promise<void>((resolve) => (this.resolveFirstList = resolve));

  constructor(settings: RegistrySettings, log: Logger, listener: RegistryListener) {
    this.settings = settings;
    this.log = log;
    this.listener = listener;
    const trusted = (): boolean => this.settings.allowExec;
    this.runner = new ProcessRunner({ trusted, logger: log });
    this.credentialProvider = (context) => credentialProviderForContext(context, { trusted, runner: this.runner, timeoutMs: CREDENTIAL_PROGRAM_TIMEOUT_MS });
    this.watcher = new KubeconfigWatcher(() => {
      this.log.info('kubeconfig files changed on disk: reloading');
      void this.reload();
    });
  }

  get clusters(): readonly ClusterEntry[] {
    return this.list.clusters;
  }

  get problems(): ClusterList['problems'] {
    return this.list.problems;
  }

  get filePaths(): string[] {
    return this.files.map((f) => f.path);
  }

  get options(): RegistrySettings {
    return this.settings;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  session(entry: ClusterEntry): ClusterSession | undefined {
    return this.sessions.get(contextKeyOf(entry));
  }

  /** The resolved context of a listed entry (secrets inside: compared, never shown). */
  resolvedOf(entry: ClusterEntry): ResolvedContext | undefined {
    return this.list.resolved.get(entry.id);
  }

  allSessions(): IterableIterator<ClusterSession> {
    return this.sessions.values();
  }

  updateSettings(settings: RegistrySettings): Promise<void> {
    this.settings = settings;
    return this.reload();
  }

  /** Re-reads every kubeconfig file. Serialised: a burst of file events must not interleave two reloads. */
  reload(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    this.reloadChain = this.reloadChain
      .then(() => this.doReload())
      .catch((err: unknown) => {
        this.log.error(`reload failed: ${(err as Error).message}`);
        this.resolveFirstList(); // the view shows what it has (nothing) rather than waiting forever
      });
    return this.reloadChain;
  }

  private async doReload(): Promise<void> {
    if (this.disposed) return;
    const files = await loadKubeconfigs(this.settings.sources);
    // Disposed while the files were read: nothing may come back to life.
    if (this.disposed) return;
    this.files = files;
    this.list = buildClusterList(files);
    const alive = new Set(this.list.clusters.map(contextKeyOf));
    for (const [key, s] of this.sessions) {
      if (!alive.has(key)) {
        s.dispose();
        this.sessions.delete(key);
      }
    }
    const fresh: ClusterEntry[] = [];
    for (const entry of this.list.clusters) {
      const existing = this.sessions.get(contextKeyOf(entry));
      if (existing) existing.update(entry, this.list.resolved.get(entry.id), this.sessionOptions());
      else fresh.push(entry);
    }
    for (const p of this.list.problems) this.log.warn(`kubeconfig ${p.filePath}${p.line ? `:${p.line}` : ''}: ${p.message}`);
    const folders = this.settings.sources.filter((s) => s.origin === 'setting').map((s) => s.path);
    this.watcher.watch(
      files.map((f) => f.path).concat(this.settings.sources.map((s) => s.path)),
      folders.filter((f) => files.some((file) => path.dirname(file.path) === f)),
    );
    this.listener.listChanged();
    this.resolveFirstList();
    if (fresh.length) {
      // A turn of the event loop first: the rows just announced go out before the client's modules initialise.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const { ClusterSession } = await loadSessionModule();
      if (this.disposed) return;
      for (const entry of fresh) {
        const s: ClusterSession = new ClusterSession(entry, this.list.resolved.get(entry.id), this.sessionOptions(), (change) => this.listener.sessionChanged(s.entry, change), this.log);
        this.sessions.set(contextKeyOf(entry), s);
      }
    }
    this.listener.sessionsReady();
  }

  /** The settings, with the registry's credential runner unless the settings bring their own provider factory. */
  private sessionOptions(): SessionOptions {
    return this.settings.credentialProvider ? this.settings : { ...this.settings, credentialProvider: this.credentialProvider };
  }

  dispose(): void {
    this.disposed = true;
    this.runner.dispose();
    this.resolveFirstList();
    this.watcher.close();
    for (const s of this.sessions.values()) s.dispose();
    this.sessions.clear();
  }
}
