// Generated cases for the log pipeline (splitter → resume → view text → terminal text), run inside a worker with a
// time bound per case (support/boundedWorker.ts) so that a hang fails the test instead of hanging the runner.
// A case is a pod log (lines with the server's timestamps; the texts hostile: random bytes, invalid UTF-8, every
// C0/C1 control, ESC sequences of every kind, fake timestamps, lines of 0 bytes to 4 MiB) followed through a
// stream that drops at random points (the carried bytes lost, as a failed connection loses them) and is resumed
// from the last timestamp, as podLogStream does, the body cut into chunks at every kind of boundary. Checked: the
// lines that come out are the lines that went in, each once, in order; the view's text of each line is its text
// (by the view's byte path and by its text path alike);
// the splitter cuts a line the same way however it is chunked; and the terminal text has no control but tab and
// "\r\n", no ESC sequence but SGR, and no line that leaves an attribute set.
import { LogLineSplitter, type LineBlock } from '../../src/core/logs/lineSplitter.ts';
import { ResumeTracker } from '../../src/core/logs/resume.ts';
import { formatBlock, LF } from '../../src/core/logs/logBlock.ts';
import { terminalText } from '../../src/core/logs/terminalText.ts';
import { BoundedLineBuffer } from '../../src/core/logs/lineBuffer.ts';
import { mulberry32 as prng } from './seededRandom.ts';
export { prng };


type Rand = () => number;
const int = (rand: Rand, n: number) => Math.floor(rand() * n);
const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[int(rand, xs.length)]!;
const enc = new TextEncoder();

/** A line's bytes hold no "\n" (that ends it). */
const noLf = (b: number) => (b === LF ? 0x0b : b);

/** ESC sequences and controls of every kind a container can print. */
function escapeSoup(rand: Rand): number[] {
  switch (int(rand, 12)) {
    case 0: return [...enc.encode(`\x1b[${pick(rand, ['', '0', '1', '8', '31', '38;5;200', '38:2:1:2:3', '7;8', '0;8', '00'])}m`)];
    case 1: return [0x1b, 0x5b, ...enc.encode(String(int(rand, 99))), 0x40 + int(rand, 0x3f)]; // CSI, every final byte
    case 2: return [...enc.encode(`\x1b]${pick(rand, ['0;title', '8;;https://x', '52;c;ZXZpbA=='])}`), ...pick(rand, [[7], [0x1b, 0x5c], []])]; // OSC
    case 3: return [0x1b, 0x50, ...enc.encode('q#0;2;0;0;0'), 0x1b, 0x5c]; // DCS
    case 4: return [0x1b]; // lone ESC
    case 5: return [0x1b, 0x20 + int(rand, 0x5f)]; // ESC and any byte after it
    case 6: return [noLf(int(rand, 0x20))]; // C0
    case 7: return [0x7f];
    case 8: return [0x80 + int(rand, 0x20)]; // C1 as raw bytes (invalid UTF-8)
    case 9: return [0xc2, 0x80 + int(rand, 0x20)]; // C1 as UTF-8 (8-bit CSI 0x9b among them)
    case 10: return [0x0d]; // CR
    default: return [...enc.encode('2026-01-01T00:00:00.5Z ')]; // a timestamp of the container's own
  }
}

function chunkOf(rand: Rand, kind: number): number[] {
  switch (kind) {
    case 0: return [...enc.encode(pick(rand, ['INFO ', 'loss=0.69 ', 'step 100/1563 ', 'é', '€', '😀', '漢字', ' ', '\t']))];
    case 1: return [noLf(int(rand, 256))]; // any byte
    case 2: return [0x80 + int(rand, 0x40)]; // continuation bytes only
    case 3: return [pick(rand, [0xc3, 0xe2, 0xf0, 0xf4, 0xf8, 0xff])]; // lead bytes without their continuation
    default: return escapeSoup(rand);
  }
}

/** A line's text (no "\n") of about `length` bytes, of one flavour or a mix. */
function content(rand: Rand, length: number): Uint8Array {
  const flavour = int(rand, 6);
  if (length > 4096 && flavour === 2) return new Uint8Array(length).map(() => 0x80 + int(rand, 0x40)); // the hang case
  if (length > 4096) {
    // Large: a pattern repeated (cheap to make), with hostile bytes sprinkled in.
    const unit = new Uint8Array(Array.from({ length: 97 }, () => chunkOf(rand, flavour === 5 ? int(rand, 5) : flavour % 5)).flat().filter((b) => b !== LF).slice(0, 97));
    const b = new Uint8Array(length);
    for (let i = 0; i < length; i += unit.length || 1) b.set(unit.subarray(0, Math.min(unit.length, length - i)), i);
    for (let k = 0; k < 64; k++) b[int(rand, length)] = pick(rand, [0x1b, 0x80, 0xbf, 0xe2, 0x0d, 0x9b]);
    return b;
  }
  const out: number[] = [];
  while (out.length < length) out.push(...chunkOf(rand, flavour === 5 ? int(rand, 5) : flavour % 5));
  return new Uint8Array(out.slice(0, length));
}

