// Liqo's metrics from Prometheus, the pure parts (core/metrics/liqoPrometheus.ts): the PromQL a row asks, the query
// URL, the parsing of /api/v1/query answers (hostile ones included: huge, malformed, NaN, wrong shapes), the values
// as shown, the tooltip section, and which service is taken for the cluster's Prometheus.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  choosePrometheusService,
  formatValue,
  liqoMetricQueries,
  MAX_ANSWER_BYTES,
  metricLine,
  parseQueryAnswer,
  parseSampleValue,
  prometheusTooltipLines,
  promString,
  queryUrl,
  redactUrl,
} from '../../src/core/metrics/liqoPrometheus.ts';
import { md } from '../../src/core/tree/view.ts';
import { mulberry32 } from './seededRandom.ts';

const vector = (...values: string[]) => JSON.stringify({ status: 'success', data: { resultType: 'vector', result: values.map((v, i) => ({ metric: { i: String(i) }, value: [1796579263.128, v] })) } });

test('queries: a peering by its cluster_id, a virtual node by node_name; label values escaped as PromQL strings', () => {
  assert.deepEqual(
    liqoMetricQueries({ kind: 'peering', clusterId: 'cluster-b' }).map((q) => q.promql),
    [
      'max(liqo_peer_is_connected{cluster_id="cluster-b"})',
      'max(liqo_peer_latency_us{cluster_id="cluster-b"})',
      'sum(liqo_virtual_kubelet_reflection_item_counter{cluster_id="cluster-b"})',
      'sum(liqo_virtual_kubelet_reflection_error_counter{cluster_id="cluster-b"})',
    ],
  );
  assert.deepEqual(
    liqoMetricQueries({ kind: 'virtualNode', name: 'cluster-b' }).map((q) => q.promql),
    ['sum(liqo_virtual_kubelet_reflection_item_counter{node_name="cluster-b"})', 'sum(liqo_virtual_kubelet_reflection_error_counter{node_name="cluster-b"})'],
  );
  // a hostile cluster ID cannot close the string and add a matcher
  assert.equal(promString('a"} or vector(1) #\\\n'), '"a\\"} or vector(1) #\\\\\\n"');
  const q = liqoMetricQueries({ kind: 'peering', clusterId: 'x"}) or up{a="' })[0]!.promql;
  assert.equal(q, 'max(liqo_peer_is_connected{cluster_id="x\\"}) or up{a=\\""})');
});

test('query URL: the base path is kept, the query encoded; other schemes refused; credentials never in messages', () => {
  assert.equal(queryUrl('http://127.0.0.1:9090', 'up'), 'http://127.0.0.1:9090/api/v1/query?query=up');
  assert.equal(queryUrl('https://127.0.0.1:8443/prom/', 'sum(a{b="c d"})'), 'https://127.0.0.1:8443/prom/api/v1/query?query=sum%28a%7Bb%3D%22c+d%22%7D%29');
  assert.throws(() => queryUrl('file:///etc/passwd', 'up'), /only http and https/);
  assert.throws(() => queryUrl('not a url', 'up'));
  assert.equal(redactUrl('https://admin:s3cret@127.0.0.1:9090/p?token=t'), 'https://127.0.0.1:9090/p');
  assert.equal(redactUrl('::'), '(an invalid URL)');
});

