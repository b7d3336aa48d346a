// Checking the end of a one-shot read. A log answer that ends cleanly is not proof that the log ended: an API server
// shutting down ends the answers it is serving as if they were complete (seen on the test bed: 20,125 lines of a
// 1,000,000-line log, then a clean end), and `kubectl logs` cannot tell either. So when a one-shot answer ends, the
// log's tail is asked for (a few thousand lines, with timestamps: cheap, the kubelet seeks from the file's end), and
// the last lines emitted are looked for in it:
//   - found at its very end: the read was complete;
//   - found once, with lines after it: those lines were not sent (or were written since): they are emitted;
//   - not found (more was lost than the tail holds, or the file was rotated), or found at several places (a tail of
//     repeated lines without timestamps to tell them apart): the read is resumed as after a drop, which is exact.
// Everything here works on the last few lines only; the fast path keeps views of the last blocks, not copies. A line
// over the splitter's cap was read in pieces and is whole in the tail: its pieces are joined again to compare.
import { blockLines, LF } from './logBlock.ts';
import type { LogLine } from './logLine.ts';

/** How many of the last emitted lines are looked for in the tail. */
export const RECENT_LINES = 32;
/** How many lines the tail check asks for: room for what the answer may have missed after the recent lines. */
export const CHECK_TAIL_LINES = 4096;
/** A tail answer this long is not trusted to hold the log's end (its lines are huge): the read is resumed instead. */
export const CHECK_TAIL_BYTES = 8 << 20;

interface Kept {
  readonly raw: Uint8Array;
  readonly stamped: boolean;
  /** A later piece of the line before it (see LineBlock). */
  readonly cont: boolean;
  /** Lines starting in `raw`, counted from its end up to `keep` (all that matter). */
  readonly lines: number;
}

/** The last lines emitted, as views of the blocks they came in. */
export class RecentLines {
  private blocks: Kept[] = [];
  private readonly keep: number;

  constructor(keep = RECENT_LINES) {
    this.keep = keep;
  }

  /**
   * Records an emitted block of whole lines; `stamped`: the server sent them with timestamps; `cont`: the block is a
   * later piece of an over-long line (the lineSplitter's LineBlock).
   */
  note(raw: Uint8Array, stamped: boolean, cont = false): void {
    if (raw.length === 0) return;
    this.blocks.push({ raw, stamped, cont, lines: linesFromEnd(raw, this.keep) - (cont ? 1 : 0) });
    // Older blocks go once the newer ones hold enough lines (a line's first piece stays with its later ones).
    let later = 0;
    for (let i = this.blocks.length - 1; i > 0; i--) {
      later += this.blocks[i]!.lines;
      if (later >= this.keep) {
        while (i > 0 && this.blocks[i]!.cont) i--;
        this.blocks.splice(0, i);
        break;
      }
    }
  }

  /** The last lines (at most `keep`), oldest first, pieces joined; `time` only for lines the server sent with one. */
  lines(): LogLine[] {
    const all: LogLine[] = [];
    for (const b of this.blocks) {
      const lines = blockLines(b.raw, !b.stamped);
      const prev = all[all.length - 1];
      if (b.cont && prev && lines.length) all[all.length - 1] = { time: prev.time, text: `${prev.text}${lines.shift()!.text}` };
      all.push(...lines);
    }
    return all.slice(Math.max(0, all.length - this.keep));
  }

  get empty(): boolean {
    return this.blocks.length === 0;
  }
}

export type TailVerdict =
  /** The last emitted lines end the tail: nothing is missing. */
  | { readonly kind: 'complete' }
  /** The last emitted lines end at `from`: the tail's lines from there on were not emitted. */
  | { readonly kind: 'more'; readonly from: number }
  /** The end of what was emitted cannot be placed in the tail. */
  | { readonly kind: 'unplaced'; readonly why: string };

/**
 * Where the emitted lines `ours` (oldest first) end within `tail` (the log's last lines, with timestamps). Lines
 * match by text, and by time as well when both have one.
 */
export function placeInTail(ours: readonly LogLine[], tail: readonly LogLine[]): TailVerdict {
  const a = ours.length;
  if (a === 0) return tail.length === 0 ? { kind: 'complete' } : { kind: 'unplaced', why: 'nothing was read to look for' };
  const ends: number[] = [];
  for (let p = a; p <= tail.length; p++) {
    let ok = true;
    for (let i = 0; i < a && ok; i++) ok = same(ours[i]!, tail[p - a + i]!);
    if (ok) ends.push(p);
  }
  if (ends.length === 0) return { kind: 'unplaced', why: `the last ${a} lines read are not among the log's last ${tail.length}` };
  if (ends.length > 1) return { kind: 'unplaced', why: `the last ${a} lines read occur ${ends.length} times in the log's tail` };
  return ends[0] === tail.length ? { kind: 'complete' } : { kind: 'more', from: ends[0]! };
}

function same(x: LogLine, y: LogLine): boolean {
  if (x.text !== y.text) return false;
  return !x.time || !y.time || x.time.key === y.time.key;
}

/** Counts the lines of a block from its end, stopping at `max`. */
function linesFromEnd(b: Uint8Array, max: number): number {
  let n = 0;
  for (let i = b.lastIndexOf(LF); i >= 0 && n < max; i = i === 0 ? -1 : b.lastIndexOf(LF, i - 1)) n++;
  return n;
}

/**
 * The raw bytes of the tail's lines from index `from` on (a block to emit), or undefined when there are none.
 * `tail` is the check's body: whole lines, each ending with "\n".
 */
export function tailFrom(body: Uint8Array, from: number): Uint8Array | undefined {
  let pos = 0;
  for (let i = 0; i < from; i++) {
    const lf = body.indexOf(LF, pos);
    if (lf < 0) return undefined;
    pos = lf + 1;
  }
  return pos < body.length ? body.subarray(pos) : undefined;
}

/**
 * Whether the tail's line at `from` is the whole of a line the answer ended in the middle of (`partial`: its bytes
 * as received, without "\n"; `stamped`: received with a timestamp).
 */
export function continuesPartial(partial: Uint8Array, stamped: boolean, body: Uint8Array, from: number): boolean {
  const rest = tailFrom(body, from);
  if (!rest) return false;
  const lf = rest.indexOf(LF);
  let line = lf < 0 ? rest : rest.subarray(0, lf);
  if (!stamped) {
    const sp = line.indexOf(32);
    if (sp < 0) return false;
    line = line.subarray(sp + 1);
  }
  if (partial.length > line.length) return false;
  for (let i = 0; i < partial.length; i++) if (partial[i] !== line[i]) return false;
  return true;
}
