// A block of log lines exactly as the API server sent them with `timestamps=true` ("<RFC3339Nano> <text>\n" each,
// UTF-8 bytes): the unit the fast path moves, straight from the socket's chunk to the view's byte ring, so a line
// costs no string and no object. Lines are decoded one by one only where that is needed: at a resume boundary, at
// the tail (the last instant seen), and for callers that want LogLine objects (tests, the diagnosis).
import { decodeLogLine, type LogLine } from './logLine.ts';

export const LF = 10;
export const CR = 13;
const SPACE = 32;
/** The longest RFC3339Nano with an offset ("2006-01-02T15:04:05.999999999-07:00"). */
const MAX_STAMP = 35;
/** The shortest: "2006-01-02T15:04:05Z". */
const MIN_STAMP = 20;

const utf8 = new TextDecoder('utf-8');

/**
 * Where the timestamp of the line [start, end) ends: the index of the space after it, `end` for a line that is
 * only a timestamp, or -1 when the line does not start with one. A shape check, not a parse: enough to tell the
 * server's prefix from a line without one (a piece of an over-long line); parseLogTime checks the rest when the
 * time is actually needed.
 */
export function stampEnd(b: Uint8Array, start: number, end: number): number {
  if (end - start < MIN_STAMP) return -1;
  // 0123-56-89T12:45:78
  if (b[start + 4] !== 45 || b[start + 7] !== 45 || b[start + 10] !== 84 || b[start + 13] !== 58 || b[start + 16] !== 58) return -1;
  const limit = Math.min(end, start + MAX_STAMP);
  for (let i = start + MIN_STAMP - 1; i <= limit; i++) if (i === end || b[i] === SPACE) return i;
  return -1;
}

/** The end of the line's text ending at the "\n" at `lf`: before a "\r" there. */
export function textEnd(b: Uint8Array, start: number, lf: number): number {
  return lf > start && b[lf - 1] === CR ? lf - 1 : lf;
}

/** Lines in a block (each ends with "\n"). */
export function countLines(b: Uint8Array): number {
  let n = 0;
  for (let i = b.indexOf(LF); i >= 0; i = b.indexOf(LF, i + 1)) n++;
  return n;
}

/** The timestamp token of the first or last line that has one; undefined when none has. */
export function stampToken(b: Uint8Array, fromEnd: boolean): string | undefined {
  if (fromEnd) {
    for (let lf = b.length - 1; lf >= 0; ) {
      const start = lf === 0 ? 0 : b.lastIndexOf(LF, lf - 1) + 1;
      const sp = stampEnd(b, start, textEnd(b, start, lf));
      if (sp >= 0) return utf8.decode(b.subarray(start, sp));
      lf = start - 1;
    }
    return undefined;
  }
  for (let start = 0; start < b.length; ) {
    const lf = b.indexOf(LF, start);
    const sp = stampEnd(b, start, textEnd(b, start, lf));
    if (sp >= 0) return utf8.decode(b.subarray(start, sp));
    start = lf + 1;
  }
  return undefined;
}

/** The block's lines as the server wrote them, one string each, without "\r\n" / "\n". */
export function blockTexts(b: Uint8Array): string[] {
  const text = utf8.decode(b);
  const out: string[] = [];
  let pos = 0;
  for (let lf = text.indexOf('\n'); lf >= 0; lf = text.indexOf('\n', pos)) {
    out.push(text.slice(pos, lf > pos && text.charCodeAt(lf - 1) === CR ? lf - 1 : lf));
    pos = lf + 1;
  }
  return out;
}

/**
 * The block's lines as LogLine objects (for tests and slow paths; the view never needs them). `unstamped`: the
 * server was asked for no timestamps, so a line starting with one wrote it itself and keeps it in its text.
 */
export function blockLines(b: Uint8Array, unstamped = false): LogLine[] {
  return unstamped ? blockTexts(b).map((text) => ({ time: undefined, text })) : blockTexts(b).map(decodeLogLine);
}

/** The block as a view shows it: `head` before every line, the server's timestamps kept or cut. */
export function formatBlock(b: Uint8Array, head: string, showTimestamps: boolean, unstamped = false): string {
  return blockLines(b, unstamped)
    .map((l) => `${head}${showTimestamps && l.time ? `${l.time.text} ` : ''}${l.text}\n`)
    .join('');
}
