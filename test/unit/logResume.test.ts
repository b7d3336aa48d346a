import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeLogLine } from '../../src/core/logs/logLine.ts';
import { ResumeTracker } from '../../src/core/logs/resume.ts';
import { CountResume } from '../../src/core/logs/countResume.ts';
import { blockLines } from '../../src/core/logs/logBlock.ts';

const L = (ts: string, text: string) => decodeLogLine(`${ts} ${text}`);

/** Feeds lines, returns the texts emitted. */
function feed(r: ResumeTracker, lines: ReturnType<typeof L>[]): string[] {
  return lines.filter((l) => r.accept(l)).map((l) => l.text);
}

test('before any timestamped line a resume asks the original query again', () => {
  const r = new ResumeTracker();
  assert.equal(r.beginResume(), undefined);
});

test('a resume from the whole second drops the repeats at the boundary and nothing else', () => {
  const r = new ResumeTracker();
  const first = [L('2026-11-29T22:58:11.5Z', 'a'), L('2026-11-29T22:58:12.1Z', 'b'), L('2026-11-29T22:58:12.3Z', 'c')];
  assert.deepEqual(feed(r, first), ['a', 'b', 'c']);
  assert.deepEqual(r.beginResume(), { sinceTime: '2026-11-29T22:58:12Z' });
  // the server restarts at 22:58:12: b and c again, then d (written while the stream was down) and e
  const again = [L('2026-11-29T22:58:12.1Z', 'b'), L('2026-11-29T22:58:12.3Z', 'c'), L('2026-11-29T22:58:12.7Z', 'd'), L('2026-11-29T22:58:13Z', 'e')];
  assert.deepEqual(feed(r, again), ['d', 'e']);
  assert.deepEqual(r.gap('EOF'), { attempt: 1, repeatedDropped: 2, reason: 'EOF' });
});

test('lines sharing the last timestamp: only as many as were emitted are dropped, a new one at that instant is kept', () => {
  const r = new ResumeTracker();
  const ts = '2026-11-29T22:58:12.123456789Z';
  assert.deepEqual(feed(r, [L(ts, 'x'), L(ts, 'x')]), ['x', 'x']);
  r.beginResume();
  // the container had written x three times and then y in the same nanosecond: the third x and y are new
  assert.deepEqual(feed(r, [L(ts, 'x'), L(ts, 'x'), L(ts, 'x'), L(ts, 'y')]), ['x', 'y']);
  assert.equal(r.gap('reset').repeatedDropped, 2);
});

test('after the boundary, later repeats of a text are ordinary lines; a second drop resumes from the newest', () => {
  const r = new ResumeTracker();
  feed(r, [L('2026-11-29T22:58:12Z', 'ping')]);
  r.beginResume();
  assert.deepEqual(feed(r, [L('2026-11-29T22:58:12Z', 'ping'), L('2026-11-29T22:58:14Z', 'ping'), L('2026-11-29T22:58:15Z', 'ping')]), ['ping', 'ping']);
  assert.deepEqual(r.beginResume(), { sinceTime: '2026-11-29T22:58:15Z' });
  assert.deepEqual(feed(r, [L('2026-11-29T22:58:15Z', 'ping'), L('2026-11-29T22:58:16Z', 'pong')]), ['pong']);
  assert.equal(r.gap('x').attempt, 2);
});

const bytesOf = (lines: string[]) => new TextEncoder().encode(lines.map((l) => `${l}\n`).join(''));

test('a one-shot read asked without timestamps resumes by counting lines, checking the last one emitted', () => {
  // Emitted before the drop: three lines without timestamps (the second starts with the container's own).
  const c = new CountResume();
  c.note(bytesOf(['alpha', '2026-01-01T00:00:00Z own stamp']), false);
  c.note(bytesOf(['gamma']), false);
  assert.equal(c.lines, 3);
  // The same log read again, now with the server's timestamps, in blocks cut anywhere between lines.
  c.beginSkip();
  const again = ['alpha', '2026-01-01T00:00:00Z own stamp', 'gamma', 'delta', 'epsilon'].map((l, i) => `2026-11-29T22:58:1${i}.5Z ${l}`);
  const first = c.takeBlock(bytesOf(again.slice(0, 2)));
  assert.equal(first.length, 0, 'lines already emitted are skipped');
  const rest = new TextDecoder().decode(c.takeBlock(bytesOf(again.slice(2))));
  assert.equal(rest, `${again[3]}\n${again[4]}\n`);
  assert.deepEqual(c.outcome(), { skipped: 3, placed: true });
  // Counting goes on over stamped blocks: a second resume skips all five.
  c.note(bytesOf(again.slice(3)), true);
  assert.equal(c.lines, 5);
});

test('a counted resume that finds another line at the boundary (the log rotated) or too few lines says it is not placed', () => {
  const c = new CountResume();
  c.note(bytesOf(['one', 'two']), false);
  c.beginSkip();
  const kept = new TextDecoder().decode(c.takeBlock(bytesOf(['2026-11-29T22:58:12Z three', '2026-11-29T22:58:13Z four', '2026-11-29T22:58:14Z five'])));
  assert.equal(kept, '2026-11-29T22:58:14Z five\n');
  assert.deepEqual(c.outcome(), { skipped: 2, placed: false });
  const short = new CountResume();
  short.note(bytesOf(['one', 'two', 'three']), false);
  short.beginSkip();
  assert.equal(short.takeBlock(bytesOf(['2026-11-29T22:58:12Z one'])).length, 0);
  assert.deepEqual(short.outcome(), { skipped: 1, placed: false });
});

test('lines read without timestamps keep a leading timestamp of their own in their text', () => {
  const raw = bytesOf(['2026-01-01T00:00:00Z INFO started', 'plain']);
  assert.deepEqual(blockLines(raw, true), [{ time: undefined, text: '2026-01-01T00:00:00Z INFO started' }, { time: undefined, text: 'plain' }]);
  assert.equal(blockLines(raw)[0]!.text, 'INFO started', 'asked with timestamps, the first one is the server\'s');
});
