// Alert transitions (core/alerts): what the tree's snapshot says is failing, and the rules that turn successive
// observations into few alerts — first load, flapping, recovery, mute. Plain data in, no VS Code, no clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AlertTransitions, alertMessage, coalesce, DEFAULT_ALERT_RULES, type ClusterUpdate } from '../../src/core/alerts/transitions.ts';
import { observeCluster, type ClusterInput } from '../../src/core/alerts/watched.ts';
import { emptySnapshot, type ClusterSnapshot } from '../../src/core/liqo/snapshot.ts';
import { ClusterRows } from '../../src/core/tree/clusterRows.ts';
import { clusterRowKey } from '../../src/core/tree/rowKey.ts';

const ENTRY = '/k#consumer';
const reachable = { kind: 'reachable', serverVersion: 'v1.32.0' } as const;
const down = { kind: 'failed', problem: { kind: 'unreachable', summary: 'Connection refused (127.0.0.1:6443)', hint: 'Start the API server.' } } as unknown as ClusterInput['state'];

function snapshot(o: { peeringStatus?: 'Established' | 'Error'; nodeReady?: boolean; slice?: 'Accepted' | 'Denied'; phase?: 'Ready' | 'AllFailed' }): ClusterSnapshot {
  const base = emptySnapshot();
  const kinds = Object.fromEntries(Object.keys(base.kinds).map((k) => [k, { kind: 'ready' }])) as unknown as ClusterSnapshot['kinds'];
  const fc = {
    metadata: { name: 'provider' },
    spec: { clusterID: 'provider' },
    status: { role: 'Provider', modules: { networking: { enabled: false }, authentication: { enabled: true, conditions: [{ type: 'AuthIdentityControlPlaneStatus', status: 'Established' }] }, offloading: { enabled: true, conditions: [{ type: 'OffloadingVirtualNodeStatus', status: 'Ready' }] } }, conditions: [{ type: 'APIServerStatus', status: o.peeringStatus ?? 'Established' }] },
  };
  const vn = { metadata: { name: 'provider', namespace: 'liqo-tenant-provider' }, spec: { clusterID: 'provider' } };
  const node = { metadata: { name: 'provider', labels: { 'liqo.io/remote-cluster-id': 'provider' } }, status: { conditions: [{ type: 'Ready', status: o.nodeReady === false ? 'False' : 'True', reason: o.nodeReady === false ? 'KubeletNotReady' : undefined }] } };
  const slice = { metadata: { name: 'provider', namespace: 'liqo-tenant-provider' }, spec: { providerClusterID: 'provider' }, status: { conditions: [{ type: 'Resources', status: o.slice ?? 'Accepted' }] } };
  const off = { metadata: { name: 'offloading', namespace: 'team' }, status: { offloadingPhase: o.phase ?? 'Ready' } };
  return { ...base, kinds, foreignClusters: [fc], virtualNodes: [vn], nodes: [node], resourceSlices: [slice], offloadings: [off] } as unknown as ClusterSnapshot;
}

function update(state: ClusterInput['state'], s: ClusterSnapshot | undefined, entryId = ENTRY, contextName = 'ctx-consumer'): ClusterUpdate {
  return { entryId, contextName, ...observeCluster({ entryId, contextName, state, snapshot: s }) };
}

const healthy = () => update(reachable, snapshot({}));
const broken = () => update(reachable, snapshot({ peeringStatus: 'Error', nodeReady: false }));

