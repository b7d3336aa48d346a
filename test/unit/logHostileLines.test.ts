// The defects of issue 18 in the log pipeline, one test each: a line of UTF-8 continuation bytes hung the splitter;
// a resume inside a long line doubled it; one pod's SGR (ESC[8m, conceal) hid every later line; the marker's
// "reconnect N" counted failed attempts. (The generated cases are in logPipelineProperty.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runBounded } from './support/boundedWorker.ts';
import { LogLineSplitter, MAX_LINE_CHARS, type LineBlock } from '../../src/core/logs/lineSplitter.ts';
import { ResumeTracker } from '../../src/core/logs/resume.ts';
import { CountResume } from '../../src/core/logs/countResume.ts';
import { CLEAR_TERMINAL, terminalText } from '../../src/core/logs/terminalText.ts';
import { decodeLogLine } from '../../src/core/logs/logLine.ts';

const enc = new TextEncoder();

test('a line of over 64 KiB of bytes 0x80–0xBF, in chunks, is cut into pieces and the splitter moves on', async () => {
  // In a worker with a time bound: the old splitter looped forever here, and would hang the runner too.
  const run = await runBounded(new URL('./logPipelineCases.ts', import.meta.url), 'continuationBytesLine', [], 10_000);
  const sizes = run.result as number[];
  assert.ok(sizes.every((n) => n <= MAX_LINE_CHARS + 1), `pieces within the cap: ${sizes.join(', ')}`);
  // every byte of the line comes out once, each piece with a "\n" of its own
  assert.equal(sizes.reduce((a, b) => a + b, 0) - sizes.length, 200 << 10);
});

/** Follows `body` through a splitter and the tracker, dropping the connection after `dropAfter` bytes once. */
function followWithDrop(body: Uint8Array, dropAfter: number, chunk: number): LineBlock[] {
  const tracker = new ResumeTracker();
  const out: LineBlock[] = [];
  const feed = (bytes: Uint8Array) => {
    const s = new LogLineSplitter();
    for (let at = 0; at < bytes.length; at += chunk) for (const b of s.pushBytes(bytes.subarray(at, at + chunk))) out.push(...tracker.take(b));
    for (const b of s.flushBytes()) out.push(...tracker.take(b));
  };
  const s = new LogLineSplitter();
  for (let at = 0; at < dropAfter; at += chunk) for (const b of s.pushBytes(body.subarray(at, Math.min(at + chunk, dropAfter)))) out.push(...tracker.take(b));
  // the connection drops: what the splitter carried is lost; the server restarts at the whole second
  assert.deepEqual(tracker.beginResume(), { sinceTime: '2026-11-29T22:58:12Z' });
  feed(body);
  return out;
}

test('a resume inside a long line shows the line once: 300 KiB sent once is 300 KiB shown', () => {
  const before = '2026-11-29T22:58:12.1Z before\n';
  const long = `2026-11-29T22:58:12.5Z ${'x'.repeat(300 << 10)}\n`;
  const after = '2026-11-29T22:58:13Z after\n';
  const body = enc.encode(before + long + after);
  for (const dropAfter of [before.length + 100_000, before.length + 200_000, before.length + (64 << 10) * 2, body.length - after.length - 10]) {
    const out = followWithDrop(body, dropAfter, 16 << 10);
    const shown = out.reduce((n, b) => n + b.bytes.length, 0);
    const pieces = out.reduce((n, b) => n + (b.cont || b.open ? 1 : 0), 0);
    // the bytes sent, plus one "\n" of ours for each piece but the line's last
    assert.equal(shown - (pieces - 1), body.length, `dropped after ${dropAfter} bytes`);
    const text = new TextDecoder().decode(Buffer.concat(out.map((b) => b.bytes)));
    assert.equal(text.replaceAll('\n', ''), (before + long + after).replaceAll('\n', ''), `the same bytes in the same order (drop after ${dropAfter})`);
  }
});

test('a one-shot read without timestamps dropped inside a long line: read again with them, the line goes on where it stopped', () => {
  const lines = ['first', `${'z'.repeat(150_000)}|${'w'.repeat(100_000)}`, 'last'];
  const unstamped = enc.encode(lines.map((l) => `${l}\n`).join(''));
  const stamped = enc.encode(lines.map((l, i) => `2026-11-29T22:58:1${i}.5Z ${l}\n`).join(''));
  for (const dropAfter of [10, 70_000, 140_000, 200_000, unstamped.length - 8]) {
    const c = new CountResume();
    const shown: string[] = [];
    const dec = new TextDecoder();
    // what podLogStream does: each emitted block recorded, pieces as such
    const show = (b: LineBlock, asStamped: boolean) => {
      c.note(b.bytes, asStamped && !b.cont, b.cont === true, b.open === true);
      const text = dec.decode(b.bytes);
      shown.push(asStamped && !b.cont ? text.replace(/^\S+ /, '') : text);
    };
    const first = new LogLineSplitter();
    for (let at = 0; at < dropAfter; at += 9000) for (const b of first.pushBytes(unstamped.subarray(at, Math.min(at + 9000, dropAfter)))) show(b, false);
    c.beginSkip();
    const again = new LogLineSplitter();
    for (let at = 0; at < stamped.length; at += 9000) for (const b of again.pushBytes(stamped.subarray(at, at + 9000))) for (const k of c.take(b)) show(k, true);
    assert.equal(shown.join('').replaceAll('\n', ''), lines.join(''), `dropped after ${dropAfter} bytes`);
    assert.equal(c.outcome().placed, true, `the boundary is placed (dropped after ${dropAfter} bytes)`);
  }
});

test("one pod's ESC[8m (conceal) or colour ends with its line: later lines and markers are shown as they are", () => {
  const shown = terminalText('a/p/c | \x1b[8msecret\na/p/c | \x1b[31mred, never reset\n── stream interrupted ──\n');
  assert.equal(shown, 'a/p/c | \x1b[8msecret\x1b[0m\r\na/p/c | \x1b[31mred, never reset\x1b[0m\r\n── stream interrupted ──\r\n');
  // a line that resets by itself is left as it is; a text cut inside a line is reset at its end
  assert.equal(terminalText('\x1b[1mbold\x1b[0m after\n'), '\x1b[1mbold\x1b[0m after\r\n');
  assert.equal(terminalText('x \x1b[7m'), 'x \x1b[7m\x1b[0m');
  assert.ok(CLEAR_TERMINAL.startsWith('\x1b[0m'), 'the view starts clean after Clear');
});

test('"reconnect N" counts interruptions: failed attempts to reconnect in between do not count', () => {
  const r = new ResumeTracker();
  const L = (ts: string, text: string) => decodeLogLine(`${ts} ${text}`);
  assert.equal(r.accept(L('2026-11-29T22:58:12Z', 'a')), true);
  // the stream drops; three attempts fail before the fourth gets through
  for (let i = 0; i < 4; i++) r.beginResume();
  assert.equal(r.accept(L('2026-11-29T22:58:13Z', 'b')), true);
  assert.equal(r.gap('connection refused').attempt, 1);
  r.beginResume();
  assert.equal(r.accept(L('2026-11-29T22:58:14Z', 'c')), true);
  assert.equal(r.gap('EOF').attempt, 2);
});
