// One container's log, followed for as long as the caller wants it: a streaming GET of pods/{pod}/log through the
// ClusterClient, read only as fast as the sink accepts (the socket is not read while a write is pending), resumed
// with backoff when it drops (from the last timestamp seen, repeats at the boundary dropped, the gap marked; a
// one-shot read, asked without timestamps, by counting lines), and, for an offloaded pod, moved from the consumer's
// path (the virtual kubelet answers) to the provider's own API server when the first path answers 502/503/504 or
// does not answer in time, saying so in the stream. A one-shot read's clean end is checked against the log's tail
// (oneShotEnd.ts) before it is taken for the end of the log.
import { KubeApiError } from '../cluster/clusterClient.ts';
import { LogLineSplitter } from '../../core/logs/lineSplitter.ts';
import { asksTimestamps, logQuery, type LogOptions } from '../../core/logs/logSource.ts';
import type { LogRoute } from './logRequest.ts';
import { CountResume } from '../../core/logs/countResume.ts';
import { ResumeTracker, type ResumeGap } from '../../core/logs/resume.ts';
import { RecentLines } from '../../core/logs/tailCheck.ts';
import { openLog } from './logRequest.ts';
import { checkEnd, type AnswerEnd } from './oneShotEnd.ts';
import type { StreamEvent } from '../../core/logs/interleave.ts';
import { Backoff, DEFAULT_BACKOFF, type BackoffTuning } from './backoff.ts';

export type { LogRoute } from './logRequest.ts';

export interface LogSink {
  /** Events of the stream, in order; reading resumes only when the returned promise settles (backpressure). */
  write(events: readonly StreamEvent[]): void | Promise<void>;
}

export interface PodLogStreamOptions {
  /** The first is preferred; the next ones are fallbacks (an offloaded pod's provider-direct path). */
  readonly routes: readonly LogRoute[];
  readonly options: LogOptions;
  readonly sink: LogSink;
  readonly signal: AbortSignal;
  readonly backoff?: BackoffTuning;
  /** How long the headers of an answer may take before the route counts as timed out. */
  readonly answerTimeoutMs?: number;
  /** Reconnects in a row without a byte of data before giving up. */
  readonly maxFailures?: number;
  /** After a follow stream ended cleanly: does the container still run (then reconnect)? Default: asks the pod. */
  readonly stillRunning?: (route: LogRoute, signal: AbortSignal) => Promise<boolean>;
}

/** Checks of a one-shot read's end in a row that each led to reading again, before its end is taken as it is. */
const MAX_END_CHECKS = 3;

export interface PodLogResult {
  readonly ended: 'complete' | 'aborted' | 'failed';
  /** The route in use at the end. */
  readonly route: LogRoute;
  readonly error?: string;
}

/** Errors after which the next route is tried: the virtual kubelet's proxy failing or not answering. */
export function isRouteFailure(err: unknown): boolean {
  if (!(err instanceof KubeApiError)) return false;
  if (err.status === 502 || err.status === 503 || err.status === 504) return true;
  // The API server wraps a kubelet it cannot reach in a 500 ("error dialing backend", "proxy error").
  if (err.status === 500 && /dial|backend|proxy|connection refused|timeout|no route|EOF/i.test(err.message)) return true;
  return err.isTransport && (err.code === 'ETIMEDOUT' || err.code === 'ANSWER_TIMEOUT');
}

/** Errors that no retry can fix: wrong container, no previous run, not found, forbidden. */
function isFinal(err: unknown): boolean {
  return err instanceof KubeApiError && err.status !== undefined && err.status >= 400 && err.status < 500 && err.status !== 429 && err.status !== 408;
}

