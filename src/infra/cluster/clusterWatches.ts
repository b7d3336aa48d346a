// Every watch one cluster's subtree needs, and the snapshot built from their caches. Pod watches follow the tree:
// one per namespace whose pods it shows (offloaded namespaces here, twin namespaces on a provider), or one for the
// whole cluster once it shows the pods of many namespaces. Changes are debounced per cluster and reported per object:
// which objects of which kind changed (or, for a relist or a state change, the whole kind). Liqo's own objects are
// found wherever Liqo is installed (see liqoWatchSpecs.ts). Pods and Services are cached with only the fields the tree
// reads (core/liqo/cachedObjects.ts): `object()` answers rows, not Reveal in YAML, which follows its object itself.
import type { ConfigMap, Deployment, KubeObject, Pod } from '../../core/liqo/objects.ts';
import { LABEL_TYPE, TYPE_VIRTUAL_NODE } from '../../core/liqo/objects.ts';
import { cachedPod, cachedService } from '../../core/liqo/cachedObjects.ts';
import { collectionPath } from '../../core/liqo/objectLocation.ts';
import { DEFAULT_LIQO_NAMESPACE, locateLiqoNamespace, type LiqoLocation } from '../../core/liqo/liqoNamespace.ts';
import { emptySnapshot, namespaceRole, type ClusterSnapshot, type KindState, type WatchedKind } from '../../core/liqo/snapshot.ts';
import { ResourceWatch, DEFAULT_BACKOFF, type BackoffOptions, type ObjectChangeEvent, type WatchSource, type WatchSpec } from './resourceWatch.ts';
import type { ClusterClient, KubeApiError } from './clusterClient.ts';
import type { ClusterDelta } from '../../core/tree/clusterRows.ts';
import { isClusterWide, limitedByText, liqoPodsSpec, LOCATING_KINDS, locatingSpec, type LocatingKind } from './liqoWatchSpecs.ts';

type FixedKind = Exclude<WatchedKind, 'pods'>;

/** `summary`: what a collapsed cluster row shows (cluster ID, Liqo version and health, Liqo present or not). */
export type WatchScope = 'summary' | 'full';

const SUMMARY_KINDS: ReadonlySet<FixedKind> = new Set<FixedKind>(['clusterIdConfigMaps', 'liqoDeployments', 'liqoPods', 'foreignclusters']);

/**
 * What each kind's watch starts with. The cluster-ID ConfigMap and controller-manager are listed cluster-wide; Liqo's
 * pods start in the default namespace (where `liqoctl install` puts them, so the common case costs no extra round
 * trip) and move to the namespace those two are found in.
 */
export const WATCH_SPECS: Readonly<Record<FixedKind, WatchSpec>> = {
  clusterIdConfigMaps: locatingSpec('clusterIdConfigMaps'),
  liqoDeployments: locatingSpec('liqoDeployments'),
  liqoPods: liqoPodsSpec(DEFAULT_LIQO_NAMESPACE),
  namespaces: { path: collectionPath('namespaces') },
  foreignclusters: { path: collectionPath('foreignclusters') },
  virtualnodes: { path: collectionPath('virtualnodes') },
  virtualNodeNodes: { path: collectionPath('virtualNodeNodes'), labelSelector: `${LABEL_TYPE}=${TYPE_VIRTUAL_NODE}` },
  resourceslices: { path: collectionPath('resourceslices') },
  namespaceoffloadings: { path: collectionPath('namespaceoffloadings') },
  tenants: { path: collectionPath('tenants') },
  shadowpods: { path: collectionPath('shadowpods') },
  // Cluster-wide: the Services folder shows Grafana and Prometheus wherever they run, next to the services of the
  // namespaces the subtree shows. Full scope only (a collapsed cluster shows no service).
  services: { path: collectionPath('services'), keep: cachedService },
};

/** The kinds that decide which namespaces' pods to watch go first: the pod LISTs wait on their answers. */
const START_ORDER: readonly FixedKind[] = [
  'namespaceoffloadings',
  'namespaces',
  ...(Object.keys(WATCH_SPECS) as FixedKind[]).filter((k) => k !== 'namespaceoffloadings' && k !== 'namespaces'),
];

