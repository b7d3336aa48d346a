// One request for a pod's log on one route, with a bound on how long its answer's headers may take (a virtual
// kubelet that does not answer counts as a failed route, not as a slow stream).
import { KubeApiError, type ClusterClient } from '../cluster/clusterClient.ts';
import { logPath, type LogQuery, type LogTarget } from '../../core/logs/logSource.ts';

/** One way to read a pod's log: which cluster to ask, under which namespace and name. */
export interface LogRoute {
  readonly target: LogTarget;
  readonly client: ClusterClient;
  /** Told to the user when the route is taken, e.g. "through kind-mlops-platform's virtual kubelet". */
  readonly label?: string;
}

/** Errors after which the next route is tried: the virtual kubelet's proxy failing or not answering. */
export function isRouteFailure(err: unknown): boolean {
  if (!(err instanceof KubeApiError)) return false;
  if (err.status === 502 || err.status === 503 || err.status === 504) return true;
  // The API server wraps a kubelet it cannot reach in a 500 ("error dialing backend", "proxy error").
  if (err.status === 500 && /dial|backend|proxy|connection refused|timeout|no route|EOF/i.test(err.message)) return true;
  return err.isTransport && (err.code === 'ETIMEDOUT' || err.code === 'ANSWER_TIMEOUT');
}

export async function openLog(route: LogRoute, query: LogQuery, signal: AbortSignal, timeoutMs: number) {
  const attempt = new AbortController();
  const timer = setTimeout(() => attempt.abort(new KubeApiError(`no answer within ${timeoutMs / 1000} s`, undefined, 'ANSWER_TIMEOUT')), timeoutMs);
  try {
    return await route.client.stream(logPath(route.target), query, AbortSignal.any([signal, attempt.signal]));
  } catch (err) {
    if (attempt.signal.aborted && !signal.aborted) throw attempt.signal.reason as KubeApiError;
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