test('answers: vectors and scalars read; NaN and ±Inf kept; errors and wrong shapes named', () => {
  assert.deepEqual(parseQueryAnswer(vector('68')), { ok: true, samples: [{ labels: { i: '0' }, value: 68 }] });
  assert.deepEqual(parseQueryAnswer(JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [1, '2.5'] } })), { ok: true, samples: [{ labels: {}, value: 2.5 }] });
  assert.deepEqual(parseQueryAnswer(vector()), { ok: true, samples: [] });
  const nan = parseQueryAnswer(vector('NaN', '+Inf', '-Inf', '1e3'));
  assert.ok(nan.ok);
  assert.ok(Number.isNaN(nan.samples[0]!.value));
  assert.deepEqual(nan.samples.slice(1).map((s) => s.value), [Infinity, -Infinity, 1000]);
  assert.deepEqual(parseQueryAnswer(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error at char 5' })), { ok: false, error: 'Prometheus answered an error: bad_data: parse error at char 5' });
  const cases: [string, RegExp][] = [
    ['<html>login</html>', /not JSON \(it starts with "<html>login<\/html>"\): is this URL a Prometheus\?/],
    ['[1,2]', /not a JSON object/],
    ['null', /not a JSON object/],
    ['{"status":"success"}', /no status "success" with data/],
    [JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } }), /a matrix, not an instant vector/],
    [JSON.stringify({ status: 'success', data: { resultType: 'vector', result: {} } }), /vector in the answer is malformed/],
    [JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: { a: 1 }, value: [1, '1'] }] } }), /label "a" in the answer is not a string/],
    [JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ value: [1, 1] }] } }), /sample value in the answer is malformed/],
    [JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ value: [1, '0x10'] }] } }), /sample value/],
    [JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ value: ['1', '1'] }] } }), /sample value/],
    [JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [1] } }), /scalar in the answer is malformed/],
    [JSON.stringify({ status: 'success', data: { resultType: 'vector', result: Array.from({ length: 1001 }, () => ({ value: [1, '1'] })) } }), /1001 series \(at most 1000/],
    ['x'.repeat(MAX_ANSWER_BYTES + 1), /larger than 1024 KiB/],
  ];
  for (const [body, re] of cases) {
    const a = parseQueryAnswer(body);
    assert.equal(a.ok, false, body.slice(0, 80));
    assert.match((a as { error: string }).error, re);
    assert.ok((a as { error: string }).error.length < 400, 'error text is bounded');
  }
  // remote error text is clipped
  const long = parseQueryAnswer(JSON.stringify({ status: 'error', error: 'e'.repeat(10_000) }));
  assert.ok(!long.ok && long.error.length < 300);
});

test('property: any JSON-ish or random text gives an answer or an error, never a throw, within a bound', () => {
  const seed = Number(process.env.PROM_SEED ?? Date.now() % 1_000_000);
  const random = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const atoms = [null, true, 0, -1, 1.5, 'NaN', '+Inf', '1', '', 'x', [], {}, [1, '2'], ['1', 2], { a: 'b' }, { value: [1, '1'] }];
  const gen = (depth: number): unknown => {
    if (depth > 3 || random() < 0.3) return pick(atoms);
    if (random() < 0.5) return Array.from({ length: Math.floor(random() * 4) }, () => gen(depth + 1));
    const keys = ['status', 'data', 'resultType', 'result', 'metric', 'value', 'error', 'errorType', 'x'];
    return Object.fromEntries(Array.from({ length: Math.floor(random() * 5) }, () => [pick(keys), random() < 0.3 ? pick(['success', 'error', 'vector', 'scalar']) : gen(depth + 1)]));
  };
  for (let i = 0; i < 2000; i++) {
    const doc = random() < 0.5 ? { status: 'success', data: { resultType: pick(['vector', 'scalar']), result: gen(1) } } : gen(0);
    let body = JSON.stringify(doc) ?? 'undefined';
    if (random() < 0.2) body = body.slice(0, Math.floor(random() * body.length));
    const t0 = Date.now();
    const a = parseQueryAnswer(body);
    assert.ok(Date.now() - t0 < 1000, `case ${i} (seed ${seed}) took too long`);
    if (a.ok) for (const s of a.samples) assert.equal(typeof s.value, 'number', `seed ${seed}`);
    else assert.equal(typeof a.error, 'string', `seed ${seed}`);
  }
});

