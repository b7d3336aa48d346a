// The connections of one cluster. HTTPS servers are asked for HTTP/2 by ALPN: when they agree (kube-apiserver does),
// one session multiplexes every request, watch and stream. Otherwise, and for http:// servers, HTTP/1.1 keep-alive
// pools serve them (the first socket is reused), capped: short requests share H1_REQUEST_SOCKETS sockets (more wait
// their turn), and each long stream (a watch, a followed log) holds one of at most H1_STREAM_SOCKETS, as HTTP/2
// servers cap a connection's streams at 100 by default. While requests are open a heartbeat checks the link:
// an HTTP/2 PING, or on HTTP/1.1 a GET /version when nothing arrived lately. No answer within the connection
// timeout and the link is dead: every open request fails with code ETIMEDOUT and the next one connects afresh.
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import * as http2 from 'node:http2';
import type * as net from 'node:net';
import type { TLSSocket } from 'node:tls';
import { PassThrough, Readable } from 'node:stream';
import type { ConnectionSpec } from '../../core/kubeconfig/connectionSpec.ts';
import { KubeApiError } from './clusterClient.ts';
import { abortError, toKubeApiError } from './kubeErrors.ts';
import { connectSocket, type TlsMaterial } from './socketConnect.ts';
import { RequestSlots } from './requestSlots.ts';

/** A request the server refused without processing it: sent again by request(). */
class RefusedStream extends Error {
  readonly error: KubeApiError;
  constructor(error: KubeApiError) {
    super(error.message);
    this.error = error;
  }
}

/**
 * An unused link is closed after this long: a paused view holds no sockets, and a link that died unnoticed while
 * idle (a laptop asleep, a dropped VPN) is not the one the next request waits on.
 */
const IDLE_CLOSE_MS = 30_000;
const STREAM_WINDOW = 4 << 20;
/** HTTP/1.1: sockets shared by short requests (GET, LIST, apply, delete); more requests queue for them. */
export const H1_REQUEST_SOCKETS = 6;
/** HTTP/1.1: sockets for long streams, each holding one while it lasts (watches stay under it: clusterWatches.ts). */
export const H1_STREAM_SOCKETS = 100;
const CONNECTION_WINDOW = 1 << 30;

export interface PoolOptions {
  readonly spec: ConnectionSpec;
  /** The connection timeout (liqo.connectionTimeoutSeconds): connecting, and answering a heartbeat. */
  readonly timeoutMs: number;
  /** TLS material for each new connection (certificate files and credentials may change between connections). */
  readonly tls: () => Promise<TlsMaterial>;
}

export interface PoolRequest {
  readonly method: string;
  /** Path and query, the server URL's base path included. */
  readonly path: string;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  readonly signal?: AbortSignal;
  /** The answer streams for long (a watch, a followed log): on HTTP/1.1 it holds a socket of its own meanwhile. */
  readonly long?: boolean;
}

export interface PoolResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Read it to the end or destroy it: until then the request counts as open. */
  readonly body: Readable;
}

interface Exchange {
  fail(err: KubeApiError): void;
}

interface LinkBase {
  readonly exchanges: Set<Exchange>;
  timer: NodeJS.Timeout | undefined;
  /** Closes the link once it has carried no request for IDLE_CLOSE_MS. */
  idle?: NodeJS.Timeout | undefined;
  beating: boolean;
  lastReceived: number;
  /** No new requests go to it; it is closed once its open requests end. */
  draining: boolean;
  /** Digests of the credentials answered 401 on this link: the server closes it after such an answer. */
  rejected?: Set<string>;
}
/** HTTP/1.1 agents: short requests, long streams (each with its slots: the cap), and the heartbeat (never queued). */
interface H1Agents {
  readonly requests: http.Agent;
  readonly streams: http.Agent;
  readonly heartbeat: http.Agent;
  readonly requestSlots: RequestSlots;
  readonly streamSlots: RequestSlots;
}
type Link = (LinkBase & { readonly kind: 'h2'; readonly session: http2.ClientHttp2Session }) | (LinkBase & { readonly kind: 'h1'; agents: H1Agents; spare?: net.Socket });

