// Following one object until it settles, by watch rather than polling: list it by name (fieldSelector
// metadata.name) for its current state and a resourceVersion, then watch from there; each state (undefined once it
// is gone) goes to `decide`, and the first answer that is not undefined ends the follow. A watch the server closes
// (its timeout) or expires (410 Gone) is simply listed and watched again; the signal and a time limit stop it.
// An answer `holdMs` gives a time to is provisional: it ends the follow only if no later state changes it for that
// long (a controller that writes a verdict, fails its reconcile and retries soon after).
import { KubeApiError, type ClusterClient } from '../cluster/clusterClient.ts';

export interface FollowOptions<T = unknown> {
  readonly signal?: AbortSignal;
  /** Give up after this long (default 3 min): the follow ends with `timedOut`. */
  readonly timeoutMs?: number;
  /** How long an answer must stand unchanged before it ends the follow (default: at once). */
  readonly holdMs?: (value: T) => number | undefined;
}

export type FollowResult<T> = { readonly settled: true; readonly value: T } | { readonly settled: false; readonly reason: 'aborted' | 'timedOut'; readonly last: unknown };

/** `collectionPath`: the list path of the object's kind (namespaced where it is), e.g. …/namespaces/ns/pods. */
export async function followObject<T>(
  client: ClusterClient,
  collectionPath: string,
  name: string,
  decide: (obj: unknown) => T | undefined,
  o: FollowOptions<T> = {},
): Promise<FollowResult<T>> {
  const limit = AbortSignal.timeout(o.timeoutMs ?? 180_000);
  const stop = o.signal ? AbortSignal.any([o.signal, limit]) : limit;
  const fieldSelector = `metadata.name=${name}`;
  let last: unknown;
  let failures = 0;
  let result: T | undefined;
  // a provisional answer: it becomes the result when its timer fires; a later state with another answer starts over
  let held: { timer: ReturnType<typeof setTimeout>; value: T } | undefined;
  let watchEnd = new AbortController();
  const drop = () => {
    if (held !== undefined) clearTimeout(held.timer);
    held = undefined;
  };
  const consider = (obj: unknown): void => {
    const v = decide(obj);
    // a state that gives the held answer again (another field changed) keeps its clock
    if (held !== undefined && v !== undefined && JSON.stringify(v) === JSON.stringify(held.value)) return;
    drop();
    if (v === undefined) return;
    const hold = o.holdMs?.(v);
    if (!hold || hold <= 0) {
      result = v;
      return;
    }
    held = {
      value: v,
      timer: setTimeout(() => {
        held = undefined;
        result = v;
        watchEnd.abort();
      }, hold),
    };
  };
  const ended = (): FollowResult<T> => ({ settled: false, reason: o.signal?.aborted ? 'aborted' : 'timedOut', last });
  try {
    while (!stop.aborted) {
      let resourceVersion: string;
      try {
        const list = await client.list(collectionPath, { fieldSelector }, stop);
        resourceVersion = list.resourceVersion;
        last = list.items[0];
        consider(last);
      } catch (e) {
        if (result !== undefined) return { settled: true, value: result };
        if (stop.aborted) return ended();
        // a transient failure (the API server restarting, a dropped connection): a few tries, then the error
        if (++failures > 5 || (e instanceof KubeApiError && e.status !== undefined && e.status < 500)) throw e;
        await new Promise((r) => setTimeout(r, 500 * failures));
        continue;
      }
      if (result !== undefined) return { settled: true, value: result };
      watchEnd = new AbortController();
      const both = AbortSignal.any([stop, watchEnd.signal]);
      try {
        await client.watch(
          collectionPath,
          { fieldSelector, resourceVersion, allowWatchBookmarks: false },
          {
            onEvent: (type, obj) => {
              if (result !== undefined || type === 'BOOKMARK') return;
              if (type === 'ERROR') {
                watchEnd.abort(); // usually 410 Gone: list again
                return;
              }
              last = type === 'DELETED' ? undefined : obj;
              consider(last);
              if (result !== undefined) watchEnd.abort();
            },
          },
          both,
        );
        failures = 0;
      } catch (e) {
        if (result !== undefined) return { settled: true, value: result };
        if (stop.aborted) return ended();
        if (!watchEnd.signal.aborted) {
          if (++failures > 5 || (e instanceof KubeApiError && e.status !== undefined && e.status < 500)) throw e;
          await new Promise((r) => setTimeout(r, 500 * failures));
        }
      }
      if (result !== undefined) return { settled: true, value: result };
      // the watch ended (the server's timeout, a 410) while an answer is held: wait for the hold within the limit
    }
    return ended();
  } finally {
    drop();
  }
}

/** Follows an object until it is gone (deleted and its finalizers run): settled once it is. */
export function followUntilGone(client: ClusterClient, collectionPath: string, name: string, o: FollowOptions<true> = {}): Promise<FollowResult<true>> {
  return followObject(client, collectionPath, name, (x) => (x === undefined ? true : undefined), o);
}
