// One ClusterSession per kubeconfig context: owns that context's ClusterClient (one connection pool, created once
// per resolved context and replaced when the resolution changes), its connection state (probe), and — once the view
// wants it — the watches of everything the tree shows for it. The only code (with what it starts) that talks to
// that cluster's API server.
import type { ClusterEntry } from '../../core/kubeconfig/clusters.ts';
import type { ResolvedContext } from '../../core/kubeconfig/resolved.ts';
import { sameResolvedContext } from '../../core/kubeconfig/resolve.ts';
import { providedCredentialName } from '../../core/kubeconfig/connectionSpec.ts';
import { credentialProgramOf } from '../../core/credentials/credentialProgram.ts';
import type { ConnectionState } from '../../core/tree/clusterNodes.ts';
import { describeConnectionFailure } from '../../core/connection/describe.ts';
import { liqoInfo, type ClusterSnapshot, type LiqoInfo, type WatchedKind } from '../../core/liqo/snapshot.ts';
import type { KubeObject } from '../../core/liqo/objects.ts';
import type { CredentialProvider } from '../credentials/credentialProvider.ts';
import type { ClusterClient } from './clusterClient.ts';
import { createClusterClient } from './httpClusterClient.ts';
import type { WriteGate } from '../writes/readOnlyGuard.ts';
import { probeCluster } from './probe.ts';
import { ClusterWatches, type WatchScope } from './clusterWatches.ts';
import { ObjectFollow } from './objectFollow.ts';
import type { ObjectLocation } from '../../core/liqo/objectLocation.ts';
import type { BackoffOptions } from './resourceWatch.ts';
import type { Logger } from '../log.ts';
import type { ClusterDelta } from '../../core/tree/clusterRows.ts';
import { SystemsWatches } from '../systems/systemsWatches.ts';
import type { SystemsSnapshot } from '../../core/systems/snapshot.ts';
import { endpointOfContext, type ContextEndpoint } from '../../core/systems/endpoint.ts';

/** A change of Admiralty, KubeFed or Istio objects: their folders are rebuilt whole. */
const SYSTEMS_CHANGED: ClusterDelta = new Map([['systems', 'all']]);

export interface SessionOptions {
  readonly timeoutMs: number;
  readonly allowExec: boolean;
  /**
   * The credential provider of an exec-plugin or auth-provider user (it runs their programs, gated by trust).
   * Without one such users fail with EXEC_BLOCKED. Give a stable function: it is not compared on settings reloads.
   */
  readonly credentialProvider?: (context: ResolvedContext) => CredentialProvider | undefined;
  /** Asked before every write of this session's client (the read-only guard); a stable object, not compared on reloads. */
  readonly writeGate?: WriteGate;
  /** Watch backoff (tests shorten it). */
  readonly backoff?: BackoffOptions;
  /** How long a collapsed cluster keeps its full watches (default 30 s). */
  readonly collapseGraceMs?: number;
  /** Re-probe backoff after a failed probe (default 2 s doubling to 60 s; tests shorten it). */
  readonly reprobe?: BackoffOptions;
}

/** Problems no retry can fix: they wait for the kubeconfig or the workspace trust to change. */
const NO_REPROBE: ReadonlySet<string> = new Set(['kubeconfig-invalid', 'exec-blocked-untrusted', 'client-certificate-expired']);

export interface SessionChange {
  /** The connection state changed (the cluster row and its whole subtree). */
  readonly connection: boolean;
  /** The watched objects that changed, per kind (`'all'`: the kind was relisted or its state changed). */
  readonly delta: ClusterDelta;
}

export class ClusterSession {
  private _entry: ClusterEntry;
  private resolved: ResolvedContext | undefined;
  private _state: ConnectionState = { kind: 'idle' };
  private abort: AbortController | undefined;
  private _client: ClusterClient | undefined;
  private watches: ClusterWatches | undefined;
  /**
   * The other federation systems' watches (three discovery watches where none runs). They run whenever Liqo's do,
   * whatever the scope: a proxy pod's row in another cluster reads this cluster's delegates.
   */
  private systemsWatches: SystemsWatches | undefined;
  private wantWatches = false;
  private readonly onChange: (change: SessionChange) => void;
  private readonly log: Logger;
  private options: SessionOptions;
  private disposed = false;
  private lastServerVersion = '';
  private lastClusterId: string | undefined;
  private scope: WatchScope = 'summary';
  private narrowTimer: NodeJS.Timeout | undefined;
  /** The next probe after a failed one, and how many failed in a row (the backoff's exponent). */
  private reprobeTimer: NodeJS.Timeout | undefined;
  private failedProbes = 0;
  /** The failed state was set by the watches losing a reachable server (not by a probe): their recovery ends it. */
  private lostByWatches = false;
  /** The last failure logged (kind and summary): background re-probes failing the same way log nothing more. */
  private loggedProblem: string | undefined;
  /** The credential provider of the current client (a plugin user's), for Retry to end its timeout cooldown. */
  private credentials: CredentialProvider | undefined;

