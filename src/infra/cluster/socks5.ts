// A SOCKS5 CONNECT (RFC 1928) through a kubeconfig's `socks5://` proxy-url or an environment proxy, with
// username/password authentication (RFC 1929) when the URL carries them. The target's name is sent to the proxy, not
// resolved here (as Go's SOCKS dialer does for names): the proxy's side of the network may be the only one that
// knows it. Returns the socket once the proxy says the tunnel is up; bytes after its reply belong to the tunnel.
import * as net from 'node:net';
import type { ProxySpec } from '../../core/connection/proxy.ts';
import { KubeApiError } from './clusterClient.ts';

const REPLIES: Record<number, string> = {
  1: 'general SOCKS server failure',
  2: 'connection not allowed by ruleset',
  3: 'network unreachable',
  4: 'host unreachable',
  5: 'connection refused',
  6: 'TTL expired',
  7: 'command not supported',
  8: 'address type not supported',
};

/** Reads exactly n bytes as they arrive; what comes after stays for the next read (or goes back to the stream). */
class Reader {
  private buffered = Buffer.alloc(0);
  private waiting: { n: number; resolve: (b: Buffer) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;
  private readonly socket: net.Socket;
  private readonly onData = (c: Buffer): void => {
    this.buffered = Buffer.concat([this.buffered, c]);
    this.pump();
  };
  private readonly onEnd = (): void => this.fail(new Error('the proxy closed the connection during the SOCKS5 handshake'));
  private readonly onError = (e: Error): void => this.fail(e);

  constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('error', this.onError);
  }

  read(n: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.waiting = { n, resolve, reject };
      this.pump();
    });
  }

  /** Stops reading; unread bytes are handed back to the socket for its next reader (TLS). */
  release(): void {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('error', this.onError);
    this.socket.pause();
    if (this.buffered.length > 0) this.socket.unshift(this.buffered);
    this.buffered = Buffer.alloc(0);
  }

  private pump(): void {
    const w = this.waiting;
    if (!w || this.buffered.length < w.n) return;
    this.waiting = undefined;
    const out = this.buffered.subarray(0, w.n);
    this.buffered = this.buffered.subarray(w.n);
    w.resolve(out);
  }

  private fail(e: Error): void {
    this.failure = e;
    const w = this.waiting;
    this.waiting = undefined;
    w?.reject(e);
  }
}

function proxyError(proxy: ProxySpec, what: string): KubeApiError {
  return new KubeApiError(`the SOCKS5 proxy ${proxy.host}:${proxy.port} (${proxy.source}) ${what}`, undefined, 'EPROXY');
}

/** Asks the proxy on `socket` (connected) for a tunnel to host:port. */
export async function socks5Connect(socket: net.Socket, proxy: ProxySpec, host: string, port: number): Promise<net.Socket> {
  const reader = new Reader(socket);
  try {
    const withAuth = proxy.username !== undefined;
    socket.write(Buffer.from(withAuth ? [5, 2, 0, 2] : [5, 1, 0]));
    const [version, method] = await reader.read(2);
    if (version !== 5) throw proxyError(proxy, 'is not a SOCKS5 proxy');
    if (method === 2) {
      if (!withAuth) throw proxyError(proxy, 'asks for a username and password: put them in the proxy URL (socks5://user:password@host:port)');
      const user = Buffer.from(proxy.username ?? '', 'utf8');
      const pass = Buffer.from(proxy.password ?? '', 'utf8');
      if (user.length > 255 || pass.length > 255) throw proxyError(proxy, 'cannot take a username or password longer than 255 bytes');
      socket.write(Buffer.concat([Buffer.from([1, user.length]), user, Buffer.from([pass.length]), pass]));
      const [, status] = await reader.read(2);
      if (status !== 0) throw proxyError(proxy, 'refused the username and password');
    } else if (method !== 0) {
      throw proxyError(proxy, method === 0xff ? 'accepts none of the authentication methods offered (none, username/password)' : `chose an unknown authentication method ${method}`);
    }
    const portBytes = Buffer.from([port >> 8, port & 0xff]);
    let address: Buffer;
    if (net.isIPv4(host)) address = Buffer.from([1, ...host.split('.').map(Number)]);
    else if (net.isIPv6(host)) address = Buffer.concat([Buffer.from([4]), ipv6Bytes(host)]);
    else {
      const name = Buffer.from(host, 'utf8');
      if (name.length > 255) throw proxyError(proxy, `cannot take a host name longer than 255 bytes (${host.slice(0, 40)}…)`);
      address = Buffer.concat([Buffer.from([3, name.length]), name]);
    }
    socket.write(Buffer.concat([Buffer.from([5, 1, 0]), address, portBytes]));
    const [v, rep, , atyp] = await reader.read(4);
    if (v !== 5) throw proxyError(proxy, 'answered the CONNECT request with something other than SOCKS5');
    if (rep !== 0) throw proxyError(proxy, `could not open the tunnel to ${host}:${port}: ${REPLIES[rep!] ?? `reply ${rep}`}`);
    // The bound address the proxy reports: read and dropped.
    if (atyp === 1) await reader.read(4 + 2);
    else if (atyp === 4) await reader.read(16 + 2);
    else if (atyp === 3) await reader.read((await reader.read(1))[0]! + 2);
    else throw proxyError(proxy, `answered with an unknown address type ${atyp}`);
    reader.release();
    return socket;
  } catch (e) {
    reader.release();
    throw e;
  }
}

function ipv6Bytes(host: string): Buffer {
  // Expand `::` and an embedded IPv4 tail into 8 groups.
  let text = host;
  const tail: number[] = [];
  const v4 = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    tail.push(...v4[1]!.split('.').map(Number));
    text = `${text.slice(0, v4.index)}:0:0`;
  }
  const [head = '', rest] = text.split('::');
  const hs = head === '' ? [] : head.split(':');
  const rs = rest === undefined || rest === '' ? [] : rest.split(':');
  const groups = [...hs, ...Array<string>(rest === undefined ? 0 : 8 - hs.length - rs.length).fill('0'), ...rs].map((g) => parseInt(g, 16));
  const bytes = Buffer.from(groups.flatMap((g) => [g >> 8, g & 0xff]));
  if (tail.length) Buffer.from(tail).copy(bytes, 12);
  return bytes;
}
