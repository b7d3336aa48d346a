// The lines a view keeps: at most `maxLines` (the liqo.logs.maxLines setting), the oldest trimmed first, counting
// how many were trimmed so the view can say so. The text lives as UTF-8 in one byte ring that grows to what
// `maxLines` lines need (up to `maxBytes`) and is then reused, blocks of lines (one per socket chunk or marker)
// written into it without wrapping a block: keeping 50,000 lines of a stream that never ends costs a fixed few
// megabytes and no garbage-collected string or object per line. A block of server lines is formatted on the way
// in (prefix column added, timestamps cut) by byte copies inside the ring: the chunk is staged past the ring's end
// and each line moved into place with copyWithin. Text is decoded only when a view is given it (text()).
import { countLines, LF, stampEnd, textEnd } from './logBlock.ts';

/** Where a reader of the text stands: a block (by its place in the sequence) and a byte offset in it. */
export interface TextCursor {
  seq: number;
  offset: number;
}

interface Block {
  /** Position in the sequence of blocks pushed since the buffer was created (clearing does not restart it). */
  readonly seq: number;
  /** Byte offset in the ring. */
  readonly at: number;
  readonly bytes: number;
  readonly lines: number;
}

const MIN_BYTES = 1 << 16;
/** Room past the ring for staging one socket chunk (larger ones grow it). */
const MIN_STAGE = 1 << 17;
/** When `maxLines` lines need more than this, fewer are kept: a view of very long lines stays bounded too. */
export const MAX_KEPT_BYTES = 64 << 20;

export class BoundedLineBuffer {
  /** The ring's bytes are [0, ringSize); the staging area follows them. */
  private ring = new Uint8Array(MIN_BYTES + MIN_STAGE);
  private ringSize = MIN_BYTES;
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder('utf-8');
  private blocks: Block[] = [];
  /** Index of the oldest kept block in `blocks` (dropped ones are spliced off in bulk). */
  private head = 0;
  /** Lines of the oldest kept block that were trimmed. */
  private skip = 0;
  private count = 0;
  private droppedTotal = 0;
  /** Where the next block is written. */
  private writeAt = 0;
  private seq = 0;
  readonly maxLines: number;
  private readonly maxBytes: number;

  constructor(maxLines: number, maxBytes = MAX_KEPT_BYTES) {
    if (!Number.isInteger(maxLines) || maxLines < 1) throw new Error(`liqo.logs.maxLines must be a whole number ≥ 1, not ${maxLines}`);
    this.maxLines = maxLines;
    this.maxBytes = Math.max(MIN_BYTES, maxBytes);
  }

  /** A block of `lines` lines, each ending with "\n". */
  pushBlock(text: string, lines: number): void {
    if (lines <= 0) return;
    // UTF-8 takes at most 3 bytes per UTF-16 unit: room for that is found first, the exact size known after.
    let need = text.length * 3;
    if (need > this.maxBytes / 2) {
      // One block larger than the ring can hold: keep its newest lines only.
      const cut = text.indexOf('\n', text.length - Math.floor(this.maxBytes / 6));
      const dropped = countNewlines(text, 0, cut + 1);
      this.trimOldest(this.count);
      this.droppedTotal += dropped;
      text = text.slice(cut + 1);
      lines -= dropped;
      need = text.length * 3;
      if (lines <= 0) return;
    }
    const at = this.room(need);
    const { written } = this.encoder.encodeInto(text, this.ring.subarray(at, at + need));
    this.blocks.push({ seq: this.seq++, at, bytes: written, lines });
    this.writeAt = at + written;
    this.count += lines;
    if (this.count > this.maxLines) this.trimOldest(this.count - this.maxLines);
  }