  constructor(entry: ClusterEntry, resolved: ResolvedContext | undefined, options: SessionOptions, onChange: (change: SessionChange) => void, log: Logger) {
    this._entry = entry;
    this.resolved = resolved;
    this.options = options;
    this.onChange = onChange;
    this.log = log;
  }

  /** The resolved context (secrets inside): for temporary kubeconfigs handed to liqoctl, never for logs. */
  get resolvedContext(): ResolvedContext | undefined {
    return this.resolved;
  }

  get entry(): ClusterEntry {
    return this._entry;
  }

  /** The cluster's client, once connecting started (Reveal in YAML and other reads go through it). */
  get client(): ClusterClient | undefined {
    return this._client;
  }

  /** Open connections to the API server (benchmarks report them). */
  get openConnections(): number {
    return this._client?.openConnections ?? 0;
  }

  get state(): ConnectionState {
    return this._state;
  }

  /** What the watches know, when the cluster is reachable and watched. */
  get snapshot(): ClusterSnapshot | undefined {
    return this._state.kind === 'reachable' ? this.watches?.snapshot() : undefined;
  }

  /** Admiralty, KubeFed and Istio as watched here, when the cluster is reachable and watched. */
  get systems(): SystemsSnapshot | undefined {
    return this._state.kind === 'reachable' && this.systemsWatches ? this.systemsWatches.snapshot() : undefined;
  }

  /**
   * The context's server and CA (fingerprints of inline CA data; a CA file is not read, and then only the server is
   * compared), for matching the kubeconfigs other systems carry to this context.
   */
  get endpoint(): ContextEndpoint {
    return endpointOfContext(this._entry.contextName, this._entry.server, this.resolved?.cluster.fields['certificate-authority-data']);
  }

  get liqo(): LiqoInfo | undefined {
    const s = this.snapshot;
    const info = s ? liqoInfo(s) : undefined;
    if (info?.clusterId) this.lastClusterId = info.clusterId;
    return info;
  }

  /** The Liqo cluster ID, remembered while the cluster is unreachable so peers keep their link to this context. */
  get clusterId(): string | undefined {
    return this.liqo?.clusterId ?? this.lastClusterId;
  }

  /** True when watches are running and each has answered once. */
  get settled(): boolean {
    return this._state.kind === 'reachable' && (this.watches?.settled ?? false);
  }

  get runningKinds(): readonly WatchedKind[] {
    return this.watches?.runningKinds ?? [];
  }

  get requestCounts(): { lists: number; watches: number } {
    return this.watches?.requestCounts ?? { lists: 0, watches: 0 };
  }

  /** The object as the tree's cache holds it (for a pod, only what rows read: core/liqo/cachedObjects.ts). */
  object(kind: WatchedKind, key: string): KubeObject | undefined {
    return this.watches?.object(kind, key);
  }

  /** Reads and watches one object whole through this cluster's client (started); undefined without a client. */
  followObject(location: ObjectLocation, onChange: () => void): ObjectFollow | undefined {
    if (!this._client) return undefined;
    const follow = new ObjectFollow(this._client, location, onChange, this.options.backoff);
    follow.start();
    return follow;
  }

  /**
   * Takes a reloaded entry; returns true when what the connection depends on changed (so it reconnects): the resolved
   * context (server, TLS, credentials, namespace) or the settings. Edits elsewhere in the file (current-context,
   * other contexts) keep the connection, its watches and caches.
   */
  update(entry: ClusterEntry, resolved: ResolvedContext | undefined, options: SessionOptions): boolean {
    const changed =
      !sameResolvedContext(resolved, this.resolved) ||
      entry.configError !== this._entry.configError ||
      options.timeoutMs !== this.options.timeoutMs ||
      options.allowExec !== this.options.allowExec;
    this._entry = entry;
    this.resolved = resolved;
    this.options = options;
    if (changed) {
      this.lastClusterId = undefined;
      this.stopWatches();
      this._client?.dispose();
      this._client = undefined;
      if (this._state.kind !== 'idle') void this.connect();
    }
    return changed;
  }

