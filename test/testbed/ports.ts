// Ports on 127.0.0.1 for each cluster's components: free ones picked by the OS, or a fixed range from
// LIQO_TESTBED_BASE_PORT, checked before anything starts so a port in use is reported clearly.
import net from 'node:net';
import type { ClusterLayout } from './cluster.ts';

export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * Waits until 127.0.0.1:port can be bound, e.g. after the process that listened there was stopped; throws naming the
 * port and how to find its holder when it stays taken.
 */
export async function waitPortFree(port: number, purpose: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await portFree(port))) {
    if (Date.now() >= deadline) {
      throw new Error(`port 127.0.0.1:${port} (${purpose}) is still in use after ${timeoutMs / 1000} s: see what holds it with ss -tanp 'sport = :${port}'`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A port on 127.0.0.1 that was free a moment ago (picked by the OS). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Ports for each cluster: free ones picked by the OS, or LIQO_TESTBED_BASE_PORT + 10·i + {0..5} if set. */
export async function allocatePorts(count: number): Promise<{ clusters: ClusterLayout['ports'][]; unreachable: number }> {
  const base = process.env.LIQO_TESTBED_BASE_PORT ? Number(process.env.LIQO_TESTBED_BASE_PORT) : undefined;
  const taken = new Set<number>();
  const pick = async (fixed: number | undefined, purpose: string) => {
    if (fixed !== undefined) {
      if (!(await portFree(fixed))) {
        throw new Error(`port 127.0.0.1:${fixed} (${purpose}) is already in use: stop what holds it (ss -ltnp 'sport = :${fixed}'), run 'npm run testbed:down' if it is an old test bed, or choose another LIQO_TESTBED_BASE_PORT`);
      }
      return fixed;
    }
    for (;;) {
      const p = await freePort();
      if (!taken.has(p)) {
        taken.add(p);
        return p;
      }
    }
  };
  const clusters: ClusterLayout['ports'][] = [];
  for (let i = 0; i < count; i++) {
    const at = (k: number) => (base === undefined ? undefined : base + 10 * i + k);
    clusters.push({
      apiserver: await pick(at(0), `cluster ${i + 1} kube-apiserver`),
      etcd: await pick(at(1), `cluster ${i + 1} etcd`),
      etcdPeer: await pick(at(2), `cluster ${i + 1} etcd peer`),
      kwok: await pick(at(3), `cluster ${i + 1} kwok kubelet API`),
      liqoWebhook: await pick(at(4), `cluster ${i + 1} Liqo webhook`),
      metricsServer: await pick(at(5), `cluster ${i + 1} metrics-server`),
    });
  }
  return { clusters, unreachable: await pick(base === undefined ? undefined : base + 10 * count, 'unreachable peer') };
}
