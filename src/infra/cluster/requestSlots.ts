// A fixed number of slots that HTTP/1.1 requests of one link take in turn (first come, first served): the cap on
// that link's sockets. Node's http.Agent cannot enforce maxSockets for sockets created asynchronously (ours connect
// through TLS or a proxy tunnel first): it counts a socket only once it exists, so 50 requests at once start 50.
import { abortError } from './kubeErrors.ts';
import type { KubeApiError } from './clusterClient.ts';

interface Waiter {
  readonly grant: (release: () => void) => void;
  readonly refuse: (err: KubeApiError) => void;
}

export class RequestSlots {
  private free: number;
  private readonly waiting: Waiter[] = [];

  constructor(size: number) {
    this.free = size;
  }

  /** Resolves with the function that gives the slot back (idempotent) once one is free; rejects on abort or fail(). */
  take(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (this.free > 0) {
      this.free--;
      return Promise.resolve(this.release());
    }
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(abortError(signal!));
      };
      const waiter: Waiter = {
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
        refuse: (err) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** Every waiting request fails with `err` (the link died before they got a slot). */
  fail(err: KubeApiError): void {
    for (const w of this.waiting.splice(0)) w.refuse(err);
  }

  private release(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.waiting.shift();
      if (next) next.grant(this.release());
      else this.free++;
    };
  }
}
