// Collects the events a log stream writes, for the log tests: its lines, and a wait for a condition over them.
import { linesOf, type StreamEvent } from '../../../src/core/logs/interleave.ts';

/** Collects a stream's events; `until` resolves when a predicate over the lines holds. */
export function collector() {
  const events: StreamEvent[] = [];
  let wake = () => {};
  return {
    events,
    lines: () => events.flatMap(linesOf),
    sink: {
      write(ev: readonly StreamEvent[]) {
        events.push(...ev);
        wake();
      },
    },
    async until(what: string, ok: () => boolean, ms = 60_000) {
      const deadline = Date.now() + ms;
      while (!ok()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(events.slice(-5))}`);
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 250);
        });
      }
    },
  };
}

