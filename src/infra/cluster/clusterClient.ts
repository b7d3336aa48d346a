// The one client per cluster: every request to an API server goes through a ClusterClient (pooled connections,
// credentials from the credential runner, every call cancellable). This file states the contract the rest of infra
// codes against; the implementation lives beside it.

/** An API failure: `status` for HTTP answers, `code` for transport errors (ECONNREFUSED, ETIMEDOUT, ERR_TLS_...). */
export class KubeApiError extends Error {
  readonly status: number | undefined;
  readonly code: string | undefined;
  /** How long the server asked us to wait before asking again (Retry-After, or the Status's retryAfterSeconds). */
  readonly retryAfterSeconds: number | undefined;
  constructor(message: string, status?: number, code?: string, retryAfterSeconds?: number) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** No HTTP answer: the connection failed, timed out or died. */
  get isTransport(): boolean {
    return this.status === undefined;
  }
}

import type { ClusterWebSocket, WebSocketHandlers } from './clusterWebSocket.ts';

export type { ClusterWebSocket, WebSocketHandlers };

export interface KubeListResult {
  readonly items: unknown[];
  readonly resourceVersion: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchHandlers {
  readonly onEvent: (type: WatchEventType, obj: unknown) => void;
  /** The server accepted the watch (HTTP 200 headers arrived). */
  readonly onConnected?: () => void;
}

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

export interface ApplyOptions {
  readonly fieldManager: string;
  readonly force?: boolean;
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
}

export interface ResponseStream {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body as it arrives; consuming it slowly slows the socket (backpressure). */
  readonly body: AsyncIterable<Uint8Array>;
}

/**
 * Failures: a KubeApiError (`status` for HTTP answers; `code` for transport errors, `ETIMEDOUT` for timeouts and
 * dead connections, `ABORT_ERR` when the caller's signal aborted, `KUBECONFIG_INVALID` when the context's entries
 * cannot be used), or the CredentialProvider's CredentialError when no credential could be had.
 */
export interface ClusterClient {
  /** The API server URL of the context. */
  readonly server: string;
  /**
   * Gets the credential now: runs the user's credential program through the provider (at most one run at a time,
   * cached) or reads a token file; resolves at once for inline credentials. Lets the probe bound the program by its
   * own timeout rather than the connection timeout, and blame it rather than the server.
   */
  authenticate(signal?: AbortSignal): Promise<void>;
  /** GET /version (the probe). */
  version(signal?: AbortSignal): Promise<{ gitVersion: string }>;
  get<T = unknown>(path: string, query?: Query, signal?: AbortSignal): Promise<T>;
  list(path: string, query?: Query, signal?: AbortSignal): Promise<KubeListResult>;
  /**
   * One watch (`watch=true` is added to the query). Resolves when the server ends it normally; rejects with a KubeApiError otherwise, including
   * `code: 'ETIMEDOUT'` when the connection is found dead (no answer within the connection timeout plus a margin).
   */
  watch(path: string, query: Query, handlers: WatchHandlers, signal: AbortSignal): Promise<void>;
  /** Server-side apply (application/apply-patch+yaml) of one object at its path. */
  apply<T = unknown>(path: string, object: unknown, options: ApplyOptions): Promise<T>;
  delete(path: string, options?: { signal?: AbortSignal; dryRun?: boolean; propagationPolicy?: 'Foreground' | 'Background' | 'Orphan' }): Promise<void>;
  /** A streaming GET (pod logs with follow, sinceTime…): non-2xx answers reject with a KubeApiError. */
  stream(path: string, query: Query, signal: AbortSignal): Promise<ResponseStream>;
  /**
   * A WebSocket to that path (pods/portforward) on a connection of its own, offering `protocols`. Rejects like
   * stream() when the server refuses the upgrade (404 for a pod that is gone, 403...).
   */
  webSocket(path: string, query: Query, protocols: readonly string[], handlers: WebSocketHandlers, signal: AbortSignal): Promise<ClusterWebSocket>;
  /** Open connections to the API server right now (benchmarks report it). */
  readonly openConnections: number;
  dispose(): void;
}