test('values: numbers as Prometheus writes them; shown with their meaning', () => {
  assert.equal(parseSampleValue('12'), 12);
  assert.equal(parseSampleValue('-0.5e-3'), -0.0005);
  assert.equal(parseSampleValue('1e'), undefined);
  assert.equal(parseSampleValue(' 1'), undefined);
  assert.equal(parseSampleValue('9'.repeat(65)), undefined);
  assert.equal(formatValue(68, 'count'), '68');
  assert.equal(formatValue(0.1 + 0.2, 'count'), '0.3');
  assert.equal(formatValue(1, 'boolean'), '1 (connected)');
  assert.equal(formatValue(0, 'boolean'), '0 (not connected)');
  assert.equal(formatValue(812, 'microseconds'), '812 (0.812 ms)');
  assert.equal(formatValue(NaN, 'microseconds'), 'NaN');
  assert.equal(formatValue(-Infinity, 'count'), '-Inf');
  const [items] = liqoMetricQueries({ kind: 'virtualNode', name: 'vn' });
  assert.equal(metricLine(items!, parseQueryAnswer(vector('68'))), 'Prometheus: sum(liqo_virtual_kubelet_reflection_item_counter) = 68');
  assert.equal(metricLine(items!, parseQueryAnswer(vector())), undefined);
  assert.equal(metricLine(items!, { ok: false, error: 'x' }), undefined);
});

test('tooltip section: source, lines, failure; remote text is inert Markdown', () => {
  assert.deepEqual(prometheusTooltipLines({ asked: false, source: 'no Prometheus service found in c; set its URL in liqo.prometheus.urls', lines: [] }, md), ['', '**Prometheus:** no Prometheus service found in c; set its URL in liqo\\.prometheus\\.urls']);
  assert.deepEqual(prometheusTooltipLines({ asked: true, source: 'http://127.0.0.1:9090/ (liqo.prometheus.urls)', lines: ['Prometheus: liqo_x = 1'] }, md), [
    '',
    '**Prometheus** (http://127\\.0\\.0\\.1:9090/ \\(liqo\\.prometheus\\.urls\\)):',
    '- Prometheus: liqo\\_x = 1',
  ]);
  const failed = prometheusTooltipLines({ asked: true, source: 's', lines: [], error: '[click](command:x) *b*' }, md);
  assert.deepEqual(failed, ['', '**Prometheus** (s):', '- ⚠ \\[click\\]\\(command:x\\) \\*b\\*']);
  assert.match(prometheusTooltipLines({ asked: true, source: 's', lines: [] }, md)[2]!, /no Liqo metric for this row yet/);
});

test("the cluster's Prometheus: recognised services with a selector and a port; the API port preferred; a stable choice", () => {
  const svc = (ns: string, name: string, ports: { port: number; name?: string }[], o: { selector?: boolean; labels?: Record<string, string> } = {}) => ({
    metadata: { name, namespace: ns, ...(o.labels ? { labels: o.labels } : {}) },
    spec: { ...(o.selector === false ? {} : { selector: { app: name } }), ports },
  });
  assert.equal(choosePrometheusService([svc('liqo', 'liqo-auth', [{ port: 443 }]), svc('monitoring', 'prometheus-operated', [{ port: 9090 }], { selector: false })]), undefined);
  assert.deepEqual(
    choosePrometheusService([
      svc('monitoring', 'kps-kube-prometheus-prometheus', [{ port: 8080, name: 'reloader-web' }, { port: 9090, name: 'http-web' }]),
      svc('monitoring', 'kps-prometheus-node-exporter', [{ port: 9100 }]),
      svc('monitoring', 'kps-kube-prometheus-alertmanager', [{ port: 9093 }]),
    ]),
    { namespace: 'monitoring', name: 'kps-kube-prometheus-prometheus', port: 9090 },
  );
  assert.deepEqual(choosePrometheusService([svc('z', 'prometheus-server', [{ port: 80, name: 'http' }]), svc('a', 'prometheus', [{ port: 81, name: 'metrics' }, { port: 82, name: 'web' }], { selector: true })]), { namespace: 'a', name: 'prometheus', port: 82 });
  assert.deepEqual(choosePrometheusService([svc('z', 'prometheus-server', [{ port: 80, name: 'http' }], { labels: { 'app.kubernetes.io/name': 'prometheus' } })]), { namespace: 'z', name: 'prometheus-server', port: 80 });
});