  /** Starts (or, with watch=true, also watches) the cluster: probe first, then list+watch what the tree shows. */
  async connect(watch = this.wantWatches, opts: { readonly background?: boolean } = {}): Promise<void> {
    if (this.disposed) return;
    this.cancelReprobe();
    this.wantWatches = watch;
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    const e = this._entry;
    const resolved = this.resolved;
    if (e.configError || !resolved) {
      this.setState({ kind: 'failed', problem: describeConnectionFailure({ server: e.server, code: 'KUBECONFIG_INVALID', message: e.configError ?? 'the context is not usable', kubeconfigFile: e.filePath }) });
      return;
    }
    // A background re-probe of a failed cluster keeps showing the failure (hundreds of stale contexts must not flap
    // through "connecting…" at every backoff step); Retry and first connections show "connecting…".
    if (this._state.kind !== 'reachable' && !(opts.background && this._state.kind === 'failed')) this.setState({ kind: 'connecting' });
    const client = (this._client ??= this.createClient(resolved));
    // The user asked (Retry, Refresh, first connection): a credential plugin that timed out may run again now.
    if (!opts.background) this.credentials?.retryNow();
    // Lists start together with the probe (one round trip less before the tree is full), except for users whose
    // credential comes from a program: the probe runs it once, and the lists then reuse the cached credential.
    const usesProgram = credentialProgramOf(resolved.user.fields) !== undefined;
    if (this.wantWatches && !usesProgram) this.startWatches(client);
    const result = await probeCluster(client, resolved, { timeoutMs: this.options.timeoutMs, signal: abort.signal, kubeconfigFile: e.filePath });
    if (abort.signal.aborted || this.disposed) return;
    if (!result.ok) {
      // The probe's explanation (TLS, 401, timeout...) is the one shown; watches would only repeat it.
      this.stopWatches();
      const problem = describeConnectionFailure(result.failure);
      // Logged once per problem: a cluster re-probed in the background every minute must not fill the log.
      const said = `${problem.kind}\n${problem.summary}`;
      if (!opts.background || said !== this.loggedProblem) this.log.warn(`${e.contextName}: ${problem.summary} [${problem.kind}; ${e.filePath}]`);
      this.loggedProblem = said;
      this.lostByWatches = false;
      this.setState({ kind: 'failed', problem });
      this.scheduleReprobe(problem.kind);
      return;
    }
    this.failedProbes = 0;
    this.loggedProblem = undefined;
    this.lostByWatches = false;
    this.lastServerVersion = result.gitVersion;
    if (this._state.kind !== 'reachable') this.log.info(`${e.contextName}: connected to ${e.server} (${result.gitVersion})`);
    this.setState({ kind: 'reachable', serverVersion: result.gitVersion });
    if (this.wantWatches && usesProgram) this.startWatches(client);
  }

  private createClient(resolved: ResolvedContext): ClusterClient {
    const factory = this.options.credentialProvider;
    const needsProvider = providedCredentialName(resolved.user.fields) !== undefined;
    const credentials = needsProvider && factory ? factory(resolved) : undefined;
    this.credentials = credentials;
    return createClusterClient(resolved, { timeoutMs: this.options.timeoutMs, ...(credentials ? { credentials } : {}), ...(this.options.writeGate ? { writeGate: this.options.writeGate } : {}) });
  }

  /**
   * A cluster that failed its probe is probed again by itself, with exponential backoff and jitter, so it recovers
   * when the server comes back. Failures that only an edit can fix (the kubeconfig, a restricted workspace) wait for
   * that edit instead: the file watcher and the trust event reconnect the session.
   */
  private scheduleReprobe(kind: string): void {
    if (this.disposed || NO_REPROBE.has(kind)) return;
    const base = this.options.reprobe?.baseMs ?? 2000;
    // A failing credential plugin may prompt or cost money (cloud CLIs): retry it far less often.
    const max = kind.startsWith('exec-plugin') ? 5 * 60_000 : (this.options.reprobe?.maxMs ?? 60_000);
    const delay = Math.min(base * 2 ** this.failedProbes, max);
    this.failedProbes++;
    this.reprobeTimer = setTimeout(() => {
      this.reprobeTimer = undefined;
      if (this._state.kind === 'failed') void this.connect(this.wantWatches, { background: true });
    }, Math.round(delay / 2 + (Math.random() * delay) / 2));
    this.reprobeTimer.unref?.();
  }

