// Capacity sums (core/capacity): a pod's effective request as the scheduler counts it (k8s.io/component-helpers
// resource.PodRequests), what the pods on a virtual node request against what it was granted, and the pod cache
// keeping exactly what those sums read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuantity, formatQuantity } from '../../src/core/capacity/quantity.ts';
import { podRequests, requestedBy } from '../../src/core/capacity/podRequests.ts';
import { capacityLineText, capacityTooltip, virtualNodeCapacity } from '../../src/core/capacity/capacity.ts';
import { cachedPod } from '../../src/core/liqo/cachedObjects.ts';
import { emptySnapshot, type ClusterSnapshot } from '../../src/core/liqo/snapshot.ts';
import { capacityOfPeering, capacityOfVirtualNode } from '../../src/core/tree/virtualNodeNodes.ts';
import type { Pod } from '../../src/core/liqo/objects.ts';

type C = { name?: string; requests?: Record<string, string>; limits?: Record<string, string>; restartPolicy?: string };
const container = (c: C, i: number) => ({ name: c.name ?? `c${i}`, image: 'busybox', resources: { ...(c.requests ? { requests: c.requests } : {}), ...(c.limits ? { limits: c.limits } : {}) }, ...(c.restartPolicy ? { restartPolicy: c.restartPolicy } : {}) });
function pod(o: { containers: C[]; init?: C[]; overhead?: Record<string, string>; phase?: string; node?: string; name?: string }): Pod {
  return {
    metadata: { name: o.name ?? 'p', namespace: 'team' },
    spec: { nodeName: o.node ?? 'liqo-gpu', containers: o.containers.map(container), ...(o.init ? { initContainers: o.init.map(container) } : {}), ...(o.overhead ? { overhead: o.overhead } : {}) },
    status: { phase: o.phase ?? 'Running' },
  } as unknown as Pod;
}
const asObject = (m: Map<string, number>) => Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)));

test('quantities: decimal and binary suffixes, milli, exponents; garbage is no quantity', () => {
  assert.equal(parseQuantity('500m'), 0.5);
  assert.equal(parseQuantity('2'), 2);
  assert.equal(parseQuantity('1Gi'), 2 ** 30);
  assert.equal(parseQuantity('1G'), 1e9);
  assert.equal(parseQuantity('1e3'), 1000);
  assert.equal(parseQuantity('1.5Ki'), 1536);
  assert.equal(parseQuantity('10x'), undefined);
  assert.equal(formatQuantity('cpu', 0.1 + 0.2), '300m');
  assert.equal(formatQuantity('cpu', 4), '4');
  assert.equal(formatQuantity('memory', 1.5 * 2 ** 30), '1.5Gi');
  assert.equal(formatQuantity('nvidia.com/gpu', 3), '3');
});

test('requests of app containers add up; limits are not requests', () => {
  const p = pod({ containers: [{ requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '2', memory: '1Gi' } }, { requests: { cpu: '250m' }, limits: { memory: '8Gi' } }] });
  assert.deepEqual(asObject(podRequests(p)), { cpu: 0.5, memory: 64 * 2 ** 20 });
});

test('extended resources count like the others', () => {
  const p = pod({ containers: [{ requests: { 'nvidia.com/gpu': '2', cpu: '1' } }, { requests: { 'nvidia.com/gpu': '1', 'example.com/fpga': '1' } }] });
  assert.deepEqual(asObject(podRequests(p)), { cpu: 1, 'example.com/fpga': 1, 'nvidia.com/gpu': 3 });
});

test('init containers: the largest one counts when it exceeds the app containers, per resource', () => {
  const p = pod({ containers: [{ requests: { cpu: '500m', memory: '1Gi' } }], init: [{ requests: { cpu: '2', memory: '64Mi' } }, { requests: { cpu: '1', 'nvidia.com/gpu': '1' } }] });
  assert.deepEqual(asObject(podRequests(p)), { cpu: 2, memory: 2 ** 30, 'nvidia.com/gpu': 1 });
});

test('sidecars (init containers with restartPolicy Always) add to the app containers and to later init containers', () => {
  // As PodRequests: sidecar 100m runs with the app (500m) → 600m; the init after it needs 1 + 100m = 1100m → max.
  const p = pod({ containers: [{ requests: { cpu: '500m' } }], init: [{ requests: { cpu: '100m' }, restartPolicy: 'Always' }, { requests: { cpu: '1' } }] });
  assert.equal(podRequests(p).get('cpu'), 1.1);
  // An init container that ran before the sidecar started does not add it.
  const q = pod({ containers: [{ requests: { cpu: '500m' } }], init: [{ requests: { cpu: '550m' } }, { requests: { cpu: '100m' }, restartPolicy: 'Always' }] });
  assert.equal(podRequests(q).get('cpu'), 0.6);
});

