// Sockets on 127.0.0.1 for SSH tunnels to API servers: a free local port to forward from, and whether something
// accepts connections there (the tunnel's readiness: ssh listens only once it is authenticated). Kept with the
// cluster transport because this folder is the one that opens sockets towards API servers (lint enforces it).
import * as net from 'node:net';

/** A port on 127.0.0.1 that nothing listens on now (ssh may still lose a race for it: ExitOnForwardFailure). */
export async function freeLocalPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', resolve);
  });
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/** True when a TCP connection to 127.0.0.1:port is accepted within a second (closed at once). */
export function localPortAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1000, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}
