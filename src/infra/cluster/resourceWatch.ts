// One list+watch of one resource: keeps a cache of the objects, resumes from the last resourceVersion when a watch
// ends, relists on 410 Gone, and after errors restarts with exponential backoff and jitter. Reports its state
// (ready, 403, 404, error) so the tree can show it where it matters.
//
// The request bound, whatever the server answers: an attempt is a WATCH, or a LIST and its WATCH (first load, 410
// Gone); at most 2 requests. An attempt counts as healthy only once its watch stayed open HEALTHY_AFTER_MS: events
// (even real ones), a LIST answer or a watch accepted and closed at once do not reset the backoff. Every attempt that
// was not healthy is followed by a wait of at least half of min(base·2^(n−1), max) for the n-th in a row (equal
// jitter), never shorter than the Retry-After the server asked for; 429/503 get a few waits of at least base/2
// first (an API server starting). So a watch sends at most 2 requests per base/2: with the 1 s default, at most 8 in
// any second and 4 per second over any 10 s, and under a lasting fault the waits double to max/2..max (15–30 s by
// default). test/integration/support/watchBound.ts computes the bound for a window; the watch tests hold to it.
import type { KubeObject } from '../../core/liqo/objects.ts';
import { objectKey } from '../../core/liqo/objects.ts';
import { withoutManagedFields } from '../../core/liqo/cachedObjects.ts';
import type { KindState } from '../../core/liqo/snapshot.ts';
import { KubeApiError, type ClusterClient, type WatchEventType } from './clusterClient.ts';
import { statusRetryAfter, toKubeApiError } from './kubeErrors.ts';

export interface WatchSpec {
  /** API path of the collection, e.g. /apis/core.liqo.io/v1beta1/foreignclusters. */
  readonly path: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /**
   * What the cache keeps of each object, applied as a LIST item or watch event is taken in (core/liqo/cachedObjects.ts);
   * all but managedFields by default.
   */
  readonly keep?: (o: KubeObject) => KubeObject;
}

export interface BackoffOptions {
  readonly baseMs: number;
  readonly maxMs: number;
}

/** What a watch needs from the cluster's client. */
export type WatchSource = Pick<ClusterClient, 'list' | 'watch'>;

/** One object added, modified or deleted by a watch event (a change without it: the list or the state changed). */
export interface ObjectChangeEvent {
  readonly type: WatchEventType;
  readonly key: string;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 30_000 };
const LIST_TIMEOUT_MS = 60_000;
/** A watch open this long without failing is healthy: its end resumes at once and the backoff starts over. */
export const HEALTHY_AFTER_MS = 2000;
/** 429/503 while an API server starts are retried at the base pace this many times before backing off. */
const QUICK_RETRIES = 10;

export class ResourceWatch {
  readonly objects = new Map<string, KubeObject>();
  private _state: KindState = { kind: 'loading' };
  /** The last transport-level failure (no HTTP answer), cleared once the server answers again. */
  private _transportError: KubeApiError | undefined;
  private resourceVersion = '';
  private generation = 0;
  /** Consecutive attempts that failed or ended before they were healthy. */
  private failures = 0;
  private quickRetries = 0;
  private abort: AbortController | undefined;
  private readonly source: WatchSource;
  private readonly spec: WatchSpec;
  private readonly onChange: (w: ResourceWatch, change?: ObjectChangeEvent) => void;
  private readonly backoff: BackoffOptions;
  private readonly beforeWatch: () => Promise<void>;
  private readonly keep: (o: KubeObject) => KubeObject;
  /** Counters for tests and benchmarks: how many LISTs and WATCHes were issued. */
  lists = 0;
  watches = 0;

  /**
   * `beforeWatch` is awaited between the first LIST and the first WATCH: the owner uses it to let every LIST of a
   * cluster finish before any watch opens its own stream (they would slow the lists down).
   */
  constructor(source: WatchSource, spec: WatchSpec, onChange: (w: ResourceWatch, change?: ObjectChangeEvent) => void, backoff: BackoffOptions = DEFAULT_BACKOFF, beforeWatch: () => Promise<void> = () => Promise.resolve()) {
    this.source = source;
    this.spec = spec;
    this.onChange = onChange;
    this.backoff = backoff;
    this.beforeWatch = beforeWatch;
    this.keep = spec.keep ?? withoutManagedFields;
  }

  get state(): KindState {
    return this._state;
  }

  get transportError(): KubeApiError | undefined {
    return this._transportError;
  }

  get path(): string {
    return this.spec.path;
  }

  /** True between start() and stop(). */
  get running(): boolean {
    return this.abort !== undefined;
  }

  start(): void {
    if (this.abort) return;
    this.launch();
  }

