// The ClusterClient of one resolved context, over its ConnectionPool: JSON GET/LIST, watches as JSON lines,
// server-side apply, delete and streaming GETs, each cancellable by its AbortSignal. A 401 on a credential from the
// provider invalidates it and retries once. No @kubernetes/client-node: credentials come from ClusterCredentials.
import type { Readable } from 'node:stream';
import type { ResolvedContext } from '../../core/kubeconfig/resolved.ts';
import { connectionSpec, type ConnectionSpec } from '../../core/kubeconfig/connectionSpec.ts';
import type { CredentialProvider } from '../credentials/credentialProvider.ts';
import { KubeApiError, type ApplyOptions, type ClusterClient, type KubeListResult, type Query, type ResponseStream, type WatchEventType, type WatchHandlers } from './clusterClient.ts';
import { ClusterCredentials } from './clusterCredentials.ts';
import { openClusterWebSocket, type ClusterWebSocket, type WebSocketHandlers } from './clusterWebSocket.ts';
import { ConnectionPool, type PoolResponse } from './connectionPool.ts';
import type { ProxyEnvironment } from '../../core/connection/proxy.ts';
import { abortError, httpError, toKubeApiError } from './kubeErrors.ts';
import type { WriteGate } from '../writes/readOnlyGuard.ts';
import { describePath } from '../writes/applyObject.ts';

export interface ClusterClientOptions {
  /** liqo.connectionTimeoutSeconds in ms: connecting, and noticing a dead connection (plus a margin of ≤ 1 s). */
  readonly timeoutMs: number;
  /** For exec-plugin and auth-provider users. The client owns it (disposes it). */
  readonly credentials?: CredentialProvider;
  /** Where HTTPS_PROXY/HTTP_PROXY/NO_PROXY are read when the cluster has no proxy-url. Default: process.env. */
  readonly proxyEnvironment?: ProxyEnvironment;
  /** Asked before every apply and delete (dry runs too): a read-only context's writes never leave the process. */
  readonly writeGate?: WriteGate;
}

interface SendOptions {
  readonly signal?: AbortSignal | undefined;
  /** A watch or a followed stream (see PoolRequest.long). */
  readonly long?: boolean;
  readonly accept?: string;
  readonly contentType?: string;
  readonly body?: Buffer;
}

export function createClusterClient(resolved: ResolvedContext, opts: ClusterClientOptions): ClusterClient {
  return new HttpClusterClient(resolved, opts);
}

class HttpClusterClient implements ClusterClient {
  readonly server: string;
  private readonly spec: ConnectionSpec | undefined;
  private readonly specError: string | undefined;
  private readonly pool: ConnectionPool | undefined;
  private readonly credentials: ClusterCredentials | undefined;
  private readonly contextName: string;
  private readonly writeGate: WriteGate | undefined;
  private readonly timeoutMs: number;

  constructor(resolved: ResolvedContext, opts: ClusterClientOptions) {
    this.timeoutMs = opts.timeoutMs;
    this.server = typeof resolved.cluster.fields.server === 'string' ? resolved.cluster.fields.server : '';
    this.contextName = resolved.contextName;
    this.writeGate = opts.writeGate;
    const r = connectionSpec(resolved, opts.proxyEnvironment ?? process.env);
    if (!r.ok) {
      this.specError = r.message;
      opts.credentials?.dispose();
      return;
    }
    this.spec = r.spec;
    const credentials = new ClusterCredentials(r.spec, opts.credentials);
    this.credentials = credentials;
    this.pool = new ConnectionPool({ spec: r.spec, timeoutMs: opts.timeoutMs, tls: () => credentials.tls() });
  }

  get openConnections(): number {
    return this.pool?.openConnections ?? 0;
  }

  async authenticate(signal?: AbortSignal): Promise<void> {
    if (!this.credentials) throw new KubeApiError(this.specError ?? 'no cluster', undefined, 'KUBECONFIG_INVALID');
    await this.credentials.authorize({}, signal);
  }

  async version(signal?: AbortSignal): Promise<{ gitVersion: string }> {
    const v = await this.get<{ gitVersion?: unknown }>('/version', undefined, signal);
    return { gitVersion: typeof v?.gitVersion === 'string' ? v.gitVersion : 'unknown version' };
  }

