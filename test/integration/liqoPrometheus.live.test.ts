// Liqo's metrics from a real Prometheus on the live test bed (peered, kubeflow offloaded): Debian's prometheus on
// 127.0.0.1 scrapes the consumer's virtual kubelets (Liqo's own, serving their metrics on loopback), and what the
// explorer shows on the peering and virtual node rows equals what Prometheus' own query API answers. Both ways the
// product reaches a Prometheus are driven: the URL set for the context (liqo.prometheus.urls), and a Prometheus
// service found in the cluster (a Service named as kube-prometheus-stack names it, whose pod kwok forwards to the
// real Prometheus), reached through the port-forward over the API server. Also: the failures a user meets (nothing
// listening, a server that never answers, a URL that is not a Prometheus) come back as one sentence.
import assert from 'node:assert/strict';
import * as net from 'node:net';
import * as http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { ensureTestbed, type Testbed } from '../testbed/index.ts';
import { statePaths } from '../testbed/paths.ts';
import { LIVE_CONSUMER as CONSUMER, LIVE_PROVIDER as PROVIDER } from '../testbed/scenarios/live.ts';
import { LiqoMetrics, type PrometheusSettings, type RowMetrics } from '../../src/infra/metrics/liqoMetrics.ts';
import { queryPrometheus } from '../../src/infra/metrics/prometheusClient.ts';
import { liqoMetricQueries, prometheusTooltipLines, type MetricsSubject } from '../../src/core/metrics/liqoPrometheus.ts';
import { md } from '../../src/core/tree/view.ts';
import { makeHarness, trackUnhandledRejections, type Harness } from './support/treeHarness.ts';
import { converges } from './support/converges.ts';
import { startPrometheus, type PrometheusServer } from './support/prometheusServer.ts';

const WORKER = `${CONSUMER}-worker`;
// Liqo v1.0.1 by default; LIQO_PROMETHEUS_SCENARIO=live@v1.2.0+peered runs the same against v1.2.0's virtual kubelet
// test bed: live+peered (unless LIQO_PROMETHEUS_SCENARIO says otherwise)
const SCENARIO = (process.env.LIQO_PROMETHEUS_SCENARIO ?? 'live+peered') as `live${string}`;

