// Pod logs whose path freezes mid-stream, on the seed-000 test bed through the fault proxy in front of the consumer's
// API server: the virtual kubelet's path stops answering log requests while the API server itself answers (the
// proxy's freezeLogs), and the stream, which had data, must say so within the idle limit (the connection timeout)
// plus the check, and go on from the provider with no line lost or doubled. And a link that is dead for a while
// (several reconnects fail) is one interruption: its marker says "reconnect 1".
// (The same freeze against Liqo's real virtual kubelet, SIGSTOPped, is in podLogsLive.test.ts.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { appendPodLog, ensureTestbed, type Testbed } from '../testbed/index.ts';
import { createClusterClient } from '../../src/infra/cluster/httpClusterClient.ts';
import type { ClusterClient } from '../../src/infra/cluster/clusterClient.ts';
import { decodeLogLine } from '../../src/core/logs/logLine.ts';
import type { LogLine } from '../../src/core/logs/logLine.ts';
import { DEFAULT_LOG_OPTIONS } from '../../src/core/logs/logSource.ts';
import { streamPodLog } from '../../src/infra/logs/podLogStream.ts';
import { ClusterDirectory, type ClusterHandle } from '../../src/infra/logs/clusterDirectory.ts';
import { routesForPod } from '../../src/infra/logs/offloadedPodRoutes.ts';
import { testbedContexts, type Contexts } from './support/contexts.ts';
import { collector } from './support/logCollector.ts';
import { FaultProxy } from './support/faultProxy.ts';

const CONSUMER = 'kind-mlops-platform';
const PROVIDER = 'cluster-b';
const TWIN_NS = 'kubeflow-kind-mlops-platform';
const LIVE_POD = 'training-worker-0';
const FAST_BACKOFF = { initialMs: 200, maxMs: 2000 };
/** The connection timeout setting of these streams. */
const TIMEOUT_MS = 3000;
/** Room for a loaded 2-core machine: without the idle limit the view said nothing until the API server gave up (~56 s). */
const MARGIN_MS = 5000;

let tb: Testbed;
let contexts: Contexts;
let consumer: ClusterClient;
let provider: ClusterClient;
let handles: ClusterHandle[];

