// Drift against a known-good record: each change a user makes (or suffers) is one item, in plain words, with its
// side and the action that restores it; an unreachable cluster is one item, never a list of false removals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { federationsOf, observeFederation, type ClusterFacts } from '../../src/core/federation/knownGood.ts';
import { federationDrift } from '../../src/core/federation/drift.ts';
import { driftReport } from '../../src/core/federation/driftReport.ts';
import { foreignCluster, offloading, slice, snapshot, threeClusters } from './federationFixtures.ts';

const recordOf = (facts: ClusterFacts[]) => observeFederation(facts, federationsOf(facts)[0] ?? [], 'T').record;
const reference = recordOf(threeClusters());

function edit(facts: ClusterFacts[], context: string, change: (f: ClusterFacts) => ClusterFacts): ClusterFacts[] {
  return facts.map((f) => (f.entry.contextName === context ? change(f) : f));
}

test('no drift when nothing changed', () => {
  assert.deepEqual(federationDrift(reference, threeClusters()), []);
});

test('unoffload, a strategy changed, a slice deleted and an unpeer are exactly four items, each with its side', () => {
  let now = threeClusters();
  now = edit(now, 'kind-a', (f) => ({
    ...f,
    snapshot: snapshot({
      // unpeered from c (both sides), b's slice deleted, demo unoffloaded and demo2 changed strategy
      foreignClusters: [foreignCluster('b', 'Provider')],
      resourceSlices: [],
      offloadings: [],
    }),
  }));
  now = edit(now, 'kind-c', (f) => ({ ...f, snapshot: snapshot({}) }));
  const ref = recordOf(
    edit(threeClusters(), 'kind-a', (f) => ({ ...f, snapshot: snapshot({ ...f.snapshot!, offloadings: [...f.snapshot!.offloadings, offloading('demo2', 'LocalAndRemote', [])] }) })),
  );
  now = edit(now, 'kind-a', (f) => ({ ...f, snapshot: snapshot({ ...f.snapshot!, offloadings: [offloading('demo2', 'Remote', [])] }) }));
  const items = federationDrift(ref, now);
  assert.deepEqual(
    items.map((i) => [i.kind, i.side]),
    [
      ['slice-removed', 'kind-a (cluster a) → kind-b (cluster b)'],
      ['peering-gone', 'kind-a (cluster a) → kind-c (cluster c)'],
      ['namespace-not-offloaded', 'kind-a (cluster a)'],
      ['offloading-changed', 'kind-a (cluster a)'],
    ],
  );
  assert.match(items[1]!.text, /peering of a \(consumer\) with c \(provider\) is gone/);
  assert.match(items[0]!.text, /ResourceSlice liqo-tenant-b\/b \(cpu=4, memory=8Gi, pods=110\) was removed/);
  assert.match(items[2]!.text, /Namespace demo is no longer offloaded/);
  assert.match(items[3]!.text, /pod offloading strategy is Remote \(was LocalAndRemote\)/);
  for (const i of items) assert.ok(i.restore.length > 0);
});

test('a degraded peering, a changed slice and a changed selector', () => {
  let now = threeClusters({ bHealth: 'Error' });
  now = edit(now, 'kind-a', (f) => ({
    ...f,
    snapshot: snapshot({ ...f.snapshot!, resourceSlices: [slice('b', 'a', 'b', { cpu: '8', memory: '8Gi', pods: '110' }), slice('c', 'a', 'c', { cpu: '2' })], offloadings: [offloading('demo', 'Remote', ['b', 'c'])] }),
  }));
  const items = federationDrift(reference, now);
  assert.deepEqual(items.map((i) => i.kind), ['peering-degraded', 'slice-changed', 'offloading-changed']);
  assert.match(items[0]!.text, /peering of a with b is failed/);
  assert.match(items[1]!.text, /asks for cpu=8, memory=8Gi, pods=110 \(was cpu=4, memory=8Gi, pods=110\)/);
  assert.match(items[2]!.text, /cluster selector is "liqo.io\/remote-cluster-id in \(b,c\)" \(was "liqo.io\/remote-cluster-id in \(b\)"\)/);
});

