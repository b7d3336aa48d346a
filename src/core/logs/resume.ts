// Resuming a log stream without losing or doubling a line. Every line is read with its timestamp; when the stream
// drops, it is asked again from `sinceTime` = the last timestamp seen. The server restarts at the beginning of that
// second (see sinceTimeFor), so the first lines of the new answer repeat what was already emitted: those older than
// the last timestamp are dropped, and those at exactly the last timestamp are dropped as many times as they were
// emitted with the same text (two identical lines in the same nanosecond are two lines). The first line after the
// boundary ends the filtering. The gap (how long the stream was away, how many repeats were dropped) is reported so
// the view can mark it.
import type { LogLine } from './logLine.ts';
import { sinceTimeFor, type LogTime } from './timestamp.ts';

const MAX_SAME_INSTANT = 4096;

export interface ResumeGap {
  /** Reconnection number (1 = first reconnect). */
  readonly attempt: number;
  /** Lines of the new answer dropped because they had been emitted before the drop. */
  readonly repeatedDropped: number;
  /** Why the previous connection ended. */
  readonly reason: string;
}

export class ResumeTracker {
  private last: LogTime | undefined;
  /** Texts emitted at exactly `last`, with multiplicity (an array: nearly always one line per instant). */
  private atLast: string[] = [];
  private filtering = false;
  private pending: string[] | undefined;
  private dropped = 0;
  private attempts = 0;

  /** The timestamp of the last line emitted, if any had one. */
  get lastTime(): LogTime | undefined {
    return this.last;
  }

  /**
   * Called before reconnecting: the query to resume with (sinceTime), or undefined when no timestamped line was
   * seen yet (then the original query is asked again: nothing was emitted, so nothing can double).
   */
  beginResume(): { sinceTime: string } | undefined {
    this.attempts++;
    this.dropped = 0;
    if (!this.last) return undefined;
    this.filtering = true;
    this.pending = [...this.atLast];
    return { sinceTime: sinceTimeFor(this.last) };
  }

  /** Whether this line is new (emit it) or a repeat at the resume boundary (drop it). Records what is emitted. */
  accept(line: LogLine): boolean {
    const t = line.time;
    if (this.filtering && this.last) {
      if (!t) return this.emit(line);
      if (t.key < this.last.key) {
        this.dropped++;
        return false;
      }
      if (t.key === this.last.key) {
        const i = this.pending?.indexOf(line.text) ?? -1;
        if (i >= 0) {
          this.pending!.splice(i, 1);
          this.dropped++;
          return false;
        }
      }
      this.filtering = false;
      this.pending = undefined;
    }
    return this.emit(line);
  }

  /** The gap to mark once the resumed stream delivered its first new line (or ended). */
  gap(reason: string): ResumeGap {
    return { attempt: this.attempts, repeatedDropped: this.dropped, reason };
  }

  private emit(line: LogLine): boolean {
    const t = line.time;
    if (t) {
      // Compared as numbers: this runs once per line, and the string key is built only at resume boundaries.
      if (!this.last || t.seconds !== this.last.seconds || t.nanos !== this.last.nanos) {
        this.last = t;
        this.atLast.length = 0;
      }
      // Bounded: a flood in one nanosecond cannot grow memory (past this, a resume could repeat some of them).
      if (this.atLast.length < MAX_SAME_INSTANT) this.atLast.push(line.text);
    }
    return true;
  }
}