  /** Drops any backoff wait and reconnects now (Retry). Keeps the cache and resumes from its resourceVersion. */
  restartNow(): void {
    this.stop();
    this.failures = 0;
    this.quickRetries = 0;
    this.launch();
  }

  stop(): void {
    this.generation++;
    this.abort?.abort();
    this.abort = undefined;
  }

  private launch(): void {
    const gen = ++this.generation;
    // One controller per run: it ends the LIST, the open watch and any backoff wait of this run, and nothing else.
    const abort = new AbortController();
    this.abort = abort;
    void this.run(gen, abort.signal);
  }

  private query(): Record<string, string> {
    const q: Record<string, string> = {};
    if (this.spec.labelSelector) q.labelSelector = this.spec.labelSelector;
    if (this.spec.fieldSelector) q.fieldSelector = this.spec.fieldSelector;
    return q;
  }

  private async run(gen: number, signal: AbortSignal): Promise<void> {
    const current = (): boolean => gen === this.generation && !signal.aborted;
    while (current()) {
      try {
        if (!this.resourceVersion) {
          if (!(await this.relist(signal, current))) return;
          await this.beforeWatch();
          if (!current()) return;
        }
        const healthy = await this.watchOnce(gen, signal);
        if (!current()) return;
        if (healthy) continue; // the server ended a healthy watch (its timeout): resume from the last resourceVersion
        // Ended before it was healthy: the server closes watches early (with or without events). Retry, but never in
        // a tight loop.
        this.failures++;
        await sleep(this.delay(), signal);
      } catch (e) {
        if (!current()) return;
        const err = toKubeApiError(e);
        if (err.status === 404 && !this.resourceVersion) {
          // The LIST says the resource type does not exist (CRD not installed). Retrying would be polling: the owner
          // restarts this watch when the CRD appears.
          this.objects.clear();
          this.fail(err, 0);
          return;
        }
        if (err.status === 410 || err.status === 404) {
          // Too old: relist. A 404 on the watch of a collection just listed: relist too, and let the LIST decide
          // whether the type is gone. The first 410 after a healthy watch relists at once (a compacted
          // resourceVersion after a long pause); one that keeps coming waits like any other failure.
          this.resourceVersion = '';
          const delay = this.failures > 0 ? this.delay(err) : 0;
          this.failures++;
          if (delay > 0) await sleep(delay, signal);
          continue;
        }
        // 429/503 are what an API server answers while it starts (storage initialising, paths not installed yet):
        // retry at the base pace rather than backing off for half a minute — but a server that keeps answering so is
        // throttling us, not starting: after a few quick retries, back off. Retry-After, when given, is honoured.
        // A kind never listed yet stays "Loading…" through those quick retries: the server said "wait", and a problem
        // row shown for a second then taken back moves every row under it (folders open on a problem).
        const starting = (err.status === 429 || err.status === 503) && this.quickRetries < QUICK_RETRIES;
        let delay: number;
        if (starting) {
          this.quickRetries++;
          delay = Math.max(jitter(this.backoff.baseMs), retryAfterMs(err));
        } else {
          this.failures++;
          delay = this.delay(err);
        }
        if (!starting || this._state.kind !== 'loading') this.fail(err, delay);
        await sleep(delay, signal);
      }
    }
  }

  /**
   * One LIST into the cache; false when this run ended meanwhile. Its own frame, on purpose: the answer holds every
   * object whole (10,000 pods are ~40 MB with their managedFields), and as a local of run() it stayed alive in that
   * suspended async frame for as long as the watch ran, next to the cache that keeps only part of it.
   */
  private async relist(signal: AbortSignal, current: () => boolean): Promise<boolean> {
    this.lists++;
    // A LIST that never answers must not leave the folder loading forever.
    const list = await this.source.list(this.spec.path, this.query(), AbortSignal.any([signal, AbortSignal.timeout(LIST_TIMEOUT_MS)]));
    if (!current()) return false;
    this.replaceAll(list.items as KubeObject[]);
    this.resourceVersion = list.resourceVersion;
    // Shown as ready, but the backoff goes on: a server answering every watch with 410 would otherwise be asked for
    // a LIST and a WATCH in a tight loop, each LIST starting the backoff over.
    this.answered(true);
    return true;
  }

  /**
   * The wait before the next attempt: exponential in the consecutive failures, capped, with jitter; never shorter
   * than the Retry-After of `err`.
   */
  private delay(err?: KubeApiError): number {
    return Math.max(jitter(Math.min(this.backoff.baseMs * 2 ** Math.max(0, this.failures - 1), this.backoff.maxMs)), err ? retryAfterMs(err) : 0);
  }

