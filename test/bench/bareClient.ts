// A bare API client for the benchmarks' floors: the test bed's embedded credentials and node:https or node:http2,
// no library in between. `freshList` opens a new TCP+TLS connection for every request (what each request of the
// explorer costs today); `PooledCluster` multiplexes every request to one cluster over one HTTP/2 connection.
// Both parse the JSON body, as the explorer must.
import https from 'node:https';
import http2 from 'node:http2';
import type { Kubeconfig } from './benchStats.ts';

export interface BareCluster {
  readonly context: string;
  readonly server: string;
  readonly ca: Buffer;
  readonly cert: Buffer;
  readonly key: Buffer;
}

export interface ListCall {
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
}

export function bareCluster(kc: Kubeconfig, context: string): BareCluster {
  const ctx = kc.contexts.find((c) => c.name === context)?.context;
  const cluster = kc.clusters.find((c) => c.name === ctx?.cluster)?.cluster;
  const user = kc.users.find((u) => u.name === ctx?.user)?.user;
  const data = (v: string | undefined, what: string): Buffer => {
    if (!v) throw new Error(`context ${context}: the bench needs embedded ${what} (the test bed's kubeconfig has them)`);
    return Buffer.from(v, 'base64');
  };
  if (!cluster) throw new Error(`context ${context}: no cluster in the kubeconfig`);
  return {
    context,
    server: cluster.server.replace(/\/$/, ''),
    ca: data(cluster['certificate-authority-data'], 'certificate-authority-data'),
    cert: data(user?.['client-certificate-data'], 'client-certificate-data'),
    key: data(user?.['client-key-data'], 'client-key-data'),
  };
}

function target(call: ListCall): string {
  const q = new URLSearchParams(call.query ?? {}).toString();
  return q ? `${call.path}?${q}` : call.path;
}

function itemCount(status: number, text: string, call: ListCall): number {
  if (status !== 200) throw new Error(`LIST ${call.path}: HTTP ${status} ${text.slice(0, 200)}`);
  return ((JSON.parse(text) as { items?: unknown[] }).items ?? []).length;
}

/** One LIST over a connection of its own (no agent: a new TCP+TLS handshake). Resolves with the item count. */
export function freshList(c: BareCluster, call: ListCall): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${c.server}${target(call)}`,
      { method: 'GET', agent: false, ca: c.ca, cert: c.cert, key: c.key, headers: { accept: 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (b: Buffer) => chunks.push(b));
        res.on('end', () => {
          try {
            resolve(itemCount(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), call));
          } catch (err) {
            reject(err as Error);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** One HTTP/2 connection to one cluster; every LIST is a stream on it. */
export class PooledCluster {
  private readonly session: http2.ClientHttp2Session;

  private constructor(session: http2.ClientHttp2Session) {
    this.session = session;
  }

  static connect(c: BareCluster): Promise<PooledCluster> {
    return new Promise((resolve, reject) => {
      const session = http2.connect(c.server, { ca: c.ca, cert: c.cert, key: c.key });
      session.once('error', reject);
      session.once('connect', () => {
        session.off('error', reject);
        session.on('error', () => undefined); // a late error surfaces on the streams
        resolve(new PooledCluster(session));
      });
    });
  }

  /** One request as a stream of the connection: the status and the body's text. */
  request(method: string, path: string, body?: string, contentType = 'application/json'): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const headers: http2.OutgoingHttpHeaders = { ':method': method, ':path': path, accept: 'application/json' };
      if (body !== undefined) headers['content-type'] = contentType;
      const stream = this.session.request(headers);
      let status = 0;
      const chunks: Buffer[] = [];
      stream.on('response', (h) => (status = Number(h[':status'] ?? 0)));
      stream.on('data', (b: Buffer) => chunks.push(b));
      stream.on('end', () => resolve({ status, text: Buffer.concat(chunks).toString('utf8') }));
      stream.on('error', reject);
      stream.end(body);
    });
  }

  /** The local port of the connection (to tell it from the explorer's in /proc). */
  get localPort(): number | undefined {
    return this.session.socket?.localPort;
  }

  /** A streaming GET (a watch): `onLine` gets each line of the body as it arrives; returns what ends it. */
  lines(path: string, onLine: (line: string) => void): () => void {
    const stream = this.session.request({ ':method': 'GET', ':path': path, accept: 'application/json' });
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (text: string) => {
      const parts = (pending + text).split('\n');
      pending = parts.pop() ?? '';
      for (const l of parts) if (l) onLine(l);
    });
    stream.on('error', () => undefined);
    stream.end();
    return () => stream.close();
  }

  /** A GET outside any timing: 429 (a busy or starting server) is retried a few times, a second apart. */
  async get(path: string): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      const r = await this.request('GET', path);
      if (r.status === 200) return JSON.parse(r.text) as unknown;
      if (r.status !== 429 || attempt >= 30) throw new Error(`GET ${path}: HTTP ${r.status} ${r.text.slice(0, 200)}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  async list(call: ListCall): Promise<number> {
    const r = await this.request('GET', target(call));
    return itemCount(r.status, r.text, call);
  }

  close(): void {
    this.session.close();
  }
}
