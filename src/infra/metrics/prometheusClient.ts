// One instant query to a Prometheus HTTP API (/api/v1/query) at a base URL: bounded in time and in bytes read, TLS
// verified (Node's defaults), and every failure turned into one sentence naming the URL (credentials removed) and
// what to check. The answer is parsed by core/metrics/liqoPrometheus.ts.
import { MAX_ANSWER_BYTES, parseQueryAnswer, queryUrl, redactUrl, type QueryAnswer } from '../../core/metrics/liqoPrometheus.ts';

export const DEFAULT_QUERY_TIMEOUT_MS = 5000;

export interface QueryOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

/** Reads at most `max` bytes of the body; more is an error (a hostile or wrong endpoint streaming forever). */
async function readBounded(res: Response, max: number): Promise<string | undefined> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.byteLength;
    if (n > max) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Never throws: a transport failure, a timeout or an unreadable answer comes back as { ok: false, error }. */
export async function queryPrometheus(base: string, promql: string, opts: QueryOptions = {}): Promise<QueryAnswer> {
  const where = `Prometheus at ${redactUrl(base)}`;
  let url: string;
  try {
    url = queryUrl(base, promql);
  } catch (err) {
    return { ok: false, error: (err as Error).message.startsWith('Prometheus URL') ? (err as Error).message : `${where}: not a valid URL; check liqo.prometheus.urls` };
  }
  const timeoutMs = opts.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  const u = new URL(url);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (u.username || u.password) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
    u.username = '';
    u.password = '';
  }
  try {
    const res = await fetch(u, { headers, signal, redirect: 'error' });
    const body = await readBounded(res, MAX_ANSWER_BYTES);
    if (body === undefined) return { ok: false, error: `${where}: the answer is larger than ${MAX_ANSWER_BYTES / 1024} KiB` };
    const answer = parseQueryAnswer(body);
    if (!answer.ok) return { ok: false, error: `${where}${res.ok ? '' : ` (HTTP ${res.status})`}: ${answer.error}` };
    if (!res.ok) return { ok: false, error: `${where}: HTTP ${res.status}` };
    return answer;
  } catch (err) {
    if (timeout.aborted) return { ok: false, error: `${where} did not answer within ${timeoutMs / 1000} s` };
    if (opts.signal?.aborted) return { ok: false, error: `${where}: the query was cancelled` };
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (err as Error).message;
    return { ok: false, error: `${where} could not be reached (${why}); check the URL in liqo.prometheus.urls or that Prometheus runs` };
  }
}
