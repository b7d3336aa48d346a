// Resuming a one-shot read (no follow) that was asked without timestamps: the server sends less (kubectl logs asks
// none either, and a kubelet writes each line's timestamp at a cost), so there is no timestamp to resume from.
// A one-shot read is a prefix of a log file that only grows at its end, so the same query asked again (now with
// timestamps, so that a later drop resumes the usual way) starts with the same lines: as many as were emitted are
// skipped, and the last of them is compared with the last line emitted. When it differs (the file was rotated, or a
// tail window moved with new lines) or the answer is shorter, the boundary cannot be placed: the gap says so.
// Lines are counted where they start: the later pieces of a line over the splitter's cap (LineBlock.cont) are not
// lines of their own, and the read again (with timestamps) cuts them elsewhere. So a line the drop came inside is
// skipped for as many bytes of its text as were emitted, and goes on from there.
import { countLines, LF, stampEnd, textEnd } from './logBlock.ts';
import type { LineBlock } from './lineSplitter.ts';
import { concat } from './resume.ts';

export class CountResume {
  /** Lines emitted so far. */
  private emitted = 0;
  /** The last emitted line's text (without "\n"), as the server sent it without a timestamp (its first piece). */
  private last: Uint8Array | undefined;
  /** The last emitted line came in pieces: it is compared on the length both have. */
  private lastPieced = false;
  /** Bytes of the last emitted line's text emitted so far, while that line is unfinished (0: it is complete). */
  private openBytes = 0;
  private toSkip = 0;
  private skippedNow = 0;
  /** Bytes of the current line's later pieces still to skip (Infinity: all of them). */
  private skipBytes: number | undefined;
  /** Whether the last skipped line was the last emitted one (undefined while skipping). */
  private matched: boolean | undefined;

  get lines(): number {
    return this.emitted;
  }

  /** Records an emitted block of whole lines (of either kind: with or without timestamps), or a piece of one. */
  note(raw: Uint8Array, stamped: boolean, cont = false, open = false): void {
    if (cont) {
      if (this.lastPieced) this.openBytes = open ? this.openBytes + raw.length - 1 : 0;
      return;
    }
    const n = countLines(raw);
    if (n === 0) return;
    this.emitted += n;
    const lf = raw.length - 1;
    const start = lf === 0 ? 0 : raw.lastIndexOf(LF, lf - 1) + 1;
    const from = textStart(raw, start, lf, stamped);
    this.last = raw.slice(from, textEnd(raw, start, lf));
    this.lastPieced = open;
    this.openBytes = open ? lf - from : 0;
  }

  /** Called before asking again: the lines of the new answer to skip. */
  beginSkip(): void {
    this.toSkip = this.emitted;
    this.skippedNow = 0;
    this.skipBytes = undefined;
    this.matched = this.emitted === 0 ? true : undefined;
  }

  /** The part of a block of the new answer (with timestamps) after the lines already emitted. */
  takeBlock(raw: Uint8Array): Uint8Array {
    const out = this.take({ bytes: raw });
    return out.length === 1 ? out[0]!.bytes : out.length === 0 ? raw.subarray(raw.length) : concat(out.map((b) => b.bytes));
  }

  /** take() for the splitter's blocks of the new answer (whole lines, or a piece of one). */
  take(block: LineBlock): LineBlock[] {
    const raw = block.bytes;
    if (block.cont) {
      const skip = this.skipBytes;
      if (skip === undefined) return [block];
      const length = raw.length - 1;
      if (length <= skip) {
        this.skipBytes = block.open ? skip - length : undefined;
        return [];
      }
      this.skipBytes = undefined;
      return [{ bytes: raw.subarray(skip), cont: true, ...(block.open ? { open: true } : {}) }];
    }
    let pos = 0;
    let rest: LineBlock | undefined;
    while (this.toSkip > 0 && pos < raw.length) {
      const lf = raw.indexOf(LF, pos);
      const segmentOpen = block.open === true && lf + 1 === raw.length;
      this.skipBytes = undefined;
      this.skippedNow++;
      const from = textStart(raw, pos, lf, true);
      if (--this.toSkip === 0) {
        this.matched = this.lastPieced ? samePrefix(raw.subarray(from, textEnd(raw, pos, lf)), this.last) : equal(raw.subarray(from, textEnd(raw, pos, lf)), this.last);
        if (this.openBytes > 0 && lf - from > this.openBytes) {
          // The line the drop came inside: what follows the bytes emitted is new.
          rest = { bytes: raw.subarray(from + this.openBytes, lf + 1), cont: true, ...(segmentOpen ? { open: true } : {}) };
        } else if (segmentOpen) this.skipBytes = this.openBytes > 0 ? this.openBytes - (lf - from) : Infinity;
      } else if (segmentOpen) this.skipBytes = Infinity;
      pos = lf + 1;
    }
    const tail = pos === 0 ? raw : raw.subarray(pos);
    const out: LineBlock[] = rest ? [rest] : [];
    if (tail.length) out.push(block.open ? { bytes: tail, open: true } : { bytes: tail });
    return out;
  }

  /** Lines skipped in the current answer, and whether the boundary was found where it was expected. */
  outcome(): { skipped: number; placed: boolean } {
    return { skipped: this.skippedNow, placed: this.toSkip === 0 && this.matched === true };
  }
}

function textStart(b: Uint8Array, start: number, lf: number, stamped: boolean): number {
  if (!stamped) return start;
  const sp = stampEnd(b, start, textEnd(b, start, lf));
  return sp < 0 ? start : Math.min(sp + 1, lf);
}

function equal(a: Uint8Array, b: Uint8Array | undefined): boolean {
  if (!b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether one starts the other (a line cut into pieces at other places). */
function samePrefix(a: Uint8Array, b: Uint8Array | undefined): boolean {
  if (!b) return false;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}
