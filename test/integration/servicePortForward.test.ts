// Open Service in Browser's forward on the test bed (seed-000, cluster-b): a loopback port → the API server's
// pods/portforward (WebSocket) → kwok, every fake node's kubelet, which a kwok PortForward object points at an echo
// server this test starts on 127.0.0.1. Random payloads go through and must come back byte for byte — when the pod
// behind the service is deleted and another one takes its place, and across the API server being stopped and started.
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureTestbed, startApiserver, stopApiserver } from '../testbed/index.ts';
import { createClusterClient } from '../../src/infra/cluster/httpClusterClient.ts';
import type { ClusterClient } from '../../src/infra/cluster/clusterClient.ts';
import { ServicePortForward, type ForwardState } from '../../src/infra/cluster/servicePortForward.ts';
import { testbedContexts, type Contexts } from './support/contexts.ts';
import { converges } from './support/converges.ts';
import { roundTrip as echoRoundTrip, startEchoService, type EchoService } from './support/echoService.ts';
import { mulberry32 } from '../unit/seededRandom.ts';

const CONTEXT = 'cluster-b';
const NODE = 'cluster-b-worker';
const NS = `forward-${Date.now().toString(36)}`;
const SEED = Number(process.env.FORWARD_SEED ?? Date.now() % 1_000_000);

let contexts: Contexts;
let client: ClusterClient;
let echo: EchoService;
let forward: ServicePortForward;
let port = 0;
const states: ForwardState[] = [];
const random = mulberry32(SEED);

before(async () => {
  const tb = await ensureTestbed('seed-000');
  contexts = await testbedContexts(tb.kubeconfig);
  client = createClusterClient(await contexts.resolve(CONTEXT), { timeoutMs: 5000 });
  echo = await startEchoService(client, NODE, NS);
  await echo.addPod('echo-1');
});

after(async () => {
  forward?.stop();
  await echo?.dispose();
  client?.dispose();
  await contexts?.dispose();
});

/** One connection through the forward: a random payload (1 B to 200 KB) out, the same bytes back. */
const roundTrip = (what: string): Promise<void> => echoRoundTrip(port, 1 + Math.floor(random() * 200_000), `${what} (seed ${SEED})`);

test('random payloads go through the forward to the pod and back, byte for byte', async () => {
  forward = new ServicePortForward({ client: () => client, namespace: NS, service: 'echo', port: 80, reconnect: { initialMs: 100, maxMs: 1000 }, connectDeadlineMs: 150_000, onStateChange: (s) => states.push(s) });
  port = await forward.start();
  assert.deepEqual(forward.state, { kind: 'ready', pod: 'echo-1' });
  const before = echo.connections();
  for (let i = 0; i < 5; i++) await roundTrip(`round trip ${i}`);
  await Promise.all([0, 1, 2, 3].map((i) => roundTrip(`parallel ${i}`)));
  // every connection reached the echo server through kwok: nothing answered on the way
  assert.equal(echo.connections() - before, 9);
});

test('the pod is deleted and another takes its place: the forward finds it by itself', async () => {
  await client.delete(`/api/v1/namespaces/${NS}/pods/echo-1`);
  await converges('echo-1 gone', async () => !(await client.list(`/api/v1/namespaces/${NS}/pods`)).items.some((p) => (p as { metadata: { name: string } }).metadata.name === 'echo-1'), 60_000);
  // the connection is made while no pod runs: it waits for the new one
  const trip = roundTrip('after the pod was replaced');
  await sleep(1_000);
  await echo.addPod('echo-2');
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