/** Watched to notice Liqo being installed after the view opened, instead of polling the missing resources. */
const LIQO_CRD_SPEC: WatchSpec = { path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', fieldSelector: 'metadata.name=foreignclusters.core.liqo.io' };

/**
 * From this many namespaces whose pods the tree shows, one cluster-wide pod watch replaces the per-namespace ones:
 * one LIST and one watch instead of hundreds of each (every one its own request and connection, or HTTP/2 stream,
 * which API servers cap at 100 per connection by default), at the cost of caching the pods of the namespaces the tree
 * does not show. Below half of it, per-namespace watches come back.
 */
export const CLUSTER_WIDE_PODS_FROM = 50;
/** The key of the cluster-wide pod watch among the per-namespace ones (no namespace is named ''). */
const ALL_NAMESPACES = '';

export interface WatchListener {
  /** Debounced: the objects (per kind) that changed since the last call; `'all'` for a kind relisted or whose state changed. */
  changed(delta: ClusterDelta): void;
  /** A transport failure (no HTTP answer) or its recovery (`undefined`). */
  transport(err: KubeApiError | undefined): void;
}

export class ClusterWatches {
  private readonly fixed = new Map<FixedKind, ResourceWatch>();
  private readonly podWatches = new Map<string, ResourceWatch>();
  /** The namespaces whose pods the tree shows (the cluster-wide pod watch is filtered to them). */
  private shownPodNamespaces: ReadonlySet<string> = new Set();
  private crdWatch: ResourceWatch | undefined;
  /** Locating kinds whose cluster-wide LIST was forbidden (403): they are watched in one namespace instead. */
  private readonly narrowed = new Set<LocatingKind>();
  private location: LiqoLocation = {};
  private pending = new Map<WatchedKind, Set<string> | 'all'>();
  private timer: NodeJS.Timeout | undefined;
  private cached: ClusterSnapshot | undefined;
  /**
   * Each kind's list as the last snapshot had it, dropped only when that kind changes: a pod status change then
   * rebuilds no list at all (the pod list, 10,000 pods on a large cluster, is made only when a reader asks for it).
   */
  private readonly lists = new Map<WatchedKind, readonly KubeObject[]>();
  private running = false;
  private _scope: WatchScope = 'full';
  private initialLoadTold = false;
  private openWatches: () => void = () => undefined;
  private watchGate: Promise<void> | undefined;
  /** Resolves once every LIST of the current load has answered (then the watches open). */
  private readonly listsDone = (): Promise<void> => {
    if (this.initialLoadTold) return Promise.resolve();
    this.watchGate ??= new Promise<void>((resolve) => {
      this.openWatches = () => {
        this.watchGate = undefined;
        this.openWatches = () => undefined;
        resolve();
      };
    });
    return this.watchGate;
  };
  private lastTransport: KubeApiError | undefined;
  private readonly client: WatchSource;
  private readonly listener: WatchListener;
  private readonly debounceMs: number;
  private readonly backoff: BackoffOptions;
  private readonly clusterWidePodsFrom: number;

  constructor(client: ClusterClient, listener: WatchListener, opts: { debounceMs?: number; backoff?: BackoffOptions; clusterWidePodsFrom?: number } = {}) {
    this.client = client;
    this.listener = listener;
    this.debounceMs = opts.debounceMs ?? 25;
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.clusterWidePodsFrom = opts.clusterWidePodsFrom ?? CLUSTER_WIDE_PODS_FROM;
  }

  get isRunning(): boolean {
    return this.running;
  }

  get scope(): WatchScope {
    return this._scope;
  }

  /** Starts the watches of the given scope (the summary for a collapsed cluster, everything once expanded). */
  start(scope: WatchScope = this._scope): void {
    this.running = true;
    this._scope = scope;
    for (const kind of START_ORDER) {
      if (scope === 'summary' && !SUMMARY_KINDS.has(kind)) continue;
      let w = this.fixed.get(kind);
      if (!w) {
        w = new ResourceWatch(this.client, WATCH_SPECS[kind], (_w, change) => this.onWatch(kind, change), this.backoff, this.listsDone);
        this.fixed.set(kind, w);
      }
      w.start();
    }
    if (scope === 'full') this.syncPodWatches();
  }

  /**
   * Narrows or widens what is watched. Narrowing stops the watches only a expanded cluster needs; their caches and
   * resourceVersions stay, so widening again resumes them without a relist.
   */
  setScope(scope: WatchScope): void {
    if (scope === this._scope) return;
    if (!this.running) {
      this._scope = scope;
      return;
    }
    if (scope === 'full') {
      this.initialLoadTold = false;
      this.start('full');
      return;
    }
    this._scope = 'summary';
    for (const [kind, w] of this.fixed) {
      if (SUMMARY_KINDS.has(kind)) continue;
      w.stop();
      // No longer part of the snapshot: told as a change, so what reads it (status bar, alerts) looks again.
      this.note(kind, undefined);
    }
    for (const w of this.podWatches.values()) w.stop();
    this.podWatches.clear();
    this.cached = undefined;
    this.lists.delete('pods');
    this.note('pods', undefined);
    this.timer ??= setTimeout(() => this.flush(), this.debounceMs);
  }

  /** Retry: every running watch reconnects now (backoff waits dropped); caches are kept. */
  restartNow(): void {
    if (!this.running) return this.start();
    for (const w of this.allWatches()) if (w.running) w.restartNow();
  }

  /** Stops every watch but keeps the caches: resume() continues from the last resourceVersions. */
  pause(): void {
    this.running = false;
    this.openWatches();
    for (const w of this.allWatches()) w.stop();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  stop(): void {
    this.pause();
    this.initialLoadTold = false;
    this.fixed.clear();
    this.podWatches.clear();
    this.shownPodNamespaces = new Set();
    this.crdWatch = undefined;
    this.cached = undefined;
    this.lists.clear();
    this.narrowed.clear();
    this.location = {};
  }

  /** Whether the current scope watches `kind` (a collapsed cluster watches only what its row shows). */
  private watches(kind: FixedKind): boolean {
    return this._scope === 'full' || SUMMARY_KINDS.has(kind);
  }

  /** The kinds being watched right now (tests and the output channel's diagnostics). */
  get runningKinds(): WatchedKind[] {
    const kinds: WatchedKind[] = [...this.fixed].filter(([, w]) => w.running).map(([k]) => k);
    if ([...this.podWatches.values()].some((w) => w.running)) kinds.push('pods');
    return kinds;
  }

  /** The collections pods are watched from: one per shown namespace, or all pods (tests and diagnostics). */
  get podWatchPaths(): string[] {
    return [...this.podWatches.values()].map((w) => w.path).sort();
  }

  /** Requests issued so far (benchmarks compare them with the floor's). */
  get requestCounts(): { lists: number; watches: number } {
    let lists = 0;
    let watches = 0;
    for (const w of this.allWatches()) {
      lists += w.lists;
      watches += w.watches;
    }
    return { lists, watches };
  }

  /** True once every watch has answered once (ready, forbidden, absent or error) and no change waits to be told. */
  get settled(): boolean {
    return this.running && !this.timer && this.allAnswered();
  }

  object(kind: WatchedKind, key: string): KubeObject | undefined {
    if (kind === 'pods') {
      for (const w of this.podWatches.values()) {
        const o = w.objects.get(key);
        if (o) return o;
      }
      return undefined;
    }
    return this.fixed.get(kind)?.objects.get(key);
  }

  snapshot(): ClusterSnapshot {
    if (this.cached) return this.cached;
    const base = emptySnapshot();
    const kinds = { ...base.kinds } as Record<WatchedKind, KindState>;
    const list = <T>(kind: FixedKind): T[] => {
      const w = this.fixed.get(kind);
      // A kind the summary scope stopped keeps its cache for resuming, but what it holds is out of date: not watched
      // is shown as loading and empty, never as the cluster's current state (health, alerts and rows read this).
      if (!w || !this.watches(kind)) return [];
      kinds[kind] = w.state;
      let l = this.lists.get(kind);
      if (!l) this.lists.set(kind, (l = [...w.objects.values()]));
      return l as T[];
    };
    const podStates = [...this.podWatches.values()].map((w) => w.state);
    kinds.pods = podStates.find((s) => s.kind === 'forbidden') ?? podStates.find((s) => s.kind === 'error') ?? (podStates.some((s) => s.kind === 'loading') ? { kind: 'loading' } : { kind: 'ready' });
    // Read on first use (the pod rows patched in place look pods up by key instead), then kept with the snapshot. A
    // snapshot is read in the turn it was taken (any change drops it), so the lazy list is the snapshot's own.
    let pods: readonly KubeObject[] | undefined;
    const podList = (): readonly KubeObject[] => {
      let l = this.lists.get('pods');
      if (!l) this.lists.set('pods', (l = this.shownPods()));
      return l;
    };
    const snap: ClusterSnapshot = {
      kinds,
      liqoLocation: this.location,
      configMaps: list('clusterIdConfigMaps'),
      liqoDeployments: list('liqoDeployments'),
      liqoPods: list('liqoPods'),
      namespaces: list('namespaces'),
      foreignClusters: list('foreignclusters'),
      virtualNodes: list('virtualnodes'),
      nodes: list('virtualNodeNodes'),
      resourceSlices: list('resourceslices'),
      offloadings: list('namespaceoffloadings'),
      tenants: list('tenants'),
      shadowPods: list('shadowpods'),
      services: list('services'),
      get pods() {
        return (pods ??= podList()) as Pod[];
      },
      pod: (key) => this.shownPod(key) as Pod | undefined,
    };
    this.cached = snap;
    return snap;
  }

  /** A pod the tree shows, by key (the cluster-wide watch also holds pods of namespaces it does not show). */
  private shownPod(key: string): KubeObject | undefined {
    if (this.podWatches.has(ALL_NAMESPACES) && !this.shownPodNamespaces.has(key.slice(0, key.indexOf('/')))) return undefined;
    return this.object('pods', key);
  }

  private shownPods(): KubeObject[] {
    const all = this.podWatches.get(ALL_NAMESPACES);
    if (all) return [...all.objects.values()].filter((p) => this.shownPodNamespaces.has(p.metadata.namespace ?? ''));
    return [...this.podWatches.values()].flatMap((w) => [...w.objects.values()]);
  }

  private allWatches(): ResourceWatch[] {
    return [...this.fixed.values(), ...this.podWatches.values(), ...(this.crdWatch ? [this.crdWatch] : [])];
  }

  private onWatch(kind: WatchedKind, change?: ObjectChangeEvent): void {
    this.cached = undefined;
    this.lists.delete(kind);
    this.note(kind, change?.key);
    if (kind === 'namespaces' || kind === 'namespaceoffloadings') this.syncPodWatches();
    if (kind === 'clusterIdConfigMaps' || kind === 'liqoDeployments') this.syncLiqoLocation();
    if (this.fixed.get('foreignclusters')?.state.kind === 'absent') this.watchForLiqoInstall();
    this.syncTransport();
    // The first load is told once, when every watch has answered (each answer on its own would rebuild the subtree
    // for nothing: the rows show "Loading…" meanwhile); later bursts are debounced.
    if (!this.initialLoadTold) {
      if (!this.allAnswered()) return;
      this.initialLoadTold = true;
      this.openWatches();
      this.flush();
      return;
    }
    this.timer ??= setTimeout(() => this.flush(), this.debounceMs);
  }

  private note(kind: WatchedKind, key: string | undefined): void {
    const seen = this.pending.get(kind);
    if (seen === 'all') return;
    if (key === undefined) this.pending.set(kind, 'all');
    else if (seen) seen.add(key);
    else this.pending.set(kind, new Set([key]));
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const delta = this.pending;
    this.pending = new Map();
    this.listener.changed(delta);
  }

  private allAnswered(): boolean {
    for (const w of this.allWatches()) if (w.running && w.state.kind === 'loading') return false;
    return true;
  }

  private syncTransport(): void {
    const err = this.allWatches().find((w) => w.transportError)?.transportError;
    if (Boolean(err) !== Boolean(this.lastTransport)) this.listener.transport(err);
    this.lastTransport = err;
  }

  /** Pods are watched exactly in the namespaces whose pods the tree shows. */
  private syncPodWatches(): void {
    if (!this.running || this._scope !== 'full') return;
    // Which namespaces are shown, or which watches hold the pods, may change below.
    this.cached = undefined;
    this.lists.delete('pods');
    const wanted = new Set<string>();
    for (const o of this.fixed.get('namespaceoffloadings')?.objects.values() ?? []) if (o.metadata.namespace) wanted.add(o.metadata.namespace);
    for (const ns of this.fixed.get('namespaces')?.objects.values() ?? []) {
      if (namespaceRole(ns, []).kind === 'twin') wanted.add(ns.metadata.name);
    }
    const clusterWide = wanted.size >= (this.podWatches.has(ALL_NAMESPACES) ? this.clusterWidePodsFrom / 2 : this.clusterWidePodsFrom);
    if (clusterWide && (wanted.size !== this.shownPodNamespaces.size || [...wanted].some((ns) => !this.shownPodNamespaces.has(ns)))) this.note('pods', undefined);
    this.shownPodNamespaces = wanted;
    const keys: ReadonlySet<string> = clusterWide ? new Set([ALL_NAMESPACES]) : wanted;
    for (const [ns, w] of this.podWatches) {
      if (!keys.has(ns)) {
        w.stop();
        this.podWatches.delete(ns);
        this.note('pods', undefined);
      }
    }
    for (const ns of keys) {
      if (this.podWatches.has(ns)) continue;
      const path = collectionPath('pods', ns === ALL_NAMESPACES ? undefined : ns);
      // On the cluster-wide watch, pods of namespaces the tree does not show change nothing it shows.
      const onChange = (_w: ResourceWatch, change?: ObjectChangeEvent) => {
        if (ns === ALL_NAMESPACES && change && !this.shownPodNamespaces.has(change.key.slice(0, change.key.indexOf('/')))) return;
        this.onWatch('pods', change);
      };
      const w = new ResourceWatch(this.client, { path, keep: cachedPod }, onChange, this.backoff, this.listsDone);
      this.podWatches.set(ns, w);
      w.start();
    }
  }

  /**
   * Follows Liqo's namespace: Liqo's pods are watched there, and a locating kind forbidden cluster-wide is watched
   * there (or in the default namespace while nothing is found), with the limit told in the cluster's tooltip.
   */
  private syncLiqoLocation(): void {
    for (const kind of LOCATING_KINDS) {
      const w = this.fixed.get(kind);
      if (w && isClusterWide(w.path) && w.state.kind === 'forbidden') this.narrowed.add(kind);
    }
    const located = locateLiqoNamespace(
      [...(this.fixed.get('clusterIdConfigMaps')?.objects.values() ?? [])] as ConfigMap[],
      [...(this.fixed.get('liqoDeployments')?.objects.values() ?? [])] as Deployment[],
    );
    const ns = located ?? DEFAULT_LIQO_NAMESPACE;
    for (const kind of this.narrowed) this.replaceFixed(kind, locatingSpec(kind, ns));
    this.replaceFixed('liqoPods', liqoPodsSpec(ns));
    const limitedBy = this.narrowed.size > 0 ? limitedByText([...this.narrowed], ns) : undefined;
    if (located !== this.location.namespace || limitedBy !== this.location.limitedBy) {
      this.location = { ...(located ? { namespace: located } : {}), ...(limitedBy ? { limitedBy } : {}) };
      this.note('clusterIdConfigMaps', undefined);
    }
  }

  /** Swaps a kind's watch for one on another path (its cache starts empty; the kind is told as changed). */
  private replaceFixed(kind: FixedKind, spec: WatchSpec): void {
    const old = this.fixed.get(kind);
    if (old?.path === spec.path) return;
    old?.stop();
    const w = new ResourceWatch(this.client, spec, (_w, change) => this.onWatch(kind, change), this.backoff, this.listsDone);
    this.fixed.set(kind, w);
    this.cached = undefined;
    this.lists.delete(kind);
    this.note(kind, undefined);
    if (this.running && this.watches(kind)) w.start();
  }

  private watchForLiqoInstall(): void {
    if (this.crdWatch || !this.running) return;
    this.crdWatch = new ResourceWatch(
      this.client,
      LIQO_CRD_SPEC,
      (w) => {
        if (w.objects.size === 0) return;
        for (const [kind, rw] of this.fixed) if (rw.state.kind === 'absent' && this.watches(kind)) rw.restartNow();
      },
      this.backoff,
    );
    this.crdWatch.start();
  }
}