  private cancelReprobe(): void {
    if (this.reprobeTimer) clearTimeout(this.reprobeTimer);
    this.reprobeTimer = undefined;
  }

  /**
   * Expanded clusters watch everything their subtree shows; collapsed ones only what their row shows. Collapsing
   * narrows after a grace period, so quickly toggling a row does not churn watches.
   */
  setExpanded(expanded: boolean): void {
    if (this.narrowTimer) clearTimeout(this.narrowTimer);
    this.narrowTimer = undefined;
    if (expanded) {
      this.scope = 'full';
      this.watches?.setScope('full');
      return;
    }
    this.narrowTimer = setTimeout(() => {
      this.narrowTimer = undefined;
      this.scope = 'summary';
      this.watches?.setScope('summary');
    }, this.options.collapseGraceMs ?? 30_000);
    this.narrowTimer.unref?.();
  }

  get watchScope(): WatchScope {
    return this.scope;
  }

  /** The view was hidden for a while: stop watching, keep the caches. */
  pause(): void {
    this.watches?.pause();
    this.systemsWatches?.stop();
  }

  /** The view is visible again: resume the watches from where they were (or connect, if never connected). */
  resume(): void {
    if (this.watches && !this.watches.isRunning && this._state.kind === 'reachable') {
      this.watches.start(this.scope);
      this.systemsWatches?.start();
    }
  }

  private startWatches(client: ClusterClient): void {
    if (this.watches?.isRunning) {
      this.watches.restartNow();
      return;
    }
    if (this.watches) {
      this.watches.start(this.scope);
      this.systemsWatches?.start();
      return;
    }
    this.watches = new ClusterWatches(
      client,
      {
        changed: (delta) => this.onChange({ connection: false, delta }),
        transport: (err) => {
          const e = this._entry;
          if (err) {
            // Only a reachable server can be lost. A cluster never reached, or failed by its probe (whose background
            // re-probe starts the watches alongside), is the probe's to explain, once.
            if (this._state.kind !== 'reachable') return;
            // A dead connection (the client's heartbeat) reads as the timeout it is, not as an OS-level ETIMEDOUT.
            const code = err.code === 'ETIMEDOUT' ? { code: 'TIMEOUT', timeoutMs: this.options.timeoutMs } : err.code ? { code: err.code } : {};
            const problem = describeConnectionFailure({ server: e.server, message: err.message, ...code, kubeconfigFile: e.filePath });
            this.log.warn(`${e.contextName}: lost the API server: ${problem.summary}; watches retry with backoff`);
            this.lostByWatches = true;
            this.loggedProblem = `${problem.kind}\n${problem.summary}`;
            this.setState({ kind: 'failed', problem });
          } else if (this._state.kind === 'failed' && this.lostByWatches) {
            this.lostByWatches = false;
            this.loggedProblem = undefined;
            this.log.info(`${e.contextName}: API server back; watches resumed`);
            this.setState({ kind: 'reachable', serverVersion: this.lastServerVersion || 'unknown version' });
          }
        },
      },
      this.options.backoff ? { backoff: this.options.backoff } : {},
    );
    this.watches.start(this.scope);
    this.systemsWatches = new SystemsWatches(client, () => this.onChange({ connection: false, delta: SYSTEMS_CHANGED }), this.options.backoff ? { backoff: this.options.backoff } : {});
    this.systemsWatches.start();
  }

  private stopWatches(): void {
    this.watches?.stop();
    this.watches = undefined;
    this.systemsWatches?.stop();
    this.systemsWatches = undefined;
  }

  private setState(state: ConnectionState): void {
    this._state = state;
    this.onChange({ connection: true, delta: new Map() });
  }

  dispose(): void {
    this.disposed = true;
    this.cancelReprobe();
    if (this.narrowTimer) clearTimeout(this.narrowTimer);
    this.abort?.abort();
    this.stopWatches();
    this._client?.dispose();
    this._client = undefined;
  }
}