interface ServerLine {
  readonly second: number;
  /** "<RFC3339Nano> <text>\n" */
  readonly bytes: Uint8Array;
}

const BASE = Date.UTC(2026, 10, 29, 22, 58, 0) / 1000;

function stamp(second: number, nanos: number): string {
  const s = new Date(second * 1000).toISOString().slice(0, 19);
  const frac = String(nanos).padStart(9, '0').replace(/0+$/, '');
  return `${s}${frac ? `.${frac}` : ''}Z`;
}

function lineLength(rand: Rand, cap: number, huge: boolean): number {
  if (huge) return 4 << 20;
  const r = rand();
  if (r < 0.5) return int(rand, 40);
  if (r < 0.75) return int(rand, 300);
  // Around the cap (stamp included), and a few times it: often for small caps, seldom for the real one (cost).
  const near = cap > 4096 ? 0.01 : 0.2;
  if (r < 0.75 + near) return Math.max(0, cap - 40 + int(rand, 80));
  if (r < 0.75 + near * 1.25) return cap * (2 + int(rand, 3)) + int(rand, 7) - 3;
  return int(rand, 40);
}

export interface PipelineCase {
  readonly cap: number;
  readonly lines: ServerLine[];
  /** How many drops the stream may take, and how it is chunked. */
  readonly drops: number;
  readonly rand: Rand;
}

