// A one-shot read (no follow) whose answer ends cleanly before the log does, as an API server that stops ends the
// answers it is serving (seen on the test bed: 20,125 lines of 1,000,000, then a clean end). The fault proxy in front
// of the provider's real API server ends the first log answer at a chosen byte; kwok serves the log file. Whatever
// the cut, every line of the file arrives once, in order, and the gap is marked; an answer that was complete costs one
// tail request more, and no mark.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ensureTestbed, startApiserver, stopApiserver, type Testbed } from '../testbed/index.ts';
import { createClusterClient } from '../../src/infra/cluster/httpClusterClient.ts';
import type { ClusterClient } from '../../src/infra/cluster/clusterClient.ts';
import type { LogOptions } from '../../src/core/logs/logSource.ts';
import type { ResumeGap } from '../../src/core/logs/resume.ts';
import { linesOf, type StreamEvent } from '../../src/core/logs/interleave.ts';
import { parseLogTime } from '../../src/core/logs/timestamp.ts';
import { streamPodLog } from '../../src/infra/logs/podLogStream.ts';
import { testbedContexts, type Contexts } from './support/contexts.ts';
import { FaultProxy } from './support/faultProxy.ts';
import { collector } from './support/logCollector.ts';

const PROVIDER = 'cluster-b';
/** Lines the catch-all log file is given at least: long enough that a cut at 1 MB leaves more than the tail check holds. */
const LOG_LINES = 60_000;
const FAST_BACKOFF = { initialMs: 200, maxMs: 2000 };
const ONE_SHOT: LogOptions = { follow: false, previous: false, timestamps: false };

let tb: Testbed;
let contexts: Contexts;
let proxy: FaultProxy;
let client: ClusterClient;
let pod: string;
/** The file's lines: texts, and timestamps as kwok sends them. */
let expected: { stamp: string; text: string }[];

before(async () => {
  tb = await ensureTestbed('seed-000');
  contexts = await testbedContexts(tb.kubeconfig);
  proxy = await FaultProxy.start(tb.kubeconfig, PROVIDER, tb.stateDir);
  client = createClusterClient(await contexts.resolve(PROVIDER, (cluster) => (cluster.server = proxy.url)), { timeoutMs: 5000 });
  // A new pod reads the cluster's catch-all log file. Its lines go on from the file's last timestamp (a log's time
  // only grows; a resume by timestamp counts on it), 100 to a millisecond, and the test waits until they are a few
  // seconds old, so that a line the cut answer missed is older than the cut.
  const file = path.join(tb.stateDir, 'clusters', PROVIDER, 'pod-logs', 'other.log');
  const text = readFileSync(file, 'utf8');
  const have = text.split('\n').length - 1;
  if (have < LOG_LINES) {
    const t0 = Date.parse(/^(\S+) /.exec(text.trimEnd().split('\n').at(-1) ?? '')?.[1] ?? '') + 1 || Date.now() - 60_000;
    appendFileSync(file, Array.from({ length: LOG_LINES - have }, (_, i) => `${new Date(t0 + Math.floor(i / 100)).toISOString()} stdout F one-shot step=${i} loss=0.${String(i % 9973).padStart(4, '0')}\n`).join(''));
    const old = t0 + LOG_LINES / 100 + 3000;
    if (Date.now() < old) await new Promise((r) => setTimeout(r, old - Date.now()));
  }
  expected = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => {
    const m = /^(\S+) std(?:out|err) [FP] (.*)$/.exec(l)!;
    return { stamp: m[1]!, text: m[2]! };
  });
  pod = `one-shot-${randomUUID().slice(0, 8)}`;
  await client.apply(`/api/v1/namespaces/default/pods/${pod}`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: pod, namespace: 'default' }, spec: { nodeName: `${PROVIDER}-worker`, containers: [{ name: 'main', image: 'busybox' }] } }, { fieldManager: 'liqo-test' });
  for (let i = 0; i < 100; i++) {
    const p = await client.get<{ status?: { phase?: string } }>(`/api/v1/namespaces/default/pods/${pod}`);
    if (p?.status?.phase === 'Running') break;
    await new Promise((r) => setTimeout(r, 300));
  }
});

