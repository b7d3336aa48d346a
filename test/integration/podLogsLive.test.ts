// Pod logs on the live test bed (`live+peered`: Liqo's own controllers, a real virtual kubelet serving the consumer's
// virtual node, `kubeflow` offloaded to cluster-b): an offloaded pod's log read through the consumer's API server
// (API server → virtual kubelet → provider → kwok) and straight from the provider give the same lines; with the
// virtual kubelet stopped (SIGSTOP: it accepts connections and answers nothing), the stream falls back to the
// provider by itself and says so — also when it is stopped in the middle of a followed stream: the view says so
// within the connection timeout (plus a margin) and goes on from the provider, no line lost or doubled.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { ensureTestbed, type Testbed } from '../testbed/index.ts';
import { createClusterClient } from '../../src/infra/cluster/httpClusterClient.ts';
import type { ClusterClient } from '../../src/infra/cluster/clusterClient.ts';
import { linesOf, type StreamEvent } from '../../src/core/logs/interleave.ts';
import { streamPodLog } from '../../src/infra/logs/podLogStream.ts';
import { ClusterDirectory, type ClusterHandle } from '../../src/infra/logs/clusterDirectory.ts';
import { routesForPod } from '../../src/infra/logs/offloadedPodRoutes.ts';
import { providerLogLine } from '../testbed/scenarios/live.ts';
import { decodeLogLine } from '../../src/core/logs/logLine.ts';
import { DEFAULT_LOG_OPTIONS } from '../../src/core/logs/logSource.ts';
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

/** kwok serves every pod of the provider from this file (CRI: "<time> stdout F <text>"); the log writer appends to it. */
const providerLogFile = () => path.join(tb.stateDir, 'clusters', PROVIDER, 'pod-logs', 'all-pods.log');

function fileKeyed(): string[] {
  return readFileSync(providerLogFile(), 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => {
      const m = /^(\S+) std(?:out|err) [FP] (.*)$/.exec(l)!;
      const d = decodeLogLine(`${m[1]} ${m[2]}`);
      return `${d.time!.key} ${d.text}`;
    });
}

/** The connection timeout of these streams (liqo.connectionTimeoutSeconds' default). */
const TIMEOUT_MS = 5000;
/** Room for a loaded 2-core machine; without the idle limit the view said nothing for ~56 s (the consumer's API server giving up). */
const MARGIN_MS = 5000;

test('the virtual kubelet frozen in the middle of a followed stream: the view says so within the connection timeout and goes on from the provider, no line lost or doubled', async () => {
  const signal = new AbortController().signal;
  const found = await routesForPod(new ClusterDirectory(() => handles), handles[0]!, { context: CONSUMER, namespace: 'kubeflow', pod: POD }, signal);
  assert.equal(found.routes.length, 2);
  const c = collector();
  const ctl = new AbortController();
  const pid = vkPid(PROVIDER);
  let stopped = false;
  try {
    const run = streamPodLog({ routes: found.routes, options: { ...DEFAULT_LOG_OPTIONS, tailLines: 1 }, sink: c.sink, signal: ctl.signal, backoff: FAST_BACKOFF, idleMs: TIMEOUT_MS });
    const mark = (what: string) => {
      const text = `${what}-${randomUUID()}`;
      appendFileSync(providerLogFile(), `${new Date().toISOString()} stdout F ${text}\n`);
      return text;
    };
    const until = async (what: string, ok: () => boolean, ms = 60_000) => {
      const deadline = Date.now() + ms;
      while (!ok()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; events: ${JSON.stringify(c.events.filter((e) => e.kind !== 'lines').slice(-5))}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await until('lines through the virtual kubelet', () => c.lines().length > 0);
    const before = mark('before-freeze');
    await until('the line before the freeze, through the virtual kubelet', () => c.lines().includes(before));
    process.kill(pid, 'SIGSTOP');
    stopped = true;
    const frozenAt = Date.now();
    const during = mark('during-freeze');
    const notices = () => c.events.flatMap((e) => (e.kind === 'notice' ? [e.detail] : []));
    await until('the view saying the virtual kubelet froze', () => notices().some((n) => /falling back to reading straight from the provider cluster-b/.test(n)), 120_000);
    const saidAfterMs = Date.now() - frozenAt;
    console.log(`# the frozen virtual kubelet was reported after ${saidAfterMs} ms (connection timeout ${TIMEOUT_MS} ms): ${notices().pop()}`);
    assert.ok(saidAfterMs <= TIMEOUT_MS + MARGIN_MS, `said after ${saidAfterMs} ms, beyond the connection timeout ${TIMEOUT_MS} ms plus ${MARGIN_MS} ms`);
    const after = mark('after-freeze');
    await until('the line after the switch, from the provider', () => c.lines().includes(after));
    ctl.abort();
    const r = await run;
    assert.equal(r.route.target.context, PROVIDER);
    const texts = c.lines();
    for (const m of [before, during, after]) assert.equal(texts.filter((t) => t === m).length, 1, m);
    // Exactly the file's lines between the first and the last received: none lost, doubled or reordered.
    const collected = c.events.flatMap(linesOf);
    const got = collected.map((l) => `${l.time!.key} ${l.text}`);
    const keyed = fileKeyed();
    const start = keyed.indexOf(got[0]!);
    const end = keyed.lastIndexOf(got[got.length - 1]!);
    assert.ok(start >= 0 && end >= start, 'the first and last received lines are in the file, in order');
    assert.deepEqual(got, keyed.slice(start, end + 1));
  } finally {
    ctl.abort();
    if (stopped) process.kill(pid, 'SIGCONT');
  }
});
