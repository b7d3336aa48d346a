// One line of a pod log as the API server sends it with `timestamps=true`: "<RFC3339Nano> <text>". A line without a
// parseable timestamp (a server that ignored the flag, or a line split by the decoder's length cap) keeps its whole
// text and no time.
import { parseLogTime, type LogTime } from './timestamp.ts';

export interface LogLine {
  readonly time: LogTime | undefined;
  readonly text: string;
}

export function decodeLogLine(raw: string): LogLine {
  const space = raw.indexOf(' ');
  // The longest RFC3339Nano with an offset is 35 characters; do not parse anything longer.
  if (space > 0 && space <= 35) {
    const time = parseLogTime(raw.slice(0, space));
    if (time) return { time, text: raw.slice(space + 1) };
  }
  // A line that is exactly a timestamp: the container wrote an empty line.
  if (space < 0 && raw.length <= 35) {
    const time = parseLogTime(raw);
    if (time) return { time, text: '' };
  }
  return { time: undefined, text: raw };
}
