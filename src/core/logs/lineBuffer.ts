// The lines a view keeps: at most `maxLines` (the liqo.logs.maxLines setting), the oldest trimmed first, counting
// how many were trimmed so the view can say so. A ring: pushing is O(1) and never copies what it keeps.

export class BoundedLineBuffer {
  private readonly ring: (string | undefined)[];
  private start = 0;
  private count = 0;
  private droppedTotal = 0;
  readonly maxLines: number;

  constructor(maxLines: number) {
    if (!Number.isInteger(maxLines) || maxLines < 1) throw new Error(`liqo.logs.maxLines must be a whole number ≥ 1, not ${maxLines}`);
    this.maxLines = maxLines;
    this.ring = new Array<string | undefined>(maxLines);
  }

  push(line: string): void {
    if (this.count < this.maxLines) {
      this.ring[(this.start + this.count) % this.maxLines] = line;
      this.count++;
      return;
    }
    this.ring[this.start] = line;
    this.start = (this.start + 1) % this.maxLines;
    this.droppedTotal++;
  }

  pushAll(lines: readonly string[]): void {
    for (const l of lines) this.push(l);
  }

  get length(): number {
    return this.count;
  }

  /** Lines trimmed because the buffer was full, since it was created or cleared. */
  get dropped(): number {
    return this.droppedTotal;
  }

  lines(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.ring[(this.start + i) % this.maxLines]!);
    return out;
  }

  clear(): void {
    this.ring.fill(undefined);
    this.start = 0;
    this.count = 0;
    this.droppedTotal = 0;
  }
}
