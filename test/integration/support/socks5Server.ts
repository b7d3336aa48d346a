// A real SOCKS5 server on loopback (RFC 1928 CONNECT, RFC 1929 username/password when required), written here as a
// test part: it counts the connections it accepts and records each CONNECT's target ("host:port", the name as the
// client sent it). `hosts` maps names only the proxy knows to loopback addresses, as connectProxy.ts does.
import * as net from 'node:net';

export interface Socks5Server {
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: () => number;
  readonly targets: readonly string[];
  close(): Promise<void>;
}

export async function startSocks5Server(opts: { auth?: { username: string; password: string }; hosts?: Readonly<Record<string, string>> } = {}): Promise<Socks5Server> {
  const targets: string[] = [];
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const track = (s: net.Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const server = net.createServer((client) => {
    accepted++;
    track(client);
    let buf = Buffer.alloc(0);
    let stage: 'greeting' | 'auth' | 'request' | 'piped' = 'greeting';
    const onData = (chunk: Buffer): void => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        if (stage === 'greeting') {
          if (buf.length < 2 || buf.length < 2 + buf[1]!) return;
          const methods = [...buf.subarray(2, 2 + buf[1]!)];
          buf = buf.subarray(2 + buf[1]!);
          const want = opts.auth ? 2 : 0;
          if (buf.length === 0 && !methods.includes(want)) {
            client.end(Buffer.from([5, 0xff]));
            return;
          }
          client.write(Buffer.from([5, want]));
          stage = opts.auth ? 'auth' : 'request';
        } else if (stage === 'auth') {
          if (buf.length < 2) return;
          const ulen = buf[1]!;
          if (buf.length < 3 + ulen) return;
          const plen = buf[2 + ulen]!;
          if (buf.length < 3 + ulen + plen) return;
          const user = buf.subarray(2, 2 + ulen).toString();
          const pass = buf.subarray(3 + ulen, 3 + ulen + plen).toString();
          buf = buf.subarray(3 + ulen + plen);
          const ok = user === opts.auth!.username && pass === opts.auth!.password;
          client.write(Buffer.from([1, ok ? 0 : 1]));
          if (!ok) {
            client.end();
            return;
          }
          stage = 'request';
        } else if (stage === 'request') {
          if (buf.length < 5) return;
          const atyp = buf[3]!;
          const addrLen = atyp === 1 ? 4 : atyp === 4 ? 16 : 1 + buf[4]!;
          if (buf.length < 4 + addrLen + 2) return;
          const addr = buf.subarray(4, 4 + addrLen);
          const host = atyp === 1 ? [...addr].join('.') : atyp === 4 ? (addr.toString('hex').match(/.{4}/g) ?? []).join(':') : addr.subarray(1).toString();
          const port = buf.readUInt16BE(4 + addrLen);
          const rest = buf.subarray(4 + addrLen + 2);
          targets.push(`${host}:${port}`);
          stage = 'piped';
          client.off('data', onData);
          client.pause();
          const upstream = net.connect({ host: opts.hosts?.[host] ?? host, port }, () => {
            // Bound address 0.0.0.0:0: the client drops it.
            client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]));
            if (rest.length) upstream.write(rest);
            upstream.pipe(client);
            client.pipe(upstream);
            client.resume();
          });
          track(upstream);
          upstream.on('error', () => {
            if (!client.destroyed) client.end(Buffer.from([5, 5, 0, 1, 0, 0, 0, 0, 0, 0]));
          });
          client.on('close', () => upstream.destroy());
          return;
        } else return;
      }
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    accepted: () => accepted,
    targets,
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
