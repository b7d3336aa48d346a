import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blockLines, stampEnd, stampToken } from '../../src/core/logs/logBlock.ts';
import { BoundedLineBuffer } from '../../src/core/logs/lineBuffer.ts';
import { LogLineSplitter } from '../../src/core/logs/lineSplitter.ts';
import { ResumeTracker } from '../../src/core/logs/resume.ts';
import { Interleaver } from '../../src/core/logs/interleave.ts';

const enc = new TextEncoder();
const bytes = (s: string) => enc.encode(s);

test('the timestamp shape is found at a line start, and only there', () => {
  const b = bytes('2026-11-29T22:58:12.123456789Z text\n2026-11-29T22:58:12Z\nKilled\n2026-11-29T23:58:12.5+01:00 x\n');
  assert.equal(stampEnd(b, 0, 35), 30);
  assert.equal(stampEnd(b, 36, 56), 56, 'a line that is only a timestamp');
  assert.equal(stampEnd(b, 57, 63), -1);
  assert.equal(stampEnd(b, 64, 93), 91);
  assert.equal(stampToken(b, false), '2026-11-29T22:58:12.123456789Z');
  assert.equal(stampToken(b, true), '2026-11-29T23:58:12.5+01:00');
  assert.equal(stampToken(bytes('no\ntime\n'), true), undefined);
});

test('server lines go into the view with the prefix column, timestamps cut, "\\r\\n" ended by "\\n"', () => {
  const il = new Interleaver({ showTimestamps: false, prefixed: true });
  const buf = new BoundedLineBuffer(100);
  const raw = bytes('2026-11-29T22:58:12.1Z Epoch 1/3 €\r\n2026-11-29T22:58:12Z\nno stamp here\n');
  assert.equal(buf.pushLines(raw, il.headBytes('cluster-b/w-0/pytorch'), true), 3);
  assert.equal(buf.text(), 'cluster-b/w-0/pytorch | Epoch 1/3 €\ncluster-b/w-0/pytorch | \ncluster-b/w-0/pytorch | no stamp here\n');
  const shown = new BoundedLineBuffer(100);
  shown.pushLines(raw, new Uint8Array(0), false);
  assert.equal(shown.text(), '2026-11-29T22:58:12.1Z Epoch 1/3 €\n2026-11-29T22:58:12Z\nno stamp here\n');
  // the slow path (a formatted string per event) agrees with the byte path
  assert.equal(il.format('cluster-b/w-0/pytorch', { kind: 'lines', bytes: raw }), buf.text().slice(0, -1));
});

test('the byte ring keeps exactly the newest maxLines lines through growth, wrap-around and trimming', () => {
  // A model run: many blocks of uneven size into small rings; the kept text is always the model's last lines.
  let seed = 7;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  for (const [maxLines, maxBytes] of [[50, 1 << 16], [1000, 1 << 16], [300, 1 << 20], [2000, 1 << 20]] as const) {
    const buf = new BoundedLineBuffer(maxLines, maxBytes);
    const all: string[] = [];
    let mark = buf.mark;
    let sinceMark: string[] = [];
    for (let i = 0; i < 400; i++) {
      const n = 1 + rand(40);
      const lines = Array.from({ length: n }, (_, k) => `2026-11-29T22:58:12.${String(i).padStart(3, '0')}Z line ${i}/${k} ${'x'.repeat(rand(200))}${k % 7 === 0 ? ' é' : ''}`);
      if (i % 5 === 0) {
        buf.push(`marker ${i}`);
        all.push(`marker ${i}`);
        sinceMark.push(`marker ${i}`);
      }
      buf.pushLines(bytes(lines.map((l) => `${l}\n`).join('')), new Uint8Array(0), true);
      const texts = lines.map((l) => l.slice(l.indexOf(' ') + 1));
      all.push(...texts);
      sinceMark.push(...texts);
      const newest = all.slice(-maxLines);
      const bytesNeeded = newest.reduce((n, l) => n + enc.encode(l).length + 1, 0);
      // Within the byte budget every one of the newest maxLines lines is kept; past it, fewer (still the newest).
      const expected = bytesNeeded * 4 <= maxBytes ? newest : all.slice(-buf.length);
      assert.ok(buf.length <= maxLines);
      assert.equal(buf.dropped, all.length - buf.length);
      assert.deepEqual(buf.lines(), expected, `maxLines ${maxLines}, block ${i}`);
      if (i % 13 === 0) {
        const kept = new Set(expected);
        assert.deepEqual(buf.text(mark).slice(0, -1).split('\n'), sinceMark.filter((l) => kept.has(l)), 'text since a mark');
        mark = buf.mark;
        sinceMark = [];
      }
    }
  }
});

