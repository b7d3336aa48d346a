// Bytes of a log body into lines: "\n" ends a line ("\r\n" too: the "\r" is dropped where the text is read), and a
// line longer than the cap is passed on in pieces so that a container printing without newlines cannot grow memory.
// The fast path (pushBytes) hands on each chunk's runs of complete lines as byte views of the chunk itself — no
// copy, no decoding; only a line that straddles two chunks, or is over the cap, is copied. A "\n" byte never occurs
// inside a multi-byte UTF-8 character, so the cuts at line ends never split one; the cap's cuts step back to a
// character's start (at most 3 bytes, so whatever the bytes, every cut moves forward).
//
// The pieces of an over-long line are cut at the same places however the body is chunked (every cut is made
// `maxBytes` after the previous one, moved back to a character start): a resumed stream, which reads the line again,
// cuts it the same way. Each piece is a block of its own that says whether it continues a line (it has no timestamp
// of the server's: whatever it starts with is the container's text) and whether the line goes on after it.
import { blockTexts, LF } from './logBlock.ts';

export const MAX_LINE_CHARS = 64 * 1024;

/** Complete lines (each ending with "\n"), or one piece of an over-long line (ended with a "\n" of ours). */
export interface LineBlock {
  readonly bytes: Uint8Array;
  /** A later piece of a line: it starts inside the line (no timestamp of the server's at its start). */
  readonly cont?: boolean;
  /** The line goes on after this piece (cut by the cap, or the body ended inside it): its "\n" is ours. */
  readonly open?: boolean;
}

const EMPTY = new Uint8Array(0);

export class LogLineSplitter {
  /** The unfinished line: pieces of earlier chunks (at most maxBytes in all). */
  private carry: Uint8Array[] = [];
  private carried = 0;
  /** Pieces of the unfinished line were handed on already. */
  private inPieces = false;
  private readonly maxBytes: number;

  /** `maxChars`: the cap of one line (in UTF-8 bytes: the same as characters for ASCII text). */
  constructor(maxChars = MAX_LINE_CHARS) {
    if (!Number.isInteger(maxChars) || maxChars < 1) throw new Error(`the line cap must be a whole number ≥ 1, not ${maxChars}`);
    this.maxBytes = maxChars;
  }

  /** The complete lines in this chunk (with what was carried over), as up to a few blocks. */
  pushBytes(chunk: Uint8Array): LineBlock[] {
    const out: LineBlock[] = [];
    let pos = 0;
    if (this.carried > 0 || this.inPieces) {
      const first = chunk.indexOf(LF);
      if (first < 0) {
        this.keep(chunk, out);
        return out;
      }
      this.endLine(chunk.subarray(0, first), out);
      pos = first + 1;
    }
    const last = chunk.lastIndexOf(LF);
    while (pos <= last) {
      const end = this.shortLinesEnd(chunk, pos, last);
      if (end > pos) {
        out.push({ bytes: chunk.subarray(pos, end) });
        pos = end;
        continue;
      }
      // A line over the cap starts here: its pieces.
      const lf = chunk.indexOf(LF, pos);
      this.endLine(chunk.subarray(pos, lf), out);
      pos = lf + 1;
    }
    if (pos < chunk.length) this.keep(chunk.subarray(pos), out);
    return out;
  }

  /** The last line (with a "\n" added, marked open) when the body ended without a newline. */
  flushBytes(): LineBlock[] {
    if (this.carried === 0) {
      this.inPieces = false;
      return [];
    }
    const cont = this.inPieces;
    this.inPieces = false;
    return [{ bytes: this.join(new Uint8Array([LF])), ...(cont ? { cont } : {}), open: true }];
  }

  /** The complete lines in this chunk, one string each (pieces of an over-long line as lines of their own). */
  push(chunk: Uint8Array): string[] {
    return this.pushBytes(chunk).flatMap((b) => blockTexts(b.bytes));
  }

  /** The last line when the body ended without a newline. */
  flush(): string[] {
    return this.flushBytes().flatMap((b) => blockTexts(b.bytes));
  }

  /** The end of the run of lines from `pos` (a line start) that are each within the cap, up to `last` (a "\n"). */
  private shortLinesEnd(chunk: Uint8Array, pos: number, last: number): number {
    // No line of the run can be longer than the run.
    if (last - pos <= this.maxBytes) return last + 1;
    let s = pos;
    while (s <= last) {
      const lf = chunk.indexOf(LF, s);
      if (lf - s > this.maxBytes) break;
      s = lf + 1;
    }
    return s;
  }

  /** The rest of the unfinished line (without its "\n"), then its end. */
  private endLine(rest: Uint8Array, out: LineBlock[]): void {
    this.keep(rest, out);
    const cont = this.inPieces;
    this.inPieces = false;
    out.push({ bytes: this.join(new Uint8Array([LF])), ...(cont ? { cont } : {}) });
  }

  /** Carries part of a line to the next chunk; past the cap, pieces of it go on as lines of their own. */
  private keep(part: Uint8Array, out: LineBlock[]): void {
    // The chunk belongs to the caller's stream, which does not reuse it: a view is enough.
    if (part.length) this.carry.push(part);
    this.carried += part.length;
    if (this.carried <= this.maxBytes) return;
    const all = this.join(EMPTY);
    let at = 0;
    while (all.length - at > this.maxBytes) {
      const cut = cutBefore(all, at, at + this.maxBytes);
      const piece = new Uint8Array(cut - at + 1);
      piece.set(all.subarray(at, cut));
      piece[cut - at] = LF;
      out.push({ bytes: piece, ...(this.inPieces ? { cont: true } : {}), open: true });
      this.inPieces = true;
      at = cut;
    }
    this.carry = [all.subarray(at)];
    this.carried = all.length - at;
  }

  /** The carried pieces and `tail` as one array; the carry is emptied. */
  private join(tail: Uint8Array): Uint8Array {
    const b = new Uint8Array(this.carried + tail.length);
    let at = 0;
    for (const p of this.carry) {
      b.set(p, at);
      at += p.length;
    }
    b.set(tail, at);
    this.carry = [];
    this.carried = 0;
    return b;
  }
}

const isContinuation = (byte: number) => (byte & 0xc0) === 0x80;

/**
 * Where to cut `b` near `limit` (> from) so that no UTF-8 character is split: before the start of the character
 * that `limit` falls in. A character has at most 3 continuation bytes, so four in a row belong to none (invalid
 * UTF-8) and the cut stays at `limit`: the cut always moves forward, whatever the bytes.
 */
function cutBefore(b: Uint8Array, from: number, limit: number): number {
  let cut = limit;
  for (let back = 0; back < 3 && cut - 1 > from && isContinuation(b[cut]!); back++) cut--;
  return isContinuation(b[cut]!) ? limit : cut;
}
