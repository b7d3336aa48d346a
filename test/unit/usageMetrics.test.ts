// Usage from metrics.k8s.io (core/metrics) and an offloaded namespace's pods and requests per remote cluster
// (core/capacity/namespaceCapacity): decoding NodeMetrics/PodMetrics lists as metrics-server writes them, the sums,
// the figures in `kubectl top`'s form, the poll interval, and the tooltip words (including "no metrics API").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeUsages, parseWindow, podUsages, pollSeconds, sumUsage, topCpu, topMemory, percentOf } from '../../src/core/metrics/usage.ts';
import { clusterUsageLines, podUsageLines, virtualNodeUsageLines, NODES_LISTED } from '../../src/core/metrics/usageText.ts';
import { namespaceCapacity, namespaceCapacityTooltip } from '../../src/core/capacity/namespaceCapacity.ts';
import { absentReason } from '../../src/infra/metrics/clusterUsage.ts';
import { KubeApiError } from '../../src/infra/cluster/clusterClient.ts';
import type { Node, Pod } from '../../src/core/liqo/objects.ts';
import { mulberry32 } from './seededRandom.ts';

// Shapes as metrics-server v0.8.0 answers (kubectl get --raw /apis/metrics.k8s.io/v1beta1/...).
const nodeList = {
  kind: 'NodeMetricsList',
  apiVersion: 'metrics.k8s.io/v1beta1',
  items: [
    { metadata: { name: 'cluster-b' }, timestamp: '2026-12-06T18:00:00Z', window: '15.012s', usage: { cpu: '3100123456n', memory: '11840512Ki' } },
    { metadata: { name: 'worker' }, timestamp: '2026-12-06T18:00:01Z', window: '20s', usage: { cpu: '261234567n', memory: '1024000Ki' } },
  ],
};
const podList = {
  kind: 'PodMetricsList',
  items: [
    {
      metadata: { name: 'training-worker-0', namespace: 'kubeflow' },
      timestamp: '2026-12-06T18:00:00Z',
      window: '15s',
      containers: [
        { name: 'pytorch', usage: { cpu: '1500000000n', memory: '6291456Ki' } },
        { name: 'sidecar', usage: { cpu: '1000001n', memory: '1Mi' } },
      ],
    },
    { metadata: { name: 'no-containers', namespace: 'x' }, timestamp: '2026-12-06T18:00:00Z', window: '15s', containers: [] },
  ],
};

test('NodeMetrics and PodMetrics lists: cores and bytes, containers summed, window read', () => {
  const nodes = nodeUsages(nodeList);
  assert.equal(Math.round((nodes.get('cluster-b')?.cpu ?? 0) * 1e9), 3100123456, 'nanocores');
  assert.equal(nodes.get('cluster-b')?.memory, 11840512 * 1024);
  assert.equal(nodes.get('cluster-b')?.windowSeconds, 15.012);
  const pods = podUsages(podList);
  assert.equal(Math.round((pods.get('kubeflow/training-worker-0')?.cpu ?? 0) * 1e9), 1501000001);
  assert.equal(pods.get('kubeflow/training-worker-0')?.memory, 6291456 * 1024 + 2 ** 20);
  assert.deepEqual(pods.get('x/no-containers'), { cpu: 0, memory: 0, timestamp: '2026-12-06T18:00:00Z', windowSeconds: 15 });
  assert.equal(nodeUsages({}).size, 0);
  assert.equal(podUsages(null).size, 0);
  assert.equal(nodeUsages({ items: [{ usage: { cpu: '1' } }] }).size, 0, 'an item without a name is skipped');
});

test('figures in kubectl top form: millicores rounded up (MilliValue), MiB truncated, percent truncated', () => {
  assert.equal(topCpu(3.100123456), '3101m');
  assert.equal(topCpu(1.5), '1500m');
  assert.equal(topCpu(0), '0m');
  assert.equal(topCpu(0.000000001), '1m');
  assert.equal(topMemory(11840512 * 1024), '11563Mi');
  assert.equal(topMemory(2 ** 20 - 1), '0Mi');
  assert.equal(percentOf(3.1, 16), 19);
  assert.equal(percentOf(1, undefined), undefined);
  assert.equal(percentOf(1, 0), undefined);
});

test('Go durations as metrics-server writes windows', () => {
  assert.equal(parseWindow('15s'), 15);
  assert.equal(parseWindow('1m0s'), 60);
  assert.equal(parseWindow('1h2m3.5s'), 3723.5);
  assert.equal(parseWindow('2m'), 120);
  assert.equal(parseWindow(''), undefined);
  assert.equal(parseWindow('soon'), undefined);
  assert.equal(parseWindow('15ms'), undefined);
});

