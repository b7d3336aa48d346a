// What one log stream reads: a container of a pod on a cluster, and the query options the user chose. Builds the
// API path and query of `GET pods/{pod}/log` and the `cluster/pod/container` prefix of a multi-stream view.

export interface LogTarget {
  /** The kubeconfig context (cluster) to ask. */
  readonly context: string;
  readonly namespace: string;
  readonly pod: string;
  /** Undefined: the pod's only container (the server refuses this for a pod with several). */
  readonly container?: string | undefined;
}

export interface LogOptions {
  readonly follow: boolean;
  /** Seconds back from now; exclusive with sinceTime. */
  readonly sinceSeconds?: number | undefined;
  /** RFC3339 */
  readonly sinceTime?: string | undefined;
  readonly tailLines?: number | undefined;
  readonly previous: boolean;
  /**
   * Show the timestamps. The server is asked for them when they are shown or the stream follows (a follow stream
   * resumes from the last one seen); a one-shot read without them asks none, as kubectl does, and resumes by
   * counting lines (countResume.ts).
   */
  readonly timestamps: boolean;
}

export const DEFAULT_LOG_OPTIONS: LogOptions = { follow: true, previous: false, timestamps: false, tailLines: 200 };

const DNS_LABEL = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export function logPath(t: LogTarget): string {
  for (const [what, v] of [['namespace', t.namespace], ['pod', t.pod]] as const) {
    if (!DNS_LABEL.test(v)) throw new Error(`'${v}' is not a valid ${what} name: use the name as kubectl shows it`);
  }
  return `/api/v1/namespaces/${t.namespace}/pods/${t.pod}/log`;
}

export type LogQuery = Record<string, string | number | boolean>;

/** Whether the server is asked for timestamps from the first request on (see LogOptions.timestamps). */
export function asksTimestamps(o: LogOptions): boolean {
  return o.follow || o.timestamps;
}

/**
 * The query of one request; `resume` replaces the original since/tail when a dropped stream is asked again.
 * `stamped` (default: asksTimestamps) asks the server for timestamps.
 */
export function logQuery(t: LogTarget, o: LogOptions, resume?: { sinceTime: string }, stamped = asksTimestamps(o)): LogQuery {
  const q: LogQuery = stamped ? { timestamps: true } : {};
  if (o.follow) q.follow = true;
  if (o.previous) q.previous = true;
  if (t.container) q.container = t.container;
  if (resume) {
    q.sinceTime = resume.sinceTime;
    return q;
  }
  if (o.sinceTime) q.sinceTime = o.sinceTime;
  else if (o.sinceSeconds !== undefined) q.sinceSeconds = Math.max(1, Math.floor(o.sinceSeconds));
  if (o.tailLines !== undefined && o.tailLines >= 0) q.tailLines = Math.floor(o.tailLines);
  return q;
}

/** "5m", "90s", "2h", "1h30m" → seconds; undefined for an empty text; throws naming the input otherwise. */
export function parseSince(text: string): number | undefined {
  const s = text.trim();
  if (!s) return undefined;
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(s);
  if (!m || (!m[1] && !m[2] && !m[3])) throw new Error(`'${text}' is not a duration: write it like 30s, 5m, 2h or 1h30m`);
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

export function prefixOf(t: LogTarget, clusterLabel?: string): string {
  return `${clusterLabel ?? t.context}/${t.pod}/${t.container ?? ''}`;
}
