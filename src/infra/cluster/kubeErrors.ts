// Turns whatever a request failed with into a KubeApiError: HTTP answers keep their status and the Status message;
// transport failures keep Node's error code (ECONNREFUSED, ENOTFOUND, ERR_TLS_CERT_ALTNAME_INVALID...). Timeouts of
// any origin (a socket timeout, AbortSignal.timeout's DOMException whose numeric code 23 is not an HTTP status, a
// dead connection found by the heartbeat) become `code: 'ETIMEDOUT'`; a caller's abort becomes `code: 'ABORT_ERR'`.
// A server's request to wait (Retry-After, or a Status's details.retryAfterSeconds) travels with the error.
import { KubeApiError } from './clusterClient.ts';

export function toKubeApiError(err: unknown): KubeApiError {
  if (err instanceof KubeApiError) return err;
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as {
    name?: string;
    message?: string;
    code?: unknown;
    cause?: unknown;
  };
  if (e.name === 'TimeoutError') return new KubeApiError(e.message ?? 'timed out', undefined, 'ETIMEDOUT');
  if (e.name === 'AbortError') {
    // fetch-style aborts carry the signal's reason as the cause: a timeout signal's reason is a TimeoutError.
    if ((e.cause as { name?: string } | undefined)?.name === 'TimeoutError') return new KubeApiError('timed out', undefined, 'ETIMEDOUT');
    return new KubeApiError(e.message ?? 'aborted', undefined, 'ABORT_ERR');
  }
  const causeCode = (e.cause as { code?: unknown } | undefined)?.code;
  const code = typeof e.code === 'string' ? e.code : typeof causeCode === 'string' ? causeCode : undefined;
  const message = e.message || (typeof (e.cause as { message?: unknown } | undefined)?.message === 'string' ? String((e.cause as { message: string }).message) : String(err));
  // Credential errors carry their own string code (EXEC_BLOCKED...): kept, still without an HTTP status.
  return new KubeApiError(message, undefined, code);
}

/** The reason an AbortSignal fired, as a KubeApiError (TimeoutError → ETIMEDOUT). */
export function abortError(signal: AbortSignal): KubeApiError {
  const reason: unknown = signal.reason;
  if (reason instanceof KubeApiError) return reason;
  if ((reason as { name?: string } | undefined)?.name === 'TimeoutError') return new KubeApiError('timed out', undefined, 'ETIMEDOUT');
  return new KubeApiError('aborted', undefined, 'ABORT_ERR');
}

/**
 * A non-2xx answer: the Kubernetes Status message when the body is one, else a short excerpt of the body. The wait the
 * server asked for is the Retry-After header's, or else the Status's details.retryAfterSeconds.
 */
export function httpError(status: number, body: string, retryAfterHeader?: string | string[], now = Date.now()): KubeApiError {
  let message = `HTTP ${status}`;
  let statusRetry: number | undefined;
  try {
    const parsed = JSON.parse(body) as { message?: unknown; details?: unknown };
    if (typeof parsed.message === 'string' && parsed.message) message = parsed.message;
    statusRetry = statusRetryAfter(parsed);
  } catch {
    const text = body.trim().split('\n')[0]?.slice(0, 200);
    if (text) message = text;
  }
  return new KubeApiError(message, status, undefined, parseRetryAfter(retryAfterHeader, now) ?? statusRetry);
}

/** The longest wait a server can impose on us: a longer Retry-After is read as this (the Retry button still works). */
export const MAX_RETRY_AFTER_SECONDS = 300;

/**
 * A Retry-After header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date, in whole seconds from `now`, capped at
 * MAX_RETRY_AFTER_SECONDS; undefined when absent or unreadable (then the caller's own backoff decides).
 */
export function parseRetryAfter(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  let seconds: number;
  if (/^\d+$/.test(value)) seconds = Number(value);
  else {
    // Only the HTTP-date forms: Date.parse alone would read "5 s" or "soon-ish" as some date.
    if (!/^[A-Za-z]{3},? /.test(value)) return undefined;
    const at = Date.parse(value);
    if (Number.isNaN(at)) return undefined;
    seconds = Math.max(0, Math.ceil((at - now) / 1000));
  }
  return Math.min(seconds, MAX_RETRY_AFTER_SECONDS);
}

/** A Status object's details.retryAfterSeconds (the API server sets it on 429 and some 5xx), capped as above. */
export function statusRetryAfter(status: unknown): number | undefined {
  const details = (status as { details?: { retryAfterSeconds?: unknown } } | undefined)?.details;
  const s = details?.retryAfterSeconds;
  return typeof s === 'number' && Number.isFinite(s) && s > 0 ? Math.min(Math.ceil(s), MAX_RETRY_AFTER_SECONDS) : undefined;
}
