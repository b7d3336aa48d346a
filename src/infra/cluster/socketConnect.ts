// Opens one socket to an API server: TCP (directly, through an http:// proxy's CONNECT tunnel, or through a SOCKS5
// proxy; which one the kubeconfig and the environment choose: core/connection/proxy.ts), then TLS with the
// context's CA, client certificate, server name and ALPN. The whole connect is bounded by the connection timeout
// and by the caller's signal; failures keep Node's error codes for the explanations (refused, DNS, x509...).
import * as net from 'node:net';
import * as tls from 'node:tls';
import { ClientRequest } from 'node:http';
import type { ConnectionSpec } from '../../core/kubeconfig/connectionSpec.ts';
import { KubeApiError } from './clusterClient.ts';
import { abortError, toKubeApiError } from './kubeErrors.ts';
import { socks5Connect } from './socks5.ts';

export interface TlsMaterial {
  readonly ca?: Buffer;
  readonly cert?: Buffer | string;
  readonly key?: Buffer | string;
}

export interface ConnectRequest {
  readonly spec: ConnectionSpec;
  readonly tls: TlsMaterial;
  readonly alpn: readonly string[];
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export async function connectSocket(req: ConnectRequest): Promise<net.Socket> {
  const { spec } = req;
  const limit = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, limit]) : limit;
  let raw: net.Socket | undefined;
  let secure: tls.TLSSocket | undefined;
  const cleanup = (): void => {
    secure?.destroy();
    raw?.destroy();
  };
  try {
    raw = !spec.proxy ? await tcp(spec, signal) : spec.proxy.scheme === 'socks5' ? await socks(spec, signal) : await tunnel(spec, signal);
    raw.setKeepAlive(true, 30_000);
    raw.setNoDelay(true);
    if (spec.protocol === 'http:') return raw;
    const socket = raw;
    const servername = spec.tlsServerName ?? (net.isIP(spec.host) ? undefined : spec.host);
    secure = tls.connect({
      socket,
      host: spec.host,
      ...(servername ? { servername } : {}),
      ...(req.tls.ca ? { ca: req.tls.ca } : {}),
      ...(req.tls.cert ? { cert: req.tls.cert } : {}),
      ...(req.tls.key ? { key: req.tls.key } : {}),
      // Only when the kubeconfig itself says insecure-skip-tls-verify: true.
      rejectUnauthorized: !spec.insecureSkipTlsVerify,
      ALPNProtocols: [...req.alpn],
    });
    const s = secure;
    await settle(s, 'secureConnect', signal);
    return s;
  } catch (err) {
    cleanup();
    if (signal.aborted) throw abortError(signal);
    throw toKubeApiError(err);
  }
}

function tcp(spec: ConnectionSpec, signal: AbortSignal): Promise<net.Socket> {
  const socket = net.connect({ host: spec.host, port: spec.port });
  return settle(socket, 'connect', signal).then(() => socket);
}

/** A SOCKS5 tunnel: TCP to the proxy, then its CONNECT, both bounded by the signal. */
async function socks(spec: ConnectionSpec, signal: AbortSignal): Promise<net.Socket> {
  const proxy = spec.proxy!;
  const socket = net.connect({ host: proxy.host, port: proxy.port });
  const onAbort = (): void => {
    socket.destroy();
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await settle(socket, 'connect', signal).catch((e: unknown) => {
      throw unreachableProxy(proxy, e);
    });
    return await socks5Connect(socket, proxy, spec.host, spec.port);
  } catch (e) {
    socket.destroy();
    throw e instanceof KubeApiError || signal.aborted ? e : unreachableProxy(proxy, e);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** An HTTP CONNECT tunnel through the proxy (the kubeconfig's http:// proxy-url, or HTTPS_PROXY/HTTP_PROXY). */
function tunnel(spec: ConnectionSpec, signal: AbortSignal): Promise<net.Socket> {
  const proxy = spec.proxy!;
  const target = net.isIPv6(spec.host) ? `[${spec.host}]:${spec.port}` : `${spec.host}:${spec.port}`;
  return new Promise((resolve, reject) => {
    // A ClientRequest, not http.request(): inside the extension host VS Code's proxy support replaces http.request and
    // gives a request without an agent one of its own, which would route this CONNECT by VS Code's proxy settings
    // instead of to the proxy the kubeconfig names (the port-forward's upgrade went out wrong that way).
    const req = new ClientRequest({
      host: proxy.host,
      port: proxy.port,
      method: 'CONNECT',
      path: target,
      headers: { Host: target, ...(proxy.authorization ? { 'Proxy-Authorization': proxy.authorization } : {}) },
      signal,
    });
    req.once('connect', (res, socket) => {
      if (res.statusCode === 200) return resolve(socket);
      socket.destroy();
      reject(new KubeApiError(`the proxy ${proxy.host}:${proxy.port} (${proxy.source}) refused the tunnel to ${target} (HTTP ${res.statusCode})`, undefined, 'EPROXY'));
    });
    // Before the proxy's answer every error is the proxy's: said so, or the API server would be blamed for it.
    req.once('error', (e) => reject(signal.aborted ? e : unreachableProxy(proxy, e)));
    req.end();
  });
}

/** The proxy itself could not be reached or broke off: named with where its setting came from (never its password). */
function unreachableProxy(proxy: NonNullable<ConnectionSpec['proxy']>, e: unknown): KubeApiError {
  const code = (e as NodeJS.ErrnoException).code;
  return new KubeApiError(`cannot reach the ${proxy.scheme === 'socks5' ? 'SOCKS5 ' : ''}proxy ${proxy.host}:${proxy.port} (${proxy.source}): ${code ?? (e as Error).message}`, undefined, 'EPROXY');
}

/** Waits for `event` on the socket, rejecting on its error or the signal. */
function settle(socket: net.Socket, event: string, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      done();
      reject(abortError(signal));
    };
    const onError = (err: Error): void => {
      done();
      reject(err);
    };
    const onEvent = (): void => {
      done();
      resolve();
    };
    const done = (): void => {
      signal.removeEventListener('abort', onAbort);
      socket.off('error', onError);
      socket.off(event, onEvent);
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('error', onError);
    socket.once(event, onEvent);
  });
}
