// Liqo's own metrics as a Prometheus answers them: the PromQL for a tree row (a peering, a virtual node), the parsing
// of /api/v1/query answers (which may be huge, malformed or hostile: a Prometheus URL is whatever the user set), and
// the tooltip lines. Pure: the HTTP request lives in infra/metrics.
//
// The metric names are Liqo's (v1.0.1 to v1.2.0): the gateway's tunnel collector (pkg/gateway/tunnel/metrics.go,
// labels driver and cluster_id = the peer) and the virtual kubelet's reflection counters
// (pkg/virtualKubelet/metrics/metrics.go, labels namespace, reflector_resource, cluster_id = the remote cluster,
// node_name = the virtual node). Counters are exported only once an item was reflected or an error happened.
import { forwardablePorts, selectorQuery, wellKnownApp, type ServiceLike } from '../portForward/serviceTarget.ts';

/** What a row asks Prometheus about. */
export type MetricsSubject = { readonly kind: 'peering'; readonly clusterId: string } | { readonly kind: 'virtualNode'; readonly name: string };

export interface LiqoMetricQuery {
  /** how the tooltip names it: the metric's own name, with the aggregation when one is applied */
  readonly label: string;
  readonly promql: string;
  /** what the number means, for the tooltip */
  readonly unit: 'boolean' | 'microseconds' | 'count';
}

/** A PromQL string literal (double-quoted; backslash, quote and line breaks escaped as Go's strconv reads them). */
export function promString(value: string): string {
  return `"${value.replace(/[\\"\n\r\t]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? c)}"`;
}

/** The queries that explain one row: peering state and latency (gateway), reflection activity and errors (VK). */
export function liqoMetricQueries(subject: MetricsSubject): LiqoMetricQuery[] {
  if (subject.kind === 'peering') {
    const sel = `{cluster_id=${promString(subject.clusterId)}}`;
    return [
      { label: 'liqo_peer_is_connected', promql: `max(liqo_peer_is_connected${sel})`, unit: 'boolean' },
      { label: 'liqo_peer_latency_us', promql: `max(liqo_peer_latency_us${sel})`, unit: 'microseconds' },
      { label: 'sum(liqo_virtual_kubelet_reflection_item_counter)', promql: `sum(liqo_virtual_kubelet_reflection_item_counter${sel})`, unit: 'count' },
      { label: 'sum(liqo_virtual_kubelet_reflection_error_counter)', promql: `sum(liqo_virtual_kubelet_reflection_error_counter${sel})`, unit: 'count' },
    ];
  }
  const sel = `{node_name=${promString(subject.name)}}`;
  return [
    { label: 'sum(liqo_virtual_kubelet_reflection_item_counter)', promql: `sum(liqo_virtual_kubelet_reflection_item_counter${sel})`, unit: 'count' },
    { label: 'sum(liqo_virtual_kubelet_reflection_error_counter)', promql: `sum(liqo_virtual_kubelet_reflection_error_counter${sel})`, unit: 'count' },
  ];
}

