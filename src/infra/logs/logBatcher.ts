// The last stage before a view: stream events become text (prefix column, timestamps if shown; a block of lines at
// a time), kept in a bounded buffer (liqo.logs.maxLines) and appended to the view in batches — at most one append
// per interval, so a fast stream costs the editor a few updates a second, not one per line. The batch waiting for
// the next append is the newest part of that buffer (bytes, not strings), decoded a piece at a time as the view
// takes it; so nothing per line outlives its socket chunk on the heap. When the view falls behind (more than `highWater` lines
// waiting), write() returns a promise that settles after the next flush: the streams await it before reading their
// sockets again, which is how backpressure reaches the API server.
import { BoundedLineBuffer, type TextCursor } from '../../core/logs/lineBuffer.ts';
import { Interleaver, type StreamEvent } from '../../core/logs/interleave.ts';

/**
 * A batch reaches the view as texts of at most about this many bytes (cut at line ends): a string that size is an
 * ordinary young object, made about four times as fast as a larger one (those go to the large-object space, and past
 * 1 MB to memory outside V8's heap that a fast stream churns through) and dead before the next is made — a whole
 * batch decoded at once was alive at nearly every young-generation GC, which grew that generation to its maximum.
 */
export const PIECE_BYTES = 60 * 1024;

export interface BatchTarget {
  /** Appends text (lines joined with "\n", ending with "\n"); a batch comes as one or more such texts. */
  append(text: string): void | Promise<void>;
  /** Replaces everything shown: used to trim the view to the buffer's lines (the rest follows as appends). */
  replace(text: string): void | Promise<void>;
}

export interface LogBatcherOptions {
  readonly maxLines: number;
  readonly showTimestamps: boolean;
  readonly prefixed: boolean;
  readonly intervalMs?: number;
  readonly highWater?: number;
  /**
   * The view bounds what it shows by itself (a terminal's scrollback): it is only ever appended to. The buffer
   * still bounds what waits for it.
   */
  readonly viewTrims?: boolean;
}

export class LogBatcher {
  private readonly buffer: BoundedLineBuffer;
  private readonly interleaver: Interleaver;
  private readonly target: BatchTarget;
  private readonly intervalMs: number;
  private readonly highWater: number;
  private readonly showTimestamps: boolean;
  private readonly viewTrims: boolean;
  /** The buffer's mark where the lines not yet appended begin, and how many they are. */
  private pendingFrom = 0;
  private pendingLines = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private waiters: (() => void)[] = [];
  /** Lines the view holds since it was last replaced: above 1.5 × maxLines it is trimmed to the buffer. */
  private shown = 0;
  private disposed = false;
  private flushing: Promise<void> = Promise.resolve();
  lines = 0;

  constructor(target: BatchTarget, o: LogBatcherOptions) {
    this.target = target;
    this.buffer = new BoundedLineBuffer(o.maxLines);
    this.interleaver = new Interleaver({ showTimestamps: o.showTimestamps, prefixed: o.prefixed });
    this.showTimestamps = o.showTimestamps;
    this.viewTrims = o.viewTrims ?? false;
    this.intervalMs = o.intervalMs ?? 100;
    this.highWater = o.highWater ?? 10_000;
  }

  /** Lines trimmed from the view because of liqo.logs.maxLines. */
  get dropped(): number {
    return this.buffer.dropped;
  }

  write(prefix: string, events: readonly StreamEvent[]): void | Promise<void> {
    if (this.disposed) return;
    for (const e of events) {
      let n = 1;
      // Lines go from the socket's bytes to the buffer's bytes; only markers are strings.
      if (e.kind === 'lines') n = this.buffer.pushLines(e.bytes, this.interleaver.headBytes(prefix), !this.showTimestamps && !e.unstamped);
      else this.buffer.pushBlock(`${this.interleaver.format(prefix, e)}\n`, 1);
      this.pendingLines += n;
      this.lines += n;
    }
    if (this.pendingLines < this.highWater) {
      this.timer ??= setTimeout(() => void this.flush(), this.intervalMs);
      return;
    }
    // The view is behind: append now (a full batch is worth it) and hold the stream until that is done.
    return this.flush();
  }

  /** Appends what is waiting now (also called by the timer). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushNow());
    return this.flushing;
  }

  private async flushNow(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batchLines = this.pendingLines;
    const from = this.pendingFrom;
    const end = this.buffer.mark;
    this.pendingFrom = end;
    this.pendingLines = 0;
    const waiters = this.waiters;
    this.waiters = [];
    try {
      if (batchLines > 0 && !this.disposed) {
        this.shown += batchLines;
        // A piece at a time, each decoded just before the view takes it: the batch is never all on the heap at once
        // (lines that come meanwhile go to the next batch; lines trimmed meanwhile are skipped).
        const cursor: TextCursor = { seq: from, offset: 0 };
        if (!this.viewTrims && this.shown > this.buffer.maxLines * 1.5) {
          const head = `── ${this.buffer.dropped} older lines trimmed (liqo.logs.maxLines = ${this.buffer.maxLines}) ──`;
          this.shown = this.buffer.length;
          cursor.seq = 0;
          const accepted = this.target.replace(`${head}\n${this.buffer.nextPiece(cursor, end, PIECE_BYTES) ?? ''}`);
          if (accepted) await accepted;
        }
        let piece: string | undefined;
        while (!this.disposed && (piece = this.buffer.nextPiece(cursor, end, PIECE_BYTES)) !== undefined) {
          const accepted = this.target.append(piece);
          // Let go of the piece before the next is made: one piece alive at a time is what a young GC then finds.
          piece = undefined;
          if (accepted) await accepted;
        }
      }
    } finally {
      for (const w of waiters) w();
    }
  }

  clear(): void {
    this.buffer.clear();
    this.pendingFrom = 0;
    this.pendingLines = 0;
    this.shown = 0;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const w of this.waiters) w();
    this.waiters = [];
  }
}
