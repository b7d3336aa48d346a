import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeLogLine } from '../../src/core/logs/logLine.ts';
import { ResumeTracker } from '../../src/core/logs/resume.ts';

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