  /**
   * Lines as the server sent them (each ending with "\n"), written as a view shows them: `head` before each, the
   * leading timestamp cut when `cutStamps`, "\r\n" ended by "\n". Returns how many lines they were.
   */
  pushLines(raw: Uint8Array, head: Uint8Array, cutStamps: boolean): number {
    const lines = countLines(raw);
    if (lines === 0) return 0;
    const need = raw.length + lines * head.length;
    if (need > this.maxBytes / 2) {
      // Larger than the ring can hold: the slow path keeps the newest lines.
      this.pushBlock(new TextDecoder().decode(this.formatted(raw, head, cutStamps, lines)), lines);
      return lines;
    }
    if (raw.length > this.ring.length - this.ringSize) this.resize(this.ringSize, raw.length * 2);
    const at = this.room(need);
    const stage = this.ringSize;
    const ring = this.ring;
    ring.set(raw, stage);
    let w = at;
    let pos = 0;
    for (let k = 0; k < lines; k++) {
      const lf = raw.indexOf(LF, pos);
      let from = pos;
      const end = textEnd(raw, pos, lf);
      if (cutStamps) {
        const sp = stampEnd(raw, pos, end);
        if (sp >= 0) from = sp < end ? sp + 1 : end;
      }
      if (head.length) {
        ring.set(head, w);
        w += head.length;
      }
      ring.copyWithin(w, stage + from, stage + end);
      w += end - from;
      ring[w++] = LF;
      pos = lf + 1;
    }
    this.blocks.push({ seq: this.seq++, at, bytes: w - at, lines });
    this.writeAt = w;
    this.count += lines;
    if (this.count > this.maxLines) this.trimOldest(this.count - this.maxLines);
    return lines;
  }

  /** The slow path of pushLines: the formatted lines in a fresh array. */
  private formatted(raw: Uint8Array, head: Uint8Array, cutStamps: boolean, lines: number): Uint8Array {
    const out = new Uint8Array(raw.length + lines * head.length);
    let w = 0;
    let pos = 0;
    for (let k = 0; k < lines; k++) {
      const lf = raw.indexOf(LF, pos);
      const end = textEnd(raw, pos, lf);
      const sp = cutStamps ? stampEnd(raw, pos, end) : -1;
      const from = sp < 0 ? pos : sp < end ? sp + 1 : end;
      out.set(head, w);
      w += head.length;
      out.set(raw.subarray(from, end), w);
      w += end - from;
      out[w++] = LF;
      pos = lf + 1;
    }
    return out.subarray(0, w);
  }

  push(line: string): void {
    this.pushBlock(`${line}\n`, 1);
  }

  pushAll(lines: readonly string[]): void {
    if (lines.length) this.pushBlock(`${lines.join('\n')}\n`, lines.length);
  }

  get length(): number {
    return this.count;
  }

  /** Lines trimmed because the buffer was full, since it was created or cleared. */
  get dropped(): number {
    return this.droppedTotal;
  }

  /** A mark for text(since): what is pushed after this call. */
  get mark(): number {
    return this.seq;
  }

  /**
   * The kept lines (those pushed since `since`, a mark, if given) as one text, each line ending with "\n".
   */
  text(since = 0): string {
    const parts: string[] = [];
    const cursor: TextCursor = { seq: since, offset: 0 };
    for (let p = this.nextPiece(cursor, this.seq, Infinity); p !== undefined; p = this.nextPiece(cursor, this.seq, Infinity)) parts.push(p);
    return parts.length === 1 ? parts[0]! : parts.join('');
  }

  /**
   * The next piece of the kept text at `cursor`, among the lines pushed before the mark `end`: about `pieceBytes`
   * bytes of UTF-8 at most, cut after a "\n" (a single longer line is a piece of its own); undefined when nothing
   * is left. Advances the cursor. Lines trimmed since the cursor was made are skipped, so a reader can take one
   * piece at a time while lines keep coming. Neighbouring blocks are neighbours in the ring too (unless it
   * wrapped): decoded a range at a time.
   */
  nextPiece(cursor: TextCursor, end: number, pieceBytes: number): string | undefined {
    let i = this.head;
    while (i < this.blocks.length && this.blocks[i]!.seq < cursor.seq) i++;
    if (i >= this.blocks.length || this.blocks[i]!.seq >= end) return undefined;
    let b = this.blocks[i]!;
    let from = b.at + (b.seq === cursor.seq ? cursor.offset : 0);
    if (i === this.head && this.skip > 0) {
      let kept = b.at;
      for (let s = 0; s < this.skip; s++) kept = this.ring.indexOf(LF, kept) + 1;
      from = Math.max(from, kept);
    }
    let to = b.at + b.bytes;
    while (to - from < pieceBytes && i + 1 < this.blocks.length && this.blocks[i + 1]!.seq < end && this.blocks[i + 1]!.at === to) {
      b = this.blocks[++i]!;
      to = b.at + b.bytes;
    }
    if (to - from > pieceBytes) {
      let cut = this.ring.lastIndexOf(LF, from + pieceBytes - 1) + 1;
      if (cut <= from) cut = this.ring.indexOf(LF, from + pieceBytes) + 1;
      if (cut > from && cut < to) {
        // The cut is inside one of the blocks joined: find it to leave the cursor there.
        while (cut <= b.at) b = this.blocks[--i]!;
        to = cut;
      }
    }
    if (to === b.at + b.bytes) {
      cursor.seq = b.seq + 1;
      cursor.offset = 0;
    } else {
      cursor.seq = b.seq;
      cursor.offset = to - b.at;
    }
    return this.decoder.decode(this.ring.subarray(from, to));
  }

