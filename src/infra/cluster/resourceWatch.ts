// One list+watch of one resource: keeps a cache of the objects, resumes from the last resourceVersion when a watch
// ends, relists on 410 Gone, and after errors restarts with exponential backoff. Reports its state (ready, 403,
// 404, error) so the tree can show it where it matters.
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../../core/liqo/objects.ts';
import { objectKey } from '../../core/liqo/objects.ts';
import type { KindState } from '../../core/liqo/snapshot.ts';
import { KubeApiError, listJson, startWatch, toKubeApiError, type WatchEventType } from './kubeRest.ts';

export interface WatchSpec {
  /** API path of the collection, e.g. /apis/core.liqo.io/v1beta1/foreignclusters. */
  readonly path: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

export interface BackoffOptions {
  readonly baseMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 30_000 };
const LIST_TIMEOUT_MS = 60_000;

export class ResourceWatch {
  readonly objects = new Map<string, KubeObject>();
  private _state: KindState = { kind: 'loading' };
  /** The last transport-level failure (no HTTP answer), cleared on the next success. */
  private _transportError: KubeApiError | undefined;
  private resourceVersion = '';
  private generation = 0;
  private failures = 0;
  private quickRetries = 0;
  private abort: AbortController | undefined;
  private watchAbort: AbortController | undefined;
  private readonly kc: KubeConfig;
  private readonly spec: WatchSpec;
  private readonly onChange: (w: ResourceWatch) => void;
  private readonly backoff: BackoffOptions;
  /** Counters for tests and benchmarks: how many LISTs and WATCHes were issued. */
  lists = 0;
  watches = 0;

  private readonly beforeWatch: () => Promise<void>;

  /**
   * `beforeWatch` is awaited between the first LIST and the first WATCH: the owner uses it to let every LIST of a
   * cluster finish before any watch opens its own connection (their TLS handshakes would slow the lists down).
   */
  constructor(kc: KubeConfig, spec: WatchSpec, onChange: (w: ResourceWatch) => void, backoff: BackoffOptions = DEFAULT_BACKOFF, beforeWatch: () => Promise<void> = () => Promise.resolve()) {
    this.kc = kc;
    this.spec = spec;
    this.onChange = onChange;
    this.backoff = backoff;
    this.beforeWatch = beforeWatch;
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
    this.launch();
  }

  stop(): void {
    this.generation++;
    this.abort?.abort();
    this.watchAbort?.abort();
    this.abort = undefined;
    this.watchAbort = undefined;
  }

  private launch(): void {
    const gen = ++this.generation;
    this.abort = new AbortController();
    void this.run(gen, this.abort.signal);
  }

  private query(): Record<string, string> {
    const q: Record<string, string> = {};
    if (this.spec.labelSelector) q.labelSelector = this.spec.labelSelector;
    if (this.spec.fieldSelector) q.fieldSelector = this.spec.fieldSelector;
    return q;
  }

  private async run(gen: number, signal: AbortSignal): Promise<void> {
    while (gen === this.generation) {
      try {
        if (!this.resourceVersion) {
          this.lists++;
          // A LIST that never answers must not leave the folder loading forever.
          const list = await listJson(this.kc, this.spec.path, this.query(), AbortSignal.any([signal, AbortSignal.timeout(LIST_TIMEOUT_MS)]));
          if (gen !== this.generation) return;
          this.replaceAll(list.items as KubeObject[]);
          this.resourceVersion = list.resourceVersion;
          this.succeeded();
          await this.beforeWatch();
          if (gen !== this.generation) return;
        }
        const err = await this.watchOnce(gen);
        if (gen !== this.generation) return;
        if (err === null) continue; // the server ended the watch: resume from the last resourceVersion
        throw err;
      } catch (e) {
        if (gen !== this.generation) return;
        const err = toKubeApiError(e);
        if (err.status === 410) {
          this.resourceVersion = ''; // too old: relist
          continue;
        }
        if (err.status === 404) {
          // The resource type does not exist (CRD not installed). Retrying would be polling: the owner restarts this
          // watch when the CRD appears.
          this.objects.clear();
          this.resourceVersion = '';
          this.fail(err, 0);
          return;
        }
        // 429/503 are what an API server answers while it starts (storage initialising, paths not installed yet):
        // retry at the base pace rather than backing off for half a minute.
        // A server that keeps answering so is throttling us, not starting: after 10 quick retries, back off.
        const starting = (err.status === 429 || err.status === 503) && this.quickRetries < 10;
        const delay = starting ? this.backoff.baseMs : Math.min(this.backoff.baseMs * 2 ** this.failures, this.backoff.maxMs);
        if (starting) this.quickRetries++;
        else this.failures++;
        this.fail(err, delay);
        await sleep(delay, signal);
      }
    }
  }

  private watchOnce(gen: number): Promise<KubeApiError | null> {
    return new Promise((resolve) => {
      const query: Record<string, string | boolean | number> = {
        ...this.query(),
        resourceVersion: this.resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds: 240 + Math.floor(Math.random() * 60),
      };
      this.watches++;
      let gone = false;
      startWatch(
        this.kc,
        this.spec.path,
        query,
        (type, obj) => {
          if (gen !== this.generation) return;
          if (type === 'ERROR') {
            if ((obj as { code?: number }).code === 410) gone = true;
            return;
          }
          this.apply(type, obj as KubeObject);
        },
        (err) => resolve(gone ? new KubeApiError('resourceVersion too old', 410) : err),
      ).then(
        (controller) => {
          this.watchAbort = controller;
          if (gen !== this.generation) controller.abort();
          // Connected: a watch that failed before would have called done already.
          else if (this._state.kind !== 'ready' || this._transportError) this.succeeded();
        },
        (err: unknown) => resolve(toKubeApiError(err)),
      );
    });
  }

  private apply(type: WatchEventType, obj: KubeObject): void {
    if (!obj?.metadata) return;
    if (obj.metadata.resourceVersion) this.resourceVersion = obj.metadata.resourceVersion;
    if (type === 'BOOKMARK') return;
    const key = objectKey(obj);
    if (type === 'DELETED') this.objects.delete(key);
    else this.objects.set(key, slim(obj));
    this.onChange(this);
  }

  private replaceAll(items: readonly KubeObject[]): void {
    this.objects.clear();
    for (const o of items) this.objects.set(objectKey(o), slim(o));
  }

  private succeeded(): void {
    this.failures = 0;
    this.quickRetries = 0;
    this._transportError = undefined;
    this._state = { kind: 'ready' };
    this.onChange(this);
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

/** managedFields are large and never shown: dropping them halves the cache. */
function slim(o: KubeObject): KubeObject {
  const meta = o.metadata as KubeObject['metadata'] & { managedFields?: unknown };
  if (!meta.managedFields) return o;
  const { managedFields: _drop, ...rest } = meta;
  return { ...o, metadata: rest };
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
