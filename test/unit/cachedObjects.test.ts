// What the caches keep of a Pod: only the fields the tree reads, and every reader (summary, readiness, placement, the
// pod's row with its tooltip and context value, a ShadowPod's pod state) answers the same from the kept fields as from
// the whole object.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cachedPod, withoutManagedFields } from '../../src/core/liqo/cachedObjects.ts';
import { emptySnapshot, isPodReady, podPlacement, podSummary } from '../../src/core/liqo/snapshot.ts';
import { podRow } from '../../src/core/tree/podNodes.ts';
import { clusterRowKey } from '../../src/core/tree/rowKey.ts';
import type { ClusterTreeContext } from '../../src/core/tree/treeContext.ts';
import type { KubeObject, Pod } from '../../src/core/liqo/objects.ts';

/** A pod as the API server returns it (kwok's shape on the test bed, plus what real pods carry). */
function apiPod(over: { metadata?: object; spec?: object; status?: object } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'app-1-1',
      namespace: 'team-1',
      uid: '5baa9d93-bec6-47a0-99ba-be15f1212bc3',
      resourceVersion: '2484',
      generation: 1,
      creationTimestamp: '2026-11-30T07:41:26Z',
      labels: { app: 'app-1', 'liqo.io/shadowPod': 'true' },
      annotations: { 'example.com/rollout': 'r1', 'kubectl.kubernetes.io/last-applied-configuration': '{"big":"manifest"}' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'app-1-abc', uid: 'u' }],
      managedFields: [{ manager: 'kubectl', operation: 'Update' }],
      ...over.metadata,
    },
    spec: {
      nodeName: 'liqo-provider',
      containers: [{ name: 'main', image: 'nginx:1.27', env: [{ name: 'MODE', value: 'blue' }], volumeMounts: [{ name: 'token', mountPath: '/var/run/secrets' }] }],
      tolerations: [{ key: 'virtual-node.liqo.io/not-allowed', operator: 'Exists', effect: 'NoExecute' }],
      volumes: [{ name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }],
      ...over.spec,
    },
    status: {
      phase: 'Running',
      conditions: [
        { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-11-30T07:41:26Z' },
        { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-11-30T07:41:26Z' },
      ],
      containerStatuses: [
        {
          name: 'main',
          image: 'nginx:1.27',
          imageID: 'nginx@sha256:00',
          containerID: 'containerd://main',
          ready: true,
          started: true,
          restartCount: 2,
          lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: 't0', finishedAt: 't1' } },
          state: { running: { startedAt: '2026-11-30T07:41:26Z' } },
        },
      ],
      hostIP: '127.0.0.1',
      podIP: '10.100.0.2',
      podIPs: [{ ip: '10.100.0.2' }],
      qosClass: 'BestEffort',
      startTime: '2026-11-30T07:41:26Z',
      ...over.status,
    },
  } as KubeObject;
}

const VARIANTS: Record<string, KubeObject> = {
  running: apiPod(),
  'remote unavailable': apiPod({ metadata: { labels: { app: 'a', 'liqo.io/remote-unavailable': 'true' } } }),
  'crash looping': apiPod({ status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [{ name: 'main', ready: false, restartCount: 7, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container' } } }] } }),
  'OOM killed': apiPod({ status: { phase: 'Failed', containerStatuses: [{ name: 'main', state: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: 'a', finishedAt: 'b', containerID: 'x' } } }] } }),
  evicted: apiPod({ status: { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.', conditions: undefined, containerStatuses: undefined } }),
  terminating: apiPod({ metadata: { deletionTimestamp: '2026-11-30T08:00:00Z', deletionGracePeriodSeconds: 30 } }),
  unscheduled: apiPod({ spec: { nodeName: undefined }, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }], containerStatuses: undefined } }),
  local: apiPod({ spec: { nodeName: 'worker-1' } }),
  succeeded: apiPod({ status: { phase: 'Succeeded', conditions: [], containerStatuses: [{ name: 'main', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] } }),
};

const vnIndex = new Map<string, string | undefined>([['liqo-provider', 'provider-id']]);
const ctx: ClusterTreeContext = { base: clusterRowKey('/k#a'), entryId: '/k#a', snapshot: emptySnapshot(), contextsFor: () => [] };
const parent = clusterRowKey('/k#a');

/** The whole object as JSON would have it (absent fields dropped), so both sides compare field by field. */
const json = (o: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(o)) as Record<string, unknown>;

test('a cached pod keeps only the fields the tree reads', () => {
  assert.deepEqual(json(cachedPod(VARIANTS.running!)), {
    metadata: { name: 'app-1-1', namespace: 'team-1', uid: '5baa9d93-bec6-47a0-99ba-be15f1212bc3', resourceVersion: '2484', labels: { app: 'app-1', 'liqo.io/shadowPod': 'true' } },
    spec: { nodeName: 'liqo-provider' },
    status: {
      phase: 'Running',
      conditions: [
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: 'True' },
      ],
      containerStatuses: [{ name: 'main', ready: true, restartCount: 2, state: { running: {} } }],
    },
  });
  assert.deepEqual(json(cachedPod(VARIANTS['OOM killed']!)).status, { phase: 'Failed', conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'main', state: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }] });
  assert.deepEqual(json(cachedPod(VARIANTS.evicted!)).status, { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' });
  assert.equal(cachedPod(VARIANTS.terminating!).metadata.deletionTimestamp, '2026-11-30T08:00:00Z');
  assert.deepEqual(json(cachedPod(VARIANTS.unscheduled!)).spec, {});
});

test('every reader answers the same from a cached pod as from the whole pod', () => {
  for (const [what, whole] of Object.entries(VARIANTS)) {
    const full = withoutManagedFields(whole) as Pod;
    const kept = cachedPod(whole);
    assert.deepEqual(podSummary(kept), podSummary(full), `${what}: summary`);
    assert.equal(isPodReady(kept), isPodReady(full), `${what}: ready`);
    assert.deepEqual(podPlacement(kept, vnIndex), podPlacement(full, vnIndex), `${what}: placement`);
    // The row with its description, tooltip, icon and context value; rendered under both parents a pod has.
    assert.deepEqual(podRow(ctx, parent, kept, vnIndex), podRow(ctx, parent, full, vnIndex), `${what}: row`);
    assert.deepEqual(podRow(ctx, parent, kept, vnIndex, 'extra'), podRow(ctx, parent, full, vnIndex, 'extra'), `${what}: row with extra text`);
  }
});

test('a pod without status or spec (a watch event of a half-made object) is kept as it is', () => {
  assert.deepEqual(json(cachedPod({ metadata: { name: 'p', namespace: 'ns' } })), { metadata: { name: 'p', namespace: 'ns' } });
});

test('other kinds lose only managedFields; an object without them is kept as the same object', () => {
  const vn = { metadata: { name: 'vn', namespace: 't', managedFields: [{ manager: 'x' }], annotations: { a: 'b' } }, spec: { clusterID: 'c' } } as KubeObject;
  assert.deepEqual(withoutManagedFields(vn), { metadata: { name: 'vn', namespace: 't', annotations: { a: 'b' } }, spec: { clusterID: 'c' } });
  const plain: KubeObject = { metadata: { name: 'x' } };
  assert.equal(withoutManagedFields(plain), plain);
});
