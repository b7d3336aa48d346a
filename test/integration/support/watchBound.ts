// The request bound of one watch (src/infra/cluster/resourceWatch.ts states it), as a number: the most requests one
// watch may send in a window of `windowMs`, whatever the server answers. An attempt is at most 2 requests (a LIST
// and its WATCH); after an attempt comes one of:
//   - an unhealthy end, the n-th in a row: a wait ≥ ½·min(base·2^(n−1), max) (equal jitter; Retry-After only adds);
//   - the first 410/404 after a healthy attempt: the relist at once (counted as the next attempt, wait 0);
//   - a 429/503 quick retry (at most QUICK_RETRIES between healthy attempts): a wait ≥ ½·base;
//   - a healthy end: the watch stayed open ≥ HEALTHY_AFTER_MS, then the backoff starts over.
// The bound is the longest sequence of attempts that fits in the window, found by search over those steps.
import { DEFAULT_BACKOFF, HEALTHY_AFTER_MS, type BackoffOptions } from '../../../src/infra/cluster/resourceWatch.ts';

const QUICK_RETRIES = 10;
/** Timers and clocks of two processes: a wait may look a few ms shorter at the proxy than it was. */
const SLACK_MS = 10;

export function maxWatchRequests(windowMs: number, backoff: BackoffOptions = DEFAULT_BACKOFF): number {
  const memo = new Map<string, number>();
  const maxK = Math.ceil(Math.log2(backoff.maxMs / backoff.baseMs)) + 1;
  // Attempts that can still start within `left` ms after one just started, with k unhealthy ends in a row and q quick
  // retries used.
  const more = (left: number, k: number, q: number): number => {
    const key = `${left}/${k}/${q}`;
    const seen = memo.get(key);
    if (seen !== undefined) return seen;
    let best = 0;
    const step = (wait: number, nk: number, nq: number): void => {
      const w = Math.max(0, Math.floor(wait) - SLACK_MS);
      if (w <= left) best = Math.max(best, 1 + more(left - w, Math.min(nk, maxK), nq));
    };
    if (k === 0) step(0, 1, q); // 410 after a healthy watch: relist at once
    step(Math.min(backoff.baseMs * 2 ** k, backoff.maxMs) / 2, k + 1, q);
    if (q < QUICK_RETRIES) step(backoff.baseMs / 2, k, q + 1);
    step(HEALTHY_AFTER_MS, 0, 0);
    memo.set(key, best);
    return best;
  };
  return 2 * (1 + more(windowMs, 0, 0));
}