test('pod overhead is added', () => {
  const p = pod({ containers: [{ requests: { cpu: '1', memory: '1Gi' } }], overhead: { cpu: '250m', memory: '120Mi' } });
  assert.deepEqual(asObject(podRequests(p)), { cpu: 1.25, memory: 2 ** 30 + 120 * 2 ** 20 });
});

test('terminal pods (Succeeded, Failed) request nothing and are not counted as pods', () => {
  const sum = requestedBy([
    pod({ containers: [{ requests: { 'nvidia.com/gpu': '1' } }] }),
    pod({ containers: [{ requests: { 'nvidia.com/gpu': '1' } }], phase: 'Pending' }),
    pod({ containers: [{ requests: { 'nvidia.com/gpu': '1' } }], phase: 'Succeeded' }),
    pod({ containers: [{ requests: { 'nvidia.com/gpu': '1' } }], phase: 'Failed' }),
  ]);
  assert.deepEqual(asObject(sum), { 'nvidia.com/gpu': 2, pods: 2 });
});

test('a virtual node: granted against requested, in the words the row shows', () => {
  const pods = [pod({ containers: [{ requests: { cpu: '1500m', memory: '2Gi', 'nvidia.com/gpu': '3' } }] })];
  const c = virtualNodeCapacity({ cpu: '4', memory: '8Gi', pods: '110', 'nvidia.com/gpu': '4', 'ephemeral-storage': '100Gi' }, undefined, pods);
  assert.deepEqual(c.lines.map(capacityLineText), ['cpu 1500m of 4 requested', 'memory 2Gi of 8Gi requested', 'pods 1 of 110 requested', 'nvidia.com/gpu 3 of 4 requested']);
  assert.equal(capacityTooltip(c).at(-1), '  - nvidia.com/gpu: 4 granted, 3 requested');
  assert.equal(c.grantedBy, "the virtual node's allocatable");
  const bySlice = virtualNodeCapacity(undefined, { 'nvidia.com/gpu': '4' }, []);
  assert.deepEqual(bySlice.lines.map(capacityLineText), ['nvidia.com/gpu 0 of 4 requested']);
});

test('the pod cache keeps what the sums read: the same requests from a cached pod as from the whole one', () => {
  const whole = pod({ containers: [{ requests: { cpu: '1' }, limits: { cpu: '2' } }, { name: 'nothing' }], init: [{ requests: { cpu: '100m' }, restartPolicy: 'Always' }], overhead: { cpu: '10m' } });
  const cached = cachedPod(whole);
  assert.deepEqual(asObject(podRequests(cached)), asObject(podRequests(whole)));
  assert.equal(JSON.stringify(cached).includes('limits'), false, 'limits are not kept');
  assert.equal(JSON.stringify(cached).includes('busybox'), false, 'images are not kept');
  const plain = cachedPod(pod({ containers: [{ name: 'main' }] }));
  assert.deepEqual(plain.spec, { nodeName: 'liqo-gpu' }, 'no containers kept when none requests anything');
});

test('a virtual node and its peering in a snapshot; no sums while pods are not watched', () => {
  const base = emptySnapshot();
  const ready = Object.fromEntries(Object.keys(base.kinds).map((k) => [k, { kind: 'ready' }])) as unknown as ClusterSnapshot['kinds'];
  const s = {
    ...base,
    kinds: ready,
    virtualNodes: [{ metadata: { name: 'liqo-gpu', namespace: 't' }, spec: { clusterID: 'gpu-provider' } }],
    nodes: [{ metadata: { name: 'liqo-gpu', labels: { 'liqo.io/remote-cluster-id': 'gpu-provider' } }, status: { allocatable: { 'nvidia.com/gpu': '4', pods: '110' } } }],
    pods: [pod({ containers: [{ requests: { 'nvidia.com/gpu': '3' } }] }), pod({ containers: [{ requests: { 'nvidia.com/gpu': '1' } }], node: 'worker' })],
  } as unknown as ClusterSnapshot;
  assert.deepEqual(capacityOfVirtualNode(s, 'liqo-gpu').lines.map(capacityLineText), ['pods 1 of 110 requested', 'nvidia.com/gpu 3 of 4 requested']);
  assert.deepEqual(capacityOfPeering(s, 'gpu-provider')?.lines.map(capacityLineText), ['pods 1 of 110 requested', 'nvidia.com/gpu 3 of 4 requested']);
  assert.equal(capacityOfPeering(s, 'other'), undefined);
  assert.equal(capacityOfPeering({ ...s, kinds: { ...ready, pods: { kind: 'loading' } } }, 'gpu-provider'), undefined);
});