test('the kept text read a piece at a time: pieces end at line ends, keep their size, and lines pushed meanwhile wait', () => {
  let seed = 11;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  for (const [maxLines, maxBytes, pieceBytes] of [[100_000, 1 << 20, 700], [60, 1 << 16, 500], [400, 1 << 16, 64]] as const) {
    const buf = new BoundedLineBuffer(maxLines, maxBytes);
    const order = new Map<string, number>();
    let n = 0;
    const pushSome = () => {
      const lines = Array.from({ length: 1 + rand(30) }, (_, k) => `2026-11-29T22:58:12Z line ${n + k} ${'y'.repeat(rand(120))}${k % 5 === 0 ? ' ü' : ''}`);
      for (const l of lines) order.set(l.slice(l.indexOf(' ') + 1), n++);
      buf.pushLines(bytes(lines.map((l) => `${l}\n`).join('')), new Uint8Array(0), true);
    };
    for (let i = 0; i < 20; i++) pushSome();
    for (let round = 0; round < 30; round++) {
      const from = buf.mark;
      const before = n;
      for (let i = 0; i < 1 + rand(8); i++) pushSome();
      const end = buf.mark;
      const last = n;
      const whole = buf.text(from);
      const cursor = { seq: from, offset: 0 };
      const pieces: string[] = [];
      let trimmedMeanwhile = false;
      for (let p = buf.nextPiece(cursor, end, pieceBytes); p !== undefined; p = buf.nextPiece(cursor, end, pieceBytes)) {
        pieces.push(p);
        assert.ok(p.endsWith('\n'), 'a piece ends at a line end');
        assert.ok(enc.encode(p).length <= pieceBytes || !p.slice(0, -1).includes('\n'), 'a piece is at most pieceBytes, or one longer line');
        // The writer goes on while the reader works: these lines belong to a later read.
        const dropped = buf.dropped;
        pushSome();
        if (buf.dropped !== dropped) trimmedMeanwhile = true;
      }
      const read = pieces.join('').slice(0, -1).split('\n').filter((l) => l !== '');
      const idx = read.map((l) => order.get(l)!);
      assert.ok(idx.every((x, k) => x >= before && x < last && (k === 0 || x > idx[k - 1]!)), 'only the lines pushed between the marks, in order');
      if (!trimmedMeanwhile) assert.equal(pieces.join(''), whole, 'without trimming the pieces are the whole text');
    }
  }
});

test('the splitter hands on whole lines as views of the chunk, copying only a line split across chunks', () => {
  const s = new LogLineSplitter();
  const chunk = bytes('a\nb\nc');
  const [whole] = s.pushBytes(chunk);
  assert.equal(whole!.bytes.buffer, chunk.buffer, 'a view, not a copy');
  assert.deepEqual([...whole!.bytes], [...bytes('a\nb\n')]);
  assert.deepEqual(s.pushBytes(bytes('d\ne\n')).map((b) => new TextDecoder().decode(b.bytes)), ['cd\n', 'e\n']);
  assert.deepEqual(s.flushBytes(), []);
});

test('a resume across blocks: the repeats of a run of lines at one instant spanning several chunks are all dropped', () => {
  const r = new ResumeTracker();
  const t = '2026-11-29T22:58:12.5Z';
  const lines = (from: number, to: number, ts = t) => bytes(Array.from({ length: to - from }, (_, i) => `${ts} same ${from + i}\n`).join(''));
  // the run at t spans three chunks; the first chunk starts with an older line
  r.takeBlock(bytes(`2026-11-29T22:58:11Z older\n`));
  r.takeBlock(lines(0, 3));
  r.takeBlock(lines(3, 6));
  r.takeBlock(lines(6, 9));
  assert.deepEqual(r.beginResume(), { sinceTime: '2026-11-29T22:58:12Z' });
  const again = new Uint8Array([...bytes('2026-11-29T22:58:12.1Z before\n'), ...lines(0, 9), ...lines(9, 11), ...bytes('2026-11-29T22:58:13Z next\n')]);
  const kept = r.takeBlock(again);
  assert.deepEqual(blockLines(kept).map((l) => l.text), ['same 9', 'same 10', 'next']);
  assert.equal(r.gap('EOF').repeatedDropped, 10);
});

test('text for the terminal view: CRLF line ends, colours kept, every other control neutralised', async () => {
  const { terminalText } = await import('../../src/core/logs/terminalText.ts');
  assert.equal(terminalText('a\nb\n'), 'a\r\nb\r\n');
  assert.equal(terminalText('\x1b[31mERROR\x1b[0m x\tz\n'), '\x1b[31mERROR\x1b[0m x\tz\r\n', 'SGR colours and tabs pass');
  // cursor movement, OSC title / hyperlink / clipboard, bell, backspace, carriage return, 8-bit CSI
  assert.equal(terminalText('\x1b[2J\x1b[1;1Hspoof\n'), '␛[2J␛[1;1Hspoof\r\n');
  assert.equal(terminalText('\x1b]0;title\x07\x1b]52;c;ZXZpbA==\x07\n'), '␛]0;title␛]52;c;ZXZpbA==\r\n');
  assert.equal(terminalText('ab\bc\rd\x9b2Je\n'), 'abcd2Je\r\n');
  assert.equal(terminalText('plain'), 'plain', 'the common case is left as it is');
});