  async get<T = unknown>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return json<T>(await this.send('GET', path, query, { signal }));
  }

  async list(path: string, query?: Query, signal?: AbortSignal): Promise<KubeListResult> {
    const body = await this.get<{ items?: unknown[]; metadata?: { resourceVersion?: string } }>(path, query, signal);
    return { items: body?.items ?? [], resourceVersion: body?.metadata?.resourceVersion ?? '' };
  }

  async watch(path: string, query: Query, handlers: WatchHandlers, signal: AbortSignal): Promise<void> {
    const res = await this.send('GET', path, { ...query, watch: true }, { signal, long: true });
    if (res.status !== 200) throw httpError(res.status, await errorText(res.body), res.headers['retry-after']);
    handlers.onConnected?.();
    const decoder = new TextDecoder();
    let pending = '';
    const line = (l: string): void => {
      if (l.trim() === '') return;
      let ev: { type?: WatchEventType; object?: unknown };
      try {
        ev = JSON.parse(l) as typeof ev;
      } catch {
        throw new KubeApiError('the API server sent a watch event that is not JSON', undefined, 'EBADWATCH');
      }
      if (ev.type) handlers.onEvent(ev.type, ev.object);
    };
    try {
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        const parts = decoder.decode(chunk, { stream: true }).split('\n');
        if (parts.length === 1) {
          pending += parts[0];
          continue;
        }
        line(pending + parts[0]);
        for (let i = 1; i < parts.length - 1; i++) line(parts[i]!);
        pending = parts[parts.length - 1]!;
      }
    } catch (err) {
      res.body.destroy();
      throw toKubeApiError(err);
    }
    line(pending + decoder.decode());
    if (signal.aborted) throw abortError(signal);
  }

  async apply<T = unknown>(path: string, object: unknown, options: ApplyOptions): Promise<T> {
    this.assertWritable('patch', path, options.dryRun);
    const query: Query = { fieldManager: options.fieldManager, ...(options.force ? { force: true } : {}), ...(options.dryRun ? { dryRun: 'All' } : {}) };
    // JSON is YAML: the apply-patch body needs no YAML serialiser.
    const body = Buffer.from(JSON.stringify(object));
    return json<T>(await this.send('PATCH', path, query, { signal: options.signal, contentType: 'application/apply-patch+yaml', body }));
  }

  async delete(path: string, options: { signal?: AbortSignal; dryRun?: boolean; propagationPolicy?: 'Foreground' | 'Background' | 'Orphan' } = {}): Promise<void> {
    this.assertWritable('delete', path, options.dryRun);
    // With a body, the API server reads every option from it and ignores the query: dryRun goes in the body too.
    const deleteOptions = { kind: 'DeleteOptions', apiVersion: 'v1', ...(options.propagationPolicy ? { propagationPolicy: options.propagationPolicy } : {}), ...(options.dryRun ? { dryRun: ['All'] } : {}) };
    await json(await this.send('DELETE', path, undefined, { signal: options.signal, contentType: 'application/json', body: Buffer.from(JSON.stringify(deleteOptions)) }));
  }

  private assertWritable(verb: string, path: string, dryRun: boolean | undefined): void {
    if (!this.writeGate) return;
    const d = describePath(path);
    this.writeGate.assertWritable(this.contextName, `${dryRun ? 'A dry run of ' : ''}${verb} ${d.resource}${d.name ? ` "${d.name}"` : ''}${d.namespace ? ` in namespace ${d.namespace}` : ''}`);
  }

  async stream(path: string, query: Query, signal: AbortSignal): Promise<ResponseStream> {
    const res = await this.send('GET', path, query, { signal, accept: '*/*', long: true });
    if (res.status < 200 || res.status > 299) throw httpError(res.status, await errorText(res.body), res.headers['retry-after']);
    return { status: res.status, headers: res.headers, body: chunks(res.body) };
  }

  async webSocket(path: string, query: Query, protocols: readonly string[], handlers: WebSocketHandlers, signal: AbortSignal): Promise<ClusterWebSocket> {
    if (!this.spec || !this.credentials) throw new KubeApiError(this.specError ?? 'no cluster', undefined, 'KUBECONFIG_INVALID');
    const target = this.spec.basePath + path + queryString(query);
    return openClusterWebSocket({ spec: this.spec, credentials: this.credentials, timeoutMs: this.timeoutMs, target, protocols, signal, handlers });
  }

  dispose(): void {
    this.pool?.dispose();
    this.credentials?.dispose();
  }

  private async send(method: string, path: string, query: Query | undefined, opts: SendOptions): Promise<PoolResponse> {
    if (!this.pool || !this.spec || !this.credentials) throw new KubeApiError(this.specError ?? 'no cluster', undefined, 'KUBECONFIG_INVALID');
    const target = this.spec.basePath + path + queryString(query);
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { accept: opts.accept ?? 'application/json', 'user-agent': 'liqo-vscode' };
      if (opts.contentType) headers['content-type'] = opts.contentType;
      const auth = await this.credentials.authorize(headers, opts.signal);
      if (auth.certificateChanged) this.pool.renew();
      const res = await this.pool.request({ method, path: target, headers, ...(opts.body ? { body: opts.body } : {}), ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.long ? { long: true } : {}) });
      if (res.status === 401 && auth.fromProvider && attempt === 0) {
        res.body.resume();
        this.credentials.invalidate();
        continue;
      }
      return res;
    }
  }
}

function queryString(query: Query | undefined): string {
  if (!query) return '';
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function text(body: Readable): Promise<string> {
  const parts: Buffer[] = [];
  try {
    for await (const c of body as AsyncIterable<Buffer>) parts.push(c);
  } catch (err) {
    throw toKubeApiError(err);
  }
  return Buffer.concat(parts).toString('utf8');
}

/**
 * An error answer's body, which only words the status: the API server closes the connection after a 401 and can cut
 * that body short ("Premature close"); the status stands, not a transport error.
 */
async function errorText(body: Readable): Promise<string> {
  return text(body).catch(() => '');
}

async function json<T>(res: PoolResponse): Promise<T> {
  if (res.status < 200 || res.status > 299) throw httpError(res.status, await errorText(res.body), res.headers['retry-after']);
  const body = await text(res.body);
  if (body === '') return undefined as T;
  try {
    return JSON.parse(body) as T;
  } catch {
    throw new KubeApiError(`the answer is not JSON (HTTP ${res.status}): is this a Kubernetes API server?`, res.status);
  }
}

/** The body as it arrives, one chunk at a time (the socket is read only as fast as this is consumed). */
async function* chunks(body: Readable): AsyncIterable<Uint8Array> {
  try {
    for await (const c of body as AsyncIterable<Uint8Array>) yield c;
  } catch (err) {
    throw toKubeApiError(err);
  } finally {
    body.destroy();
  }
}
