// One container's log, followed for as long as the caller wants it: a streaming GET of pods/{pod}/log through the
// ClusterClient, read only as fast as the sink accepts (the socket is not read while a write is pending), resumed
// with backoff when it drops (from the last timestamp seen, repeats at the boundary dropped, the gap marked; a
// one-shot read, asked without timestamps, by counting lines), and, for an offloaded pod, moved from the consumer's
// path (the virtual kubelet answers) to the provider's own API server when the first path answers 502/503/504 or
// does not answer in time, saying so in the stream — also mid-stream, when the body goes silent and the path does
// not answer a check (silenceWatch.ts: a frozen virtual kubelet). A one-shot read's clean end is checked against the
// log's tail (oneShotEnd.ts) before it is taken for the end of the log.
import { KubeApiError } from '../cluster/clusterClient.ts';
import { LogLineSplitter, type LineBlock } from '../../core/logs/lineSplitter.ts';
import { asksTimestamps, logQuery, type LogOptions } from '../../core/logs/logSource.ts';
import type { LogRoute } from './logRequest.ts';
import { CountResume } from '../../core/logs/countResume.ts';
import { ResumeTracker, type ResumeGap } from '../../core/logs/resume.ts';
import { RecentLines } from '../../core/logs/tailCheck.ts';
import { isRouteFailure, openLog } from './logRequest.ts';
import { SilenceWatch } from './silenceWatch.ts';
import { checkEnd, type AnswerEnd } from './oneShotEnd.ts';
import type { StreamEvent } from '../../core/logs/interleave.ts';
import { Backoff, DEFAULT_BACKOFF, type BackoffTuning } from './backoff.ts';

export type { LogRoute } from './logRequest.ts';
export { isRouteFailure } from './logRequest.ts';

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
  /**
   * The idle limit of a body on a route with a fallback after it (liqo.connectionTimeoutSeconds): silent half of it,
   * and its path not answering a check within the other half (silenceWatch.ts), the route counts as failed
   * mid-stream. Default 5 s.
   */
  readonly idleMs?: number;
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

/** A question a live path answers at once: the log with no lines (headers and an empty body). */
async function answersNow(route: LogRoute, previous: boolean, signal: AbortSignal, timeoutMs: number): Promise<void> {
  const ctl = new AbortController();
  try {
    const query = { tailLines: 0, ...(route.target.container ? { container: route.target.container } : {}), ...(previous ? { previous: true } : {}) };
    const res = await openLog(route, query, AbortSignal.any([signal, ctl.signal]), timeoutMs);
    for await (const _ of res.body) break;
  } finally {
    ctl.abort();
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
  const idleMs = o.idleMs ?? 5_000;
  let r = 0;
  /** Interruptions marked so far: the "reconnect N" of the gap markers (failed attempts in between are not counted). */
  let marked = 0;
  const mark = (g: ResumeGap): StreamEvent => ({ kind: 'gap', gap: { ...g, attempt: ++marked } });
  let failures = 0;
  let reconnects = 0;
  let reason = '';
  /** A one-shot answer ended cleanly: its end is to be checked (again, after a failed check request). */
  let check: AnswerEnd | undefined;
  let checks = 0;
  const announce = async (detail: string) => sink.write([{ kind: 'notice', detail }]);
  /** Records a block about to be emitted (complete lines, or a later piece of one: `cont`; `asStamped`: with the server's timestamps). */
  const record = (kept: Uint8Array, asStamped: boolean, cont = false, open = false): void => {
    counted?.note(kept, asStamped, cont, open);
    recent?.note(kept, asStamped, cont);
  };
  const lineEvent = (bytes: Uint8Array, asStamped: boolean): StreamEvent => (asStamped ? { kind: 'lines', bytes } : { kind: 'lines', bytes, unstamped: true });
  if (routes[0]!.label) await announce(`reading ${routes[0]!.label}`);

  while (!signal.aborted) {
    const route = routes[r]!;
    let gotData = false;
    let failure: unknown;
    /** The route's body went silent and its path did not answer a check. */
    let frozen = false;
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
          const events: StreamEvent[] = end.missed ? [mark({ attempt: 0, repeatedDropped: end.repeats, reason: 'the answer ended before the log did' })] : [];
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
      // Ends this answer's body when its path froze (the watch below); the stream goes on from the next route.
      const body = new AbortController();
      let watch: SilenceWatch | undefined;
      try {
        const res = await openLog(route, logQuery(route.target, options, resume, stamped), AbortSignal.any([signal, body.signal]), timeoutMs);
        if (r + 1 < routes.length) {
          watch = new SilenceWatch({
            idleMs,
            check: (s) => answersNow(route, options.previous, AbortSignal.any([signal, s]), timeoutMs),
            onFrozen: (err) => body.abort(err),
          });
        }
        const splitter = new LogLineSplitter();
        // One event per block of whole lines (a chunk's bytes, not copied), the repeats of a resume boundary cut off.
        const take = (blocks: LineBlock[]): StreamEvent[] | undefined => {
          let out: StreamEvent[] | undefined;
          // Past the lines already emitted (a counted resume), then past the repeats (a resume by timestamp).
          const afterCount = counting ? blocks.flatMap((b) => counted!.take(b)) : blocks;
          for (const block of afterCount) {
            for (const kept of stamped ? tracker.take(block) : [block]) {
              // A later piece of an over-long line has no timestamp of the server's: its text is kept whole.
              const asStamped = stamped && !kept.cont;
              record(kept.bytes, asStamped, kept.cont === true, kept.open === true);
              out ??= [];
              if (gapPending) {
                out.push(mark(gap()));
                gapPending = false;
              }
              out.push(lineEvent(kept.bytes, asStamped));
            }
          }
          return out;
        };
        for await (const chunk of res.body) {
          watch?.touch();
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
        watch?.stop();
        const rest = splitter.flushBytes();
        // A one-shot answer's unfinished last line waits for the check: the answer may have been cut inside it.
        const last = oneShot && checks < MAX_END_CHECKS ? rest[0] : undefined;
        // A follow answer that ended inside a line while the container runs: the line is read again after the
        // reconnect, from its start (what of it was emitted in pieces is skipped there), so it is not emitted now.
        const running = !oneShot && rest.length ? await stillRunning(route, signal) : undefined;
        const events = take(last || running ? [] : rest) ?? [];
        if (gapPending && reconnects > 0) events.push(mark(gap()));
        if (events.length) await sink.write(events);
        if (oneShot) {
          // Nothing read (an empty log, or an empty since/tail window): nothing to place, nothing to lose.
          if (checks >= MAX_END_CHECKS || (recent!.empty && !last)) return { ended: 'complete', route };
          check = { endedAt: Date.now(), partial: last?.bytes, partialStamped: stamped && !last?.cont };
          continue;
        }
        if (!(running ?? (await stillRunning(route, signal)))) return { ended: 'complete', route };
        reason = 'the server ended the stream';
      } catch (err) {
        if (signal.aborted) return { ended: 'aborted', route };
        if (isFinal(err)) {
          await sink.write([{ kind: 'notice', detail: `${route.target.context}: ${describe(err)}` }]);
          return { ended: 'failed', route, error: describe(err) };
        }
        frozen = body.signal.aborted;
        failure = frozen ? body.signal.reason : err;
      } finally {
        watch?.stop();
      }
    }
    if (failure !== undefined) {
      reason = describe(failure);
      // A route that froze mid-stream (data came, then silence and no answer) is left like one that never answered.
      if ((!gotData || frozen) && r + 1 < routes.length && isRouteFailure(failure)) {
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
