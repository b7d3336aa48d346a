// RFC3339Nano timestamps as the API server prefixes log lines with (`timestamps=true`): parsed into a fixed-width
// key that sorts as time does. Go's RFC3339Nano trims trailing zeros of the fraction ("…:05.1Z" and "…:05.123456789Z"),
// so the raw strings do not compare; the key does.

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i;

export interface LogTime {
  /** As the server wrote it. */
  readonly text: string;
  /** Whole seconds since the epoch. */
  readonly seconds: number;
  /** 0..999 999 999 */
  readonly nanos: number;
  /** 13-digit seconds and 9-digit nanoseconds: compares as time does. */
  readonly key: string;
}

// Consecutive lines nearly always share their second: one Date.parse per second, not per line.
let cachedSecond = '';
let cachedMs = NaN;

export function parseLogTime(text: string): LogTime | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const second = `${m[1]}${m[3]!.toUpperCase()}`;
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedMs = Date.parse(second);
  }
  const ms = cachedMs;
  if (Number.isNaN(ms)) return undefined;
  const seconds = Math.floor(ms / 1000);
  const nanos = Number((m[2] ?? '').padEnd(9, '0'));
  return new ParsedLogTime(text, seconds, nanos);
}

// The key is built only when compared (at a resume boundary, or between two lines of different text).
class ParsedLogTime implements LogTime {
  readonly text: string;
  readonly seconds: number;
  readonly nanos: number;
  private cachedKey: string | undefined;

  constructor(text: string, seconds: number, nanos: number) {
    this.text = text;
    this.seconds = seconds;
    this.nanos = nanos;
  }

  get key(): string {
    this.cachedKey ??= `${String(this.seconds).padStart(13, '0')}${String(this.nanos).padStart(9, '0')}`;
    return this.cachedKey;
  }
}

/**
 * The `sinceTime` to ask for when resuming after `t`. The API server passes sinceTime on to the kubelet in whole
 * seconds (metav1.Time's query form is RFC3339 without a fraction), so the answer restarts at the beginning of
 * that second: the resume logic drops what it already emitted.
 */
export function sinceTimeFor(t: LogTime): string {
  return new Date(t.seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