  /**
   * One WATCH from the current resourceVersion. Resolves true when it ended normally after staying open
   * HEALTHY_AFTER_MS, false when the server ended it sooner (events or not); rejects with the error otherwise (an
   * ERROR event counts as the server's error).
   */
  private async watchOnce(gen: number, signal: AbortSignal): Promise<boolean> {
    const query = {
      ...this.query(),
      resourceVersion: this.resourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds: 240 + Math.floor(Math.random() * 60),
    };
    this.watches++;
    let wasHealthy = false;
    let errorEvent: KubeApiError | undefined;
    // Only time open proves a watch healthy: a server that sends one event (a BOOKMARK even) and closes, again and
    // again, must not start the backoff over each time.
    const markHealthy = (): void => {
      if (wasHealthy || gen !== this.generation || errorEvent) return;
      wasHealthy = true;
      this.healthy();
    };
    let timer: NodeJS.Timeout | undefined;
    const watchAbort = new AbortController();
    const stopOnAbort = (): void => watchAbort.abort();
    signal.addEventListener('abort', stopOnAbort, { once: true });
    try {
      await this.source.watch(
        this.spec.path,
        query,
        {
          onConnected: () => {
            if (gen !== this.generation) return;
            // The server answered: whatever transport problem there was is over, and the cache (resumed from its
            // resourceVersion) is current again. An HTTP or ERROR-event failure stays shown until the watch is healthy.
            if (this._transportError) {
              this._transportError = undefined;
              this._state = { kind: 'ready' };
              this.onChange(this);
            }
            timer = setTimeout(markHealthy, HEALTHY_AFTER_MS);
          },
          onEvent: (type, obj) => {
            if (gen !== this.generation || errorEvent) return;
            if (type === 'ERROR') {
              const status = obj as { code?: number; message?: string; reason?: string };
              errorEvent = new KubeApiError(status.message ?? status.reason ?? 'watch error', typeof status.code === 'number' ? status.code : 500, undefined, statusRetryAfter(obj));
              // The server ends the stream after an ERROR event; stop reading now so nothing after it is applied.
              watchAbort.abort();
              return;
            }
            this.apply(type, obj as KubeObject);
            // An event shows the data current (any error shown goes), but only time open resets the backoff.
            this.answered();
          },
        },
        watchAbort.signal,
      );
    } catch (e) {
      if (!errorEvent) throw e;
    } finally {
      if (timer) clearTimeout(timer);
      signal.removeEventListener('abort', stopOnAbort);
    }
    if (errorEvent) throw errorEvent;
    return wasHealthy;
  }

  private apply(type: WatchEventType, obj: KubeObject): void {
    if (!obj?.metadata) return;
    if (obj.metadata.resourceVersion) this.resourceVersion = obj.metadata.resourceVersion;
    if (type === 'BOOKMARK') return;
    const key = objectKey(obj);
    if (type === 'DELETED') this.objects.delete(key);
    else this.objects.set(key, this.keep(obj));
    this.onChange(this, { type, key });
  }

  private replaceAll(items: readonly KubeObject[]): void {
    this.objects.clear();
    for (const o of items) this.objects.set(objectKey(o), this.keep(o));
  }

  /** A watch stayed open HEALTHY_AFTER_MS: the backoff starts over and any error shown is cleared. */
  private healthy(): void {
    this.failures = 0;
    this.quickRetries = 0;
    this.answered();
  }

  /**
   * The server answered with data (`replaced`: a LIST replaced the objects): any error shown is cleared. The backoff
   * is left as it is.
   */
  private answered(replaced = false): void {
    const changed = this._state.kind !== 'ready' || this._transportError !== undefined;
    this._transportError = undefined;
    this._state = { kind: 'ready' };
    if (changed || replaced) this.onChange(this);
  }

  private fail(err: KubeApiError, delayMs: number): void {
    const retryInSeconds = Math.round(delayMs / 1000);
    if (err.status === 403) this._state = { kind: 'forbidden', message: err.message };
    else if (err.status === 404) this._state = { kind: 'absent' };
    else this._state = { kind: 'error', message: err.status ? `HTTP ${err.status}: ${err.message}` : err.message, retryInSeconds };
    this._transportError = err.status === undefined ? err : undefined;
    this.onChange(this);
  }
}

/** The wait the server asked for, in ms (0 when it asked for none). */
function retryAfterMs(err: KubeApiError): number {
  return (err.retryAfterSeconds ?? 0) * 1000;
}

/** Equal jitter: half the delay fixed, half random, so many watches failing together do not retry together. */
function jitter(ms: number): number {
  return Math.round(ms / 2 + (Math.random() * ms) / 2);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}
