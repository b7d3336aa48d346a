// Liqo's metrics for the tree's rows, per cluster: which Prometheus to ask (the URL set for the context in
// liqo.prometheus.urls, else a Prometheus service found in the cluster, reached through a port-forward over the API
// server — infra/cluster/servicePortForward.ts — and kept open while this object lives), and the row's queries
// (core/metrics/liqoPrometheus.ts) asked in parallel. Nothing is polled: rows ask when hovered, so the cost is a
// handful of queries per hover, plus one service list per cluster every DISCOVERY_TTL_MS.
//
// The API server's service proxy is not used: it cannot reach a Prometheus on a loopback address (the test bed's),
// so that path could not be tested here; the port-forward goes the same way `kubectl port-forward` does.
import { choosePrometheusService, liqoMetricQueries, metricLine, redactUrl, type MetricsSubject, type PrometheusService } from '../../core/metrics/liqoPrometheus.ts';
import type { ServiceLike } from '../../core/portForward/serviceTarget.ts';
import type { ClusterClient } from '../cluster/clusterClient.ts';
import { ServicePortForward } from '../cluster/servicePortForward.ts';
import { queryPrometheus, DEFAULT_QUERY_TIMEOUT_MS } from './prometheusClient.ts';

export interface PrometheusSettings {
  /** context name → Prometheus base URL (http or https; a path prefix is kept) */
  readonly urls: Readonly<Record<string, string>>;
  /** look for a Prometheus service in clusters with no URL set */
  readonly discover: boolean;
}

export interface MetricsClusters {
  contextName(entryId: string): string | undefined;
  /** the cluster's current client (undefined while it is not connected) */
  client(entryId: string): ClusterClient | undefined;
}

/** Where a cluster's Prometheus was found, as the tooltip says it. */
export type PrometheusEndpoint = { readonly base: string; readonly how: string } | { readonly none: string };

export interface RowMetrics {
  /** false when no Prometheus was asked (none set or found): `source` then says why */
  readonly asked: boolean;
  /** which Prometheus answered (or why none is asked) */
  readonly source: string;
  /** "Prometheus: <metric> = <value>" per metric that has a sample */
  readonly lines: readonly string[];
  /** the first query failure, in one sentence */
  readonly error?: string;
}

export const DISCOVERY_TTL_MS = 5 * 60_000;

interface Discovered {
  readonly at: number;
  endpoint?: Promise<PrometheusEndpoint>;
  /** the forward to the service found, stopped when the finding expires */
  forward?: ServicePortForward;
}

export class LiqoMetrics {
  private settings: PrometheusSettings;
  private readonly clusters: MetricsClusters;
  private readonly discovered = new Map<string, Discovered>();
  private readonly timeoutMs: number;

  constructor(clusters: MetricsClusters, settings: PrometheusSettings, opts: { timeoutMs?: number } = {}) {
    this.clusters = clusters;
    this.settings = settings;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  }

  updateSettings(settings: PrometheusSettings): void {
    this.settings = settings;
    this.forgetDiscovered();
  }

  /** The Prometheus a cluster's rows ask: the URL set for its context, else one found in it. */
  endpoint(entryId: string): Promise<PrometheusEndpoint> {
    const context = this.clusters.contextName(entryId);
    if (context === undefined) return Promise.resolve({ none: 'the cluster is no longer in the kubeconfigs' });
    const url = this.settings.urls[context];
    if (typeof url === 'string' && url.trim() !== '') return Promise.resolve({ base: url.trim(), how: `${redactUrl(url.trim())} (liqo.prometheus.urls)` });
    if (!this.settings.discover) return Promise.resolve({ none: `no URL set for ${context} in liqo.prometheus.urls` });
    const known = this.discovered.get(entryId);
    if (known?.endpoint && Date.now() - known.at < DISCOVERY_TTL_MS) return known.endpoint;
    known?.forward?.stop();
    const entry: Discovered = { at: Date.now() };
    const endpoint = this.discover(entryId, context, entry);
    entry.endpoint = endpoint;
    this.discovered.set(entryId, entry);
    return endpoint;
  }

  private async discover(entryId: string, context: string, entry: Discovered): Promise<PrometheusEndpoint> {
    const client = this.clusters.client(entryId);
    if (!client) return { none: `${context} is not connected` };
    let svc: PrometheusService | undefined;
    try {
      const list = await client.list('/api/v1/services', {}, AbortSignal.timeout(this.timeoutMs)); // the hover waits for it
      svc = choosePrometheusService(list.items as ServiceLike[]);
    } catch (err) {
      return { none: `the services of ${context} could not be listed (${(err as Error).message})` };
    }
    if (!svc) return { none: `no Prometheus service found in ${context}; set its URL in liqo.prometheus.urls` };
    const forward = new ServicePortForward({
      client: () => {
        const c = this.clusters.client(entryId);
        if (!c) throw new Error(`${context} is not connected`);
        return c;
      },
      namespace: svc.namespace,
      service: svc.name,
      port: svc.port,
      connectDeadlineMs: this.timeoutMs,
    });
    try {
      const port = await forward.start();
      // the settings changed or the object was disposed meanwhile: this finding is no longer held
      if (this.discovered.get(entryId) !== entry) forward.stop();
      else entry.forward = forward;
      return { base: `http://127.0.0.1:${port}/`, how: `service ${svc.namespace}/${svc.name}:${svc.port} in ${context} (port-forward)` };
    } catch (err) {
      forward.stop();
      return { none: `service ${svc.namespace}/${svc.name} in ${context} could not be forwarded to (${(err as Error).message})` };
    }
  }

  /** The row's metrics, from its cluster's Prometheus. Never throws. */
  async rowMetrics(entryId: string, subject: MetricsSubject, signal?: AbortSignal): Promise<RowMetrics> {
    const ep = await this.endpoint(entryId);
    if ('none' in ep) return { asked: false, source: ep.none, lines: [] };
    const queries = liqoMetricQueries(subject);
    const answers = await Promise.all(queries.map((q) => queryPrometheus(ep.base, q.promql, { timeoutMs: this.timeoutMs, ...(signal ? { signal } : {}) })));
    const lines = queries.map((q, i) => metricLine(q, answers[i]!)).filter((l): l is string => l !== undefined);
    const failed = answers.find((a) => !a.ok);
    return { asked: true, source: ep.how, lines, ...(failed && !failed.ok ? { error: failed.error } : {}) };
  }

  private forgetDiscovered(): void {
    for (const d of this.discovered.values()) d.forward?.stop();
    this.discovered.clear();
  }

  dispose(): void {
    this.forgetDiscovered();
  }
}
