import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogBatcher } from '../../src/infra/logs/logBatcher.ts';
import { decodeLogLine } from '../../src/core/logs/logLine.ts';

const line = (text: string) => ({ kind: 'line' as const, line: decodeLogLine(`2026-11-29T22:58:12Z ${text}`) });

function view() {
  const calls: { kind: 'append' | 'replace'; text: string }[] = [];
  return { calls, target: { append: (text: string) => void calls.push({ kind: 'append', text }), replace: (text: string) => void calls.push({ kind: 'replace', text }) } };
}

test('events are appended in one batch per flush, prefixed and in order', async () => {
  const v = view();
  const b = new LogBatcher(v.target, { maxLines: 100, prefixed: true, showTimestamps: false, intervalMs: 60_000 });
  assert.equal(b.write('a/p/c', [line('1'), line('2')]), undefined);
  assert.equal(b.write('b/q/c', [line('3')]), undefined);
  assert.deepEqual(v.calls, [], 'nothing is appended before the flush');
  await b.flush();
  assert.deepEqual(v.calls, [{ kind: 'append', text: 'a/p/c │ 1\na/p/c │ 2\nb/q/c │ 3\n' }]);
  b.dispose();
});

test('a view that falls behind holds the writer until the batch is appended (backpressure)', async () => {
  const v = view();
  let release = () => {};
  const slow = { append: (t: string) => new Promise<void>((r) => { v.calls.push({ kind: 'append', text: t }); release = r; }), replace: v.target.replace };
  const b = new LogBatcher(slow, { maxLines: 1000, prefixed: false, showTimestamps: false, intervalMs: 60_000, highWater: 3 });
  assert.equal(b.write('', [line('1'), line('2')]), undefined);
  const held = b.write('', [line('3')]);
  assert.ok(held instanceof Promise, 'at the high-water mark the writer gets a promise');
  let settled = false;
  void held.then(() => (settled = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(settled, false, 'still held while the view is appending');
  release();
  await held;
  assert.deepEqual(v.calls.map((c) => c.text), ['1\n2\n3\n']);
  b.dispose();
});

test('a runaway stream is trimmed to maxLines, the view replaced and told how many were dropped', async () => {
  const v = view();
  const b = new LogBatcher(v.target, { maxLines: 4, prefixed: false, showTimestamps: false, intervalMs: 60_000 });
  b.write('', [line('1'), line('2'), line('3')]);
  await b.flush();
  b.write('', [line('4'), line('5'), line('6'), line('7')]);
  await b.flush();
  assert.equal(b.dropped, 3);
  assert.deepEqual(v.calls[1], { kind: 'replace', text: '── 3 older lines trimmed (liqo.logs.maxLines = 4) ──\n4\n5\n6\n7\n' });
  b.dispose();
});
