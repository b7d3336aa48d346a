// Bytes of a log body into lines: UTF-8 decoded across chunk boundaries, "\n" or "\r\n" ends a line, and a line
// longer than the cap is passed on in pieces so that a container printing without newlines cannot grow memory.

export const MAX_LINE_CHARS = 64 * 1024;

export class LogLineSplitter {
  private readonly decoder = new TextDecoder('utf-8');
  private rest = '';
  private readonly maxChars: number;

  constructor(maxChars = MAX_LINE_CHARS) {
    this.maxChars = maxChars;
  }

  /** The complete lines in this chunk (with what was left over from the previous ones). */
  push(chunk: Uint8Array): string[] {
    const text = this.rest + this.decoder.decode(chunk, { stream: true });
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      if (l.endsWith('\r')) lines[i] = l.slice(0, -1);
    }
    while (this.rest.length > this.maxChars) {
      lines.push(this.rest.slice(0, this.maxChars));
      this.rest = this.rest.slice(this.maxChars);
    }
    return lines;
  }

  /** The last line when the body ended without a newline. */
  flush(): string[] {
    const last = this.rest + this.decoder.decode();
    this.rest = '';
    return last ? [last.endsWith('\r') ? last.slice(0, -1) : last] : [];
  }
}