after(async () => {
  await client.delete(`/api/v1/namespaces/default/pods/${pod}`).catch(() => undefined);
  client.dispose();
  await proxy.close();
  await contexts.dispose();
});

/** Reads the pod's log once through the proxy; returns the events and how many log requests it made. */
async function readOnce(options: LogOptions, cutAfterBytes?: number) {
  if (cutAfterBytes !== undefined) proxy.set({ kind: 'endLog', afterBytes: cutAfterBytes, answers: 1 });
  const t0 = Date.now();
  const c = collector();
  const r = await streamPodLog({ routes: [{ target: { context: PROVIDER, namespace: 'default', pod }, client }], options, sink: c.sink, signal: new AbortController().signal, backoff: FAST_BACKOFF });
  proxy.set({ kind: 'none' });
  assert.equal(r.ended, 'complete', r.error);
  const gaps = c.events.flatMap((e) => (e.kind === 'gap' ? [e.gap] : []));
  const notices = c.events.flatMap((e) => (e.kind === 'notice' ? [e.detail] : []));
  return { lines: c.lines(), gaps, notices, requests: proxy.countSince(t0, { path: `/api/v1/namespaces/default/pods/${pod}/log` }) };
}

/** The answer's unstamped size up to (not including) line `n`. */
const bytesBefore = (n: number) => expected.slice(0, n).reduce((sum, l) => sum + Buffer.byteLength(l.text) + 1, 0);

function assertEveryLineOnce(lines: { text: string }[]): void {
  assert.equal(lines.length, expected.length, 'as many lines as the file has');
  // Compared in one piece: a million-line deepEqual diff is unreadable, the first difference is enough.
  const at = lines.findIndex((l, i) => l.text !== expected[i]!.text);
  assert.equal(at, -1, at < 0 ? '' : `line ${at}: ${JSON.stringify(lines[at]?.text)} instead of ${JSON.stringify(expected[at]?.text)}`);
}

test('a complete one-shot read: its end is confirmed by one tail request, and nothing is marked', async () => {
  const r = await readOnce(ONE_SHOT);
  assertEveryLineOnce(r.lines);
  assert.deepEqual(r.gaps, []);
  assert.deepEqual(r.notices, []);
  assert.equal(r.requests, 2, 'the read and its tail check');
});

test('an answer ended cleanly inside a line near the log\'s end: the rest comes from the tail check, marked', async () => {
  // 40 lines before the end, in the middle of a line.
  const cut = bytesBefore(expected.length - 40) + 7;
  const r = await readOnce(ONE_SHOT, cut);
  assertEveryLineOnce(r.lines);
  assert.equal(r.gaps.length, 1, 'the missed lines are marked once');
  assert.match(r.gaps[0]!.reason, /the answer ended before the log did/);
  assert.equal(r.requests, 2, 'the read and its tail check: no second read');
});

