// The two calls the explorer makes to an API server, through client-node's authentication: LIST as raw JSON (no
// model deserialisation, so lists and watch events have the same shape) and WATCH (client-node's Watch).
import { HttpMethod, IsomorphicFetchHttpLibrary, RequestContext, Watch, type KubeConfig } from '@kubernetes/client-node';

import { KubeApiError, type KubeListResult, type Query, type WatchEventType } from './clusterClient.ts';
import type { WatchSource } from './resourceWatch.ts';

export { KubeApiError, type KubeListResult, type WatchEventType };

export function toKubeApiError(err: unknown): KubeApiError {
  if (err instanceof KubeApiError) return err;
  // AbortSignal.timeout() rejects with a DOMException whose numeric `code` (23) is not an HTTP status: a timeout is a
  // transport failure.
  const name = (err as { name?: unknown } | undefined)?.name;
  if (name === 'TimeoutError') return new KubeApiError('no answer in time', undefined, 'ETIMEDOUT');
  if (name === 'AbortError') return new KubeApiError('aborted', undefined, 'ABORTED');
  const e = err as { message?: string; statusCode?: number; code?: string | number; cause?: { code?: string; message?: string } };
  const status = typeof e.statusCode === 'number' ? e.statusCode : typeof e.code === 'number' && e.code >= 100 ? e.code : undefined;
  const code = e.cause?.code ?? (typeof e.code === 'string' ? e.code : undefined);
  const message = e.cause?.message ?? e.message ?? String(err);
  return new KubeApiError(message, status, code);
}

const http = new IsomorphicFetchHttpLibrary();

export async function listJson(kc: KubeConfig, path: string, query: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<KubeListResult> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new KubeApiError('the context has no cluster');
  const ctx = new RequestContext(cluster.server.replace(/\/$/, '') + path, HttpMethod.GET);
  for (const [k, v] of Object.entries(query)) ctx.setQueryParam(k, v);
  ctx.setHeaderParam('Accept', 'application/json');
  if (signal) ctx.setSignal(signal);
  let text: string;
  let status: number;
  try {
    await kc.applySecurityAuthentication(ctx);
    const resp = await http.send(ctx).toPromise();
    status = resp.httpStatusCode;
    text = await resp.body.text();
  } catch (err) {
    throw toKubeApiError(err);
  }
  if (status < 200 || status > 299) {
    let message = `HTTP ${status}`;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? message;
    } catch {
      // not a Status object
    }
    throw new KubeApiError(message, status);
  }
  const body = JSON.parse(text) as { items?: unknown[]; metadata?: { resourceVersion?: string } };
  return { items: body.items ?? [], resourceVersion: body.metadata?.resourceVersion ?? '' };
}

/** Starts one watch; `done` is called exactly once, with the error or null when the server ended it. */
export async function startWatch(
  kc: KubeConfig,
  path: string,
  query: Readonly<Record<string, string | boolean | number>>,
  onEvent: (type: WatchEventType, obj: unknown) => void,
  done: (err: KubeApiError | null) => void,
): Promise<AbortController> {
  const w = new Watch(kc);
  // Quiet resources get no events for minutes; the server ends each watch after timeoutSeconds, so the client-side
  // inactivity limit only has to catch dead connections.
  (w as unknown as { requestTimeoutMs: number }).requestTimeoutMs = 330_000;
  let called = false;
  return w.watch(path, query, (type, obj) => onEvent(type as WatchEventType, obj), (err: unknown) => {
    if (called) return;
    called = true;
    done(err ? toKubeApiError(err) : null);
  });
}

/** The list and watch calls of a ResourceWatch over client-node's configuration (until the ClusterClient replaces it). */
export function kubeConfigSource(kc: KubeConfig): WatchSource {
  return {
    list: (path, query = {}, signal) => listJson(kc, path, stringQuery(query), signal),
    watch: (path, query, handlers, signal) =>
      new Promise<void>((resolve, reject) => {
        let settled = false;
        const finish = (err: KubeApiError | null): void => {
          if (settled) return;
          settled = true;
          if (err) reject(err);
          else resolve();
        };
        startWatch(kc, path, definedQuery(query), handlers.onEvent, finish).then(
          (controller) => {
            if (signal.aborted) controller.abort();
            else {
              signal.addEventListener('abort', () => controller.abort(), { once: true });
              handlers.onConnected?.();
            }
          },
          (err: unknown) => finish(toKubeApiError(err)),
        );
        signal.addEventListener('abort', () => finish(null), { once: true });
      }),
  };
}

function definedQuery(query: Query): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(query)) if (v !== undefined) out[k] = v;
  return out;
}

function stringQuery(query: Query): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) if (v !== undefined) out[k] = String(v);
  return out;
}
