// Following one object until it settles, by watch rather than polling: list it by name (fieldSelector
// metadata.name) for its current state and a resourceVersion, then watch from there; each state (undefined once it
// is gone) goes to `decide`, and the first answer that is not undefined ends the follow. A watch the server closes
// (its timeout) or expires (410 Gone) is simply listed and watched again; the signal and a time limit stop it.
import { KubeApiError, type ClusterClient } from '../cluster/clusterClient.ts';

export interface FollowOptions {
  readonly signal?: AbortSignal;
  /** Give up after this long (default 3 min): the follow ends with `timedOut`. */
  readonly timeoutMs?: number;
}

export type FollowResult<T> = { readonly settled: true; readonly value: T } | { readonly settled: false; readonly reason: 'aborted' | 'timedOut'; readonly last: unknown };

/** `collectionPath`: the list path of the object's kind (namespaced where it is), e.g. …/namespaces/ns/pods. */
export async function followObject<T>(
  client: ClusterClient,
  collectionPath: string,
  name: string,
  decide: (obj: unknown) => T | undefined,
  o: FollowOptions = {},
): Promise<FollowResult<T>> {
  const limit = AbortSignal.timeout(o.timeoutMs ?? 180_000);
  const stop = o.signal ? AbortSignal.any([o.signal, limit]) : limit;
  const fieldSelector = `metadata.name=${name}`;
  let last: unknown;
  let failures = 0;
  const ended = (): FollowResult<T> => ({ settled: false, reason: o.signal?.aborted ? 'aborted' : 'timedOut', last });
  while (!stop.aborted) {
    let resourceVersion: string;
    try {
      const list = await client.list(collectionPath, { fieldSelector }, stop);
      last = list.items[0];
      resourceVersion = list.resourceVersion;
    } catch (e) {
      if (stop.aborted) return ended();
      // a transient failure (the API server restarting, a dropped connection): a few tries, then the error
      if (++failures > 5 || (e instanceof KubeApiError && e.status !== undefined && e.status < 500)) throw e;
      await new Promise((r) => setTimeout(r, 500 * failures));
      continue;
    }
    const first = decide(last);
    if (first !== undefined) return { settled: true, value: first };
    const watchEnd = new AbortController();
    const both = AbortSignal.any([stop, watchEnd.signal]);
    let result: T | undefined;
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
            const v = decide(last);
            if (v !== undefined) {
              result = v;
              watchEnd.abort();
            }
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
  }
  return ended();
}