test('an answer ended cleanly far from the end, read without timestamps: read again by counting lines, nothing lost or doubled', async () => {
  const cut = bytesBefore(20_000) + 11;
  const r = await readOnce(ONE_SHOT, cut);
  assertEveryLineOnce(r.lines);
  assert.equal(r.gaps.length, 1);
  const gap: ResumeGap = r.gaps[0]!;
  assert.match(gap.reason, /its end was not found in the log's tail/);
  assert.ok(!gap.unplaced, 'the counted boundary was placed');
  assert.equal(gap.repeatedDropped, 20_000, 'the 20,000 whole lines before the cut were skipped, the cut one read whole');
  assert.equal(r.requests, 4, 'read, tail check, read again, tail check');
});

test('an answer ended cleanly far from the end, read with timestamps: resumed from the last timestamp', async () => {
  const cut = bytesBefore(20_000) + 20_000 * 31; // about 20,000 lines in, each with its timestamp and a space
  const r = await readOnce({ ...ONE_SHOT, timestamps: true }, cut);
  assertEveryLineOnce(r.lines);
  // The server writes the file's instants its own way (nine fraction digits): compared as instants.
  const at = (i: number) => parseLogTime(expected[i]!.stamp)!.key;
  assert.ok(
    r.lines.every((l, i) => l.time?.key === at(i)),
    'every line has its own timestamp',
  );
  assert.equal(r.gaps.length, 1);
  assert.match(r.gaps[0]!.reason, /its end was not found in the log's tail/);
  assert.ok(r.gaps[0]!.repeatedDropped >= 1, 'the repeats at the boundary second were dropped');
});

// Last, as it makes the shared log file long: the real thing, the provider's API server stopped and started while a
// one-shot read is under way. Whether its stop ends the answer cleanly (as in ci19: 20,125 lines of 1,000,000, then a
// clean end), cuts the connection, or comes after the whole log reached the socket buffers, every line arrives once,
// in order.
test('a one-shot read, the API server restarted midway: every line once, in order', async (t) => {
  const direct = createClusterClient(await contexts.resolve(PROVIDER), { timeoutMs: 5000 });
  try {
    const file = path.join(tb.stateDir, 'clusters', PROVIDER, 'pod-logs', 'other.log');
    const text = readFileSync(file, 'utf8');
    const have = text.split('\n').length - 1;
    // Long enough that the rest of the log does not fit in the stream's window and the socket buffers (about 25 MB
    // after the first 20,000 lines), so that the stop usually meets the answer under way.
    if (have < 1_000_000) {
      const t0 = Date.parse(/^(\S+) /.exec(text.trimEnd().split('\n').at(-1) ?? '')?.[1] ?? '') + 1 || Date.now() - 60_000;
      appendFileSync(file, Array.from({ length: 1_000_000 - have }, (_, i) => `${new Date(t0 + Math.floor(i / 1000)).toISOString()} stdout F restart step=${i}\n`).join(''));
    }
    const all = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => /^\S+ std(?:out|err) [FP] (.*)$/.exec(l)![1]!);
    const c = collector();
    let lines = 0;
    let hold: Promise<void> | undefined;
    let release = () => {};
    // After the first 20,000 lines the sink takes no more (the socket is not read) until the server was restarted.
    const sink = {
      write(ev: readonly StreamEvent[]) {
        c.sink.write(ev);
        for (const e of ev) lines += linesOf(e).length;
        if (lines >= 20_000 && !hold) hold = new Promise<void>((r) => (release = r));
        return hold;
      },
    };
    const run = streamPodLog({ routes: [{ target: { context: PROVIDER, namespace: 'default', pod }, client: direct }], options: ONE_SHOT, sink, signal: new AbortController().signal, backoff: FAST_BACKOFF });
    await c.until('the first 20,000 lines', () => hold !== undefined);
    await stopApiserver(PROVIDER);
    await startApiserver(PROVIDER);
    release();
    const r = await run;
    assert.equal(r.ended, 'complete', r.error);
    const got = c.lines();
    assert.equal(got.length, all.length, 'as many lines as the file has');
    const at = got.findIndex((l, i) => l.text !== all[i]);
    assert.equal(at, -1, at < 0 ? '' : `line ${at}: ${JSON.stringify(got[at]?.text)} instead of ${JSON.stringify(all[at])}`);
    const gaps = c.events.flatMap((e) => (e.kind === 'gap' ? [e.gap] : []));
    assert.ok(gaps.length <= 1, 'at most one gap');
    t.diagnostic(gaps.length ? `the restart cut the answer: ${JSON.stringify(gaps[0])}` : 'the whole log was delivered before the API server stopped');
  } finally {
    direct.dispose();
  }
});
