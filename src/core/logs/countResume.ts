// Resuming a one-shot read (no follow) that was asked without timestamps: the server sends less (kubectl logs asks
// none either, and a kubelet writes each line's timestamp at a cost), so there is no timestamp to resume from.
// A one-shot read is a prefix of a log file that only grows at its end, so the same query asked again (now with
// timestamps, so that a later drop resumes the usual way) starts with the same lines: as many as were emitted are
// skipped, and the last of them is compared with the last line emitted. When it differs (the file was rotated, or a
// tail window moved with new lines) or the answer is shorter, the boundary cannot be placed: the gap says so.
import { countLines, LF, stampEnd, textEnd } from './logBlock.ts';

export class CountResume {
  /** Lines emitted so far. */
  private emitted = 0;
  /** The last emitted line's text (without "\n"), as the server sent it without a timestamp. */
  private last: Uint8Array | undefined;
  private toSkip = 0;
  private skippedNow = 0;
  /** Whether the last skipped line was the last emitted one (undefined while skipping). */
  private matched: boolean | undefined;

  get lines(): number {
    return this.emitted;
  }

  /** Records an emitted block of whole lines (of either kind: with or without timestamps). */
  note(raw: Uint8Array, stamped: boolean): void {
    const n = countLines(raw);
    if (n === 0) return;
    this.emitted += n;
    const lf = raw.length - 1;
    const start = lf === 0 ? 0 : raw.lastIndexOf(LF, lf - 1) + 1;
    this.last = raw.slice(textStart(raw, start, lf, stamped), textEnd(raw, start, lf));
  }

  /** Called before asking again: the lines of the new answer to skip. */
  beginSkip(): void {
    this.toSkip = this.emitted;
    this.skippedNow = 0;
    this.matched = this.emitted === 0 ? true : undefined;
  }

  /** The part of a block of the new answer (with timestamps) after the lines already emitted. */
  takeBlock(raw: Uint8Array): Uint8Array {
    let pos = 0;
    while (this.toSkip > 0 && pos < raw.length) {
      const lf = raw.indexOf(LF, pos);
      if (--this.toSkip === 0) this.matched = equal(raw.subarray(textStart(raw, pos, lf, true), textEnd(raw, pos, lf)), this.last);
      this.skippedNow++;
      pos = lf + 1;
    }
    return pos === 0 ? raw : raw.subarray(pos);
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