/** GET path and query of Prometheus' instant query API, relative to a base URL (which may carry a path prefix). */
export function queryUrl(base: string, promql: string): string {
  const u = new URL(base);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`Prometheus URL ${redactUrl(base)}: only http and https are supported`);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/api/v1/query`;
  u.search = new URLSearchParams({ query: promql }).toString();
  u.hash = '';
  return u.toString();
}

/** A URL fit for messages: user and password removed (a Prometheus behind basic auth may carry them). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = '';
      u.password = '';
    }
    u.search = '';
    return u.toString();
  } catch {
    return '(an invalid URL)';
  }
}

export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  /** NaN and ±Inf are kept as such: Prometheus answers them as strings */
  readonly value: number;
}

export type QueryAnswer = { readonly ok: true; readonly samples: readonly Sample[] } | { readonly ok: false; readonly error: string };

/** The answers are read up to this many bytes; one row's queries return a handful of series. */
export const MAX_ANSWER_BYTES = 1024 * 1024;
const MAX_SAMPLES = 1000;
const MAX_TEXT = 200;

const clip = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Prometheus' sample value: a decimal string, or NaN, +Inf, -Inf (its JSON encoding). */
export function parseSampleValue(v: unknown): number | undefined {
  if (typeof v !== 'string' || v.length > 64) return undefined;
  if (v === 'NaN') return NaN;
  if (v === '+Inf' || v === 'Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v)) return undefined;
  return Number(v);
}

function parsePair(pair: unknown): number | undefined {
  if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'number') return undefined;
  return parseSampleValue(pair[1]);
}

/** Parses the body of an /api/v1/query answer (any HTTP status: errors carry a JSON body too). */
export function parseQueryAnswer(body: string): QueryAnswer {
  if (body.length > MAX_ANSWER_BYTES) return { ok: false, error: `the answer is larger than ${MAX_ANSWER_BYTES / 1024} KiB` };
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return { ok: false, error: `the answer is not JSON (it starts with ${JSON.stringify(clip(body.slice(0, 40)))}): is this URL a Prometheus?` };
  }
  if (!isRecord(doc)) return { ok: false, error: 'the answer is not a Prometheus API answer (not a JSON object)' };
  if (doc.status === 'error') {
    const type = typeof doc.errorType === 'string' ? `${clip(doc.errorType)}: ` : '';
    return { ok: false, error: `Prometheus answered an error: ${type}${typeof doc.error === 'string' ? clip(doc.error) : 'no error text'}` };
  }
  if (doc.status !== 'success' || !isRecord(doc.data)) return { ok: false, error: 'the answer is not a Prometheus API answer (no status "success" with data)' };
  const { resultType, result } = doc.data;
  if (resultType === 'scalar') {
    const value = parsePair(result);
    return value === undefined ? { ok: false, error: 'the scalar in the answer is malformed' } : { ok: true, samples: [{ labels: {}, value }] };
  }
  if (resultType !== 'vector') return { ok: false, error: `the answer is a ${typeof resultType === 'string' ? clip(resultType) : 'malformed result'}, not an instant vector` };
  if (!Array.isArray(result)) return { ok: false, error: 'the vector in the answer is malformed' };
  if (result.length > MAX_SAMPLES) return { ok: false, error: `the answer has ${result.length} series (at most ${MAX_SAMPLES} are read)` };
  const samples: Sample[] = [];
  for (const r of result) {
    if (!isRecord(r)) return { ok: false, error: 'a series in the answer is malformed' };
    const labels: Record<string, string> = {};
    if (r.metric !== undefined) {
      if (!isRecord(r.metric)) return { ok: false, error: 'a series in the answer has malformed labels' };
      for (const [k, v] of Object.entries(r.metric)) {
        if (typeof v !== 'string') return { ok: false, error: `label ${JSON.stringify(clip(k))} in the answer is not a string` };
        labels[k] = v;
      }
    }
    const value = parsePair(r.value);
    if (value === undefined) return { ok: false, error: 'a sample value in the answer is malformed' };
    samples.push({ labels, value });
  }
  return { ok: true, samples };
}

/** A sample as the tooltip shows it: integers plainly, others with up to 3 decimals; NaN and ±Inf named. */
export function formatValue(value: number, unit: LiqoMetricQuery['unit']): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  const plain = Number.isInteger(value) ? String(value) : String(Number(value.toFixed(3)));
  if (unit === 'boolean') return `${plain}${value === 1 ? ' (connected)' : value === 0 ? ' (not connected)' : ''}`;
  if (unit === 'microseconds') return `${plain} (${Number((value / 1000).toFixed(3))} ms)`;
  return plain;
}

/** One tooltip line per query that returned a sample: "Prometheus: liqo_peer_latency_us = 812 (0.812 ms)". */
export function metricLine(query: LiqoMetricQuery, answer: QueryAnswer): string | undefined {
  if (!answer.ok) return undefined;
  const first = answer.samples[0];
  return first ? `Prometheus: ${query.label} = ${formatValue(first.value, query.unit)}` : undefined;
}

/** A Prometheus service found in a cluster, and the port its HTTP API answers on. */
export interface PrometheusService {
  readonly namespace: string;
  readonly name: string;
  readonly port: number;
}

/**
 * The Prometheus to ask among a cluster's services (core/portForward's recognition: kube-prometheus-stack's
 * `<release>-kube-prometheus-prometheus`, the community chart's `prometheus-server`...): one with a selector (a
 * forward needs a pod) and a TCP port, its API port preferred (9090, or named web / http-web); the first by
 * namespace and name, so the choice does not change between lists.
 */
export function choosePrometheusService(services: readonly ServiceLike[]): PrometheusService | undefined {
  const found = services
    .filter((s) => wellKnownApp(s) === 'Prometheus' && selectorQuery(s) !== undefined && forwardablePorts(s).length > 0)
    .sort((a, b) => `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace ?? ''}/${b.metadata.name}`));
  const s = found[0];
  if (!s) return undefined;
  const ports = forwardablePorts(s);
  const api = ports.find((p) => p.port === 9090) ?? ports.find((p) => p.name === 'web' || p.name === 'http-web') ?? ports[0]!;
  return { namespace: s.metadata.namespace ?? 'default', name: s.metadata.name, port: api.port };
}

/**
 * The tooltip's Prometheus section for a row: where the figures come from, one line per metric that has a sample,
 * and the first failure. `esc` makes remote text (labels, error text) inert in Markdown.
 */
export function prometheusTooltipLines(m: { readonly source: string; readonly lines: readonly string[]; readonly error?: string; readonly asked: boolean }, esc: (s: string) => string): string[] {
  if (!m.asked) return ['', `**Prometheus:** ${esc(m.source)}`];
  // list items: Markdown would join plain lines into one paragraph
  const body = m.lines.length ? m.lines.map(esc) : m.error ? [] : [esc('no Liqo metric for this row yet (Liqo exports its counters once something happened)')];
  return ['', `**Prometheus** (${esc(m.source)}):`, ...[...body, ...(m.error ? [esc(`⚠ ${m.error}`)] : [])].map((l) => `- ${l}`)];
}