describe(`Liqo metrics from a real Prometheus (${SCENARIO})`, () => {
  let tb: Testbed;
  let h: Harness;
  let prom: PrometheusServer;
  let entryId: string;
  const rejections = trackUnhandledRejections();
  const monitoring = `monitoring-${Date.now().toString(36)}`;
  const metricsFor = (settings: PrometheusSettings) =>
    new LiqoMetrics({ contextName: (id) => h.model.entry(id)?.contextName, client: (id) => h.model.session(id)?.client }, settings, { timeoutMs: 10_000 });

  before(async () => {
    tb = await ensureTestbed(SCENARIO);
    prom = await startPrometheus(statePaths.prometheusTargets);
    h = makeHarness([tb.kubeconfig], { timeoutMs: 20_000 });
    await h.open();
    await h.until(() => h.row(CONSUMER, 'Virtual Nodes', PROVIDER)?.description?.startsWith('Ready') === true && h.row(CONSUMER, 'Peerings', PROVIDER) !== undefined, 'the peering and the Ready virtual node', 120_000);
    entryId = (h.row(CONSUMER)!.key as { entry: string }).entry;
    // Liqo exports a reflection counter once its VK reflected something: wait until Prometheus has one
    await converges('a reflection counter in Prometheus', async () => (await prom.query(`sum(liqo_virtual_kubelet_reflection_item_counter{node_name="${PROVIDER}"})`)) !== undefined, 60_000);
  });

  after(async () => {
    h?.dispose();
    await prom?.stop();
    rejections.stop();
  });

  /** The rows' subjects as the tree provider derives them: the peer's cluster ID, the virtual node's name. */
  const subjects = (): [string, MetricsSubject][] => {
    const fc = h.row(CONSUMER, 'Peerings', PROVIDER)!;
    const clusterId = h.model.peerClusterIdOf(fc.resource!.entryId, fc.resource!.key);
    assert.equal(clusterId, PROVIDER);
    return [
      ['peering', { kind: 'peering', clusterId: clusterId! }],
      ['virtual node', { kind: 'virtualNode', name: h.row(CONSUMER, 'Virtual Nodes', PROVIDER)!.label }],
    ];
  };

  /**
   * The explorer's lines equal Prometheus' own answers to the same PromQL, asked right after. A counter may grow
   * between the two questions (a scrape every second): then both are asked again, a few times at most.
   */
  async function assertEqualsPrometheus(metrics: LiqoMetrics, what: string): Promise<RowMetrics[]> {
    const shown: RowMetrics[] = [];
    for (const [row, subject] of subjects()) {
      let last = '';
      for (let attempt = 0; ; attempt++) {
        const t0 = performance.now();
        const m = await metrics.rowMetrics(entryId, subject);
        const ms = performance.now() - t0;
        assert.equal(m.asked, true, `${what}, ${row}: ${m.source}`);
        assert.equal(m.error, undefined, `${what}, ${row}: ${m.error}`);
        const expected: string[] = [];
        for (const q of liqoMetricQueries(subject)) {
          const v = await prom.query(q.promql);
          if (v !== undefined) expected.push(`Prometheus: ${q.label} = ${v}`);
        }
        // at least the reflection counters are there; the gateway's are not (networking is disabled on the bed)
        assert.ok(expected.some((l) => l.startsWith('Prometheus: sum(liqo_virtual_kubelet_reflection_item_counter) = ')), `${what}, ${row}: ${expected.join('; ')}`);
        if (JSON.stringify(m.lines) === JSON.stringify(expected)) {
          console.log(`# ${what}, ${row}: ${m.lines.join('; ')} (from ${m.source}; ${liqoMetricQueries(subject).length} queries in ${ms.toFixed(0)} ms)`);
          shown.push(m);
          break;
        }
        last = `shown ${JSON.stringify(m.lines)}, Prometheus ${JSON.stringify(expected)}`;
        assert.ok(attempt < 5, `${what}, ${row}: the explorer's figures differ from Prometheus' own: ${last}`);
      }
    }
    return shown;
  }

  test('the URL set for the context: the rows show the figures Prometheus answers', async () => {
    const metrics = metricsFor({ urls: { [CONSUMER]: prom.url }, discover: false });
    try {
      const [peering] = await assertEqualsPrometheus(metrics, 'liqo.prometheus.urls');
      assert.equal(peering!.source, `${prom.url} (liqo.prometheus.urls)`);
      // as the hover shows it (Markdown-escaped)
      const tooltip = prometheusTooltipLines(peering!, md).join('\n');
      assert.match(tooltip, /\*\*Prometheus\*\* \(http:\/\/127\\\.0\\\.0\\\.1:\d+\/ \\\(liqo\\\.prometheus\\\.urls\\\)\):\n- Prometheus: sum\\\(liqo\\_virtual\\_kubelet\\_reflection\\_item\\_counter\\\) = \d+/);
      // another context has no URL and discovery is off: it says so and asks nothing
      const other = await metrics.rowMetrics((h.row(PROVIDER)!.key as { entry: string }).entry, { kind: 'peering', clusterId: CONSUMER });
      assert.deepEqual(other, { asked: false, source: `no URL set for ${PROVIDER} in liqo.prometheus.urls`, lines: [] });
    } finally {
      metrics.dispose();
    }
  });

  test('a Prometheus service found in the cluster, reached through a port-forward over the API server', async () => {
    const client = h.model.session(entryId)?.client;
    assert.ok(client, `${CONSUMER} is connected`);
    const apply = (p: string, obj: unknown) => client.apply(p, obj, { fieldManager: 'prometheus-test' });
    await apply(`/api/v1/namespaces/${monitoring}`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: monitoring } });
    await apply(`/api/v1/namespaces/${monitoring}/serviceaccounts/default`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: monitoring } });
    const metrics = metricsFor({ urls: {}, discover: true });
    try {
      // kube-prometheus-stack's names and ports; kwok forwards the pod's port 9090 to the real Prometheus
      await apply(`/api/v1/namespaces/${monitoring}/services/kps-kube-prometheus-prometheus`, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'kps-kube-prometheus-prometheus', namespace: monitoring, labels: { app: 'kube-prometheus-stack-prometheus' } },
        spec: { selector: { 'app.kubernetes.io/name': 'prometheus' }, ports: [{ name: 'http-web', port: 9090, targetPort: 9090 }, { name: 'reloader-web', port: 8080, targetPort: 8080 }] },
      });
      await apply(`/apis/kwok.x-k8s.io/v1alpha1/namespaces/${monitoring}/portforwards/prometheus-kps-0`, {
        apiVersion: 'kwok.x-k8s.io/v1alpha1',
        kind: 'PortForward',
        metadata: { name: 'prometheus-kps-0', namespace: monitoring },
        spec: { forwards: [{ ports: [9090], target: { port: prom.port, address: '127.0.0.1' } }] },
      });
      await apply(`/api/v1/namespaces/${monitoring}/pods/prometheus-kps-0`, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'prometheus-kps-0', namespace: monitoring, labels: { 'app.kubernetes.io/name': 'prometheus' } },
        spec: { nodeName: WORKER, containers: [{ name: 'prometheus', image: 'prometheus', ports: [{ name: 'http-web', containerPort: 9090 }] }] },
      });
      await converges('the Prometheus pod Running', async () => (await client.get<{ status?: { phase?: string } }>(`/api/v1/namespaces/${monitoring}/pods/prometheus-kps-0`)).status?.phase === 'Running', 60_000);
      const [peering] = await assertEqualsPrometheus(metrics, 'discovered service');
      assert.equal(peering!.source, `service ${monitoring}/kps-kube-prometheus-prometheus:9090 in ${CONSUMER} (port-forward)`);
    } finally {
      metrics.dispose();
      await client.delete(`/api/v1/namespaces/${monitoring}`).catch(() => undefined);
    }
  });
});

