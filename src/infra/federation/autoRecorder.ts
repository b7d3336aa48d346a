// Records each federation by itself while it is healthy: after the model changes (debounced, so a burst of watch
// events is one look) and once every cluster has answered, the facts are gathered, each federation of two or more
// clusters is observed, and a healthy one is added to the ring (which writes only when the federation changed).
import type { FederationModel } from '../federationModel.ts';
import { federationsOf, isHealthy, observeFederation } from '../../core/federation/knownGood.ts';
import type { RecordRing } from './recordRing.ts';
import { gatherFacts } from './gatherFacts.ts';
import type { Logger } from '../log.ts';

export class AutoRecorder {
  private readonly model: FederationModel;
  private readonly ring: RecordRing;
  private readonly log: Logger;
  private readonly delayMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private readonly subscription: { dispose(): void };
  private readonly abort = new AbortController();
  private readonly onRecorded: ((file: string) => void) | undefined;

  /** `onRecorded`: told each file written (the drift view looks again). */
  constructor(model: FederationModel, ring: RecordRing, log: Logger, delayMs = 5_000, onRecorded?: (file: string) => void) {
    this.model = model;
    this.ring = ring;
    this.log = log;
    this.delayMs = delayMs;
    this.onRecorded = onRecorded;
    this.subscription = model.onDidChange(() => this.schedule());
  }

  private schedule(): void {
    if (this.abort.signal.aborted) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.recordNow();
    }, this.delayMs);
    this.timer.unref?.();
  }

  /** Looks once (callers may await it); a look asked for while one runs happens right after it. */
  recordNow(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.look()
      .catch((err: unknown) => this.log.warn(`federation record not taken: ${(err as Error).message}`))
      .finally(() => {
        this.running = undefined;
        if (this.again && !this.abort.signal.aborted) {
          this.again = false;
          void this.recordNow();
        }
      });
    return this.running;
  }

  private async look(): Promise<void> {
    if (!this.model.settled) return;
    // The cheap look first; the gateway types are listed only when some federation is healthy.
    const first = await gatherFacts(this.model, this.abort.signal, { gateways: false });
    const healthy = federationsOf(first).filter((ids) => ids.length > 1 && isHealthy(observeFederation(first, ids, '')));
    if (healthy.length === 0) return;
    const facts = await gatherFacts(this.model, this.abort.signal);
    const takenAt = new Date().toISOString();
    for (const ids of healthy) {
      const observed = observeFederation(facts, ids, takenAt);
      if (!isHealthy(observed)) continue;
      const file = await this.ring.add(observed.record);
      if (file) {
        this.log.info(`federation ${ids.join(', ')} is healthy: recorded in ${file}`);
        this.onRecorded?.(file);
      }
    }
  }

  dispose(): void {
    this.abort.abort();
    if (this.timer) clearTimeout(this.timer);
    this.subscription.dispose();
  }
}
