// Turns whatever a request failed with into a KubeApiError: HTTP answers keep their status and the Status message;
// transport failures keep Node's error code (ECONNREFUSED, ENOTFOUND, ERR_TLS_CERT_ALTNAME_INVALID...). Timeouts of
// any origin (a socket timeout, AbortSignal.timeout's DOMException whose numeric code 23 is not an HTTP status, a
// dead connection found by the heartbeat) become `code: 'ETIMEDOUT'`; a caller's abort becomes `code: 'ABORT_ERR'`.
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

/** A non-2xx answer: the Kubernetes Status message when the body is one, else a short excerpt of the body. */
export function httpError(status: number, body: string): KubeApiError {
  let message = `HTTP ${status}`;
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === 'string' && parsed.message) message = parsed.message;
  } catch {
    const text = body.trim().split('\n')[0]?.slice(0, 200);
    if (text) message = text;
  }
  return new KubeApiError(message, status);
}