export class ConnectionPool {
  private current: Link | undefined;
  private linking: Promise<Link> | undefined;
  private readonly links = new Set<Link>();
  private sockets = 0;
  private disposed = false;
  private readonly opts: PoolOptions;
  private readonly heartbeatMs: number;
  private readonly authority: string;
  /** Digests of the Authorization values (or none) the server answered 401 to; see request(). */
  private readonly rejected = new Set<string>();

  constructor(opts: PoolOptions) {
    this.opts = opts;
    // The heartbeat period is the margin over the timeout within which a dead link is noticed.
    this.heartbeatMs = Math.min(1000, Math.max(200, Math.round(opts.timeoutMs / 5)));
    const host = opts.spec.host.includes(':') ? `[${opts.spec.host}]` : opts.spec.host;
    this.authority = `${host}:${opts.spec.port}`;
  }

  /** Live sockets to the API server (or its proxy). */
  get openConnections(): number {
    return this.sockets;
  }

  /** The protocol of the current link, once connected. */
  get protocol(): 'h2' | 'http/1.1' | undefined {
    return this.current ? (this.current.kind === 'h2' ? 'h2' : 'http/1.1') : undefined;
  }

  async request(req: PoolRequest): Promise<PoolResponse> {
    if (this.disposed) throw new KubeApiError('the cluster client was disposed', undefined, 'ABORT_ERR');
    if (req.signal?.aborted) throw abortError(req.signal);
    for (let attempt = 1; ; attempt++) {
      const link = await this.link(req.signal);
      if (link.kind === 'h1') return this.h1(link, req);
      try {
        return await this.h2(link, req);
      } catch (err) {
        // A refused stream was not processed (RFC 9113 §8.7): safe to send again, on a fresh connection. The API
        // server refuses the streams in flight when it closes a connection after a request it could not
        // authenticate (its HTTP/2 rapid-reset defence), and after a GOAWAY.
        // A stream refused because the server closed the connection after answering 401 to these same credentials
        // would only be refused again (each new connection closed after its first 401, with several requests in
        // flight, as a probe has): it gets that answer instead of a transport error.
        if (err instanceof RefusedStream && this.rejected.has(credentialDigest(req))) return unauthorized();
        // Likewise a request on the very link the server is closing after its 401 to these credentials, when the
        // close reaches it as a reset or a dropped connection instead of a refusal.
        if (err instanceof KubeApiError && err.isTransport && err.code !== 'ABORT_ERR' && !req.signal?.aborted && link.rejected?.has(credentialDigest(req))) return unauthorized();
        if (!(err instanceof RefusedStream) || attempt >= 3) throw err instanceof RefusedStream ? err.error : err;
        this.drain(link);
      }
    }
  }

  private noteRejected(req: PoolRequest): void {
    // Bounded: a credential provider that keeps minting rejected tokens must not grow it.
    if (this.rejected.size >= 16) this.rejected.clear();
    this.rejected.add(credentialDigest(req));
  }

  /** New requests use a new connection (the client certificate changed); open ones finish on the old one. */
  renew(): void {
    this.rejected.clear(); // what was refused went with the old certificate
    const old = this.current;
    this.current = undefined;
    if (old) this.drain(old);
  }

  dispose(): void {
    this.disposed = true;
    this.current = undefined;
    for (const link of [...this.links]) this.kill(link, new KubeApiError('the cluster client was disposed', undefined, 'ABORT_ERR'));
  }