before(async () => {
  tb = await ensureTestbed('seed-000');
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

/** The pod's log file as lines (CRI: "<time> stdout F <text>"), keyed by time and text. */
function fileLines(): string[] {
  const file = path.join(tb.stateDir, 'clusters', PROVIDER, 'pod-logs', `${TWIN_NS}_${LIVE_POD}.log`);
  return readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => {
      const m = /^(\S+) std(?:out|err) [FP] (.*)$/.exec(l)!;
      const d = decodeLogLine(`${m[1]} ${m[2]}`);
      assert.ok(d.time, `the log file's line has a timestamp: ${l}`);
      return `${d.time.key} ${d.text}`;
    });
}

/** The lines received are exactly the file's lines between the first and the last of them: none lost, doubled or reordered. */
function assertExactWindow(got: readonly LogLine[]): void {
  const keyed = fileLines();
  // A line over 64 KiB arrives in pieces, and only its first piece carries the timestamp (podLogs.test.ts writes such
  // a line to this pod's log before this file runs, in a full run): the pieces are joined back to the line they came
  // from, as the file holds it; pieces before any timed line (the window's start) are dropped.
  const joined: { key: string; text: string }[] = [];
  for (const l of got) {
    if (l.time) joined.push({ key: l.time.key, text: l.text });
    else if (joined.length > 0) joined[joined.length - 1]!.text += l.text;
  }
  const gotKeyed = joined.map((l) => `${l.key} ${l.text}`);
  const start = keyed.indexOf(gotKeyed[0]!);
  const end = keyed.lastIndexOf(gotKeyed[gotKeyed.length - 1]!);
  assert.ok(start >= 0 && end >= start, 'the first and last received lines are in the file, in order');
  assert.deepEqual(gotKeyed, keyed.slice(start, end + 1));
}

test('a virtual kubelet path that freezes mid-stream: the view says so within the connection timeout, and goes on from the provider, nothing lost or doubled', async () => {
  const signal = new AbortController().signal;
  const found = await routesForPod(new ClusterDirectory(() => handles), handles[0]!, { context: CONSUMER, namespace: 'kubeflow', pod: LIVE_POD }, signal);
  assert.equal(found.routes.length, 2);
  const proxy = await FaultProxy.start(tb.kubeconfig, CONSUMER, tb.stateDir);
  const viaProxy = createClusterClient(await contexts.resolve(CONSUMER, (cluster) => (cluster.server = proxy.url)), { timeoutMs: TIMEOUT_MS });
  const c = collector();
  const ctl = new AbortController();
  try {
    const run = streamPodLog({
      routes: [{ ...found.routes[0]!, client: viaProxy }, found.routes[1]!],
      options: { ...DEFAULT_LOG_OPTIONS, tailLines: 1 },
      sink: c.sink,
      signal: ctl.signal,
      backoff: FAST_BACKOFF,
      idleMs: TIMEOUT_MS,
    });
    const first = `before-freeze-${randomUUID()}`;
    await c.until('lines through the consumer', () => c.lines().length > 0);
    appendPodLog(PROVIDER, TWIN_NS, LIVE_POD, first);
    await c.until('the line before the freeze', () => c.lines().some((l) => l.text === first));
    proxy.set({ kind: 'freezeLogs' });
    const frozenAt = Date.now();
    const during = `during-freeze-${randomUUID()}`;
    appendPodLog(PROVIDER, TWIN_NS, LIVE_POD, during);
    const notices = () => c.events.flatMap((e) => (e.kind === 'notice' ? [e.detail] : []));
    await c.until('the view saying the path froze', () => notices().some((n) => /falling back to reading straight from the provider cluster-b/.test(n)), 120_000);
    const saidAfterMs = Date.now() - frozenAt;
    console.log(`# the frozen path was reported after ${saidAfterMs} ms (connection timeout ${TIMEOUT_MS} ms)`);
    assert.match(notices().join('\n'), /virtual kubelet for cluster-b\) failed \(ANSWER_TIMEOUT: nothing for [\d.]+ s, and no answer to a check within [\d.]+ s\); falling back/);
    assert.ok(saidAfterMs <= TIMEOUT_MS + MARGIN_MS, `said after ${saidAfterMs} ms, beyond the connection timeout ${TIMEOUT_MS} ms plus ${MARGIN_MS} ms`);
    const last = `after-freeze-${randomUUID()}`;
    appendPodLog(PROVIDER, TWIN_NS, LIVE_POD, last);
    await c.until('the line after the switch, from the provider', () => c.lines().some((l) => l.text === last), 60_000);
    ctl.abort();
    const r = await run;
    assert.equal(r.route.target.context, PROVIDER);
    const got = c.lines();
    for (const m of [first, during, last]) assert.equal(got.filter((l) => l.text === m).length, 1, m);
    assertExactWindow(got);
    assert.ok(c.events.some((e) => e.kind === 'gap'), 'the resume is marked');
  } finally {
    ctl.abort();
    viaProxy.dispose();
    await proxy.close();
  }
});

test('a link dead for several reconnects is one interruption: its marker says reconnect 1, the next one 2', async () => {
  const proxy = await FaultProxy.start(tb.kubeconfig, PROVIDER, tb.stateDir);
  const viaProxy = createClusterClient(await contexts.resolve(PROVIDER, (cluster) => (cluster.server = proxy.url)), { timeoutMs: 2000 });
  const c = collector();
  const ctl = new AbortController();
  try {
    const run = streamPodLog({
      routes: [{ target: { context: PROVIDER, namespace: TWIN_NS, pod: LIVE_POD }, client: viaProxy }],
      options: { ...DEFAULT_LOG_OPTIONS, tailLines: 1 },
      sink: c.sink,
      signal: ctl.signal,
      backoff: FAST_BACKOFF,
    });
    const gaps = () => c.events.flatMap((e) => (e.kind === 'gap' ? [e.gap] : []));
    for (const n of [1, 2]) {
      const mark = `before-outage-${n}-${randomUUID()}`;
      await c.until('a line', () => c.lines().length > 0);
      appendPodLog(PROVIDER, TWIN_NS, LIVE_POD, mark);
      await c.until('the line before the outage', () => c.lines().some((l) => l.text === mark));
      // The link goes dead: the connection is found dead, and every reconnect in the next seconds fails.
      proxy.set({ kind: 'stall' });
      await new Promise((r) => setTimeout(r, 9000));
      proxy.set({ kind: 'none' });
      await c.until(`marker ${n}`, () => gaps().length === n, 60_000);
      console.log(`# outage ${n}: ${gaps()[n - 1]!.reason}`);
    }
    assert.deepEqual(gaps().map((g) => g.attempt), [1, 2]);
    ctl.abort();
    await run;
    assertExactWindow(c.lines());
  } finally {
    ctl.abort();
    viaProxy.dispose();
    await proxy.close();
  }
});
