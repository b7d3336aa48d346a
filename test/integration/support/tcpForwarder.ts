// A real TCP forwarder in front of a test-bed API server, for tests that need another address (a name the server
// certificate lacks) or a dead link: `blackhole(true)` keeps every connection open but forwards nothing either way,
// as a dropped VPN or a stalled NAT would. TLS passes through untouched (ALPN included).
import * as net from 'node:net';

export interface Forwarder {
  readonly host: string;
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  blackhole(on: boolean): void;
  close(): Promise<void>;
}

export async function startForwarder(target: { host: string; port: number }, listenHost = '127.0.0.1'): Promise<Forwarder> {
  let dropping = false;
  let accepted = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    accepted++;
    const upstream = net.connect(target);
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(from);
      from.on('data', (chunk) => {
        if (!dropping) to.write(chunk);
      });
      from.on('error', () => to.destroy());
      from.on('close', () => {
        sockets.delete(from);
        to.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, listenHost, resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    host: listenHost,
    port,
    get accepted() {
      return accepted;
    },
    blackhole(on) {
      dropping = on;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