  private link(signal: AbortSignal | undefined): Promise<Link> {
    if (this.current) return Promise.resolve(this.current);
    this.linking ??= this.open().finally(() => (this.linking = undefined));
    if (!signal) return this.linking;
    // Several callers share one connect; one caller's abort ends its own wait only.
    return new Promise<Link>((resolve, reject) => {
      const onAbort = (): void => reject(abortError(signal));
      signal.addEventListener('abort', onAbort, { once: true });
      this.linking!.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private async open(): Promise<Link> {
    const { spec, timeoutMs } = this.opts;
    const tls = await this.opts.tls();
    if (this.disposed) throw new KubeApiError('the cluster client was disposed', undefined, 'ABORT_ERR');
    if (spec.protocol === 'http:') return this.adopt(this.h1Link(tls, undefined));
    const socket = (await connectSocket({ spec, tls, alpn: ['h2', 'http/1.1'], timeoutMs })) as TLSSocket;
    if (this.disposed) {
      socket.destroy();
      throw new KubeApiError('the cluster client was disposed', undefined, 'ABORT_ERR');
    }
    if (socket.alpnProtocol !== 'h2') {
      const link = this.h1Link(tls, socket);
      this.track(socket, link);
      return this.adopt(link);
    }
    this.track(socket, undefined);
    // Flow-control windows as Go's HTTP/2 client (client-go) sets them: with Node's 64 KiB default a large LIST
    // would crawl at one window per round trip. An unread stream still stops the server at its 4 MiB window.
    const session = http2.connect(`https://${this.authority}`, { createConnection: () => socket, settings: { initialWindowSize: STREAM_WINDOW }, maxSessionMemory: 64 });
    session.once('connect', () => session.setLocalWindowSize(CONNECTION_WINDOW));
    const link: Link = { kind: 'h2', session, exchanges: new Set(), timer: undefined, beating: false, lastReceived: Date.now(), draining: false };
    // Errors reach the open streams too; the session itself is simply dropped.
    session.on('error', () => this.forget(link));
    session.on('goaway', () => this.drain(link));
    session.on('close', () => this.forget(link));
    return this.adopt(link);
  }

  private adopt(link: Link): Link {
    this.links.add(link);
    this.current = link;
    return link;
  }

  private h1Link(tls: TlsMaterial, spare: net.Socket | undefined): Link {
    const { spec, timeoutMs } = this.opts;
    // The agents come below: their sockets need the link (its spare socket, its heartbeat's clock).
    const link: Link & { kind: 'h1' } = { kind: 'h1', agents: undefined as unknown as H1Agents, ...(spare ? { spare } : {}), exchanges: new Set(), timer: undefined, beating: false, lastReceived: Date.now(), draining: false };
    // Every socket of the pool is ours: TLS settings, proxy tunnel and the connection timeout as for HTTP/2.
    const agent = (maxSockets: number, maxFreeSockets: number): http.Agent => {
      // maxSockets alone does not cap ours (see requestSlots.ts): the slots do, requests taking one before they start.
      const a = new http.Agent({ keepAlive: true, keepAliveMsecs: 30_000, maxSockets, maxFreeSockets, scheduling: 'lifo' });
      (a as unknown as { createConnection: (o: unknown, cb: (err: Error | null, s?: net.Socket) => void) => undefined }).createConnection = (_o, cb) => {
        const reuse = link.spare;
        link.spare = undefined;
        if (reuse && !reuse.destroyed) {
          cb(null, reuse);
          return undefined;
        }
        connectSocket({ spec, tls, alpn: spec.protocol === 'https:' ? ['http/1.1'] : [], timeoutMs }).then(
          (s) => {
            this.track(s, link);
            cb(null, s);
          },
          (err: unknown) => cb(err as Error),
        );
        return undefined;
      };
      return a;
    };
    link.agents = {
      requests: agent(H1_REQUEST_SOCKETS, H1_REQUEST_SOCKETS),
      streams: agent(H1_STREAM_SOCKETS, 4),
      heartbeat: agent(1, 1),
      requestSlots: new RequestSlots(H1_REQUEST_SOCKETS),
      streamSlots: new RequestSlots(H1_STREAM_SOCKETS),
    };
    return link;
  }

  /** Counts the socket; on HTTP/1.1 (`link` given) notes when data arrives, for the heartbeat. */
  private track(socket: net.Socket, link: LinkBase | undefined): void {
    this.sockets++;
    socket.once('close', () => this.sockets--);
    // HTTP/2 sessions read their socket natively: a 'data' listener there would compete with it.
    if (link) socket.on('data', () => (link.lastReceived = Date.now()));
  }

  private h2(link: Link & { kind: 'h2' }, req: PoolRequest): Promise<PoolResponse> {
    return new Promise((resolve, reject) => {
      let stream: http2.ClientHttp2Stream;
      try {
        stream = link.session.request({ ':method': req.method, ':path': req.path, ...req.headers }, { endStream: !req.body });
      } catch (err) {
        // The session is closing (GOAWAY) or gone: nothing was sent.
        this.drain(link);
        reject(new RefusedStream(toKubeApiError(err)));
        return;
      }
      let answered = false;
      const ex = this.register(link, (err) => stream.destroy(err));
      const onAbort = (): void => void stream.destroy(abortError(req.signal!));
      req.signal?.addEventListener('abort', onAbort, { once: true });
      stream.once('response', (headers) => {
        answered = true;
        link.lastReceived = Date.now();
        if (Number(headers[':status']) === 401) {
          this.noteRejected(req);
          (link.rejected ??= new Set()).add(credentialDigest(req));
        }
        resolve({ status: Number(headers[':status']), headers, body: readAtOnce(stream) });
      });
      stream.once('error', (err) => reject(!answered && stream.rstCode === http2.constants.NGHTTP2_REFUSED_STREAM ? new RefusedStream(toKubeApiError(err)) : toKubeApiError(err)));
      stream.once('close', () => {
        req.signal?.removeEventListener('abort', onAbort);
        this.unregister(link, ex);
        if (answered) return;
        const err = new KubeApiError(`the API server reset the request (HTTP/2 code ${stream.rstCode})`, undefined, 'ECONNRESET');
        reject(stream.rstCode === http2.constants.NGHTTP2_REFUSED_STREAM ? new RefusedStream(err) : err);
      });
      if (req.body) stream.end(req.body);
    });
  }

  private async h1(link: Link & { kind: 'h1' }, req: PoolRequest): Promise<PoolResponse> {
    const release = await (req.long ? link.agents.streamSlots : link.agents.requestSlots).take(req.signal);
    return new Promise((resolve, reject) => {
      let res: http.IncomingMessage | undefined;
      const r = http.request({
        agent: req.long ? link.agents.streams : link.agents.requests,
        host: this.opts.spec.host,
        port: this.opts.spec.port,
        method: req.method,
        path: req.path,
        headers: { ...req.headers, host: this.authority },
      });
      const ex = this.register(link, (err) => (res ? res.destroy(err) : r.destroy(err)));
      const onAbort = (): void => {
        const err = abortError(req.signal!);
        if (res) res.destroy(err);
        else r.destroy(err);
      };
      req.signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => {
        req.signal?.removeEventListener('abort', onAbort);
        this.unregister(link, ex);
        release();
      };
      r.once('response', (incoming) => {
        res = incoming;
        link.lastReceived = Date.now();
        incoming.once('close', done);
        resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: incoming });
      });
      r.once('error', (err) => {
        if (!res) done();
        reject(toKubeApiError(err));
      });
      r.end(req.body);
    });
  }

  private register(link: Link, fail: (err: KubeApiError) => void): Exchange {
    const ex: Exchange = { fail };
    link.exchanges.add(ex);
    if (link.idle) clearTimeout(link.idle);
    link.idle = undefined;
    link.timer ??= setInterval(() => this.beat(link), this.heartbeatMs);
    return ex;
  }

  private unregister(link: Link, ex: Exchange): void {
    link.exchanges.delete(ex);
    if (link.exchanges.size > 0) return;
    if (link.timer) clearInterval(link.timer);
    link.timer = undefined;
    if (link.draining) return this.kill(link, new KubeApiError('connection closed', undefined, 'ECONNRESET'));
    link.idle = setTimeout(() => {
      if (link.exchanges.size === 0) this.kill(link, new KubeApiError('idle connection closed', undefined, 'ECONNRESET'));
    }, IDLE_CLOSE_MS);
    link.idle.unref();
  }

  /** One heartbeat: is anything still coming back on this link? */
  private beat(link: Link): void {
    if (link.beating || link.exchanges.size === 0) return;
    const dead = new KubeApiError(`no answer from ${this.authority} within ${Math.round(this.opts.timeoutMs / 100) / 10} s: the connection is dead`, undefined, 'ETIMEDOUT');
    if (link.kind === 'h2') {
      link.beating = true;
      const t = setTimeout(() => this.kill(link, dead), this.opts.timeoutMs);
      const sent = link.session.ping((err) => {
        clearTimeout(t);
        link.beating = false;
        if (!err) link.lastReceived = Date.now();
      });
      if (!sent) {
        clearTimeout(t);
        link.beating = false;
      }
      return;
    }
    if (Date.now() - link.lastReceived < this.heartbeatMs) return;
    // Any HTTP answer proves the path alive, so no credentials are sent.
    link.beating = true;
    const r = http.request({ agent: link.agents.heartbeat, host: this.opts.spec.host, port: this.opts.spec.port, method: 'GET', path: `${this.opts.spec.basePath}/version`, headers: { host: this.authority } });
    const t = setTimeout(() => {
      r.destroy();
      this.kill(link, dead);
    }, this.opts.timeoutMs);
    r.once('response', (res) => {
      clearTimeout(t);
      link.beating = false;
      link.lastReceived = Date.now();
      res.resume();
    });
    r.once('error', (err) => {
      clearTimeout(t);
      link.beating = false;
      if (link.exchanges.size > 0) this.kill(link, toKubeApiError(err));
    });
    r.end();
  }

  private drain(link: Link): void {
    link.draining = true;
    if (this.current === link) this.current = undefined;
    if (link.exchanges.size === 0) this.kill(link, new KubeApiError('connection closed', undefined, 'ECONNRESET'));
  }

  /** The link is gone (closed, errored): new requests connect afresh. */
  private forget(link: Link): void {
    if (this.current === link) this.current = undefined;
    if (link.kind === 'h2' && (link.session.closed || link.session.destroyed)) {
      if (link.timer) clearInterval(link.timer);
      link.timer = undefined;
      this.links.delete(link);
    }
  }

  /** Fails every open request of the link with `err` and closes its sockets. */
  private kill(link: Link, err: KubeApiError): void {
    if (this.current === link) this.current = undefined;
    this.links.delete(link);
    if (link.idle) clearTimeout(link.idle);
    link.idle = undefined;
    if (link.timer) clearInterval(link.timer);
    link.timer = undefined;
    for (const ex of [...link.exchanges]) ex.fail(err);
    link.exchanges.clear();
    if (link.kind === 'h2') link.session.destroy();
    else {
      link.spare?.destroy();
      link.agents.requestSlots.fail(err);
      link.agents.streamSlots.fail(err);
      for (const a of [link.agents.requests, link.agents.streams, link.agents.heartbeat]) a.destroy();
    }
  }
}

/**
 * The answer's body, read from the HTTP/2 stream from its response on. When the server ends a small answer before
 * its reader starts (its headers and end can come in one read, through a proxy on a busy machine), Node closes the
 * stream and a later reader gets "Premature close" instead of the body. Read at once into a buffer of its own (pipe
 * keeps the backpressure), the body survives; a reset mid-body still fails it.
 */
function readAtOnce(stream: http2.ClientHttp2Stream): Readable {
  const body = new PassThrough();
  stream.pipe(body);
  stream.on('error', (err) => body.destroy(toKubeApiError(err)));
  stream.once('close', () => {
    if (!stream.readableEnded && !body.destroyed) body.destroy(new KubeApiError(`the API server reset the request (HTTP/2 code ${stream.rstCode})`, undefined, 'ECONNRESET'));
  });
  // The caller gave up on the body (destroyed it): the stream is cancelled, as destroying the stream itself did.
  body.once('close', () => {
    if (!stream.destroyed && !stream.readableEnded) stream.destroy();
  });
  return body;
}

/** The request's credentials, hashed: the client certificate is the pool's, so the Authorization header (or none). */
function credentialDigest(req: PoolRequest): string {
  return createHash('sha256').update(req.headers.authorization ?? '').digest('base64');
}

/** What the server answered to these credentials, for a request it refused before reading. */
function unauthorized(): PoolResponse {
  const status = { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 };
  return { status: 401, headers: { ':status': '401', 'content-type': 'application/json' }, body: Readable.from([Buffer.from(JSON.stringify(status))]) };
}
