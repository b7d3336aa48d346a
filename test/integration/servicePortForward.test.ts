// Open Service in Browser's forward on the test bed (seed-000, cluster-b): a loopback port → the API server's
// pods/portforward (WebSocket) → kwok, every fake node's kubelet, which a kwok PortForward object points at an echo
// server this test starts on 127.0.0.1. Random payloads go through and must come back byte for byte — when the pod
// behind the service is deleted and another one takes its place, and across the API server being stopped and started.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureTestbed, startApiserver, stopApiserver } from '../testbed/index.ts';
import { createClusterClient } from '../../src/infra/cluster/httpClusterClient.ts';
import type { ClusterClient } from '../../src/infra/cluster/clusterClient.ts';
import { ServicePortForward, type ForwardState } from '../../src/infra/cluster/servicePortForward.ts';
import { testbedContexts, type Contexts } from './support/contexts.ts';
import { converges } from './support/converges.ts';
import { mulberry32 } from '../unit/seededRandom.ts';

const CONTEXT = 'cluster-b';
const NODE = 'cluster-b-worker';
const NS = `forward-${Date.now().toString(36)}`;
const CONTAINER_PORT = 7000;
const SEED = Number(process.env.FORWARD_SEED ?? Date.now() % 1_000_000);

let contexts: Contexts;
let client: ClusterClient;
let echo: net.Server;
let echoPort = 0;
let echoConnections = 0;
let forward: ServicePortForward;
let port = 0;
const states: ForwardState[] = [];
const random = mulberry32(SEED);

before(async () => {
  const tb = await ensureTestbed('seed-000');
  contexts = await testbedContexts(tb.kubeconfig);
  client = createClusterClient(await contexts.resolve(CONTEXT), { timeoutMs: 5000 });
  echo = net.createServer((c) => {
    echoConnections++;
    c.on('error', () => c.destroy());
    c.pipe(c);
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  echoPort = (echo.address() as net.AddressInfo).port;
  await client.apply(`/api/v1/namespaces/${NS}`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }, { fieldManager: 'forward-test' });
  await client.apply(
    `/api/v1/namespaces/${NS}/services/echo`,
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'echo', namespace: NS }, spec: { selector: { app: 'echo' }, ports: [{ name: 'http', port: 80, targetPort: 'echo' }] } },
    { fieldManager: 'forward-test' },
  );
  await echoPod('echo-1');
});

after(async () => {
  forward?.stop();
  await client?.delete(`/api/v1/namespaces/${NS}`).catch(() => undefined);
  client?.dispose();
  await contexts?.dispose();
  echo?.close();
});

/** A pod kwok runs on a fake node, and the kwok PortForward that sends its container port to the echo server. */
async function echoPod(name: string): Promise<void> {
  await client.apply(
    `/apis/kwok.x-k8s.io/v1alpha1/namespaces/${NS}/portforwards/${name}`,
    { apiVersion: 'kwok.x-k8s.io/v1alpha1', kind: 'PortForward', metadata: { name, namespace: NS }, spec: { forwards: [{ ports: [CONTAINER_PORT], target: { port: echoPort, address: '127.0.0.1' } }] } },
    { fieldManager: 'forward-test' },
  );
  await client.apply(
    `/api/v1/namespaces/${NS}/pods/${name}`,
    { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS, labels: { app: 'echo' } }, spec: { nodeName: NODE, containers: [{ name: 'echo', image: 'echo', ports: [{ name: 'echo', containerPort: CONTAINER_PORT }] }] } },
    { fieldManager: 'forward-test' },
  );
  await converges(`pod ${name} Running`, async () => (await client.get<{ status?: { phase?: string } }>(`/api/v1/namespaces/${NS}/pods/${name}`)).status?.phase === 'Running', 60_000);
}

/** One connection through the forward: a random payload out, the same bytes back. */
async function roundTrip(what: string, timeoutMs = 150_000): Promise<void> {
  const size = 1 + Math.floor(random() * 200_000);
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
  assert.equal(got.length, size, `${what}: ${got.length} of ${size} bytes came back (seed ${SEED})`);
  assert.ok(got.equals(payload), `${what}: the bytes that came back differ from those sent (seed ${SEED})`);
}

test('random payloads go through the forward to the pod and back, byte for byte', async () => {
  forward = new ServicePortForward({ client: () => client, namespace: NS, service: 'echo', port: 80, reconnect: { initialMs: 100, maxMs: 1000 }, connectDeadlineMs: 150_000, onStateChange: (s) => states.push(s) });
  port = await forward.start();
  assert.deepEqual(forward.state, { kind: 'ready', pod: 'echo-1' });
  const before = echoConnections;
  for (let i = 0; i < 5; i++) await roundTrip(`round trip ${i}`);
  await Promise.all([0, 1, 2, 3].map((i) => roundTrip(`parallel ${i}`)));
  // every connection reached the echo server through kwok: nothing answered on the way
  assert.equal(echoConnections - before, 9);
});

test('the pod is deleted and another takes its place: the forward finds it by itself', async () => {
  await client.delete(`/api/v1/namespaces/${NS}/pods/echo-1`);
  await converges('echo-1 gone', async () => !(await client.list(`/api/v1/namespaces/${NS}/pods`)).items.some((p) => (p as { metadata: { name: string } }).metadata.name === 'echo-1'), 60_000);
  // the connection is made while no pod runs: it waits for the new one
  const trip = roundTrip('after the pod was replaced');
  await sleep(1_000);
  await echoPod('echo-2');
  await trip;
  assert.deepEqual(forward.state, { kind: 'ready', pod: 'echo-2' });
  assert.ok(states.some((s) => s.kind === 'reconnecting'), 'the forward said it was reconnecting');
  await roundTrip('second connection to the new pod');
});

test('the API server stops and starts again: an open connection ends, a new one waits and goes through', async () => {
  const open = net.connect(port, '127.0.0.1');
  await new Promise<void>((r) => open.once('connect', () => r()));
  open.write('x');
  await new Promise<void>((r) => open.once('data', () => r()));
  const closed = new Promise<void>((r) => open.once('close', () => r()));
  open.on('error', () => undefined);
  await stopApiserver(CONTEXT);
  let restarted = false;
  try {
    await closed;
    const trip = roundTrip('while the API server restarts');
    await sleep(2_000);
    await startApiserver(CONTEXT);
    restarted = true;
    await trip;
  } finally {
    if (!restarted) await startApiserver(CONTEXT);
  }
  assert.equal(forward.state.kind, 'ready');
  await roundTrip('after the restart');
});