describe('Prometheus failures, one sentence each', () => {
  test('nothing listening, never answering, not a Prometheus, an HTTP error', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const refused = await queryPrometheus(`http://user:pw@127.0.0.1:${closed}/`, 'up', { timeoutMs: 2000 });
    assert.deepEqual(refused, { ok: false, error: `Prometheus at http://127.0.0.1:${closed}/ could not be reached (ECONNREFUSED); check the URL in liqo.prometheus.urls or that Prometheus runs` });
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((s) => sockets.add(s));
    const answers: http.RequestListener[] = [];
    const web = http.createServer((req, res) => answers.shift()?.(req, res));
    await Promise.all([new Promise<void>((r) => silent.listen(0, '127.0.0.1', r)), new Promise<void>((r) => web.listen(0, '127.0.0.1', r))]);
    try {
      const t0 = Date.now();
      const hung = await queryPrometheus(`http://127.0.0.1:${(silent.address() as net.AddressInfo).port}/`, 'up', { timeoutMs: 1000 });
      assert.deepEqual(hung, { ok: false, error: `Prometheus at http://127.0.0.1:${(silent.address() as net.AddressInfo).port}/ did not answer within 1 s` });
      assert.ok(Date.now() - t0 < 10_000);
      const base = `http://127.0.0.1:${(web.address() as net.AddressInfo).port}/prefix`;
      let seen = '';
      answers.push((req, res) => {
        seen = `${req.url} ${req.headers.authorization ?? ''}`;
        res.setHeader('content-type', 'text/html').end('<html>Grafana login</html>');
      });
      const html = await queryPrometheus(base.replace('http://', 'http://admin:s3cret@'), 'sum(x{a="b"})', { timeoutMs: 2000 });
      assert.equal(seen, `/prefix/api/v1/query?query=sum%28x%7Ba%3D%22b%22%7D%29 Basic ${Buffer.from('admin:s3cret').toString('base64')}`);
      assert.ok(!html.ok && !html.error.includes('s3cret'));
      assert.equal(html.ok ? '' : html.error, `Prometheus at ${base}: the answer is not JSON (it starts with "<html>Grafana login</html>"): is this URL a Prometheus?`);
      answers.push((_req, res) => res.writeHead(400).end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'invalid parameter "query"' })));
      assert.deepEqual(await queryPrometheus(base, 'up{', { timeoutMs: 2000 }), { ok: false, error: `Prometheus at ${base} (HTTP 400): Prometheus answered an error: bad_data: invalid parameter "query"` });
      // an endless answer is cut at the bound, not read into memory
      answers.push((_req, res) => {
        res.writeHead(200);
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = () => {
          while (res.write(chunk));
        };
        res.on('drain', pump);
        res.on('close', () => res.off('drain', pump));
        pump();
      });
      assert.deepEqual(await queryPrometheus(base, 'up', { timeoutMs: 5000 }), { ok: false, error: `Prometheus at ${base}: the answer is larger than 1024 KiB` });
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
      web.closeAllConnections();
      web.close();
    }
  });
});
