// Waiting for a state that Liqo's controllers converge to, on the live test bed: the check is polled until it says
// true, and a timeout fails with what the check saw last (its false reason or its error), not a bare "timed out".
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `fn` every 500 ms until it returns true; fails after `timeoutMs` with `what` and the last answer. */
export async function converges(what: string, fn: () => Promise<boolean | string>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: boolean | string = false;
  while (Date.now() < deadline) {
    last = await fn().catch((err: Error) => err.message);
    if (last === true) return;
    await sleep(500);
  }
  assert.fail(`${what}: not reached after ${timeoutMs / 1000} s (last: ${String(last)})`);
}

/** Polls `read` every 100 ms until it gives a value (not undefined) and returns it; fails after `timeoutMs`. */
export async function valueOf<T>(what: string, read: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = read();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
