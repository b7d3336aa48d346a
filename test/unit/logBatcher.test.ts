import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogBatcher, PIECE_BYTES } from '../../src/infra/logs/logBatcher.ts';
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
  assert.deepEqual(v.calls, [{ kind: 'append', text: 'a/p/c | 1\na/p/c | 2\nb/q/c | 3\n' }]);
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

test('a large batch reaches the view as pieces of at most PIECE_BYTES, cut at line ends, together the whole batch', async () => {
  const v = view();
  const b = new LogBatcher(v.target, { maxLines: 100_000, prefixed: true, showTimestamps: false, intervalMs: 60_000, highWater: 100_000 });
  const lines = Array.from({ length: 5000 }, (_, i) => line(`step=${i} ${'z'.repeat(i % 90)}`));
  b.write('a/p/c', lines);
  await b.flush();
  assert.ok(v.calls.length > 1, 'more than one piece');
  assert.ok(v.calls.every((c) => c.kind === 'append' && c.text.endsWith('\n') && Buffer.byteLength(c.text) <= PIECE_BYTES));
  assert.equal(v.calls.map((c) => c.text).join(''), lines.map((l) => `a/p/c | ${l.line.text}\n`).join(''));
  b.dispose();
});

test('a trimmed view is replaced with the first piece of the kept lines, the rest appended after it', async () => {
  const v = view();
  const b = new LogBatcher(v.target, { maxLines: 3000, prefixed: false, showTimestamps: false, intervalMs: 60_000, highWater: 100_000 });
  const text = (i: number) => `line ${i} ${'w'.repeat(40)}`;
  b.write('', Array.from({ length: 5000 }, (_, i) => line(text(i))));
  await b.flush();
  assert.equal(v.calls[0]!.kind, 'replace');
  assert.ok(v.calls.slice(1).every((c) => c.kind === 'append'));
  const shown = v.calls.map((c) => c.text).join('');
  assert.equal(shown, `── 2000 older lines trimmed (liqo.logs.maxLines = 3000) ──\n${Array.from({ length: 3000 }, (_, i) => `${text(i + 2000)}\n`).join('')}`);
  b.dispose();
});

test('lines read without timestamps are shown whole: a timestamp they start with is their own', async () => {
  const v = view();
  const b = new LogBatcher(v.target, { maxLines: 100, prefixed: false, showTimestamps: false, intervalMs: 60_000 });
  b.write('', [{ kind: 'lines', bytes: new TextEncoder().encode('2026-01-01T00:00:00Z INFO own\nplain\n'), unstamped: true }]);
  b.write('', [{ kind: 'lines', bytes: new TextEncoder().encode('2026-11-29T22:58:12Z server stamped\n') }]);
  await b.flush();
  assert.deepEqual(v.calls, [{ kind: 'append', text: '2026-01-01T00:00:00Z INFO own\nplain\nserver stamped\n' }]);
  b.dispose();
});
