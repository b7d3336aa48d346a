// When a forward tries again after its pod went away or its connection to the API server dropped: at once the first
// time (a new pod is often there already), then backing off, doubling up to a ceiling, with jitter so many forwards
// to one API server do not retry in step. An attempt that reaches the pod starts the count again. Pure.

export interface ReconnectOptions {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const DEFAULT_RECONNECT: ReconnectOptions = { initialMs: 250, maxMs: 5_000 };

export class ReconnectPolicy {
  private readonly opts: ReconnectOptions;
  private failures = 0;

  constructor(opts: ReconnectOptions = DEFAULT_RECONNECT) {
    if (!(opts.initialMs > 0) || !(opts.maxMs >= opts.initialMs)) throw new Error(`reconnect: initialMs (${opts.initialMs}) must be > 0 and ≤ maxMs (${opts.maxMs})`);
    this.opts = opts;
  }

  /** How long to wait before the next attempt; `random` in [0, 1) spreads it over the upper half of the step. */
  nextDelayMs(random: number): number {
    const n = this.failures++;
    if (n === 0) return 0;
    const step = Math.min(this.opts.maxMs, this.opts.initialMs * 2 ** (n - 1));
    return Math.round(step / 2 + (step / 2) * Math.min(Math.max(random, 0), 0.999999));
  }

  /** An attempt that reached the pod: the next failure is handled as a first one. */
  reset(): void {
    this.failures = 0;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }
}
