// Bounded capture of one output stream, and its split into lines for live display. A program that prints without
// end must not grow the extension host's memory: stdout keeps its head (what parsers read), stderr its tail (where
// the error is), and each marks when something was dropped.
import { StringDecoder } from 'node:string_decoder';

export class OutputBuffer {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  private readonly maxBytes: number;
  private readonly keep: 'head' | 'tail';

  constructor(maxBytes: number, keep: 'head' | 'tail') {
    this.maxBytes = maxBytes;
    this.keep = keep;
  }

  push(chunk: Buffer): void {
    if (this.keep === 'head') {
      const room = this.maxBytes - this.size;
      if (room <= 0) {
        this.truncated = true;
        return;
      }
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      if (part !== chunk) this.truncated = true;
      this.chunks.push(part);
      this.size += part.length;
      return;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.maxBytes && this.chunks.length > 0) {
      const first = this.chunks[0] as Buffer;
      const excess = this.size - this.maxBytes;
      this.truncated = true;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
      }
    }
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** Feeds chunks, calls back once per complete line (without its line ending); flush() ends a last partial line. */
export class LineSplitter {
  private pending = '';
  // A multi-byte character split across two chunks is decoded whole.
  private readonly decoder = new StringDecoder('utf8');

  private readonly onLine: (line: string) => void;
  private readonly maxLineChars: number;

  constructor(onLine: (line: string) => void, maxLineChars = 16_384) {
    this.onLine = onLine;
    this.maxLineChars = maxLineChars;
  }

  push(chunk: Buffer): void {
    const text = this.pending + this.decoder.write(chunk);
    const lines = text.split(/\r?\n/);
    this.pending = lines.pop() ?? '';
    for (const line of lines) this.onLine(line);
    // A line without an end (a progress bar redrawn with \r) is shown in pieces rather than held forever.
    if (this.pending.length > this.maxLineChars) {
      this.onLine(this.pending);
      this.pending = '';
    }
  }

  flush(): void {
    this.pending += this.decoder.end();
    if (this.pending !== '') this.onLine(this.pending);
    this.pending = '';
  }
}
