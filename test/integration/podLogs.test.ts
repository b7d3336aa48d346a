// Pod logs through the real ClusterClient against the seed-000 test bed (kwok serves the pods' log files and follows
// what is appended): lines appended while following arrive in order, once; since/tail/previous agree with the test
// bed's kubectl; an API server restarted mid-stream loses and doubles nothing; the namespace stream interleaves pods
// of both clusters and picks up a pod created meanwhile; an offloaded pod's provider path is found and taken when the
// consumer path answers 502 (the fault proxy in front of the consumer).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { appendPodLog, ensureTestbed, startApiserver, stopApiserver, type Testbed } from '../testbed/index.ts';
import { createClusterClient } from '../../src/infra/cluster/httpClusterClient.ts';
import type { ClusterClient } from '../../src/infra/cluster/clusterClient.ts';
import { linesOf, type StreamEvent } from '../../src/core/logs/interleave.ts';
import { decodeLogLine } from '../../src/core/logs/logLine.ts';
import { DEFAULT_LOG_OPTIONS, type LogOptions } from '../../src/core/logs/logSource.ts';
import { streamPodLog, type LogRoute } from '../../src/infra/logs/podLogStream.ts';
import { ClusterDirectory, type ClusterHandle } from '../../src/infra/logs/clusterDirectory.ts';
import { routesForPod } from '../../src/infra/logs/offloadedPodRoutes.ts';
import { namespaceScopes, streamManyPods } from '../../src/infra/logs/multiPodLogStream.ts';
import { gatherPodFacts } from '../../src/infra/diagnosis/gatherPodFacts.ts';
import { failureReport } from '../../src/core/diagnosis/failureReport.ts';
import { testbedContexts, type Contexts } from './support/contexts.ts';
import { collector } from './support/logCollector.ts';
import { FaultProxy } from './support/faultProxy.ts';

const CONSUMER = 'kind-mlops-platform';
const PROVIDER = 'cluster-b';
const TWIN_NS = 'kubeflow-kind-mlops-platform';
const LIVE_POD = 'training-worker-0';
const FAILED_POD = 'llm-finetune-7b';
const FAST_BACKOFF = { initialMs: 200, maxMs: 2000 };

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
  consumer.dispose();
  provider.dispose();
  await contexts.dispose();
});

