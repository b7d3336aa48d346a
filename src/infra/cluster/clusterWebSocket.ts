// A WebSocket to one API server path (pods/portforward), opened on a connection of its own (HTTP/1.1: an upgraded
// connection cannot share the pool's HTTP/2 one) the same way the pool opens one: the context's proxy or SSH tunnel,
// its CA and client certificate, its Authorization header. Frames are core/portForward/webSocketFrames.ts; this file
// owns the socket: the handshake, masking keys, answering pings, closing.
import { createHash, randomBytes } from 'node:crypto';
import { ClientRequest, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionSpec } from '../../core/kubeconfig/connectionSpec.ts';
import { encodeFrame, FrameDecoder, handshakeProblem, OPCODE } from '../../core/portForward/webSocketFrames.ts';
import { KubeApiError } from './clusterClient.ts';
import type { ClusterCredentials } from './clusterCredentials.ts';
import { abortError, httpError, toKubeApiError } from './kubeErrors.ts';
import { connectSocket } from './socketConnect.ts';

const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface WebSocketHandlers {
  readonly onMessage: (data: Uint8Array) => void;
  /** Once: the server closed, the connection dropped or close() was called (error set unless a clean close). */
  readonly onClose: (error: KubeApiError | undefined) => void;
}

export interface ClusterWebSocket {
  /** One binary message. Returns false when the socket's buffer is full (wait for onDrain). */
  send(data: Uint8Array): boolean;
  onDrain(listener: () => void): void;
  /** Stops reading from the server (the receiver is slow), until resume(). */
  pause(): void;
  resume(): void;
  close(): void;
}

export interface WebSocketRequest {
  readonly spec: ConnectionSpec;
  readonly credentials: ClusterCredentials;
  readonly timeoutMs: number;
  /** basePath + path + query string */
  readonly target: string;
  readonly protocols: readonly string[];
  readonly signal: AbortSignal;
  readonly handlers: WebSocketHandlers;
}

export async function openClusterWebSocket(req: WebSocketRequest): Promise<ClusterWebSocket> {
  const { spec } = req;
  const headers: Record<string, string> = { 'user-agent': 'liqo-vscode' };
  await req.credentials.authorize(headers, req.signal);
  const tls = await req.credentials.tls();
  const key = randomBytes(16).toString('base64');
  const expected = createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64');
  const limit = AbortSignal.any([req.signal, AbortSignal.timeout(req.timeoutMs)]);
  const { res, socket, head } = await new Promise<{ res: IncomingMessage; socket: Socket; head: Buffer }>((resolve, reject) => {
    // A ClientRequest, not http.request(): in the extension host VS Code's proxy support replaces http.request with
    // one that sets an agent of its own when none is given, and a request with an agent ignores createConnection:
    // the upgrade then went out in plain HTTP to the API server's TLS port ("Client sent an HTTP request to an HTTPS
    // server"), so no forward could start in the workbench. The socket here already follows the context's proxy.
    const r = new ClientRequest({
      host: spec.host,
      port: spec.port,
      method: 'GET',
      path: req.target,
      headers: {
        ...headers,
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': key,
        'sec-websocket-protocol': req.protocols.join(', '),
      },
      createConnection: (_opts, cb) => {
        connectSocket({ spec, tls, alpn: ['http/1.1'], timeoutMs: req.timeoutMs, signal: limit }).then(
          (s) => cb(null, s),
          (e: unknown) => cb(e as Error, undefined as unknown as Socket),
        );
        return undefined;
      },
    });
    const onAbort = (): void => {
      r.destroy(abortError(limit));
    };
    limit.addEventListener('abort', onAbort, { once: true });
    const done = (): void => limit.removeEventListener('abort', onAbort);
    r.on('upgrade', (res: IncomingMessage, socket: Socket, head: Buffer) => {
      done();
      resolve({ res, socket, head });
    });
    r.on('response', (res: IncomingMessage) => {
      done();
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('error', () => reject(httpError(res.statusCode ?? 0, '', undefined)));
      res.on('end', () => reject(httpError(res.statusCode ?? 0, Buffer.concat(parts).toString('utf8'), res.headers['retry-after'])));
    });
    r.on('error', (e) => {
      done();
      reject(limit.aborted ? abortError(limit) : toKubeApiError(e));
    });
    r.end();
  });
  const problem = handshakeProblem(res.statusCode ?? 0, res.headers, expected, req.protocols);
  if (problem) {
    socket.destroy();
    throw new KubeApiError(problem, undefined, 'EBADWEBSOCKET');
  }
  return new UpgradedSocket(socket, head, req.handlers, req.signal);
}

class UpgradedSocket implements ClusterWebSocket {
  private readonly decoder = new FrameDecoder();
  private closed = false;
  private readonly socket: Socket;
  private readonly handlers: WebSocketHandlers;
  private readonly signal: AbortSignal;
  private readonly onAbort = (): void => this.close();

  constructor(socket: Socket, head: Buffer, handlers: WebSocketHandlers, signal: AbortSignal) {
    this.socket = socket;
    this.handlers = handlers;
    this.signal = signal;
    socket.setNoDelay(true);
    socket.on('data', (c: Buffer) => this.receive(c));
    socket.on('error', (e) => this.finish(toKubeApiError(e)));
    socket.on('close', () => this.finish(new KubeApiError('the connection to the API server closed', undefined, 'ECONNRESET')));
    signal.addEventListener('abort', this.onAbort, { once: true });
    if (head.length > 0) queueMicrotask(() => this.receive(head));
  }

  send(data: Uint8Array): boolean {
    if (this.closed) return false;
    return this.socket.write(encodeFrame(OPCODE.binary, data, randomBytes(4)));
  }

  onDrain(listener: () => void): void {
    this.socket.once('drain', listener);
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  close(): void {
    if (this.closed) return;
    this.socket.end(encodeFrame(OPCODE.close, new Uint8Array([0x03, 0xe8]), randomBytes(4)));
    this.finish(undefined);
    // a server that does not close its side in time is cut off
    setTimeout(() => this.socket.destroy(), 1_000).unref();
  }

  private receive(chunk: Uint8Array): void {
    if (this.closed) return;
    let events;
    try {
      events = this.decoder.push(chunk);
    } catch (e) {
      this.socket.destroy();
      this.finish(new KubeApiError(`the API server's WebSocket stream is broken: ${(e as Error).message}`, undefined, 'EBADWEBSOCKET'));
      return;
    }
    for (const ev of events) {
      if (this.closed) return;
      if (ev.kind === 'message') this.handlers.onMessage(ev.data);
      else if (ev.kind === 'ping') this.socket.write(encodeFrame(OPCODE.pong, ev.data, randomBytes(4)));
      else if (ev.kind === 'close') {
        this.socket.end(encodeFrame(OPCODE.close, new Uint8Array(0), randomBytes(4)));
        const clean = ev.code === undefined || ev.code === 1000;
        this.finish(clean ? undefined : new KubeApiError(`the API server closed the stream (${ev.code}${ev.reason ? `: ${ev.reason}` : ''})`, undefined, 'ECONNRESET'));
      }
    }
  }

  private finish(error: KubeApiError | undefined): void {
    if (this.closed) return;
    this.closed = true;
    this.signal.removeEventListener('abort', this.onAbort);
    this.handlers.onClose(error);
  }
}
