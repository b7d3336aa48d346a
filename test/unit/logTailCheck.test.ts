import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blockLines } from '../../src/core/logs/logBlock.ts';
import { continuesPartial, placeInTail, RecentLines, tailFrom } from '../../src/core/logs/tailCheck.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : undefined);
const stamp = (i: number) => `2026-11-30T08:00:${String(Math.floor(i / 1000) % 60).padStart(2, '0')}.${String(i % 1000).padStart(3, '0')}000000Z`;
/** A log of n numbered lines, with timestamps as the server sends them. */
const stamped = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => `${stamp(from + k)} line ${from + k}\n`).join('');
const plain = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => `line ${from + k}\n`).join('');

test('RecentLines keeps the last lines over several blocks and drops older blocks', () => {
  const r = new RecentLines(4);
  assert.ok(r.empty);
  r.note(enc(plain(0, 3)), false);
  r.note(enc(plain(3, 5)), false);
  r.note(enc(plain(5, 8)), false);
  assert.deepEqual(r.lines().map((l) => l.text), ['line 4', 'line 5', 'line 6', 'line 7']);
  assert.ok(r.lines().every((l) => l.time === undefined), 'lines read without timestamps have none');
  r.note(enc(stamped(8, 10)), true);
  assert.deepEqual(r.lines().map((l) => `${l.time?.text ?? '-'} ${l.text}`), ['- line 6', '- line 7', `${stamp(8)} line 8`, `${stamp(9)} line 9`]);
  // A line the container itself began with a timestamp keeps it in its text when read without timestamps.
  const own = new RecentLines(2);
  own.note(enc(`${stamp(1)} my own stamp\n`), false);
  assert.deepEqual(own.lines(), [{ time: undefined, text: `${stamp(1)} my own stamp` }]);
});

test('the last lines read ending the tail: complete', () => {
  const r = new RecentLines(8);
  r.note(enc(plain(0, 100)), false);
  assert.deepEqual(placeInTail(r.lines(), blockLines(enc(stamped(50, 100)))), { kind: 'complete' });
});

test('the last lines read found once before the tail ends: the rest follows from there', () => {
  const r = new RecentLines(8);
  r.note(enc(plain(0, 100)), false);
  const body = enc(stamped(60, 130));
  const v = placeInTail(r.lines(), blockLines(body));
  assert.deepEqual(v, { kind: 'more', from: 40 });
  assert.equal(dec(tailFrom(body, 40)), stamped(100, 130));
  assert.equal(tailFrom(body, 70), undefined, 'nothing after the last line');
});

test('timestamps decide between lines of the same text when both sides have them', () => {
  const r = new RecentLines(2);
  r.note(enc(`${stamp(1)} tick\n${stamp(2)} tick\n`), true);
  const tail = blockLines(enc(`${stamp(0)} tick\n${stamp(1)} tick\n${stamp(2)} tick\n${stamp(3)} tick\n${stamp(4)} tick\n`));
  assert.deepEqual(placeInTail(r.lines(), tail), { kind: 'more', from: 3 });
  // Without timestamps on our side the same tail has three places: not placed, so the read is done again.
  const u = new RecentLines(2);
  u.note(enc('tick\ntick\n'), false);
  const v = placeInTail(u.lines(), tail);
  assert.equal(v.kind, 'unplaced');
  assert.match(v.kind === 'unplaced' ? v.why : '', /occur 4 times/);
});

test('lines read that are not in the tail (more lost than it holds, or a rotated file): not placed', () => {
  const r = new RecentLines(8);
  r.note(enc(plain(0, 100)), false);
  const v = placeInTail(r.lines(), blockLines(enc(stamped(5000, 9096))));
  assert.equal(v.kind, 'unplaced');
  assert.match(v.kind === 'unplaced' ? v.why : '', /not among the log's last 4096/);
  // A shorter tail than the lines read (the log was replaced by a shorter one).
  assert.equal(placeInTail(r.lines(), blockLines(enc(stamped(98, 100)))).kind, 'unplaced');
});

test('nothing read: complete only if the tail is empty too', () => {
  assert.deepEqual(placeInTail([], []), { kind: 'complete' });
  assert.equal(placeInTail([], blockLines(enc(stamped(0, 3)))).kind, 'unplaced');
});

test('an answer cut inside a line: the tail line at the boundary must continue it', () => {
  const body = enc(stamped(60, 130));
  // Cut in the text, read with timestamps.
  assert.ok(continuesPartial(enc(`${stamp(100)} lin`), true, body, 40));
  // Cut inside the timestamp itself.
  assert.ok(continuesPartial(enc(stamp(100).slice(0, 9)), true, body, 40));
  // Read without timestamps: compared with the text after the server's timestamp.
  assert.ok(continuesPartial(enc('line 10'), false, body, 40));
  assert.ok(!continuesPartial(enc('line 11'), false, body, 40), 'another line');
  assert.ok(!continuesPartial(enc('line 100 and more'), false, body, 40), 'longer than the line');
  assert.ok(!continuesPartial(enc('line'), false, body, 70), 'no line there');
});

test('a line read in pieces (over the splitter\'s cap) is one line to place in the tail, where it is whole', () => {
  const long = 'x'.repeat(150_000);
  const r = new RecentLines(4);
  r.note(enc(stamped(0, 3)), true);
  // the splitter's pieces: the first with the server's timestamp, the later ones without (cont)
  const line = `${stamp(3)} ${long}`;
  r.note(enc(`${line.slice(0, 65_536)}\n`), true);
  r.note(enc(`${line.slice(65_536, 131_072)}\n`), false, true);
  r.note(enc(`${line.slice(131_072)}\n`), false, true);
  assert.deepEqual(r.lines().map((l) => l.text.length), [6, 6, 6, 150_000]);
  const tail = blockLines(enc(stamped(0, 3) + `${line}\n`));
  assert.deepEqual(placeInTail(r.lines(), tail), { kind: 'complete' });
  // with more lines after it than are kept, the pieces still go with their first one
  for (let i = 4; i < 7; i++) r.note(enc(stamped(i, i + 1)), true);
  assert.deepEqual(r.lines().map((l) => l.text.length), [150_000, 6, 6, 6]);
});
