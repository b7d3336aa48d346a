// One CredentialProvider's bookkeeping, whatever gets the credential: at most one fetch at a time (every get()
// during a fetch waits for that same fetch), the result cached until shortly before it expires or until
// invalidate(), and dispose() that stops a running fetch for good. A failed fetch is not cached: the next get()
// tries again (the caller's retry policy decides when) — except after a timeout: a program that hung until it was
// killed (a login waiting in a browser) is not started again before a cooldown (30 s, doubling to 5 min per timeout
// in a row); get() meanwhile fails at once with the timeout's words. Only the user's Retry (retryNow) ends it early.
import { CredentialError, type Credential, type CredentialProvider } from './credentialProvider.ts';

/** Gets a fresh credential. `signal` aborts when the provider is disposed; the fetch must then stop its program. */
export type CredentialFetch = (signal: AbortSignal) => Promise<Credential>;

export interface CacheOptions {
  /** A credential is refreshed this long before it expires (clocks drift, requests take time). Default 5 s. */
  readonly expirySkewMs?: number;
  readonly now?: () => number;
  /** The wait before a program that timed out runs again: base, doubling per timeout in a row, capped. */
  readonly timeoutCooldown?: { readonly baseMs: number; readonly maxMs: number };
}

export const DEFAULT_TIMEOUT_COOLDOWN = { baseMs: 30_000, maxMs: 5 * 60_000 };

export class CachedCredentialProvider implements CredentialProvider {
  readonly program: string;
  private readonly fetchCredential: CredentialFetch;
  private readonly skewMs: number;
  private readonly now: () => number;
  private cached: Credential | undefined;
  /** When the cached credential is refreshed: its expiry minus the skew, or minus half its life if that is shorter. */
  private refreshAt = Infinity;
  private inflight: Promise<Credential> | undefined;
  private readonly lifetime = new AbortController();
  private readonly cooldown: { readonly baseMs: number; readonly maxMs: number };
  /** Timeouts in a row, the last one, and until when the program is left alone because of them. */
  private timeouts = 0;
  private lastTimeout: CredentialError | undefined;
  private coolUntil = 0;

  constructor(program: string, fetchCredential: CredentialFetch, options: CacheOptions = {}) {
    this.program = program;
    this.fetchCredential = fetchCredential;
    this.skewMs = options.expirySkewMs ?? 5000;
    this.now = options.now ?? Date.now;
    this.cooldown = options.timeoutCooldown ?? DEFAULT_TIMEOUT_COOLDOWN;
  }

  get(signal?: AbortSignal): Promise<Credential> {
    if (this.lifetime.signal.aborted) {
      return Promise.reject(new CredentialError('EXEC_FAILED', this.program, `The credential of "${this.program}" is no longer available: its cluster connection was closed.`));
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.cached && this.now() < this.refreshAt) return Promise.resolve(this.cached);
    const cooling = this.coolingError();
    if (cooling && !this.inflight) return Promise.reject(cooling);
    const shared = this.inflight ?? this.startFetch();
    if (!signal) return shared;
    // A caller that stops waiting leaves the shared fetch running for the others.
    return new Promise<Credential>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      shared.then(
        (c) => {
          signal.removeEventListener('abort', onAbort);
          resolve(c);
        },
        (e: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  }

  invalidate(): void {
    this.cached = undefined;
  }

  retryNow(): void {
    this.coolUntil = 0;
  }

  /** While a timed-out program is left alone: the error every get() fails with, saying when it runs again. */
  private coolingError(): CredentialError | undefined {
    const left = this.coolUntil - this.now();
    if (left <= 0 || !this.lastTimeout) return undefined;
    return new CredentialError('TIMEOUT', this.program, `${this.lastTimeout.message} It is not started again for ${Math.ceil(left / 1000)} s (or at once on Retry).`);
  }

  dispose(): void {
    this.cached = undefined;
    this.lifetime.abort();
  }

  // A short-lived credential (shorter than twice the skew) is still used for half its life, so that a plugin
  // issuing 5-second tokens is not run before every request.
  private cache(c: Credential): void {
    this.cached = c;
    if (!c.expiresAt) {
      this.refreshAt = Infinity;
      return;
    }
    const expiry = c.expiresAt.getTime();
    this.refreshAt = expiry - Math.max(0, Math.min(this.skewMs, (expiry - this.now()) / 2));
  }

  private startFetch(): Promise<Credential> {
    const signal = this.lifetime.signal;
    // Started on a later tick so that `inflight` is set before the fetch can settle (even if it throws at once).
    const run: Promise<Credential> = Promise.resolve()
      .then(() => this.fetchCredential(signal))
      .then(
        (credential) => {
          this.timeouts = 0;
          if (!signal.aborted) this.cache(credential);
          return credential;
        },
        (err: unknown) => {
          if (err instanceof CredentialError && err.code === 'TIMEOUT') {
            this.timeouts++;
            this.lastTimeout = err;
            this.coolUntil = this.now() + Math.min(this.cooldown.baseMs * 2 ** (this.timeouts - 1), this.cooldown.maxMs);
          }
          throw err;
        },
      )
      .finally(() => {
        if (this.inflight === run) this.inflight = undefined;
      });
    this.inflight = run;
    // Nobody may be listening when every caller aborted: the rejection is theirs to see, not an unhandled one.
    run.catch(() => undefined);
    return run;
  }
}