test('poll interval: the metrics\' own window, kept within 10 s .. 5 min; 60 s before any window is known', () => {
  const snap = (w: number) => ({ nodes: new Map([['n', { cpu: 1, memory: 1, timestamp: 't', windowSeconds: w }]]), pods: new Map() });
  assert.equal(pollSeconds(snap(15.012)), 15);
  assert.equal(pollSeconds(snap(2)), 10);
  assert.equal(pollSeconds(snap(900)), 300);
  assert.equal(pollSeconds(undefined), 60);
  assert.equal(pollSeconds({ nodes: new Map(), pods: new Map() }), 60);
});

test('property: summing generated container usages in nanocores/KiB gives the exact kubectl top figures', { timeout: 20_000 }, () => {
  const SEED = Number(process.env.USAGE_SEED ?? 20261206);
  const r = mulberry32(SEED);
  for (let run = 0; run < 500; run++) {
    const started = Date.now();
    const n = 1 + Math.floor(r() * 6);
    const nanos = Array.from({ length: n }, () => Math.floor(r() * 4e9));
    const kib = Array.from({ length: n }, () => Math.floor(r() * 64 * 2 ** 20));
    const list = { items: [{ metadata: { name: 'p', namespace: 'n' }, timestamp: 't', window: '15s', containers: nanos.map((c, i) => ({ usage: { cpu: `${c}n`, memory: `${kib[i]}Ki` } })) }] };
    const u = podUsages(list).get('n/p');
    const totalNanos = nanos.reduce((a, b) => a + b, 0);
    const totalBytes = kib.reduce((a, b) => a + b, 0) * 1024;
    const label = `run ${run} (seed ${SEED}) ${JSON.stringify({ nanos, kib })}`;
    assert.equal(topCpu(u?.cpu ?? -1), `${Math.ceil(totalNanos / 1e6)}m`, label);
    assert.equal(topMemory(u?.memory ?? -1), `${Math.floor(totalBytes / 2 ** 20)}Mi`, label);
    const summed = sumUsage(nanos.map((c, i) => ({ cpu: c / 1e9, memory: (kib[i] ?? 0) * 1024, timestamp: `t${i}`, windowSeconds: 15 })));
    assert.equal(topCpu(summed?.cpu ?? -1), `${Math.ceil(totalNanos / 1e6)}m`, label);
    assert.ok(Date.now() - started < 1000, `${label}: hang`);
  }
});

test('sumUsage: undefined when nothing is known, the latest timestamp otherwise', () => {
  assert.equal(sumUsage([undefined, undefined]), undefined);
  const s = sumUsage([{ cpu: 1, memory: 2, timestamp: '2026-12-06T18:00:00Z', windowSeconds: 15 }, undefined, { cpu: 0.5, memory: 3, timestamp: '2026-12-06T18:00:05Z', windowSeconds: 20 }]);
  assert.deepEqual(s, { cpu: 1.5, memory: 5, timestamp: '2026-12-06T18:00:05Z', windowSeconds: 20 });
});

test('what a failed metrics request means: absent API (404, 503, 403) vs a failure that may pass', () => {
  assert.match(absentReason(new KubeApiError('nf', 404)) ?? '', /not served/);
  assert.match(absentReason(new KubeApiError('unavailable', 503)) ?? '', /APIService is unavailable/);
  assert.match(absentReason(new KubeApiError('forbidden', 403)) ?? '', /not allowed \(403\)/);
  assert.equal(absentReason(new KubeApiError('reset', undefined, 'ECONNRESET')), undefined);
  assert.equal(absentReason(new KubeApiError('boom', 500)), undefined);
  assert.equal(absentReason(new Error('x')), undefined);
});

const available = { kind: 'available' as const, snapshot: { nodes: nodeUsages(nodeList), pods: podUsages(podList) }, readAt: 0 };

