// Which pod and port a service forward reaches (as kubectl port-forward service/… chooses), which services are
// suggested (Grafana, Prometheus), and when a forward tries again (core/portForward).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseTarget, forwardablePorts, selectorQuery, targetPortOn, wellKnownApp, type PodLike, type ServiceLike } from '../../src/core/portForward/serviceTarget.ts';
import { ReconnectPolicy } from '../../src/core/portForward/reconnectPolicy.ts';
import { mulberry32 } from './seededRandom.ts';

const svc: ServiceLike = { metadata: { name: 'grafana', namespace: 'monitoring' }, spec: { selector: { app: 'g' }, ports: [{ name: 'http', port: 80, targetPort: 'web' }, { port: 53, protocol: 'UDP' }] } };
const pod = (name: string, o: { ready?: boolean; phase?: string; created?: string; deleting?: boolean; labels?: Record<string, string>; port?: number } = {}): PodLike => ({
  metadata: { name, labels: o.labels ?? { app: 'g' }, creationTimestamp: o.created ?? '2026-01-01T00:00:00Z', ...(o.deleting ? { deletionTimestamp: '2026-01-02T00:00:00Z' } : {}) },
  spec: { containers: [{ ports: [{ name: 'web', containerPort: o.port ?? 3000 }] }] },
  status: { phase: o.phase ?? 'Running', conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
});
const http = svc.spec!.ports![0]!;

test('the pod: running and not terminating, Ready first, then the longest running, then by name', () => {
  const pods = [pod('c', { created: '2026-01-03T00:00:00Z' }), pod('b', { ready: false, created: '2025-01-01T00:00:00Z' }), pod('a', { created: '2026-01-02T00:00:00Z' }), pod('z', { deleting: true, created: '2024-01-01T00:00:00Z' }), pod('p', { phase: 'Pending', created: '2024-01-01T00:00:00Z' }), pod('o', { labels: { app: 'other' }, created: '2024-01-01T00:00:00Z' })];
  assert.deepEqual(chooseTarget(svc, http, pods), { ok: true, target: { pod: 'a', port: 3000 } });
  // the pod that just failed is taken only when nothing else runs
  assert.deepEqual(chooseTarget(svc, http, pods, new Set(['a'])), { ok: true, target: { pod: 'c', port: 3000 } });
  assert.deepEqual(chooseTarget(svc, http, [pod('a')], new Set(['a'])), { ok: true, target: { pod: 'a', port: 3000 } });
});

test('no pod, no selector, no such named port: the reason names the service and what is missing', () => {
  assert.deepEqual(chooseTarget(svc, http, [pod('x', { phase: 'Succeeded' })]), { ok: false, reason: "no running pod matches service monitoring/grafana's selector app=g" });
  assert.deepEqual(chooseTarget({ metadata: { name: 'ext', namespace: 'n' }, spec: { ports: [http] } }, http, [pod('a')]), { ok: false, reason: 'service n/ext has no selector, so it names no pod to forward to' });
  const noWeb: PodLike = { ...pod('a'), spec: { containers: [{ ports: [{ name: 'metrics', containerPort: 9090 }] }] } };
  assert.deepEqual(chooseTarget(svc, http, [noWeb]), { ok: false, reason: 'pod a has no container port named "web" (service monitoring/grafana, port 80)' });
});

test('targetPort: absent means the service port, a number or numeric string is that port, a name is looked up', () => {
  const p = pod('a', { port: 8443 });
  assert.equal(targetPortOn({ port: 80 }, p), 80);
  assert.equal(targetPortOn({ port: 80, targetPort: 8080 }, p), 8080);
  assert.equal(targetPortOn({ port: 80, targetPort: '9090' }, p), 9090);
  assert.equal(targetPortOn({ port: 80, targetPort: 'web' }, p), 8443);
  assert.deepEqual(forwardablePorts(svc).map((x) => x.port), [80]);
  assert.equal(selectorQuery({ metadata: { name: 's' }, spec: { selector: { a: '1', b: '2' } } }), 'a=1,b=2');
});

test('Grafana and Prometheus are recognised by their charts\' labels and names, exporters and operators are not', () => {
  const s = (name: string, labels: Record<string, string> = {}): ServiceLike => ({ metadata: { name, labels } });
  assert.equal(wellKnownApp(s('kps-grafana', { 'app.kubernetes.io/name': 'grafana' })), 'Grafana');
  assert.equal(wellKnownApp(s('grafana')), 'Grafana');
  assert.equal(wellKnownApp(s('kps-kube-prometheus-stack-prometheus', { app: 'kube-prometheus-stack-prometheus' })), 'Prometheus');
  assert.equal(wellKnownApp(s('prometheus-server', { 'app.kubernetes.io/name': 'prometheus' })), 'Prometheus');
  assert.equal(wellKnownApp(s('prometheus')), 'Prometheus');
  for (const n of ['kps-prometheus-node-exporter', 'kps-kube-prometheus-operator', 'kps-kube-prometheus-alertmanager', 'grafana-image-renderer', 'liqo-proxy']) assert.equal(wellKnownApp(s(n)), undefined, n);
});

test('reconnect: at once, then doubling with jitter in the upper half of each step, capped; reset starts over', () => {
  const p = new ReconnectPolicy({ initialMs: 100, maxMs: 1000 });
  assert.deepEqual([0, 0, 0, 0, 0, 0, 0].map(() => p.nextDelayMs(0)), [0, 50, 100, 200, 400, 500, 500]);
  p.reset();
  assert.equal(p.nextDelayMs(0.99), 0);
  assert.equal(p.nextDelayMs(0.999999), 100);
  assert.throws(() => new ReconnectPolicy({ initialMs: 0, maxMs: 10 }), /initialMs \(0\)/);
  const r = mulberry32(7);
  const q = new ReconnectPolicy({ initialMs: 250, maxMs: 5000 });
  for (let i = 0; i < 200; i++) {
    const d = q.nextDelayMs(r());
    assert.ok(d >= 0 && d <= 5000, `delay ${d} out of range`);
  }
});