  lines(): string[] {
    const t = this.text();
    return t ? t.slice(0, -1).split('\n') : [];
  }

  clear(): void {
    this.ring = new Uint8Array(MIN_BYTES + MIN_STAGE);
    this.ringSize = MIN_BYTES;
    this.blocks = [];
    this.head = 0;
    this.skip = 0;
    this.count = 0;
    this.droppedTotal = 0;
    this.writeAt = 0;
    // seq goes on: a reader's cursor made before the clear must not point into blocks pushed after it.
  }

  /** Drops the `n` oldest lines. */
  private trimOldest(n: number): void {
    this.count -= n;
    this.droppedTotal += n;
    while (n > 0 && this.head < this.blocks.length) {
      const left = this.blocks[this.head]!.lines - this.skip;
      if (n < left) {
        this.skip += n;
        break;
      }
      n -= left;
      this.head++;
      this.skip = 0;
    }
    if (this.head >= this.blocks.length) {
      this.blocks = [];
      this.head = 0;
      this.writeAt = 0;
    } else if (this.head > 64 && this.head * 2 > this.blocks.length) {
      this.blocks = this.blocks.slice(this.head);
      this.head = 0;
    }
  }

  /**
   * Where `need` contiguous bytes can be written: after the newest block, or from the start of the ring when the
   * end is too close (blocks never wrap). Kept lines are not overwritten while the ring can still grow; once it is
   * at maxBytes, the oldest lines give way.
   */
  private room(need: number): number {
    for (;;) {
      if (this.head >= this.blocks.length) {
        if (need > this.ringSize) this.grow(need);
        return 0;
      }
      const oldest = this.blocks[this.head]!.at;
      const wrapped = this.writeAt <= oldest; // the newest blocks are at the start, the oldest after them
      if (!wrapped && this.writeAt + need <= this.ringSize) return this.writeAt;
      if (!wrapped && need <= oldest) return 0;
      if (wrapped && this.writeAt + need <= oldest) return this.writeAt;
      if (this.ringSize < this.maxBytes) this.grow(need);
      else this.trimOldest(this.blocks[this.head]!.lines - this.skip);
    }
  }

  /** A ring twice as large (at most maxBytes), the kept blocks copied to its start, oldest first. */
  private grow(need: number): void {
    let size = this.ringSize * 2;
    while (size < need * 2) size *= 2;
    this.resize(Math.min(size, this.maxBytes), this.ring.length - this.ringSize);
  }

  /** A ring of `size` bytes with `stage` bytes of staging after it, the kept blocks copied to its start. */
  private resize(size: number, stage: number): void {
    const next = new Uint8Array(size + stage);
    let at = 0;
    const moved: Block[] = [];
    for (let i = this.head; i < this.blocks.length; i++) {
      const b = this.blocks[i]!;
      next.set(this.ring.subarray(b.at, b.at + b.bytes), at);
      moved.push({ seq: b.seq, at, bytes: b.bytes, lines: b.lines });
      at += b.bytes;
    }
    this.ring = next;
    this.ringSize = size;
    this.blocks = moved;
    this.head = 0;
    this.writeAt = at;
  }
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
