// A fault-injecting proxy in front of one real test-bed API server, for the watch layer's integration tests. Two
// layers, each on 127.0.0.1:
//   - a TCP relay (the address clients use), which can go silent (stall: reads, never answers) or black-hole
//     (neither reads nor answers, new connections hang) without closing anything, as a dead route or a frozen
//     server does;
//   - an HTTP server (HTTP/2 and HTTP/1.1, TLS with the cluster's own serving certificate, so clients verify it with
//     the cluster's CA) that forwards every request to the API server as the admin user, or answers it with the
//     fault set: ERROR watch events, 410 Gone, 500s, 429s and 503s (with or without Retry-After), watches closed
//     early or after one event, connections reset (RST), log answers ended at a chosen byte, log answers frozen (a virtual kubelet that stops answering
//     behind a live API server); or with a fault drawn
//     per request (`perRequest`), for property tests.
// It counts requests by kind so tests can hold the client to a bounded request rate.
import { createServer as createTcpServer, connect as tcpConnect, type Server as TcpServer, type Socket } from 'node:net';
import { createSecureServer, type Http2SecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { Agent, createServer as createHttpsServer, request as httpsRequest, type Server as HttpsServer } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

export type Fault =
  | { readonly kind: 'none' }
  /** Every WATCH is accepted (200), gets one ERROR event with this code, and is closed. */
  | { readonly kind: 'watchError'; readonly code: number }
  /**
   * Every request (or only watches) is answered with this HTTP status and a Status body. `retryAfter`: the
   * Retry-After header (by default '1' on 429 and none otherwise; false: none); `detailsRetryAfter`: the Status's
   * details.retryAfterSeconds.
   */
  | { readonly kind: 'status'; readonly code: number; readonly only?: 'watch'; readonly retryAfter?: string | false; readonly detailsRetryAfter?: number }
  /** Every WATCH is accepted (200) and closed at once, without an event. */
  | { readonly kind: 'closeEarly' }
  /** Every WATCH is accepted (200), gets one BOOKMARK at the resourceVersion it asked for, and is closed. */
  | { readonly kind: 'bookmarkThenClose' }
  /** Every WATCH is forwarded, and closed after its first event (a real one, whenever it comes). */
  | { readonly kind: 'firstEventThenClose' }
  /** Each request resets every client connection (TCP RST), as a load balancer dropping its state does. */
  | { readonly kind: 'rst' }
  /** Each request is answered by the fault `pick` draws for it (not stall, blackhole or perRequest). */
  | { readonly kind: 'perRequest'; readonly pick: (r: RequestRecord) => Fault }
  /** The relay keeps every connection open and reads, but nothing more reaches the client (a frozen server). */
  | { readonly kind: 'stall' }
  /** The relay neither reads nor writes, and new connections hang (a dead route). */
  | { readonly kind: 'blackhole' }
  /**
   * The next `answers` pod log answers are ended cleanly after `afterBytes` bytes of their body, as an API server
   * that stops ends the answers it is serving; later ones pass whole.
   */
  | { readonly kind: 'endLog'; readonly afterBytes: number; readonly answers: number }
  /**
   * Pod log answers freeze, as behind a frozen virtual kubelet: those being streamed send nothing more, new ones
   * get no answer; the connection and every other request go on as before (the API server itself is fine).
   */
  | { readonly kind: 'freezeLogs' };

export interface RequestRecord {
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly watch: boolean;
  /** The label and field selectors asked for: with the path, which watch sent the request. */
  readonly selectors: string;
}

interface Upstream {
  readonly server: URL;
  readonly ca: Buffer;
  readonly cert: Buffer;
  readonly key: Buffer;
}

interface RelayPair {
  readonly client: Socket;
  readonly inner: Socket;
}

export class FaultProxy {
  readonly requests: RequestRecord[] = [];
  private fault: Fault = { kind: 'none' };
  private readonly pairs = new Set<RelayPair>();
  private readonly held = new Set<Socket>();
  /** Log answers being streamed (frozen by freezeLogs), and log requests left unanswered by it. */
  private readonly logAnswers = new Set<{ readonly up: IncomingMessage; readonly res: Http2ServerResponse }>();
  private readonly unanswered = new Set<Http2ServerResponse>();
  private readonly agent: Agent;

  private readonly upstream: Upstream;
  private readonly relay: TcpServer;
  private readonly http: Http2SecureServer | HttpsServer;
  private readonly innerPort: number;
  readonly port: number;

  private constructor(upstream: Upstream, relay: TcpServer, http: Http2SecureServer | HttpsServer, innerPort: number, port: number) {
    this.upstream = upstream;
    this.relay = relay;
    this.http = http;
    this.innerPort = innerPort;
    this.port = port;
    this.agent = new Agent({ keepAlive: true, ca: upstream.ca, cert: upstream.cert, key: upstream.key });
  }

  /**
   * Starts a proxy for `context` of the test bed's kubeconfig, serving with that cluster's own certificate (found in
   * the test bed's state folder), so a kubeconfig that only changes `server` verifies TLS as before.
   */
  static async start(kubeconfigPath: string, context: string, stateDir: string, opts: { readonly http1Only?: boolean } = {}): Promise<FaultProxy> {
    const kc = parse(readFileSync(kubeconfigPath, 'utf8')) as {
      clusters: { name: string; cluster: Record<string, string> }[];
      users: { name: string; user: Record<string, string> }[];
      contexts: { name: string; context: { cluster: string; user: string } }[];
    };
    const ctx = kc.contexts.find((c) => c.name === context);
    if (!ctx) throw new Error(`no context ${context} in ${kubeconfigPath}`);
    const cluster = kc.clusters.find((c) => c.name === ctx.context.cluster)!.cluster;
    const user = kc.users.find((u) => u.name === ctx.context.user)!.user;
    const b64 = (v: string | undefined): Buffer => Buffer.from(v ?? '', 'base64');
    const upstream: Upstream = {
      server: new URL(cluster.server!),
      ca: b64(cluster['certificate-authority-data']),
      cert: b64(user['client-certificate-data']),
      key: b64(user['client-key-data']),
    };
    const pki = path.join(stateDir, 'clusters', context, 'pki');
    const serving = { cert: readFileSync(path.join(pki, 'apiserver.crt')), key: readFileSync(path.join(pki, 'apiserver.key')) };
    // http1Only: a TLS server that offers no h2 by ALPN, as some proxies and ingresses in front of API servers do.
    const http = opts.http1Only ? createHttpsServer({ ...serving, ALPNProtocols: ['http/1.1'] }) : createSecureServer({ allowHTTP1: true, ...serving });
    const innerPort = await listen(http);
    const relay = createTcpServer();
    const port = await listen(relay);
    const proxy = new FaultProxy(upstream, relay, http, innerPort, port);
    relay.on('connection', (socket: Socket) => proxy.accept(socket));
    // The HTTP/1.1 server's request and response have the members handle() uses (url, method, headers, writeHead...).
    (http as Http2SecureServer).on('request', (req: Http2ServerRequest, res: Http2ServerResponse) => proxy.handle(req, res));
    return proxy;
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  /** Sets the fault for everything from now on. Going back to 'none' after stall/blackhole drops the dead connections. */
  set(fault: Fault): void {
    const wasSilent = this.fault.kind === 'stall' || this.fault.kind === 'blackhole';
    this.fault = fault;
    if (fault.kind === 'freezeLogs') {
      for (const a of this.logAnswers) {
        a.up.unpipe(a.res as unknown as NodeJS.WritableStream);
        a.up.pause();
      }
    }
    if (fault.kind === 'stall' || fault.kind === 'blackhole') {
      for (const p of this.pairs) this.silence(p, fault.kind);
    } else if (wasSilent) {
      // The route is back, but the client has long given up on those connections: reset them, as a peer that
      // forgot the connection state would.
      for (const p of this.pairs) {
        p.client.destroy();
        p.inner.destroy();
      }
      this.pairs.clear();
      for (const s of this.held) s.destroy();
      this.held.clear();
    }
  }

  /** Requests received since `t` (ms epoch), optionally only watches or only LISTs of one path. */
  countSince(t: number, filter: { watch?: boolean; path?: string } = {}): number {
    return this.requests.filter((r) => r.at >= t && (filter.watch === undefined || r.watch === filter.watch) && (filter.path === undefined || r.path === filter.path)).length;
  }

  async close(): Promise<void> {
    for (const p of this.pairs) {
      p.client.destroy();
      p.inner.destroy();
    }
    for (const s of this.held) s.destroy();
    for (const a of this.logAnswers) a.up.destroy();
    for (const r of this.unanswered) r.stream.close();
    this.agent.destroy();
    await Promise.all([
      new Promise<void>((r) => this.relay.close(() => r())),
      new Promise<void>((r) => {
        this.http.close(() => r());
        // Open HTTP/2 sessions would keep close() waiting.
        setTimeout(r, 500).unref();
      }),
    ]);
  }

  private accept(client: Socket): void {
    client.on('error', () => undefined);
    if (this.fault.kind === 'blackhole') {
      // Accepted by the kernel, never answered: the client's handshake hangs.
      client.pause();
      this.held.add(client);
      return;
    }
    const inner = tcpConnect(this.innerPort, '127.0.0.1');
    inner.on('error', () => client.destroy());
    const pair: RelayPair = { client, inner };
    this.pairs.add(pair);
    client.pipe(inner);
    inner.pipe(client);
    const drop = (): void => {
      this.pairs.delete(pair);
      client.destroy();
      inner.destroy();
    };
    client.on('close', drop);
    inner.on('close', drop);
    if (this.fault.kind === 'stall') this.silence(pair, 'stall');
  }

  private silence(p: RelayPair, how: 'stall' | 'blackhole'): void {
    // Nothing more reaches the client. A stalled server still reads (its kernel buffers fill), a black hole does not.
    p.inner.unpipe(p.client);
    p.inner.pause();
    if (how === 'blackhole') {
      p.client.unpipe(p.inner);
      p.client.pause();
    }
  }

  /** Resets every client connection now (RST, not FIN): open requests fail as on a dropped route. */
  resetConnections(): void {
    for (const p of this.pairs) {
      p.client.resetAndDestroy();
      p.inner.destroy();
    }
    this.pairs.clear();
  }

  private handle(req: Http2ServerRequest, res: Http2ServerResponse): void {
    const url = new URL(req.url, 'https://proxy.invalid');
    const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
    const selectors = ['labelSelector', 'fieldSelector'].map((k) => url.searchParams.get(k) ?? '').join(';');
    const record: RequestRecord = { at: Date.now(), method: req.method, path: url.pathname, watch, selectors };
    this.requests.push(record);
    const f = this.fault.kind === 'perRequest' ? this.fault.pick(record) : this.fault;
    if (f.kind === 'rst') {
      this.resetConnections();
      return;
    }
    if (f.kind === 'status' && (f.only !== 'watch' || watch)) {
      const status = { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `injected ${f.code}`, reason: f.code === 410 ? 'Expired' : 'InternalError', code: f.code };
      const body = JSON.stringify(f.detailsRetryAfter === undefined ? status : { ...status, details: { retryAfterSeconds: f.detailsRetryAfter } });
      const retryAfter = f.retryAfter ?? (f.code === 429 ? '1' : false);
      res.writeHead(f.code, { 'content-type': 'application/json', ...(retryAfter !== false ? { 'retry-after': retryAfter } : {}) });
      res.end(body);
      return;
    }
    if (watch && f.kind === 'bookmarkThenClose') {
      res.writeHead(200, { 'content-type': 'application/json' });
      const bookmark = { kind: 'Namespace', apiVersion: 'v1', metadata: { resourceVersion: url.searchParams.get('resourceVersion') ?? '' } };
      res.end(`${JSON.stringify({ type: 'BOOKMARK', object: bookmark })}\n`);
      return;
    }
    if (watch && f.kind === 'watchError') {
      res.writeHead(200, { 'content-type': 'application/json' });
      const status = { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `injected watch error ${f.code}`, reason: f.code === 410 ? 'Expired' : 'InternalError', code: f.code };
      res.end(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
      return;
    }
    if (watch && f.kind === 'closeEarly') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end();
      return;
    }
    if (f.kind === 'freezeLogs' && url.pathname.endsWith('/log')) {
      this.unanswered.add(res);
      res.on('close', () => this.unanswered.delete(res));
      return;
    }
    let cutAt: number | undefined;
    if (f.kind === 'endLog' && f.answers > 0 && url.pathname.endsWith('/log')) {
      cutAt = f.afterBytes;
      this.fault = f.answers > 1 ? { ...f, answers: f.answers - 1 } : { kind: 'none' };
    }
    this.forward(req, res, cutAt, watch && f.kind === 'firstEventThenClose');
  }

  private forward(req: Http2ServerRequest, res: Http2ServerResponse, cutAt?: number, afterFirstLine = false): void {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      // HTTP/2 pseudo-headers and hop-by-hop headers stay here; the proxy authenticates upstream as the admin.
      if (k.startsWith(':') || k === 'connection' || k === 'host' || k === 'authorization' || typeof v !== 'string') continue;
      headers[k] = v;
    }
    const up = httpsRequest(
      { host: this.upstream.server.hostname, port: this.upstream.server.port, path: req.url, method: req.method, headers, agent: this.agent },
      (upRes: IncomingMessage) => {
        const out: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(upRes.headers)) {
          if (v === undefined || k === 'connection' || k === 'keep-alive' || k === 'transfer-encoding') continue;
          out[k] = v;
        }
        res.writeHead(upRes.statusCode ?? 502, out);
        if (afterFirstLine) {
          let seen = '';
          upRes.on('data', (chunk: Buffer) => {
            if (res.writableEnded) return;
            seen += chunk.toString('utf8');
            const nl = seen.indexOf('\n');
            if (nl < 0) return;
            res.end(seen.slice(0, nl + 1));
            upRes.destroy();
          });
          upRes.on('end', () => {
            if (!res.writableEnded) res.end();
          });
          return;
        }
        if (cutAt === undefined) {
          if (req.url.split('?')[0]!.endsWith('/log')) {
            const answer = { up: upRes, res };
            this.logAnswers.add(answer);
            upRes.on('close', () => this.logAnswers.delete(answer));
          }
          upRes.pipe(res as unknown as NodeJS.WritableStream);
          return;
        }
        let left = cutAt;
        upRes.on('data', (chunk: Buffer) => {
          if (left <= 0) return;
          const part = chunk.subarray(0, left);
          left -= part.length;
          res.write(part);
          if (left <= 0) {
            res.end();
            upRes.destroy();
          }
        });
        upRes.on('end', () => res.end());
      },
    );
    up.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: ${err.message}`);
    });
    const abort = (): void => {
      up.destroy();
    };
    res.on('close', abort);
    req.pipe(up);
  }
}

function listen(server: TcpServer | Http2SecureServer | HttpsServer): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
}
