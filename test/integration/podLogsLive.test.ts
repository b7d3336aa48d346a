// Pod logs on the live test bed (`live+peered`: Liqo's own controllers, a real virtual kubelet serving the consumer's
// virtual node, `kubeflow` offloaded to cluster-b): an offloaded pod's log read through the consumer's API server
// (API server → virtual kubelet → provider → kwok) and straight from the provider give the same lines; with the
// virtual kubelet stopped (SIGSTOP: it accepts connections and answers nothing), the stream falls back to the
// provider by itself and says so.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ensureTestbed, type Testbed } from '../testbed/index.ts';
import { createClusterClient } from '../../src/infra/cluster/httpClusterClient.ts';
import type { ClusterClient } from '../../src/infra/cluster/clusterClient.ts';
import { linesOf, type StreamEvent } from '../../src/core/logs/interleave.ts';
import { streamPodLog } from '../../src/infra/logs/podLogStream.ts';
import { ClusterDirectory, type ClusterHandle } from '../../src/infra/logs/clusterDirectory.ts';
import { routesForPod } from '../../src/infra/logs/offloadedPodRoutes.ts';
import { providerLogLine } from '../testbed/scenarios/live.ts';
import { testbedContexts, type Contexts } from './support/contexts.ts';

const CONSUMER = 'kind-mlops-platform';
const PROVIDER = 'cluster-b';
const POD = 'training-worker-0';
const FAST_BACKOFF = { initialMs: 200, maxMs: 2000 };

let tb: Testbed;
let contexts: Contexts;
let consumer: ClusterClient;
let provider: ClusterClient;
let handles: ClusterHandle[];

before(async () => {
  tb = await ensureTestbed('live+peered');
  contexts = await testbedContexts(tb.kubeconfig);
  consumer = createClusterClient(await contexts.resolve(CONSUMER), { timeoutMs: 5000 });
  provider = createClusterClient(await contexts.resolve(PROVIDER), { timeoutMs: 5000 });
  handles = [
    { context: CONSUMER, client: consumer },
    { context: PROVIDER, client: provider },
  ];
});

after(async () => {
  consumer?.dispose();
  provider?.dispose();
  await contexts?.dispose();
});

function collector() {
  const events: StreamEvent[] = [];
  return { events, lines: () => events.flatMap(linesOf).map((l) => l.text), sink: { write: (ev: readonly StreamEvent[]) => void events.push(...ev) } };
}

/** The pid of the virtual kubelet that serves `vn` on the consumer, from the test bed's process list. */
function vkPid(vn: string): number {
  const line = readFileSync(path.join(tb.stateDir, 'pids'), 'utf8')
    .split('\n')
    .filter((l) => l.endsWith(` ${CONSUMER}/vk-${vn}`))
    .pop();
  assert.ok(line, `a virtual-kubelet for ${vn} in ${tb.stateDir}/pids`);
  return Number(line.split(' ')[0]);
}

test("an offloaded pod's log through the consumer's virtual kubelet equals the provider's, read directly", async () => {
  const signal = new AbortController().signal;
  const found = await routesForPod(new ClusterDirectory(() => handles), handles[0]!, { context: CONSUMER, namespace: 'kubeflow', pod: POD }, signal);
  assert.equal(found.remoteClusterId, PROVIDER);
  assert.equal(found.routes.length, 2, JSON.stringify(found.routes.map((r) => r.label)));
  assert.equal(found.routes[1]!.target.context, PROVIDER);
  const viaVk = collector();
  const a = await streamPodLog({ routes: [found.routes[0]!], options: { follow: false, previous: false, timestamps: false }, sink: viaVk.sink, signal, backoff: FAST_BACKOFF });
  assert.equal(a.ended, 'complete', a.error);
  const direct = collector();
  const b = await streamPodLog({ routes: [found.routes[1]!], options: { follow: false, previous: false, timestamps: false }, sink: direct.sink, signal, backoff: FAST_BACKOFF });
  assert.equal(b.ended, 'complete', b.error);
  const seen = viaVk.lines();
  assert.ok(seen.includes(providerLogLine(PROVIDER, 1)), `the provider's history through the virtual kubelet: ${seen.slice(0, 3).join(' | ')}`);
  // kwok's log grows by a line a second: the direct read, made later, holds every line the first one did, in order.
  assert.deepEqual(direct.lines().slice(0, seen.length), seen);
});

test('with the virtual kubelet stopped, the stream falls back to the provider by itself and says so', async () => {
  const signal = new AbortController().signal;
  const found = await routesForPod(new ClusterDirectory(() => handles), handles[0]!, { context: CONSUMER, namespace: 'kubeflow', pod: POD }, signal);
  const pid = vkPid(PROVIDER);
  process.kill(pid, 'SIGSTOP');
  try {
    const c = collector();
    const r = await streamPodLog({ routes: found.routes, options: { follow: false, previous: false, timestamps: false }, sink: c.sink, signal, backoff: FAST_BACKOFF });
    assert.equal(r.ended, 'complete', r.error);
    assert.equal(r.route.target.context, PROVIDER);
    const notices = c.events.flatMap((e) => (e.kind === 'notice' ? [e.detail] : []));
    assert.match(notices.join('\n'), /falling back to reading straight from the provider cluster-b/);
    assert.ok(c.lines().includes(providerLogLine(PROVIDER, 1)), c.lines().slice(0, 3).join(' | '));
  } finally {
    process.kill(pid, 'SIGCONT');
  }
});
