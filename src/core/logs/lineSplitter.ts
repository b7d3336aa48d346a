// Bytes of a log body into lines: "\n" ends a line ("\r\n" too: the "\r" is dropped where the text is read), and a
// line longer than the cap is passed on in pieces so that a container printing without newlines cannot grow memory.
// The fast path (pushBytes) hands on each chunk's complete lines as byte views of the chunk itself — no copy, no
// decoding — cut at its last "\n"; only a line that straddles two chunks is copied. A "\n" byte never occurs inside
// a multi-byte UTF-8 character, so the cuts never split one. push() decodes to single lines for readers that want
// them.
import { blockTexts, LF } from './logBlock.ts';

export const MAX_LINE_CHARS = 64 * 1024;

export class LogLineSplitter {
  /** The unfinished line: pieces of earlier chunks. */
  private carry: Uint8Array[] = [];
  private carried = 0;
  private readonly maxBytes: number;

  /** `maxChars`: the cap of one line (in UTF-8 bytes: the same as characters for ASCII text). */
  constructor(maxChars = MAX_LINE_CHARS) {
    this.maxBytes = maxChars;
  }

  /** The complete lines in this chunk (with what was carried over), as up to a few blocks of whole lines. */
  pushBytes(chunk: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    const last = chunk.lastIndexOf(LF);
    if (last < 0) {
      this.keep(chunk, out);
      return out;
    }
    let from = 0;
    if (this.carried > 0) {
      const first = chunk.indexOf(LF);
      out.push(this.join(chunk.subarray(0, first + 1)));
      from = first + 1;
    }
    if (from <= last) out.push(chunk.subarray(from, last + 1));
    if (last + 1 < chunk.length) this.keep(chunk.subarray(last + 1), out);
    return out;
  }

  /** The last line (with a "\n" added) when the body ended without a newline. */
  flushBytes(): Uint8Array[] {
    return this.carried > 0 ? [this.join(new Uint8Array([LF]))] : [];
  }

  /** The complete lines in this chunk, one string each. */
  push(chunk: Uint8Array): string[] {
    return this.pushBytes(chunk).flatMap(blockTexts);
  }

  /** The last line when the body ended without a newline. */
  flush(): string[] {
    return this.flushBytes().flatMap(blockTexts);
  }

  /** Carries part of a line to the next chunk; past the cap, it goes on as a line of its own. */
  private keep(part: Uint8Array, out: Uint8Array[]): void {
    // The chunk belongs to the caller's stream, which does not reuse it: a view is enough.
    this.carry.push(part);
    this.carried += part.length;
    while (this.carried > this.maxBytes) {
      const all = this.join(new Uint8Array(0));
      // Cut before a UTF-8 continuation byte (10xxxxxx), never inside a character.
      let cut = this.maxBytes;
      while (cut > 0 && (all[cut]! & 0xc0) === 0x80) cut--;
      const piece = new Uint8Array(cut + 1);
      piece.set(all.subarray(0, cut));
      piece[cut] = LF;
      out.push(piece);
      this.carry = [all.subarray(cut)];
      this.carried = all.length - cut;
    }
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
