// A real HTTP CONNECT proxy on loopback (as corporate proxies and `proxy-url` kubeconfigs use), for tests of the
// client's tunnelling: it checks Proxy-Authorization when given one, and records each tunnel's target. `hosts` maps
// names the client never resolves (`api.proxied.test`) to loopback addresses: only the proxy knows them, as only a
// corporate proxy knows the cluster's internal name.
import * as http from 'node:http';
import * as net from 'node:net';

export interface ConnectProxy {
  readonly port: number;
  /** Targets of the tunnels opened so far ("host:port"). */
  readonly tunnels: readonly string[];
  close(): Promise<void>;
}

export async function startConnectProxy(requiredAuthorization?: string, hosts: Readonly<Record<string, string>> = {}): Promise<ConnectProxy> {
  const tunnels: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (requiredAuthorization && req.headers['proxy-authorization'] !== requiredAuthorization) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
      return;
    }
    const [host, port] = [req.url!.slice(0, req.url!.lastIndexOf(':')), Number(req.url!.slice(req.url!.lastIndexOf(':') + 1))];
    tunnels.push(req.url!);
    const upstream = net.connect({ host: hosts[host] ?? host, port }, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    tunnels,
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
