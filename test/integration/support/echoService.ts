// An echo service on the seed-000 test bed for port-forward tests: an echo server on 127.0.0.1 (this process), a
// namespace with a Service `echo` (port 80 → the container port named `echo`), and pods kwok runs on a fake node
// whose port-forward a kwok PortForward object points at the echo server. roundTrip sends a random payload through
// a local port and checks that the same bytes come back.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import type { ClusterClient } from '../../../src/infra/cluster/clusterClient.ts';
import { converges } from './converges.ts';

const CONTAINER_PORT = 7000;

export interface EchoService {
  readonly namespace: string;
  /** connections the echo server accepted */
  readonly connections: () => number;
  addPod(name: string): Promise<void>;
  dispose(): Promise<void>;
}

export async function startEchoService(client: ClusterClient, node: string, namespace: string): Promise<EchoService> {
  let connections = 0;
  const echo = net.createServer((c) => {
    connections++;
    c.on('error', () => c.destroy());
    c.pipe(c);
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  const echoPort = (echo.address() as net.AddressInfo).port;
  const apply = (path: string, obj: unknown) => client.apply(path, obj, { fieldManager: 'forward-test' });
  await apply(`/api/v1/namespaces/${namespace}`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  // The API server admits a pod only once its namespace has the `default` ServiceAccount, which the controller
  // manager adds a moment later: written here, a pod created at once is not refused (it was, once, in a full run).
  await apply(`/api/v1/namespaces/${namespace}/serviceaccounts/default`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } });
  await apply(`/api/v1/namespaces/${namespace}/services/echo`, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'echo', namespace },
    spec: { selector: { app: 'echo' }, ports: [{ name: 'http', port: 80, targetPort: 'echo' }] },
  });
  return {
    namespace,
    connections: () => connections,
    async addPod(name) {
      await apply(`/apis/kwok.x-k8s.io/v1alpha1/namespaces/${namespace}/portforwards/${name}`, {
        apiVersion: 'kwok.x-k8s.io/v1alpha1',
        kind: 'PortForward',
        metadata: { name, namespace },
        spec: { forwards: [{ ports: [CONTAINER_PORT], target: { port: echoPort, address: '127.0.0.1' } }] },
      });
      await apply(`/api/v1/namespaces/${namespace}/pods/${name}`, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace, labels: { app: 'echo' } },
        spec: { nodeName: node, containers: [{ name: 'echo', image: 'echo', ports: [{ name: 'echo', containerPort: CONTAINER_PORT }] }] },
      });
      await converges(`pod ${name} Running`, async () => (await client.get<{ status?: { phase?: string } }>(`/api/v1/namespaces/${namespace}/pods/${name}`)).status?.phase === 'Running', 60_000);
    },
    async dispose() {
      await client.delete(`/api/v1/namespaces/${namespace}`).catch(() => undefined);
      echo.close();
    },
  };
}

/** One connection to 127.0.0.1:port: `size` random bytes out, the same bytes back (else the assertion says how). */
export async function roundTrip(port: number, size: number, what: string, timeoutMs = 150_000): Promise<void> {
  const payload = randomBytes(size);
  const got = await new Promise<Buffer>((resolve, reject) => {
    const parts: Buffer[] = [];
    let n = 0;
    const s = net.connect(port, '127.0.0.1', () => s.write(payload));
    const timer = setTimeout(() => s.destroy(new Error(`${what}: no echo of ${size} bytes within ${timeoutMs / 1000} s (got ${n})`)), timeoutMs);
    s.on('data', (d: Buffer) => {
      parts.push(d);
      n += d.length;
      if (n >= size) s.end();
    });
    s.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(parts));
    });
    s.on('error', reject);
  });
  assert.equal(got.length, size, `${what}: ${got.length} of ${size} bytes came back`);
  assert.ok(got.equals(payload), `${what}: the bytes that came back differ from those sent`);
}