test('observations: each watched object with its state in the tree\'s words, and the row that shows it exists in the tree', () => {
  const s = snapshot({ peeringStatus: 'Error', nodeReady: false, slice: 'Denied', phase: 'AllFailed' });
  const { observations } = observeCluster({ entryId: ENTRY, contextName: 'ctx-consumer', state: reachable, snapshot: s });
  const byKind = Object.fromEntries(observations.map((o) => [o.kind, o]));
  assert.deepEqual(Object.keys(byKind).sort(), ['cluster', 'offloading', 'peering', 'resourceSlice', 'virtualNode']);
  assert.equal(byKind.cluster!.failing, false);
  assert.equal(byKind.peering!.what, 'Peering with provider');
  assert.match(byKind.peering!.why!, /Remote API server: the peer's API server does not answer/);
  assert.match(byKind.virtualNode!.why!, /NotReady \(KubeletNotReady\)/);
  assert.match(byKind.resourceSlice!.why!, /Resources Denied/);
  assert.match(byKind.offloading!.why!, /AllFailed: the remote namespace could not be created/);
  const rows = new ClusterRows({ base: clusterRowKey(ENTRY), entryId: ENTRY, snapshot: s, contextsFor: () => [] });
  for (const o of observations) {
    const [clusterRow, ...below] = o.rowPath;
    assert.equal(clusterRow, `cluster:${encodeURIComponent(ENTRY)}`);
    for (const id of below) assert.ok(rows.has(id), `${o.kind}: row ${id} exists`);
  }
});

test('first load: states already bad raise nothing; a cluster unreachable at start raises nothing', () => {
  const t = new AlertTransitions();
  assert.deepEqual(t.update(0, [broken(), update(down, undefined, '/k#other', 'ctx-other')]), []);
  assert.deepEqual(t.update(60_000, [broken(), update(down, undefined, '/k#other', 'ctx-other')]), []);
  assert.equal(t.nextDue(), undefined);
});

test('healthy → failing is announced once after it persisted; recovery announced once after it persisted', () => {
  const t = new AlertTransitions();
  t.update(0, [healthy()]);
  assert.deepEqual(t.update(1_000, [broken()]), [], 'not before the hold time');
  assert.equal(t.nextDue(), 1_000 + DEFAULT_ALERT_RULES.failAfterMs);
  const fired = t.tick(11_000);
  assert.deepEqual(fired.map((a) => [a.type, a.observation.kind]).sort(), [['failing', 'peering'], ['failing', 'virtualNode']]);
  const [group, ...others] = coalesce(fired);
  assert.equal(others.length, 0, 'one notification for the cluster');
  assert.equal(group!.alerts[0]!.observation.kind, 'peering', 'the peering first');
  assert.equal(alertMessage(group!), "Liqo: Peering with provider on ctx-consumer is failing — Remote API server: the peer's API server does not answer from this cluster (on the peer cluster) (and 1 more: Virtual node provider).");
  assert.deepEqual(t.update(20_000, [broken()]), [], 'still failing: nothing new');
  assert.deepEqual(t.update(30_000, [healthy()]), []);
  const rec = t.tick(40_000);
  assert.deepEqual(rec.map((a) => a.type), ['recovered', 'recovered']);
  assert.equal(alertMessage(coalesce(rec)[0]!), 'Liqo: Peering with provider on ctx-consumer recovered (and 1 more: Virtual node provider).');
  assert.deepEqual(t.update(100_000, [healthy()]), [], 'recovery announced once');
});

test('a cluster that becomes unreachable is announced; its unobserved objects keep their state', () => {
  const t = new AlertTransitions();
  t.update(0, [healthy()]);
  t.update(1_000, [update(down, undefined)]);
  const fired = t.tick(12_000);
  assert.deepEqual(fired.map((a) => a.observation.kind), ['cluster']);
  assert.match(alertMessage(coalesce(fired)[0]!), /^Liqo: Cluster ctx-consumer is failing — unreachable: Connection refused/);
  t.update(13_000, [healthy()]);
  assert.deepEqual(t.tick(30_000).map((a) => [a.type, a.observation.kind]), [['recovered', 'cluster']]);
});

test('flapping: 20 flaps in a minute raise at most 2 failures and their 2 recoveries, whatever the timing', () => {
  for (let seed = 1; seed <= 200; seed++) {
    let x = seed;
    const rand = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const t = new AlertTransitions();
    let now = 0;
    const alerts = [...t.update(now, [healthy()])];
    // 20 flaps (failing then healthy) at random instants within one minute, ticking often in between.
    const instants = Array.from({ length: 40 }, () => Math.floor(rand() * 60_000)).sort((a, b) => a - b);
    instants.forEach((at, i) => {
      for (; now < at; now += 500) alerts.push(...t.tick(now));
      now = at;
      alerts.push(...t.update(now, [i % 2 === 0 ? broken() : healthy()]));
    });
    for (; now < 120_000; now += 500) alerts.push(...t.tick(now));
    const perObject = new Map<string, string[]>();
    for (const a of alerts) perObject.set(a.observation.key, [...(perObject.get(a.observation.key) ?? []), a.type]);
    for (const [key, types] of perObject) {
      assert.ok(types.filter((y) => y === 'failing').length <= 2, `seed ${seed} ${key}: ${types}`);
      assert.ok(types.length <= 4, `seed ${seed} ${key}: ${types}`);
      // every announced failure gets its recovery, none without one
      assert.equal(types.filter((y) => y === 'recovered').length, types.filter((y) => y === 'failing').length, `seed ${seed} ${key}: ${types}`);
    }
  }
});

test('flapping faster than the hold time raises nothing at all', () => {
  const t = new AlertTransitions();
  t.update(0, [healthy()]);
  const alerts = [];
  for (let i = 0; i < 40; i++) alerts.push(...t.update(1_500 * (i + 1), [i % 2 === 0 ? broken() : healthy()]));
  for (let now = 60_000; now < 120_000; now += 1_000) alerts.push(...t.tick(now));
  assert.deepEqual(alerts, []);
});

test('rate limit: a third failure within the window is not announced, and its recovery neither', () => {
  const t = new AlertTransitions();
  t.update(0, [healthy()]);
  const types: string[] = [];
  for (let cycle = 0; cycle < 3; cycle++) {
    const start = 1_000 + cycle * 40_000;
    t.update(start, [broken()]);
    const f = t.tick(start + 10_000);
    types.push(...f.filter((a) => a.observation.kind === 'peering').map((a) => (a.lastInWindow ? 'failing(last)' : a.type)));
    t.update(start + 20_000, [healthy()]);
    types.push(...t.tick(start + 30_000).filter((a) => a.observation.kind === 'peering').map((a) => a.type));
  }
  assert.deepEqual(types, ['failing', 'recovered', 'failing(last)', 'recovered']);
  // After the window, failures are announced again.
  t.update(700_000, [broken()]);
  assert.deepEqual(t.tick(710_000).filter((a) => a.observation.kind === 'peering').map((a) => a.type), ['failing']);
});

test('mute: a muted cluster produces nothing, and unmuting starts from a baseline', () => {
  const t = new AlertTransitions();
  const muted = new Set<string>(['ctx-consumer']);
  const isMuted = (c: string) => muted.has(c);
  t.update(0, [healthy()], isMuted);
  assert.equal(t.size, 0, 'nothing tracked for a muted cluster');
  t.update(1_000, [broken()], isMuted);
  assert.deepEqual(t.tick(60_000), []);
  // muted while a failure was pending: the pending change is dropped
  const u = new AlertTransitions();
  u.update(0, [healthy()]);
  u.update(1_000, [broken()]);
  u.update(2_000, [broken()], () => true);
  assert.deepEqual(u.tick(60_000), []);
  // unmuted while still broken: baseline, no alert
  muted.clear();
  assert.deepEqual(t.update(70_000, [broken()], isMuted), []);
  assert.deepEqual(t.tick(200_000), []);
});

test('an object gone from a kind still watched is forgotten; one of a kind not watched now is kept', () => {
  const t = new AlertTransitions();
  t.update(0, [healthy()]);
  const n = t.size;
  const s = snapshot({});
  const withoutOffloading = { ...s, offloadings: [] };
  t.update(1_000, [update(reachable, withoutOffloading)]);
  assert.equal(t.size, n - 1);
  const notWatched = { ...withoutOffloading, kinds: { ...s.kinds, virtualnodes: { kind: 'loading' } }, virtualNodes: [], nodes: [] } as ClusterSnapshot;
  t.update(2_000, [update(reachable, notWatched)]);
  assert.equal(t.size, n - 1, 'virtual node and slice kept while their watch is not ready');
});

// The provider of the consumer above, as its own kubeconfig entry: its cluster ID comes from Liqo's ConfigMap.
const PROVIDER_ENTRY = '/k#provider';
const providerUp = () => {
  const s = { ...emptySnapshot(), configMaps: [{ metadata: { name: 'liqo-clusterid-configmap', namespace: 'liqo' }, data: { CLUSTER_ID: 'provider' } }] } as unknown as ClusterSnapshot;
  return update(reachable, s, PROVIDER_ENTRY, 'ctx-provider');
};
const providerDown = () => update(down, undefined, PROVIDER_ENTRY, 'ctx-provider');

test('one outage, one alert: the consumer\'s peering and virtual node failing while their provider is unreachable are part of its alert, and so is their recovery', () => {
  const t = new AlertTransitions();
  assert.equal(providerUp().observations[0]!.clusterId, 'provider', 'the cluster ID is read from the ConfigMap');
  assert.deepEqual(broken().observations.filter((o) => o.peerClusterId).map((o) => [o.kind, o.peerClusterId]), [['peering', 'provider'], ['virtualNode', 'provider'], ['resourceSlice', 'provider']]);
  t.update(0, [healthy(), providerUp()]);
  t.update(1_000, [healthy(), providerDown()]);
  const first = t.tick(11_000);
  assert.deepEqual(first.map((a) => [a.type, a.observation.what]), [['failing', 'Cluster ctx-provider']]);
  // Liqo marks the peering (APIServerStatus Error) and, later, the virtual node failing: nothing announced.
  assert.deepEqual(t.update(20_000, [broken(), providerDown()]), []);
  assert.deepEqual(t.tick(35_000), [], 'the consequences are not announced');
  t.update(60_000, [broken(), providerUp()]);
  assert.deepEqual(t.tick(70_000).map((a) => [a.type, a.observation.what]), [['recovered', 'Cluster ctx-provider']]);
  // The consumer side recovers within the grace after the provider's recovery: silently.
  t.update(100_000, [healthy(), providerUp()]);
  assert.deepEqual(t.tick(111_000), []);
  assert.deepEqual(t.tick(70_000 + DEFAULT_ALERT_RULES.peerRecoveryGraceMs + 1_000), []);
  assert.equal(t.nextDue(), undefined);
});

test('a consequence still failing after its provider recovered and the grace passed is announced then, and its recovery too', () => {
  const t = new AlertTransitions();
  t.update(0, [healthy(), providerUp()]);
  t.update(1_000, [broken(), providerDown()]);
  assert.deepEqual(t.tick(11_000).map((a) => a.observation.what), ['Cluster ctx-provider'], 'the peer first, then the consumer: one alert');
  t.update(20_000, [broken(), providerUp()]);
  assert.deepEqual(t.tick(30_000).map((a) => [a.type, a.observation.what]), [['recovered', 'Cluster ctx-provider']]);
  assert.equal(t.nextDue(), 30_000 + DEFAULT_ALERT_RULES.peerRecoveryGraceMs, 'looks again when the grace ends');
  assert.deepEqual(t.tick(30_000 + DEFAULT_ALERT_RULES.peerRecoveryGraceMs - 1), []);
  const late = t.tick(30_000 + DEFAULT_ALERT_RULES.peerRecoveryGraceMs);
  assert.deepEqual(late.map((a) => [a.type, a.observation.kind]).sort(), [['failing', 'peering'], ['failing', 'virtualNode']]);
  t.update(200_000, [healthy(), providerUp()]);
  assert.deepEqual(t.tick(211_000).map((a) => a.type), ['recovered', 'recovered']);
});

// The consumer's row collapsed: its virtual nodes, slices and offloadings are not watched (their kinds not ready).
const collapsed = () => {
  const s = snapshot({});
  const notWatched = { ...s.kinds, virtualnodes: { kind: 'loading' }, virtualNodeNodes: { kind: 'loading' }, resourceslices: { kind: 'loading' }, namespaceoffloadings: { kind: 'loading' } };
  return update(reachable, { ...s, kinds: notWatched, virtualNodes: [], nodes: [], resourceSlices: [], offloadings: [] } as unknown as ClusterSnapshot);
};

test('a consequence whose kind is no longer watched (its cluster collapsed) is neither announced nor recovered until seen again', () => {
  const t = new AlertTransitions();
  t.update(0, [healthy(), providerUp()]);
  t.update(1_000, [broken(), providerDown()]);
  assert.deepEqual(t.tick(11_000).map((a) => a.observation.what), ['Cluster ctx-provider']);
  t.update(20_000, [broken(), providerUp()]);
  assert.deepEqual(t.tick(30_000).map((a) => [a.type, a.observation.what]), [['recovered', 'Cluster ctx-provider']]);
  // The user collapses the consumer before the grace ends: its peering is still watched (and healthy now), its
  // virtual node is not. What the virtual node showed last (NotReady) says nothing about it now.
  assert.deepEqual(t.update(40_000, [collapsed(), providerUp()]), []);
  const grace = 30_000 + DEFAULT_ALERT_RULES.peerRecoveryGraceMs;
  assert.deepEqual(t.tick(grace + 60_000), [], 'no alert from a virtual node no longer watched');
  assert.equal(t.nextDue(), undefined, 'nothing pending while it is not watched');
  // Expanded again and Ready: nothing to say. NotReady again later: a failure of its own, announced after its hold.
  assert.deepEqual(t.update(grace + 70_000, [healthy(), providerUp()]), []);
  assert.deepEqual(t.tick(grace + 90_000), []);
  assert.deepEqual(t.update(grace + 100_000, [update(reachable, snapshot({ nodeReady: false })), providerUp()]), []);
  assert.deepEqual(t.tick(grace + 111_000).map((a) => [a.type, a.observation.kind]), [['failing', 'virtualNode']]);
});

test('a failure seen just before its kind stopped being watched is announced only if it is still failing when seen again', () => {
  const t = new AlertTransitions();
  t.update(0, [healthy()]);
  t.update(1_000, [update(reachable, snapshot({ nodeReady: false }))]);
  t.update(2_000, [collapsed()]);
  assert.deepEqual(t.tick(60_000), [], 'not confirmed while not watched');
  const seenAgain = t.update(61_000, [update(reachable, snapshot({ nodeReady: false }))]);
  assert.deepEqual(seenAgain.map((a) => [a.type, a.observation.kind]), [['failing', 'virtualNode']], 'failing since 1 s, seen failing again: held long enough');
});

test('a peer cluster reachable does not hold back its consumer\'s failures', () => {
  const t = new AlertTransitions();
  t.update(0, [healthy(), providerUp()]);
  t.update(1_000, [broken(), providerUp()]);
  assert.deepEqual(t.tick(11_000).map((a) => a.observation.kind).sort(), ['peering', 'virtualNode']);
});
