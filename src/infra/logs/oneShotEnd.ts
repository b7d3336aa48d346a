// The check of a one-shot read's end (see tailCheck.ts): the log's last lines asked for with timestamps, and the
// last lines read placed among them. What was missed is handed back as a block to emit; when the end cannot be
// placed, the caller reads again as after a drop.
import { blockLines, LF } from '../../core/logs/logBlock.ts';
import { logQuery, type LogOptions } from '../../core/logs/logSource.ts';
import { CHECK_TAIL_BYTES, CHECK_TAIL_LINES, continuesPartial, placeInTail, tailFrom, type RecentLines } from '../../core/logs/tailCheck.ts';
import { openLog, type LogRoute } from './logRequest.ts';

/** A line the tail check finds is one the answer missed when written this long before the answer ended. */
const EARLY_MARGIN_MS = 2_000;

/** How a one-shot answer ended: when, and its unfinished last line (held back: the answer may have been cut in it). */
export interface AnswerEnd {
  readonly endedAt: number;
  /** With the "\n" the splitter added. */
  readonly partial: Uint8Array | undefined;
  readonly partialStamped: boolean;
}

export type EndCheck =
  | { readonly kind: 'complete' }
  /** Lines after the last ones read (with timestamps); `missed`: written before the answer ended. */
  | { readonly kind: 'more'; readonly block: Uint8Array; readonly missed: boolean; readonly repeats: number }
  | { readonly kind: 'readAgain'; readonly reason: string };

export async function checkEnd(route: LogRoute, options: LogOptions, end: AnswerEnd, recent: RecentLines, signal: AbortSignal, timeoutMs: number): Promise<EndCheck> {
  const body = await readTail(route, options, signal, timeoutMs);
  if (!body) return { kind: 'readAgain', reason: `the answer ended, but its end was not found in the log's tail (the tail is over ${CHECK_TAIL_BYTES >> 20} MiB)` };
  const verdict = placeInTail(recent.lines(), blockLines(body));
  const p = end.partial;
  if (verdict.kind === 'unplaced') return { kind: 'readAgain', reason: `the answer ended, but its end was not found in the log's tail (${verdict.why})` };
  if (verdict.kind === 'complete' && !p) return { kind: 'complete' };
  if (verdict.kind === 'complete' || !(!p || continuesPartial(p.subarray(0, p.length - 1), end.partialStamped, body, verdict.from))) {
    return { kind: 'readAgain', reason: 'the answer ended in the middle of a line that the log does not continue' };
  }
  const block = tailFrom(body, verdict.from)!;
  const first = blockLines(block.subarray(0, block.indexOf(LF) + 1))[0]?.time;
  // Lines written before the answer ended were missed (a server ending answers as it stops); lines written since
  // are the log going on.
  const missed = first !== undefined && first.seconds * 1000 + first.nanos / 1e6 < end.endedAt - EARLY_MARGIN_MS;
  return { kind: 'more', block, missed, repeats: verdict.from };
}

/**
 * The log's last lines with timestamps (the check of a one-shot read's end), each ending with "\n"; undefined when
 * the tail is too long to trust (it is cut at CHECK_TAIL_BYTES, and its end would be missing).
 */
async function readTail(route: LogRoute, options: LogOptions, signal: AbortSignal, timeoutMs: number): Promise<Uint8Array | undefined> {
  const query = { ...logQuery(route.target, { follow: false, previous: options.previous, timestamps: true, tailLines: CHECK_TAIL_LINES }), limitBytes: CHECK_TAIL_BYTES };
  const res = await openLog(route, query, signal, timeoutMs);
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    parts.push(chunk);
    size += chunk.length;
    // A server that ignores limitBytes is not read on (leaving the loop ends the request).
    if (size >= CHECK_TAIL_BYTES) return undefined;
  }
  const body = Buffer.concat([...parts, ...(size > 0 && parts[parts.length - 1]![parts[parts.length - 1]!.length - 1] !== LF ? [new Uint8Array([LF])] : [])]);
  return body;
}
