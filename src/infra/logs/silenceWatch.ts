// Telling a quiet log stream from a frozen path. A virtual kubelet that stops answering (frozen, not dead) keeps
// the API server's connection open and sends nothing: the body just stops, the answer timeout (headers only) is
// long past, and the consumer's API server gives up on it only after about a minute. A container that prints
// nothing for a while looks the same from here. So once the body has been silent for half the idle limit (the
// connection timeout setting), the same path is asked a question it answers at once when it is alive (the log
// with no lines: headers and an empty body, through the same API server and kubelet); when that gets no answer
// within the other half, the path counts as frozen. A stream that stays quiet but whose path answers is asked
// again after twice the silence, up to a minute, so a quiet view costs few requests.
import { KubeApiError } from '../cluster/clusterClient.ts';
import { isRouteFailure } from './logRequest.ts';

/** The longest silence between two checks of a quiet stream. */
const MAX_QUIET_MS = 60_000;

export interface SilenceWatchOptions {
  /** Silence plus the check's answer: the longest a frozen path goes unnoticed while data flowed. */
  readonly idleMs: number;
  /** Asks the path a question that a live path answers at once; rejects when it does not. */
  readonly check: (signal: AbortSignal) => Promise<void>;
  /** The path did not answer: the caller ends the stream with this error. */
  readonly onFrozen: (err: KubeApiError) => void;
}

export class SilenceWatch {
  private readonly o: SilenceWatchOptions;
  private quietMs: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private checking: AbortController | undefined;
  private stopped = false;

  constructor(o: SilenceWatchOptions) {
    this.o = o;
    this.quietMs = Math.max(1, Math.floor(o.idleMs / 2));
    this.arm();
  }

  /** Data arrived: the path is alive. */
  touch(): void {
    if (this.stopped) return;
    this.quietMs = Math.max(1, Math.floor(this.o.idleMs / 2));
    this.checking?.abort();
    this.checking = undefined;
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.checking?.abort();
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.runCheck(), this.quietMs);
  }

  private async runCheck(): Promise<void> {
    const silentMs = this.quietMs;
    const answerMs = Math.max(1, this.o.idleMs - Math.floor(this.o.idleMs / 2));
    const ctl = new AbortController();
    this.checking = ctl;
    const timer = setTimeout(() => ctl.abort(new KubeApiError(`nothing for ${seconds(silentMs)} s, and no answer to a check within ${seconds(answerMs)} s`, undefined, 'ANSWER_TIMEOUT')), answerMs);
    try {
      await this.o.check(ctl.signal);
    } catch (err) {
      // Data arrived meanwhile (touch), or stopped: nothing to judge.
      if (this.stopped || this.checking !== ctl) return;
      if (ctl.signal.aborted || isRouteFailure(err)) {
        this.stopped = true;
        this.o.onFrozen(ctl.signal.aborted ? (ctl.signal.reason as KubeApiError) : new KubeApiError(`nothing for ${seconds(silentMs)} s, and a check failed: ${(err as Error).message}`, undefined, 'ANSWER_TIMEOUT'));
        return;
      }
      // Any other answer (403, 404…) came from a live path: the stream is only quiet.
    } finally {
      clearTimeout(timer);
    }
    if (this.stopped || this.checking !== ctl) return;
    this.checking = undefined;
    this.quietMs = Math.min(this.quietMs * 2, MAX_QUIET_MS);
    this.arm();
  }
}

function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}