test('a micro version that moved, a server and a TLS name that changed', () => {
  let now = edit(threeClusters(), 'kind-b', (f) => ({ ...f, kubernetesVersion: 'v1.30.3', liqo: { ...f.liqo!, version: 'v1.0.2' } }));
  now = edit(now, 'kind-a', (f) => ({ ...f, entry: { contextName: 'kind-a', server: 'https://127.0.0.1:7443' } }));
  const items = federationDrift(reference, now);
  assert.deepEqual(items.map((i) => [i.kind, i.text]), [
    ['context-changed', 'The server of "kind-a" changed from https://127.0.0.1:6443 to https://127.0.0.1:7443.'],
    ['context-changed', 'The TLS server name of "kind-a" changed from a.local to (none).'],
    ['version-moved', 'Liqo moved from v1.0.1 to v1.0.2.'],
    ['version-moved', 'Kubernetes moved from v1.30.2 to v1.30.3.'],
  ]);
  assert.equal(items[2]!.side, 'kind-b (cluster b)');
});

test('an unreachable cluster is one item; what lives only there is not reported as removed', () => {
  const now = edit(threeClusters(), 'kind-a', (f) => {
    const { kubernetesVersion: _v, ...rest } = f;
    return { ...rest, snapshot: snapshot({}) };
  });
  const items = federationDrift(reference, now);
  assert.deepEqual(items.map((i) => [i.kind, i.side]), [['cluster-unreachable', 'kind-a (cluster a)']]);
});

test('a rebuilt cluster (new cluster ID) is said so, with the old ID to map', () => {
  const now = edit(threeClusters(), 'kind-c', (f) => ({ ...f, liqo: { ...f.liqo!, clusterId: 'c2' }, snapshot: snapshot({}) }));
  const items = federationDrift(reference, now);
  assert.equal(items[0]!.kind, 'cluster-id-changed');
  assert.match(items[0]!.text, /now has Liqo cluster ID c2 \(was c\)/);
  assert.match(items[0]!.restore, /Map the old ID c to a context/);
  assert.equal(items.length, 1);
});

test('the drift document names the record it compares with and lists each item with its restore action', () => {
  const items = federationDrift(reference, threeClusters({ bHealth: 'Error' }));
  const md = driftReport(items, reference, 'latest automatic record', '2026-12-06T13:00:00Z');
  assert.match(md, /Compared with the record of T \(latest automatic record\); clusters a, b, c\./);
  assert.match(md, /- \*\*kind-a \(cluster a\) → kind-b \(cluster b\)\*\* — The peering of a with b is failed\.\n  - Restore: /);
  assert.match(driftReport([], reference, 'f.yaml', 'now'), /Nothing drifted/);
});

// Seen on the live test bed with Liqo v1.2.0 right after `liqoctl unpeer`: the consumer's ForeignCluster keeps role
// Provider, authentication "enabled" with no condition and an empty tenantNamespace (until a later resync), while
// its Identity, ResourceSlice and VirtualNode are gone; the provider's one says Unknown with every module disabled.
test('Liqo v1.2.0 right after unpeer: the ForeignCluster still says Provider, the drift says the peering is gone', () => {
  const ready = Object.fromEntries(Object.keys(snapshot({}).kinds).map((k) => [k, { kind: 'ready' as const }])) as ReturnType<typeof snapshot>['kinds'];
  const leftover = (peer: string, role: 'Provider' | 'Unknown') => ({
    metadata: { name: peer, labels: { 'liqo.io/remote-cluster-id': peer } },
    spec: { clusterID: peer },
    status: { role, modules: { authentication: { enabled: role === 'Provider' }, networking: { enabled: false }, offloading: { enabled: false } }, tenantNamespace: {} },
  });
  let now = threeClusters();
  now = edit(now, 'kind-a', (f) => ({
    ...f,
    snapshot: snapshot({ ...f.snapshot!, kinds: ready, foreignClusters: [f.snapshot!.foreignClusters[0]!, leftover('c', 'Provider')], resourceSlices: [f.snapshot!.resourceSlices[0]!] }),
  }));
  now = edit(now, 'kind-c', (f) => ({ ...f, snapshot: snapshot({ kinds: ready, foreignClusters: [leftover('a', 'Unknown')] }) }));
  const items = federationDrift(reference, now);
  assert.deepEqual(items.map((i) => [i.kind, i.side]), [['peering-gone', 'kind-a (cluster a) → kind-c (cluster c)']]);
  // While Liqo has not listed everything yet, the same ForeignCluster is not taken for a leftover (nothing is known).
  const loading = edit(now, 'kind-a', (f) => ({ ...f, snapshot: snapshot({ ...f.snapshot!, kinds: snapshot({}).kinds }) }));
  assert.deepEqual(observeFederation(loading, ['a', 'b', 'c'], '').record.peerings.map((p) => p.provider.clusterId), ['b', 'c']);
});