function kubectl(args: string[]): string {
  return execFileSync(tb.kubectl, ['--kubeconfig', tb.kubeconfig, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const route = (client: ClusterClient, context: string, namespace: string, pod: string, container?: string): LogRoute => ({ target: { context, namespace, pod, container }, client });

test('lines appended while following arrive in order, each once', async () => {
  const c = collector();
  const ctl = new AbortController();
  const run = streamPodLog({ routes: [route(provider, PROVIDER, TWIN_NS, LIVE_POD)], options: { ...DEFAULT_LOG_OPTIONS, tailLines: 1 }, sink: c.sink, signal: ctl.signal, backoff: FAST_BACKOFF });
  await c.until('the first line', () => c.lines().length > 0);
  const marks = Array.from({ length: 5 }, (_, i) => `append-${randomUUID()}-${i}`);
  for (const m of marks) appendPodLog(PROVIDER, TWIN_NS, LIVE_POD, m);
  await c.until('the appended lines', () => marks.every((m) => c.lines().some((l) => l.text === m)));
  ctl.abort();
  assert.equal((await run).ended, 'aborted');
  const seen = c.lines().map((l) => l.text).filter((t) => t.startsWith('append-'));
  assert.deepEqual(seen, marks);
});

test('since-time, tail and previous return what the test bed\'s kubectl returns', async () => {
  const all = kubectl(['--context', PROVIDER, 'logs', '-n', TWIN_NS, FAILED_POD, '--timestamps']).trimEnd().split('\n');
  assert.ok(all.length >= 6, `the failed pod has its history (${all.length} lines)`);
  const sinceTime = all[2]!.split(' ')[0]!;
  const cases: { args: string[]; options: LogOptions }[] = [
    { args: [`--since-time=${sinceTime}`], options: { follow: false, previous: false, timestamps: true, sinceTime } },
    { args: ['--tail=3'], options: { follow: false, previous: false, timestamps: true, tailLines: 3 } },
    { args: [], options: { follow: false, previous: false, timestamps: true } },
  ];
  for (const k of cases) {
    const expected = kubectl(['--context', PROVIDER, 'logs', '-n', TWIN_NS, FAILED_POD, '--timestamps', ...k.args]).trimEnd().split('\n');
    const c = collector();
    const r = await streamPodLog({ routes: [route(provider, PROVIDER, TWIN_NS, FAILED_POD)], options: k.options, sink: c.sink, signal: new AbortController().signal });
    assert.equal(r.ended, 'complete');
    assert.deepEqual(c.lines().map((l) => `${l.time?.text} ${l.text}`), expected, `kubectl logs ${k.args.join(' ')}`);
  }
  // previous: kubectl's answer (the lines, or the server's refusal with its message) is ours too
  let expectedPrevious: string[] | string;
  try {
    expectedPrevious = kubectl(['--context', PROVIDER, 'logs', '-n', TWIN_NS, FAILED_POD, '--timestamps', '--previous']).trimEnd().split('\n');
  } catch (err) {
    const stderr = String((err as { stderr?: string }).stderr ?? '');
    const m = /^Error from server \(BadRequest\): (.*)$/m.exec(stderr);
    assert.ok(m, `kubectl's refusal: ${stderr}`);
    expectedPrevious = `HTTP 400: ${m[1]}`;
  }
  const c = collector();
  const r = await streamPodLog({ routes: [route(provider, PROVIDER, TWIN_NS, FAILED_POD)], options: { follow: false, previous: true, timestamps: true }, sink: c.sink, signal: new AbortController().signal });
  if (Array.isArray(expectedPrevious)) {
    assert.equal(r.ended, 'complete');
    assert.deepEqual(c.lines().map((l) => `${l.time?.text} ${l.text}`), expectedPrevious);
  } else {
    assert.equal(r.ended, 'failed');
    assert.equal(r.error, expectedPrevious);
    assert.ok(c.events.some((e) => e.kind === 'notice' && e.detail.includes(expectedPrevious as string)), 'the refusal is shown in the stream');
  }
});

test('the API server restarted mid-stream: nothing lost, nothing doubled, the gap marked', async () => {
  const c = collector();
  const ctl = new AbortController();
  const run = streamPodLog({ routes: [route(provider, PROVIDER, TWIN_NS, LIVE_POD)], options: { ...DEFAULT_LOG_OPTIONS, tailLines: 1 }, sink: c.sink, signal: ctl.signal, backoff: FAST_BACKOFF });
  const before = `before-restart-${randomUUID()}`;
  await c.until('the first line', () => c.lines().length > 0);
  appendPodLog(PROVIDER, TWIN_NS, LIVE_POD, before);
  await c.until('the line before the restart', () => c.lines().some((l) => l.text === before));
  await stopApiserver(PROVIDER);
  const during = `during-restart-${randomUUID()}`;
  appendPodLog(PROVIDER, TWIN_NS, LIVE_POD, during);
  await new Promise((r) => setTimeout(r, 1500)); // the log writer adds its own lines meanwhile
  await startApiserver(PROVIDER);
  const afterMark = `after-restart-${randomUUID()}`;
  appendPodLog(PROVIDER, TWIN_NS, LIVE_POD, afterMark);
  await c.until('the line after the restart', () => c.lines().some((l) => l.text === afterMark), 120_000);
  ctl.abort();
  await run;
  assert.ok(c.events.some((e) => e.kind === 'gap'), 'the gap is marked');
  // Exactly the file's lines between the first and the last received, in order (CRI: "<time> stdout F <text>").
  const file = path.join(tb.stateDir, 'clusters', PROVIDER, 'pod-logs', `${TWIN_NS}_${LIVE_POD}.log`);
  const fileLines = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => {
    const m = /^(\S+) std(?:out|err) [FP] (.*)$/.exec(l)!;
    return decodeLogLine(`${m[1]} ${m[2]}`);
  });
  // Lines can share a timestamp (tailLines: 1 starts in the middle of such a run), so the window is found by line,
  // not by time.
  const keyed = fileLines.map((l) => `${l.time!.key} ${l.text}`);
  const got = c.lines();
  const gotKeyed = got.map((l) => `${l.time!.key} ${l.text}`);
  const start = keyed.indexOf(gotKeyed[0]!);
  const end = keyed.lastIndexOf(gotKeyed[gotKeyed.length - 1]!);
  assert.ok(start >= 0 && end >= start, 'the first and last received lines are in the file, in order');
  assert.deepEqual(gotKeyed, keyed.slice(start, end + 1));
  for (const m of [before, during, afterMark]) assert.equal(got.filter((l) => l.text === m).length, 1, m);
});

test('a namespace stream interleaves both clusters, prefixed, and picks up a pod created meanwhile', async () => {
  const dir = new ClusterDirectory(() => handles);
  const ctl = new AbortController();
  const { scopes } = await namespaceScopes(dir, handles[0]!, 'kubeflow', ctl.signal);
  assert.deepEqual(scopes.map((s) => `${s.handle.context}/${s.namespace}`), [`${CONSUMER}/kubeflow`, `${PROVIDER}/${TWIN_NS}`]);
  const byPrefix = new Map<string, StreamEvent[]>();
  let wake = () => {};
  const sink = {
    write(prefix: string, ev: readonly StreamEvent[]) {
      byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), ...ev]);
      wake();
    },
  };
  const until = async (what: string, ok: () => boolean) => {
    const deadline = Date.now() + 60_000;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${[...byPrefix.keys()].join(', ')}`);
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 250);
      });
    }
  };
  const hasLine = (prefix: string) => (byPrefix.get(prefix) ?? []).some((e) => linesOf(e).length > 0);
  const run = streamManyPods({ scopes, options: { ...DEFAULT_LOG_OPTIONS, tailLines: 2 }, sink, signal: ctl.signal, backoff: FAST_BACKOFF });
  await until('lines of both clusters', () => hasLine(`${CONSUMER}/pipelines-ui/main`) && hasLine(`${PROVIDER}/${LIVE_POD}/pytorch`));
  // the offloaded pods are read once, on the provider
  assert.ok(![...byPrefix.keys()].some((p) => p.startsWith(`${CONSUMER}/${LIVE_POD}/`)), 'the consumer copy of an offloaded pod is not streamed twice');
  const name = `log-joiner-${randomUUID().slice(0, 8)}`;
  const podPath = `/api/v1/namespaces/kubeflow/pods/${name}`;
  await consumer.apply(podPath, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'kubeflow' }, spec: { nodeName: `${CONSUMER}-worker`, containers: [{ name: 'main', image: 'busybox' }] } }, { fieldManager: 'liqo-test' });
  try {
    await until('the new pod joins', () => hasLine(`${CONSUMER}/${name}/main`));
  } finally {
    await consumer.delete(podPath);
  }
  await until('the deleted pod leaves', () => (byPrefix.get(`${CONSUMER}/${name}/main`) ?? []).some((e) => e.kind === 'left'));
  ctl.abort();
  await run;
});

test('an offloaded pod: the provider path is found, and taken by itself when the consumer path answers 502', async () => {
  const dir = new ClusterDirectory(() => handles);
  const signal = new AbortController().signal;
  const found = await routesForPod(dir, handles[0]!, { context: CONSUMER, namespace: 'kubeflow', pod: FAILED_POD }, signal);
  assert.equal(found.remoteClusterId, PROVIDER);
  assert.deepEqual(found.routes.map((r) => `${r.target.context}/${r.target.namespace}/${r.target.pod}`), [`${CONSUMER}/kubeflow/${FAILED_POD}`, `${PROVIDER}/${TWIN_NS}/${FAILED_POD}`]);
  assert.match(found.routes[0]!.label ?? '', /through kind-mlops-platform's API server \(Liqo virtual kubelet for cluster-b\)/);

  const proxy = await FaultProxy.start(tb.kubeconfig, CONSUMER, tb.stateDir);
  const broken = createClusterClient(await contexts.resolve(CONSUMER, (cluster) => (cluster.server = proxy.url)), { timeoutMs: 5000 });
  try {
    proxy.set({ kind: 'status', code: 502 });
    const c = collector();
    const r = await streamPodLog({ routes: [{ ...found.routes[0]!, client: broken }, found.routes[1]!], options: { follow: false, previous: false, timestamps: true }, sink: c.sink, signal, backoff: FAST_BACKOFF });
    assert.equal(r.ended, 'complete');
    assert.equal(r.route.target.context, PROVIDER);
    const notices = c.events.flatMap((e) => (e.kind === 'notice' ? [e.detail] : []));
    assert.match(notices.join('\n'), /failed \(HTTP 502[^)]*\); falling back to reading straight from the provider cluster-b/);
    const expected = kubectl(['--context', PROVIDER, 'logs', '-n', TWIN_NS, FAILED_POD]).trimEnd().split('\n');
    assert.deepEqual(c.lines().map((l) => l.text), expected);
  } finally {
    broken.dispose();
    await proxy.close();
  }
});

test('Why Is This Pod Failing? on seed 000\'s failed pod names the OOMKill, from both sides, with its last log lines', async () => {
  const dir = new ClusterDirectory(() => handles);
  const input = await gatherPodFacts(dir, handles[0]!, 'kubeflow', FAILED_POD, new AbortController().signal);
  assert.equal(input.remote?.cluster, PROVIDER);
  assert.equal(input.remote?.shadowPodPhase, 'Failed');
  const r = failureReport(input);
  assert.equal(r.cause.kind, 'OOMKilled');
  assert.equal(r.markdown.split('\n')[0], 'Container trainer was killed for running out of memory (OOMKilled, exit code 137): it used more than its memory limit of 16Gi on cluster-b.');
  assert.match(r.markdown, /\| Warning \| OOMKilled \|/);
  assert.match(r.markdown, /torch\.OutOfMemoryError: CUDA out of memory/);
});

test('a one-shot read that ends with a line over 64 KiB: the line comes once in pieces, and its end is confirmed by the tail check', async () => {
  const marker = `long-line-${randomUUID()}`;
  const long = `${marker} ${'y'.repeat(200_000)} end`;
  appendPodLog(PROVIDER, TWIN_NS, LIVE_POD, long);
  for (const timestamps of [true, false]) {
    const c = collector();
    const r = await streamPodLog({ routes: [route(provider, PROVIDER, TWIN_NS, LIVE_POD)], options: { follow: false, previous: false, timestamps, tailLines: 20 }, sink: c.sink, signal: new AbortController().signal, backoff: FAST_BACKOFF });
    assert.equal(r.ended, 'complete', r.error);
    const notices = c.events.flatMap((e) => (e.kind === 'notice' ? [e.detail] : []));
    assert.deepEqual(notices, [], 'no "could not be confirmed": the pieces were placed in the tail as one line');
    assert.ok(!c.events.some((e) => e.kind === 'gap'), 'nothing marked');
    // The pieces, in order: the line's text once (the view shows it as 64 KiB lines).
    const texts = c.lines().map((l) => l.text);
    const at = texts.findIndex((t) => t.startsWith(marker));
    assert.ok(at >= 0, 'the long line arrived');
    assert.equal(texts.slice(at, at + 4).join(''), long);
    assert.equal(texts.filter((t) => t.startsWith(marker)).length, 1);
  }
});
