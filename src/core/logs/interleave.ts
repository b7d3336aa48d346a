// Many log streams into one view: lines keep their arrival order across streams, each prefixed with its
// `cluster/pod/container`, and the prefixes are padded to the widest seen so far so that the texts line up (a
// stream joining later with a longer prefix widens the column from then on; earlier lines are not rewritten).
// Markers (a stream joined, left, resumed after a gap, fell back to another path) go in the same order.
import type { LogLine } from './logLine.ts';
import type { ResumeGap } from './resume.ts';

export type StreamEvent =
  | { readonly kind: 'line'; readonly line: LogLine }
  | { readonly kind: 'joined'; readonly detail: string }
  | { readonly kind: 'left'; readonly detail: string }
  | { readonly kind: 'gap'; readonly gap: ResumeGap }
  | { readonly kind: 'notice'; readonly detail: string };

export function gapText(g: ResumeGap): string {
  const repeats = g.repeatedDropped ? `, ${g.repeatedDropped} repeated line${g.repeatedDropped === 1 ? '' : 's'} dropped` : '';
  return `── stream interrupted (${g.reason}); resumed from the last line seen (reconnect ${g.attempt}${repeats}) ──`;
}

export class Interleaver {
  private width = 0;
  private readonly showTimestamps: boolean;
  private readonly prefixed: boolean;

  /** `prefixed` false: one stream, no prefix column. */
  constructor(opts: { showTimestamps: boolean; prefixed: boolean }) {
    this.showTimestamps = opts.showTimestamps;
    this.prefixed = opts.prefixed;
  }

  /** The text of one event of the stream named `prefix`, as the view shows it. */
  format(prefix: string, e: StreamEvent): string {
    const head = this.prefixed ? this.column(prefix) : '';
    switch (e.kind) {
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

  /** Padded column per prefix, recomputed only when the width changes (this runs once per line). */
  private readonly columns = new Map<string, string>();

  private column(prefix: string): string {
    if (prefix.length > this.width) {
      this.width = Math.min(prefix.length, 80);
      this.columns.clear();
    }
    let c = this.columns.get(prefix);
    if (c === undefined) {
      c = `${prefix.padEnd(this.width)} │ `;
      if (this.columns.size < 10_000) this.columns.set(prefix, c);
    }
    return c;
  }
}
