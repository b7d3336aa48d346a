// Resuming a log stream without losing or doubling a line. Every line is read with its timestamp; when the stream
// drops, it is asked again from `sinceTime` = the last timestamp seen. The server restarts at the beginning of that
// second (see sinceTimeFor), so the first lines of the new answer repeat what was already emitted: those older than
// the last timestamp are dropped, and those at exactly the last timestamp are dropped as many times as they were
// emitted with the same text (two identical lines in the same nanosecond are two lines). The first line after the
// boundary ends the filtering. The gap (how long the stream was away, how many repeats were dropped) is reported so
// the view can mark it.
//
// The fast path hands whole blocks to takeBlock: outside a resume boundary a block is looked at only at its two
// ends (its first and last timestamps), and the lines of the last instant are collected from the kept blocks only
// when a resume needs them. Timestamps are parsed only then.
import { blockLines, LF, stampToken } from './logBlock.ts';
import type { LogLine } from './logLine.ts';
import { parseLogTime, sinceTimeFor, type LogTime } from './timestamp.ts';

const MAX_SAME_INSTANT = 4096;
/** How many bytes of a run of lines at one instant are kept for a resume, beyond the block that started it. */
const MAX_SAME_INSTANT_BYTES = 4 << 20;

export interface ResumeGap {
  /** Reconnection number (1 = first reconnect). */
  readonly attempt: number;
  /** Lines of the new answer dropped because they had been emitted before the drop. */
  readonly repeatedDropped: number;
  /** Why the previous connection ended. */
  readonly reason: string;
  /** A one-shot read resumed by counting lines found the log changed meanwhile: lines may be missing or repeated. */
  readonly unplaced?: boolean;
}

export class ResumeTracker {
  /** The last emitted timestamp as the server wrote it, and its parse (made when first needed). */
  private lastToken: string | undefined;
  private lastParsed: LogTime | undefined;
  /** Texts emitted at exactly the last instant, with multiplicity, once materialised from `tailBlocks`. */
  private atLast: string[] = [];
  /** Blocks whose lines at the last instant are not in `atLast` yet (the newest ones of a run at that instant). */
  private tailBlocks: Uint8Array[] = [];
  private tailBytes = 0;
  private filtering = false;
  private pending: string[] | undefined;
  private dropped = 0;
  private attempts = 0;

  /** The timestamp of the last line emitted, if any had one. */
  get lastTime(): LogTime | undefined {
    if (this.lastToken !== undefined && this.lastParsed?.text !== this.lastToken) this.lastParsed = parseLogTime(this.lastToken);
    return this.lastToken === undefined ? undefined : this.lastParsed;
  }

  /**
   * Called before reconnecting: the query to resume with (sinceTime), or undefined when no timestamped line was
   * seen yet (then the original query is asked again: nothing was emitted, so nothing can double).
   */
  beginResume(): { sinceTime: string } | undefined {
    this.attempts++;
    this.dropped = 0;
    const last = this.lastTime;
    if (!last) return undefined;
    this.materialise();
    this.filtering = true;
    this.pending = [...this.atLast];
    return { sinceTime: sinceTimeFor(last) };
  }

  /** Whether this line is new (emit it) or a repeat at the resume boundary (drop it). Records what is emitted. */
  accept(line: LogLine): boolean {
    if (this.isRepeat(line)) return false;
    const t = line.time;
    if (t) {
      this.materialise();
      const last = this.lastTime;
      // Compared as numbers: the same instant can be written with another number of fraction digits.
      if (!last || t.seconds !== last.seconds || t.nanos !== last.nanos) this.atLast = [];
      this.lastToken = t.text;
      this.lastParsed = t;
      if (this.atLast.length < MAX_SAME_INSTANT) this.atLast.push(line.text);
    }
    return true;
  }

  /**
   * The part of a block to emit (complete lines as the server sent them): all of it, unless a resume boundary is
   * being crossed, where the repeats at its start are cut off. Records the block's last instant.
   */
  takeBlock(raw: Uint8Array): Uint8Array {
    let pos = 0;
    let kept: Uint8Array[] | undefined;
    while (this.filtering && pos < raw.length) {
      const lf = raw.indexOf(LF, pos);
      const line = raw.subarray(pos, lf + 1);
      if (!this.isRepeat(blockLines(line)[0]!)) (kept ??= []).push(line);
      pos = lf + 1;
    }
    let out = pos === 0 ? raw : raw.subarray(pos);
    if (kept) out = concat([...kept, out]);
    if (out.length) this.note(out);
    return out;
  }

  /** The gap to mark once the resumed stream delivered its first new line (or ended). */
  gap(reason: string): ResumeGap {
    return { attempt: this.attempts, repeatedDropped: this.dropped, reason };
  }

  private isRepeat(line: LogLine): boolean {
    const last = this.filtering ? this.lastTime : undefined;
    if (!last) return false;
    const t = line.time;
    // A line without a timestamp cannot be placed: shown, and the boundary is still ahead.
    if (!t) return false;
    if (t.key < last.key) {
      this.dropped++;
      return true;
    }
    if (t.key === last.key) {
      const i = this.pending?.indexOf(line.text) ?? -1;
      if (i >= 0) {
        this.pending!.splice(i, 1);
        this.dropped++;
        return true;
      }
    }
    this.filtering = false;
    this.pending = undefined;
    return false;
  }

  /** Records an emitted block by its ends only: a block wholly at the last instant joins that instant's run. */
  private note(raw: Uint8Array): void {
    const lastToken = stampToken(raw, true);
    if (lastToken === undefined) return;
    const firstToken = lastToken === this.lastToken ? stampToken(raw, false) : undefined;
    if (firstToken !== lastToken) {
      // A new last instant (tokens of one server compare as text: it writes an instant one way).
      this.lastToken = lastToken;
      this.atLast = [];
      this.tailBlocks = [];
      this.tailBytes = 0;
    }
    // Bounded: a flood in one nanosecond cannot grow memory (past this, a resume could repeat some of them).
    if (this.tailBlocks.length === 0 || this.tailBytes + raw.length <= MAX_SAME_INSTANT_BYTES) {
      this.tailBlocks.push(raw);
      this.tailBytes += raw.length;
    }
  }

  /** Moves the last instant's lines of the tail blocks into atLast. */
  private materialise(): void {
    if (this.tailBlocks.length === 0) return;
    const token = this.lastToken;
    for (const b of this.tailBlocks) {
      for (const l of blockLines(b)) if (l.time?.text === token && this.atLast.length < MAX_SAME_INSTANT) this.atLast.push(l.text);
    }
    this.tailBlocks = [];
    this.tailBytes = 0;
  }
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
