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
//
// A line over the splitter's cap comes in pieces (lineSplitter.ts): only its first piece carries the server's
// timestamp, and the later ones are judged with it. At a resume boundary the pieces of a repeated line are dropped
// with it; and when the drop came inside a line (some of its pieces emitted, not its end), the line read again is
// skipped for as many bytes as were emitted and goes on from there: nothing of it is doubled or lost.
import { blockLines, LF, stampEnd, stampToken, textEnd } from './logBlock.ts';
import type { LineBlock } from './lineSplitter.ts';
import type { LogLine } from './logLine.ts';
import { parseLogTime, sinceTimeFor, type LogTime } from './timestamp.ts';

const MAX_SAME_INSTANT = 4096;
/** How many bytes of a run of lines at one instant are kept for a resume, beyond the block that started it. */
const MAX_SAME_INSTANT_BYTES = 4 << 20;

export interface ResumeGap {
  /** Which interruption of the stream this is (1 = the first); failed attempts to reconnect do not count. */
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
  /** Interruptions: resumes after which lines were emitted again count once however many attempts they took. */
  private interruptions = 0;
  private emittedSinceResume = true;
  /**
   * The last emitted line is unfinished: its first piece (`head` without our "\n", `line` with it) and how many of
   * its bytes were emitted.
   */
  private open: { readonly head: Uint8Array; readonly line: Uint8Array; emitted: number } | undefined;
  /** At a resume boundary, bytes of the current line's later pieces still to drop (Infinity: all of them). */
  private skipping: number | undefined;

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
    if (this.emittedSinceResume) this.interruptions++;
    this.emittedSinceResume = false;
    this.dropped = 0;
    const last = this.lastTime;
    if (!last) return undefined;
    this.materialise();
    this.filtering = true;
    this.skipping = undefined;
    this.pending = [...this.atLast];
    // The unfinished line is placed by its bytes, not as a repeat of a whole line.
    const head = this.open && blockLines(this.open.line)[0]?.text;
    if (head !== undefined && this.pending[this.pending.length - 1] === head) this.pending.pop();
    return { sinceTime: sinceTimeFor(last) };
  }

  /** Whether this line is new (emit it) or a repeat at the resume boundary (drop it). Records what is emitted. */
  accept(line: LogLine): boolean {
    if (this.isRepeat(line)) return false;
    this.emittedSinceResume = true;
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
    const out = this.take({ bytes: raw });
    return out.length === 1 ? out[0]!.bytes : concat(out.map((b) => b.bytes));
  }

  /** take() for the splitter's blocks: whole lines, or a piece of an over-long line (see LineBlock). */
  take(block: LineBlock): LineBlock[] {
    return block.cont ? this.takePiece(block) : this.takeLines(block.bytes, block.open === true);
  }

  private takeLines(raw: Uint8Array, open: boolean): LineBlock[] {
    let pos = 0;
    let kept: Uint8Array[] | undefined;
    /** The rest of the unfinished line, read again. */
    let rest: LineBlock | undefined;
    let lastKept = false;
    while (this.filtering && pos < raw.length) {
      const lf = raw.indexOf(LF, pos);
      const segmentOpen = open && lf + 1 === raw.length;
      this.skipping = undefined;
      const o = this.open;
      if (o && this.pending?.length === 0 && sameStart(raw, pos, lf, o.head)) {
        // The line the drop came inside: what follows the bytes emitted is new.
        const length = lf - pos;
        if (length > o.emitted) {
          rest = { bytes: raw.subarray(pos + o.emitted, lf + 1), cont: true, ...(segmentOpen ? { open: true } : {}) };
          this.endFiltering();
        } else {
          this.dropped++;
          if (segmentOpen) this.skipping = o.emitted - length;
          else this.open = undefined;
        }
        pos = lf + 1;
        lastKept = rest !== undefined;
        continue;
      }
      const line = raw.subarray(pos, lf + 1);
      lastKept = !this.isRepeat(blockLines(line)[0]!);
      if (lastKept) (kept ??= []).push(line);
      else if (segmentOpen) this.skipping = Infinity;
      pos = lf + 1;
    }
    const tail = pos === 0 ? raw : raw.subarray(pos);
    const out: LineBlock[] = [];
    if (rest) {
      const o = this.open;
      if (kept) this.emitLines(concat(kept), false, out);
      this.open = o;
      this.emitPiece(rest, out);
      if (tail.length) this.emitLines(tail, open, out);
      return out;
    }
    const lines = kept ? concat([...kept, tail]) : tail;
    if (lines.length) this.emitLines(lines, open && (tail.length > 0 || lastKept), out);
    return out;
  }

  /** A later piece of a line: dropped with its line at a resume boundary, else emitted. */
  private takePiece(b: LineBlock): LineBlock[] {
    const skip = this.skipping;
    const out: LineBlock[] = [];
    // Not at a resume boundary (or a piece of a line that cannot be placed there): emitted.
    if (skip === undefined) {
      this.emitPiece(b, out);
      return out;
    }
    const length = b.bytes.length - 1;
    if (skip > 0 && length <= skip) {
      this.skipping = b.open ? skip - length : undefined;
      return out;
    }
    // The first bytes after those emitted before the drop.
    this.endFiltering();
    this.emitPiece(skip === 0 ? b : { bytes: b.bytes.subarray(skip), cont: true, ...(b.open ? { open: true } : {}) }, out);
    return out;
  }

  private emitLines(lines: Uint8Array, open: boolean, out: LineBlock[]): void {
    this.emittedSinceResume = true;
    this.note(lines);
    this.open = undefined;
    if (open) {
      // Only a line that starts with the server's timestamp can be placed when read again.
      const start = lines.length === 1 ? 0 : lines.lastIndexOf(LF, lines.length - 2) + 1;
      const lf = lines.length - 1;
      if (stampEnd(lines, start, textEnd(lines, start, lf)) >= 0) this.open = { head: lines.subarray(start, lf), line: lines.subarray(start), emitted: lf - start };
    }
    out.push(open ? { bytes: lines, open: true } : { bytes: lines });
  }

  private emitPiece(b: LineBlock, out: LineBlock[]): void {
    this.emittedSinceResume = true;
    if (this.open) {
      this.open.emitted += b.bytes.length - 1;
      if (!b.open) this.open = undefined;
    }
    out.push(b);
  }

  private endFiltering(): void {
    this.filtering = false;
    this.pending = undefined;
    this.skipping = undefined;
  }

  /** The gap to mark once the resumed stream delivered its first new line (or ended). */
  gap(reason: string): ResumeGap {
    return { attempt: this.interruptions, repeatedDropped: this.dropped, reason };
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

/** Whether the line [pos, lf) and `head` agree on their common length (one starts the other). */
function sameStart(b: Uint8Array, pos: number, lf: number, head: Uint8Array): boolean {
  const n = Math.min(lf - pos, head.length);
  for (let i = 0; i < n; i++) if (b[pos + i] !== head[i]) return false;
  return true;
}

/** The parts as one byte array. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const b = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    b.set(p, at);
    at += p.length;
  }
  return b;
}