export function makeCase(seed: number, index: number): PipelineCase {
  const rand = prng((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const huge = index % 2500 === 7; // few large ones: a 4 MiB line every 2,500 cases
  // Small caps make pieces of short lines; a 4 MiB line gets the real cap (at a cap of 64 it is 65,000 pieces).
  const cap = huge ? 65536 : pick(rand, [64, 100, 257, 1000, 65536, 65536]);
  const big = !huge && index % 100 === 3; // and some of 64 KiB – 300 KiB
  const n = huge || big ? 1 + int(rand, 3) : int(rand, 12);
  const lines: ServerLine[] = [];
  let second = BASE + int(rand, 1000);
  let nanos = 0;
  for (let i = 0; i < n; i++) {
    const step = rand();
    if (step < 0.3) {
      /* the same instant: lines identical or not */
    } else if (step < 0.7) nanos = Math.min(999_999_999, nanos + 1 + int(rand, 300_000_000));
    else {
      second += 1 + int(rand, 2);
      nanos = int(rand, 3) === 0 ? 0 : int(rand, 1_000_000_000);
    }
    const repeat = i > 0 && rand() < 0.15 && step < 0.3;
    const text = repeat ? textOf(lines[i - 1]!) : content(rand, huge && i === 0 ? lineLength(rand, cap, true) : big && i === 0 ? (64 << 10) + int(rand, 236 << 10) : lineLength(rand, cap, false));
    const head = enc.encode(`${stamp(second, nanos)} `);
    const bytes = new Uint8Array(head.length + text.length + 1);
    bytes.set(head);
    bytes.set(text, head.length);
    bytes[bytes.length - 1] = LF;
    lines.push({ second, bytes });
  }
  return { cap, lines, drops: int(rand, 5), rand };
}

function textOf(l: ServerLine): Uint8Array {
  return l.bytes.subarray(l.bytes.indexOf(32) + 1, l.bytes.length - 1);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const b = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    b.set(p, at);
    at += p.length;
  }
  return b;
}

/** Cuts a body into chunks at every kind of boundary: single bytes, inside characters, at and around "\n", big runs. */
function chunks(rand: Rand, body: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const style = int(rand, 5);
  let at = 0;
  while (at < body.length) {
    let n: number;
    if (style === 0 && body.length < 4096) n = 1;
    else if (style <= 1 && body.length < 32_768) n = 1 + int(rand, 7);
    else if (style === 2) {
      // just before, at or just after a line end
      const lf = body.indexOf(LF, at);
      n = lf < 0 ? body.length - at : Math.max(1, lf - at + int(rand, 3));
    } else if (style === 3) n = 1 + int(rand, 70_000);
    // Socket-like sizes, with a tiny chunk now and then (every size on a small body: millions on a 4 MiB one).
    else n = rand() < (body.length < 32_768 ? 0.4 : 0.02) ? 1 + int(rand, 3) : pick(rand, [16_384, 65_535, 65_536, 65_537, 1 << 20]);
    out.push(body.subarray(at, Math.min(body.length, at + n)));
    at += n;
  }
  return out;
}

/** The body the server sends from `sinceSecond` on (the whole log when undefined). */
function serve(c: PipelineCase, sinceSecond: number | undefined): Uint8Array {
  return concat(c.lines.filter((l) => sinceSecond === undefined || l.second >= sinceSecond).map((l) => l.bytes));
}

/** Follows the log as podLogStream does: a splitter per connection, every block through the resume tracker. */
export function follow(c: PipelineCase, trace?: (what: string) => void): LineBlock[] {
  const tracker = new ResumeTracker();
  const out: LineBlock[] = [];
  let since: number | undefined;
  for (let drops = 0; ; drops++) {
    const body = serve(c, since);
    const splitter = new LogLineSplitter(c.cap);
    const dropAt = drops < c.drops && body.length > 0 ? int(c.rand, body.length) : undefined;
    trace?.(`connection ${drops}: since ${since}, ${body.length} bytes, drop at ${dropAt}`);
    for (const chunk of chunks(c.rand, dropAt === undefined ? body : body.subarray(0, dropAt))) {
      for (const b of splitter.pushBytes(chunk)) {
        const kept = tracker.take(b);
        trace?.(`  block ${b.bytes.length}${b.cont ? ' cont' : ''}${b.open ? ' open' : ''} -> ${kept.map((k) => `${k.bytes.length}${k.cont ? ' cont' : ''}${k.open ? ' open' : ''}`).join(', ')}`);
        out.push(...kept);
      }
    }
    if (dropAt === undefined) {
      for (const b of splitter.flushBytes()) out.push(...tracker.take(b));
      return out;
    }
    // Dropped: what the splitter carried is lost with the connection; asked again from the last timestamp.
    const resume = tracker.beginResume();
    since = resume ? Date.parse(resume.sinceTime) / 1000 : undefined;
  }
}

/** The lines (without "\n") that blocks make, pieces of a line joined. */
export function joinedLines(blocks: readonly LineBlock[]): Uint8Array[][] {
  const lines: Uint8Array[][] = [];
  let open = false;
  for (const b of blocks) {
    if ((b.cont === true) !== open) throw new Error(`a block ${b.cont ? 'continues a line that was not open' : 'starts a line while one is open'}`);
    let pos = 0;
    for (let lf = b.bytes.indexOf(LF); lf >= 0; lf = b.bytes.indexOf(LF, pos)) {
      const seg = b.bytes.subarray(pos, lf);
      if (pos === 0 && b.cont) lines[lines.length - 1]!.push(seg);
      else lines.push([seg]);
      pos = lf + 1;
    }
    if (pos !== b.bytes.length) throw new Error('a block does not end with "\\n"');
    open = b.open === true;
  }
  return lines;
}

const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;
const show = (b: Uint8Array) => JSON.stringify(new TextDecoder().decode(b.subarray(0, 80))) + (b.length > 80 ? `… (${b.length} bytes)` : '');
const utf8 = new TextDecoder();

// Anything but tab, "\r\n" and SGR: C0, DEL, C1, ESC not starting an SGR sequence.
const LEAK = /\x1b(?!\[[0-9;:]*m)|[\x00-\x08\x0a-\x1a\x1c-\x1f\x7f-\x9f]/;

/** Checks one case; throws describing the first property that does not hold. */
export function checkCase(seed: number, index: number): number {
  const c = makeCase(seed, index);
  const where = `seed ${seed}, case ${index} (cap ${c.cap}, ${c.lines.length} lines, ${c.drops} drops)`;
  const blocks = follow(c);
  // 1. The lines that came out are the lines that went in, each once, in order.
  const got = joinedLines(blocks);
  if (got.length !== c.lines.length) throw new Error(`${where}: ${got.length} lines came out of ${c.lines.length}`);
  got.forEach((pieces, i) => {
    const whole = concat(pieces);
    const want = c.lines[i]!.bytes.subarray(0, c.lines[i]!.bytes.length - 1);
    if (!same(whole, want)) throw new Error(`${where}: line ${i} is ${show(whole)}, sent ${show(want)}`);
    if (pieces.some((p) => p.length > c.cap)) throw new Error(`${where}: line ${i} has a piece over the cap`);
  });
  // 2. The splitter cuts the same way however the body is chunked.
  const once = new LogLineSplitter(c.cap);
  const body = serve(c, undefined);
  const single = joinedLines([...once.pushBytes(body), ...once.flushBytes()]);
  if (single.length !== got.length || single.some((p, i) => p.length !== got[i]!.length || p.some((s, k) => !same(s, got[i]![k]!)))) throw new Error(`${where}: pieces depend on the chunking`);
  // 3. The view's text of a line (its pieces' texts joined, the server's timestamp cut) is the line's text, and
  //    the terminal text leaks nothing past a line.
  let line = -1;
  let texts: string[] = [];
  const finish = () => {
    if (line < 0) return;
    const sent = c.lines[line]!.bytes;
    const want = utf8.decode(sent.subarray(sent.indexOf(32) + 1, sent.length - 1)).replaceAll('\r', '');
    const shown = texts.join('').replaceAll('\r', '');
    if (shown !== want) throw new Error(`${where}: the view shows line ${line} as ${JSON.stringify(shown.slice(0, 80))}, sent ${JSON.stringify(want.slice(0, 80))}`);
  };
  const none = new Uint8Array(0);
  // The byte path costs a ring per case: checked on every tenth case.
  const byBytes = index % 10 === 0;
  let ring: BoundedLineBuffer | undefined = byBytes ? new BoundedLineBuffer(1_000_000) : undefined;
  let viewed = '';
  const compareViews = () => {
    if (!ring) return;
    const bytePath = ring.text();
    if (bytePath !== viewed) throw new Error(`${where}: the view's byte path shows ${JSON.stringify(bytePath.slice(0, 200))}, the text path ${JSON.stringify(viewed.slice(0, 200))}`);
    ring = new BoundedLineBuffer(1_000_000);
    viewed = '';
  };
  for (const b of blocks) {
    const view = formatBlock(b.bytes, '', false, b.cont);
    // The view's byte path (what LogBatcher writes) agrees with the text path.
    if (ring) {
      ring.pushLines(b.bytes, none, !b.cont);
      viewed += view;
    }
    if (viewed.length > 1 << 20) compareViews();
    const viewLines = view.slice(0, -1).split('\n');
    viewLines.forEach((t, k) => {
      if (k === 0 && b.cont) texts.push(t);
      else {
        finish();
        line++;
        texts = [t];
      }
    });
    const term = terminalText(view);
    if (!term.endsWith('\r\n')) throw new Error(`${where}: terminal text does not end a line`);
    for (const tl of term.slice(0, -2).split('\r\n')) {
      const leak = LEAK.exec(tl);
      if (leak) throw new Error(`${where}: the terminal gets ${JSON.stringify(leak[0])} in ${JSON.stringify(tl.slice(0, 80))}`);
      const sgr = tl.lastIndexOf('\x1b[');
      if (sgr >= 0 && !/^\x1b\[0*m/.test(tl.slice(sgr))) throw new Error(`${where}: a line leaves attributes set: ${JSON.stringify(tl.slice(Math.max(0, sgr - 20)))}`);
    }
  }
  finish();
  compareViews();
  return c.lines.reduce((n, l) => n + l.bytes.length, 0);
}

/** Runs cases [from, to) of `seed`, reporting each as a step (the worker's hang detector counts them). */
export function runCases(seed: number, from: number, to: number, step: (info: unknown) => void): { cases: number; bytes: number } {
  let bytes = 0;
  for (let i = from; i < to; i++) {
    bytes += checkCase(seed, i);
    step(i);
  }
  return { cases: to - from, bytes };
}

/** The line of the issue: over 64 KiB of bytes 0x80–0xBF, in chunks, then its end. Returns the lines' sizes. */
export function continuationBytesLine(step: (info: unknown) => void): number[] {
  const s = new LogLineSplitter();
  const line = new Uint8Array(200 << 10).map((_, i) => 0x80 + (i % 0x40));
  const sizes: number[] = [];
  for (let at = 0; at < line.length; at += 7000) {
    for (const b of s.pushBytes(line.subarray(at, at + 7000))) sizes.push(b.bytes.length);
    step(at);
  }
  for (const b of s.pushBytes(new Uint8Array([LF]))) sizes.push(b.bytes.length);
  return sizes;
}
