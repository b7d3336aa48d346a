import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeLogLine } from '../../src/core/logs/logLine.ts';
import { parseLogTime, sinceTimeFor } from '../../src/core/logs/timestamp.ts';
import { LogLineSplitter } from '../../src/core/logs/lineSplitter.ts';
import { BoundedLineBuffer } from '../../src/core/logs/lineBuffer.ts';
import { logPath, logQuery, parseSince, DEFAULT_LOG_OPTIONS } from '../../src/core/logs/logSource.ts';
import { Interleaver } from '../../src/core/logs/interleave.ts';

test('RFC3339Nano timestamps as the API server writes them decode, and their keys sort as time does', () => {
  // Go trims trailing zeros of the fraction: these three are in time order but not in string order.
  const a = decodeLogLine('2026-11-29T22:58:12.1Z Epoch 1/3 started');
  const b = decodeLogLine('2026-11-29T22:58:12.123456789Z Epoch 1/3 step 100/1563 loss=0.6900');
  const c = decodeLogLine('2026-11-29T22:58:12.9Z INFO:     Uvicorn running on http://0.0.0.0:8080');
  assert.equal(a.text, 'Epoch 1/3 started');
  assert.equal(b.time?.nanos, 123_456_789);
  assert.equal(a.time?.nanos, 100_000_000);
  assert.ok(a.time!.key < b.time!.key && b.time!.key < c.time!.key);
  assert.ok('2026-11-29T22:58:12.1Z' > '2026-11-29T22:58:12.123456789Z', 'the raw strings do not sort');
  // an offset is the same instant as its UTC form
  assert.equal(parseLogTime('2026-11-29T23:58:12.5+01:00')?.key, parseLogTime('2026-11-29T22:58:12.5Z')?.key);
});

test('a line without a timestamp keeps its whole text; an empty container line keeps its time', () => {
  assert.deepEqual(decodeLogLine('Killed'), { time: undefined, text: 'Killed' });
  assert.equal(decodeLogLine('not-a-time text').text, 'not-a-time text');
  const empty = decodeLogLine('2026-11-29T22:58:12.000000001Z ');
  assert.equal(empty.text, '');
  assert.equal(empty.time?.nanos, 1);
  assert.equal(decodeLogLine('2026-11-29T22:58:12Z').text, '');
  // text after the timestamp keeps its own spaces
  assert.equal(decodeLogLine('2026-11-29T22:58:12Z INFO:     10.244.1.17:0 - "POST"').text, 'INFO:     10.244.1.17:0 - "POST"');
});

test('sinceTime for resuming is the whole second of the last line (what the server passes to the kubelet)', () => {
  assert.equal(sinceTimeFor(parseLogTime('2026-11-29T22:58:12.987654321Z')!), '2026-11-29T22:58:12Z');
});

test('the splitter joins lines across chunks, keeps multi-byte characters whole and cuts endless lines', () => {
  const s = new LogLineSplitter(10);
  const euro = new TextEncoder().encode('€');
  assert.deepEqual(s.push(new TextEncoder().encode('one\r\ntw')), ['one']);
  assert.deepEqual(s.push(new Uint8Array([...new TextEncoder().encode('o '), euro[0]!])), []);
  assert.deepEqual(s.push(new Uint8Array([euro[1]!, euro[2]!, 10])), ['two €']);
  assert.deepEqual(s.push(new TextEncoder().encode('0123456789abcdefghijkl')), ['0123456789', 'abcdefghij']);
  assert.deepEqual(s.flush(), ['kl']);
  assert.deepEqual(s.flush(), []);
});

test('the bounded buffer keeps the newest lines and counts the trimmed ones', () => {
  const b = new BoundedLineBuffer(3);
  b.pushAll(['1', '2']);
  assert.deepEqual(b.lines(), ['1', '2']);
  assert.equal(b.dropped, 0);
  b.pushAll(['3', '4', '5', '6', '7']);
  assert.deepEqual(b.lines(), ['5', '6', '7']);
  assert.equal(b.dropped, 4);
  assert.equal(b.length, 3);
  b.clear();
  assert.deepEqual(b.lines(), []);
  assert.equal(b.dropped, 0);
  assert.throws(() => new BoundedLineBuffer(0), /liqo\.logs\.maxLines must be a whole number ≥ 1, not 0/);
});

test('the log query asks for timestamps when they are shown or the stream follows, and a resume replaces since and tail', () => {
  const t = { context: 'cluster-b', namespace: 'kubeflow-kind-mlops-platform', pod: 'training-worker-0', container: 'pytorch' };
  assert.equal(logPath(t), '/api/v1/namespaces/kubeflow-kind-mlops-platform/pods/training-worker-0/log');
  assert.deepEqual(logQuery(t, { ...DEFAULT_LOG_OPTIONS, sinceSeconds: 300 }), { timestamps: true, follow: true, container: 'pytorch', sinceSeconds: 300, tailLines: 200 });
  // A one-shot read without timestamps shown asks none (as kubectl logs); its resume asks them (stamped = true).
  assert.deepEqual(logQuery(t, { follow: false, previous: true, timestamps: false }), { previous: true, container: 'pytorch' });
  assert.deepEqual(logQuery(t, { follow: false, previous: true, timestamps: true }), { timestamps: true, previous: true, container: 'pytorch' });
  assert.deepEqual(logQuery(t, { follow: false, previous: false, timestamps: false, tailLines: 5 }, undefined, true), { timestamps: true, container: 'pytorch', tailLines: 5 });
  assert.deepEqual(logQuery(t, { ...DEFAULT_LOG_OPTIONS }, { sinceTime: '2026-11-29T22:58:12Z' }), { timestamps: true, follow: true, container: 'pytorch', sinceTime: '2026-11-29T22:58:12Z' });
  assert.throws(() => logPath({ ...t, pod: '../secrets' }), /'\.\.\/secrets' is not a valid pod name/);
});

test('durations for "since" parse like kubectl\'s, and a bad one is named', () => {
  assert.equal(parseSince('5m'), 300);
  assert.equal(parseSince('1h30m'), 5400);
  assert.equal(parseSince(' 90s '), 90);
  assert.equal(parseSince(''), undefined);
  assert.throws(() => parseSince('5 minutes'), /'5 minutes' is not a duration: write it like 30s, 5m, 2h or 1h30m/);
});

test('interleaved lines carry a cluster/pod/container prefix column that widens, never narrows', () => {
  const il = new Interleaver({ showTimestamps: false, prefixed: true });
  const line = (text: string) => ({ kind: 'line' as const, line: decodeLogLine(`2026-11-29T22:58:12Z ${text}`) });
  assert.equal(il.format('cluster-b/w-0/pytorch', line('a')), 'cluster-b/w-0/pytorch | a');
  assert.equal(il.format('kind-mlops-platform/pipelines-ui/main', line('b')), 'kind-mlops-platform/pipelines-ui/main | b');
  assert.equal(il.format('cluster-b/w-0/pytorch', line('c')), 'cluster-b/w-0/pytorch                 | c');
  const single = new Interleaver({ showTimestamps: true, prefixed: false });
  assert.equal(single.format('x', line('d')), '2026-11-29T22:58:12Z d');
  assert.match(single.format('x', { kind: 'gap', gap: { attempt: 1, repeatedDropped: 2, reason: 'connection reset' } }), /stream interrupted \(connection reset\).*reconnect 1, 2 repeated lines dropped/);
});