function describe(err: unknown): string {
  if (err instanceof KubeApiError) return err.status !== undefined ? `HTTP ${err.status}: ${err.message}` : `${err.code ?? 'transport error'}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

/** The default stillRunning: the container's state on the route's cluster. */
export async function containerRunning(route: LogRoute, signal: AbortSignal): Promise<boolean> {
  const t = route.target;
  try {
    const pod = await route.client.get<{ status?: { containerStatuses?: { name: string; state?: { running?: object } }[] } }>(
      `/api/v1/namespaces/${t.namespace}/pods/${t.pod}`,
      undefined,
      signal,
    );
    const cs = pod?.status?.containerStatuses ?? [];
    const c = t.container ? cs.find((x) => x.name === t.container) : cs[0];
    return Boolean(c?.state?.running);
  } catch (err) {
    if (err instanceof KubeApiError && err.status === 404) return false;
    return true; // cannot tell: keep trying, bounded by maxFailures
  }
}

export async function streamPodLog(o: PodLogStreamOptions): Promise<PodLogResult> {
  const { routes, options, sink, signal } = o;
  if (routes.length === 0) throw new Error('streamPodLog needs at least one route');
  const tracker = new ResumeTracker();
  // A one-shot read without timestamps shown asks none (less for the server to write and send, as kubectl logs);
  // dropped, it is asked again with them and resumed by counting lines, and by timestamps from then on.
  const counted = asksTimestamps(options) ? undefined : new CountResume();
  // A one-shot read's clean end is checked against the log's tail (tailCheck.ts): the last lines emitted.
  const oneShot = !options.follow || options.previous;
  const recent = oneShot ? new RecentLines() : undefined;
  let stamped = !counted;
  const backoff = new Backoff(o.backoff ?? DEFAULT_BACKOFF);
  const maxFailures = o.maxFailures ?? 30;
  const stillRunning = o.stillRunning ?? containerRunning;
  const timeoutMs = o.answerTimeoutMs ?? 15_000;
  let r = 0;
  let failures = 0;
  let reconnects = 0;
  let reason = '';
  /** A one-shot answer ended cleanly: its end is to be checked (again, after a failed check request). */
  let check: AnswerEnd | undefined;
  let checks = 0;
  const announce = async (detail: string) => sink.write([{ kind: 'notice', detail }]);
  /** Records a block about to be emitted (complete lines; `asStamped`: with the server's timestamps). */
  const record = (kept: Uint8Array, asStamped: boolean): void => {
    counted?.note(kept, asStamped);
    recent?.note(kept, asStamped);
  };
  const lineEvent = (bytes: Uint8Array, asStamped: boolean): StreamEvent => (asStamped ? { kind: 'lines', bytes } : { kind: 'lines', bytes, unstamped: true });
  if (routes[0]!.label) await announce(`reading ${routes[0]!.label}`);

  while (!signal.aborted) {
    const route = routes[r]!;
    let gotData = false;
    let failure: unknown;
    if (check) {
      const pending = check;
      try {
        const end = await checkEnd(route, options, pending, recent!, signal, timeoutMs);
        gotData = true;
        failures = 0;
        backoff.reset();
        check = undefined;
        checks++;
        if (end.kind === 'complete') return { ended: 'complete', route };
        if (end.kind === 'more') {
          const kept = tracker.takeBlock(end.block);
          record(kept, true);
          const events: StreamEvent[] = end.missed ? [{ kind: 'gap', gap: { attempt: reconnects + 1, repeatedDropped: end.repeats, reason: 'the answer ended before the log did' } }] : [];
          events.push(lineEvent(kept, true));
          await sink.write(events);
          return { ended: 'complete', route };
        }
        // Not placed: read again as after a drop (by timestamp, or by counting lines), which is exact.
        reason = end.reason;
        if (checks >= MAX_END_CHECKS) {
          await announce(`the end of this read could not be confirmed (${reason})`);
          return { ended: 'complete', route };
        }
        reconnects++;
        continue;
      } catch (err) {
        if (signal.aborted) return { ended: 'aborted', route };
        if (isFinal(err)) {
          if (pending.partial) await sink.write([lineEvent(pending.partial, pending.partialStamped)]);
          await announce(`the end of this read could not be checked: ${describe(err)}`);
          return { ended: 'complete', route };
        }
        failure = err;
      }
    } else {
      let resume: { sinceTime: string } | undefined;
      let counting = false;
      // Lines emitted without timestamps: read again with them, as many skipped (none emitted: asked again as it was).
      if (reconnects > 0 && counted && !tracker.lastTime && counted.lines > 0) {
        counted.beginSkip();
        stamped = counting = true;
      } else if (reconnects > 0) resume = tracker.beginResume();
      const gap = (): ResumeGap => {
        if (!counting) return tracker.gap(reason);
        const o = counted!.outcome();
        return { attempt: reconnects, repeatedDropped: o.skipped, reason, ...(o.placed ? {} : { unplaced: true }) };
      };
      let gapPending = reconnects > 0;
      try {
        const res = await openLog(route, logQuery(route.target, options, resume, stamped), signal, timeoutMs);
        const splitter = new LogLineSplitter();
        // One event per block of whole lines (a chunk's bytes, not copied), the repeats of a resume boundary cut off.
        const take = (blocks: Uint8Array[]): StreamEvent[] | undefined => {
          let out: StreamEvent[] | undefined;
          for (const block of blocks) {
            const raw = counting ? counted!.takeBlock(block) : block;
            const kept = stamped && raw.length ? tracker.takeBlock(raw) : raw;
            if (!kept.length) continue;
            record(kept, stamped);
            out ??= [];
            if (gapPending) {
              out.push({ kind: 'gap', gap: gap() });
              gapPending = false;
            }
            out.push(lineEvent(kept, stamped));
          }
          return out;
        };
        for await (const chunk of res.body) {
          if (!gotData) {
            gotData = true;
            failures = 0;
            backoff.reset();
          }
          const events = take(splitter.pushBytes(chunk));
          // The socket is not read again until the sink took these (backpressure); a sink with room answers at once.
          if (events) {
            const accepted = sink.write(events);
            if (accepted) await accepted;
          }
        }
        // A one-shot answer's unfinished last line waits for the check: the answer may have been cut inside it.
        const last = oneShot && checks < MAX_END_CHECKS ? splitter.flushBytes()[0] : undefined;
        const events = take(last ? [] : splitter.flushBytes()) ?? [];
        if (gapPending && reconnects > 0) events.push({ kind: 'gap', gap: gap() });
        if (events.length) await sink.write(events);
        if (oneShot) {
          // Nothing read (an empty log, or an empty since/tail window): nothing to place, nothing to lose.
          if (checks >= MAX_END_CHECKS || (recent!.empty && !last)) return { ended: 'complete', route };
          check = { endedAt: Date.now(), partial: last, partialStamped: stamped };
          continue;
        }
        if (!(await stillRunning(route, signal))) return { ended: 'complete', route };
        reason = 'the server ended the stream';
      } catch (err) {
        if (signal.aborted) return { ended: 'aborted', route };
        if (isFinal(err)) {
          await sink.write([{ kind: 'notice', detail: `${route.target.context}: ${describe(err)}` }]);
          return { ended: 'failed', route, error: describe(err) };
        }
        failure = err;
      }
    }
    if (failure !== undefined) {
      reason = describe(failure);
      if (!gotData && r + 1 < routes.length && isRouteFailure(failure)) {
        r++;
        const next = routes[r]!;
        await announce(`${route.label ?? route.target.context} failed (${reason}); falling back to reading ${next.label ?? `from ${next.target.context}`}`);
        if (!check && (tracker.lastTime || counted?.lines)) reconnects++;
        continue;
      }
    }
    if (!gotData && ++failures >= maxFailures) {
      await sink.write([{ kind: 'notice', detail: `gave up after ${failures} failed reconnects (${reason})` }]);
      return { ended: 'failed', route, error: reason };
    }
    if (!check) reconnects++;
    try {
      await backoff.wait(signal);
    } catch {
      return { ended: 'aborted', route };
    }
  }
  return { ended: 'aborted', route: routes[r]! };
}
