// Waiting between reconnects: exponential with jitter, capped, reset once a connection proved healthy (delivered
// data). Abortable: an aborted wait rejects at once so a stopped stream never lingers in a timer.

export interface BackoffTuning {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffTuning = { initialMs: 250, maxMs: 10_000 };

export class Backoff {
  private next: number;
  private readonly tuning: BackoffTuning;

  constructor(tuning: BackoffTuning = DEFAULT_BACKOFF) {
    this.tuning = tuning;
    this.next = tuning.initialMs;
  }

  reset(): void {
    this.next = this.tuning.initialMs;
  }

  /** Sleeps the current delay (±20 % jitter) and doubles it for the next time. */
  async wait(signal: AbortSignal): Promise<void> {
    const ms = this.next * (0.8 + Math.random() * 0.4);
    this.next = Math.min(this.next * 2, this.tuning.maxMs);
    await sleep(ms, signal);
  }
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
