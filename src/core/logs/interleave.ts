// Many log streams into one view: lines keep their arrival order across streams, each prefixed with its
// `cluster/pod/container`, and the prefixes are padded to the widest seen so far so that the texts line up (a
// stream joining later with a longer prefix widens the column from then on; earlier lines are not rewritten).
// Markers (a stream joined, left, resumed after a gap, fell back to another path) go in the same order. Lines come
// as blocks (what one socket chunk held, in the server's format) and are formatted a block at a time.
import { blockLines, formatBlock } from './logBlock.ts';
import type { LogLine } from './logLine.ts';
import type { ResumeGap } from './resume.ts';

export type StreamEvent =
  | { readonly kind: 'line'; readonly line: LogLine }
  /**
   * Complete lines as the server sent them ("<RFC3339Nano> <text>\n" each, UTF-8): the fast path, no object per
   * line. `unstamped`: asked without timestamps ("<text>\n" each; a timestamp at the start is the container's own).
   */
  | { readonly kind: 'lines'; readonly bytes: Uint8Array; readonly unstamped?: boolean }
  | { readonly kind: 'joined'; readonly detail: string }
  | { readonly kind: 'left'; readonly detail: string }
  | { readonly kind: 'gap'; readonly gap: ResumeGap }
  | { readonly kind: 'notice'; readonly detail: string };

/** The log lines an event carries (none for markers). */
export function linesOf(e: StreamEvent): LogLine[] {
  return e.kind === 'line' ? [e.line] : e.kind === 'lines' ? blockLines(e.bytes, e.unstamped) : [];
}

export function gapText(g: ResumeGap): string {
  const repeats = g.repeatedDropped ? `, ${g.repeatedDropped} repeated line${g.repeatedDropped === 1 ? '' : 's'} dropped` : '';
  if (g.unplaced) return `── stream interrupted (${g.reason}); read again, but the log changed meanwhile (rotated, or a tail window moved): lines may be missing or repeated here (reconnect ${g.attempt}${repeats}) ──`;
  return `── stream interrupted (${g.reason}); resumed from the last line seen (reconnect ${g.attempt}${repeats}) ──`;
}

const EMPTY = new Uint8Array(0);

export class Interleaver {
  private width = 0;
  private readonly showTimestamps: boolean;
  private readonly prefixed: boolean;

  /** `prefixed` false: one stream, no prefix column. */
  constructor(opts: { showTimestamps: boolean; prefixed: boolean }) {
    this.showTimestamps = opts.showTimestamps;
    this.prefixed = opts.prefixed;
  }

  /** The prefix column of a stream as UTF-8, for views that keep bytes ('' when not prefixed). */
  headBytes(prefix: string): Uint8Array {
    if (!this.prefixed) return EMPTY;
    const head = this.column(prefix);
    let b = this.encoded.get(head);
    if (!b) {
      b = new TextEncoder().encode(head);
      if (this.encoded.size >= 10_000) this.encoded.clear();
      this.encoded.set(head, b);
    }
    return b;
  }

  private readonly encoded = new Map<string, Uint8Array>();

  /** The text of one event of the stream named `prefix`, as the view shows it (without a final "\n"). */
  format(prefix: string, e: StreamEvent): string {
    const head = this.prefixed ? this.column(prefix) : '';
    switch (e.kind) {
      case 'lines':
        return formatBlock(e.bytes, head, this.showTimestamps, e.unstamped).slice(0, -1);
      case 'line':
        return `${head}${this.showTimestamps && e.line.time ? `${e.line.time.text} ` : ''}${e.line.text}`;
      case 'gap':
        return `${head}${gapText(e.gap)}`;
      case 'joined':
        return `${head}── ${e.detail} ──`;
      case 'left':
        return `${head}── ${e.detail} ──`;
      case 'notice':
        return `${head}── ${e.detail} ──`;
    }
  }

  /** Padded column per prefix, recomputed only when the width changes (this runs once per event). */
  private readonly columns = new Map<string, string>();

  private column(prefix: string): string {
    if (prefix.length > this.width) {
      this.width = Math.min(prefix.length, 80);
      this.columns.clear();
    }
    let c = this.columns.get(prefix);
    if (c === undefined) {
      c = `${prefix.padEnd(this.width)} | `;
      if (this.columns.size < 10_000) this.columns.set(prefix, c);
    }
    return c;
  }
}