test('tooltip lines: pod, virtual node (node and its pods against allocatable), cluster; absent and unknown', () => {
  assert.deepEqual(podUsageLines(available, 'kind-mlops', 'kubeflow/training-worker-0', true), ['**Usage:**', '- CPU: 1502m', '- Memory: 6145Mi', '- From metrics.k8s.io, 15s window ending 2026-12-06T18:00:00Z']);
  assert.match(podUsageLines(available, 'kind-mlops', 'kubeflow/gone', true).join('\n'), /virtual kubelet reports no usage/);
  assert.match(podUsageLines(available, 'kind-mlops', 'kubeflow/gone', false).join('\n'), /running pods only/);
  const absent = { kind: 'absent' as const, reason: 'metrics.k8s.io is not served (no metrics-server)' };
  assert.deepEqual(podUsageLines(absent, 'kind-mlops', 'a/b', false), ['**Usage:**', '- No metrics API on kind-mlops: showing capacity only (metrics.k8s.io is not served (no metrics-server))']);
  assert.match(clusterUsageLines({ kind: 'unknown' }, 'c', new Map()).join('\n'), /Not read yet/);

  const vn = { metadata: { name: 'cluster-b' }, status: { allocatable: { cpu: '16', memory: '64Gi' } } } as unknown as Node;
  assert.deepEqual(virtualNodeUsageLines(available, 'kind-mlops', vn, 'cluster-b', ['kubeflow/training-worker-0', 'kubeflow/llm-finetune-7b']), [
    '**Usage:**',
    '- Node (as its virtual kubelet reports it):',
    '  - CPU: 3101m (19% of allocatable)',
    '  - Memory: 11563Mi (17% of allocatable)',
    '  - From metrics.k8s.io, 15.012s window ending 2026-12-06T18:00:00Z',
    '- Its pods (1 of 2 reported), summed:',
    '  - CPU: 1502m (9% of allocatable)',
    '  - Memory: 6145Mi (9% of allocatable)',
  ]);
  assert.deepEqual(clusterUsageLines(available, 'kind-mlops', new Map([['cluster-b', 'cluster-b']])), [
    '**Usage of nodes:**',
    '- cluster-b (virtual node → cluster-b): CPU 3101m, memory 11563Mi',
    '- worker: CPU 262m, memory 1000Mi',
    '- From metrics.k8s.io (15.012s window)',
  ]);
  const many = new Map(Array.from({ length: NODES_LISTED + 3 }, (_, i) => [`n${String(i).padStart(2, '0')}`, { cpu: 1, memory: 2 ** 20, timestamp: 't', windowSeconds: 15 }] as const));
  const lines = clusterUsageLines({ kind: 'available', snapshot: { nodes: many, pods: new Map() }, readAt: 0 }, 'c', new Map());
  assert.equal(lines.length, 1 + NODES_LISTED + 2);
  assert.equal(lines.at(-2), '- … and 3 more');
});

const nsPod = (name: string, node: string | undefined, requests: Record<string, string>, phase = 'Running', namespace = 'kubeflow'): Pod =>
  ({ metadata: { name, namespace }, spec: { ...(node ? { nodeName: node } : {}), containers: [{ name: 'c', image: 'i', resources: { requests } }] }, status: { phase } }) as unknown as Pod;

test('offloaded namespace: pods and requests per remote cluster, then this cluster, then unscheduled', () => {
  const vnIndex = new Map<string, string | undefined>([['liqo-b', 'cluster-b'], ['liqo-c', 'cluster-c'], ['liqo-nolabel', undefined]]);
  const pods = [
    nsPod('a', 'liqo-b', { cpu: '2', memory: '8Gi', 'nvidia.com/gpu': '1' }),
    nsPod('b', 'liqo-b', { cpu: '1', memory: '4Gi' }),
    nsPod('failed', 'liqo-b', { cpu: '4', memory: '16Gi', 'nvidia.com/gpu': '1' }, 'Failed'),
    nsPod('c', 'liqo-c', { cpu: '500m' }),
    nsPod('local', 'worker', { cpu: '100m', memory: '128Mi' }),
    nsPod('pending', undefined, { cpu: '1' }, 'Pending'),
    nsPod('other-ns', 'liqo-b', { cpu: '7' }, 'Running', 'analytics'),
    nsPod('unlabelled', 'liqo-nolabel', {}),
  ];
  const c = namespaceCapacity('kubeflow', pods, vnIndex);
  assert.deepEqual(namespaceCapacityTooltip(c), [
    '- remote cluster cluster-b: 2 pods (and 1 finished), requesting cpu 3, memory 12Gi, nvidia.com/gpu 1',
    '- remote cluster cluster-c: 1 pod, requesting cpu 500m',
    '- remote cluster liqo-nolabel: 1 pod, requesting nothing',
    '- this cluster: 1 pod, requesting cpu 100m, memory 128Mi',
    '- not scheduled yet: 1 pod, requesting cpu 1',
  ]);
  assert.deepEqual(namespaceCapacityTooltip(namespaceCapacity('empty', pods, vnIndex)), ['- No pods in this namespace']);
});
