// The tree's links between clusters (a peering row names the kubeconfig context of the peer's cluster ID) through
// the view-model, with an in-memory ClusterSource (the sessions' port; plain data, nothing faked about the rows).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TreeViewModel, type ClusterSource, type TreeChange } from '../../src/infra/treeViewModel.ts';
import { ViewMemory } from '../../src/infra/viewMemory.ts';
import { emptySnapshot, type ClusterSnapshot } from '../../src/core/liqo/snapshot.ts';
import type { ClusterEntry } from '../../src/core/kubeconfig/clusters.ts';

const entry = (name: string): ClusterEntry => ({
  id: `/k#${name}`,
  contextName: `ctx-${name}`,
  filePath: '/k',
  clusterName: name,
  userName: 'admin',
  server: `https://${name}.example:6443`,
  auth: 'client-certificate',
  insecureSkipTlsVerify: false,
  nameIsDuplicated: false,
  isCurrentContext: false,
});

function snapshotWithPeer(peer: string | undefined): ClusterSnapshot {
  const base = emptySnapshot();
  const ready = Object.fromEntries(Object.keys(base.kinds).map((k) => [k, { kind: 'ready' }])) as unknown as ClusterSnapshot['kinds'];
  const fcs = peer ? [{ metadata: { name: peer }, spec: { clusterID: peer }, status: { role: 'Provider' } }] : [];
  return { ...base, kinds: ready, foreignClusters: fcs as unknown as ClusterSnapshot['foreignClusters'] };
}

test('a peer\'s cluster ID learnt while its rows were being built still links the other cluster\'s peering row', () => {
  const a = entry('a');
  const b = entry('b');
  const ids = new Map<string, string | undefined>([[a.id, 'a'], [b.id, undefined]]);
  const snapshots = new Map([[a.id, snapshotWithPeer('b')], [b.id, snapshotWithPeer(undefined)]]);
  const source: ClusterSource = {
    clusters: [a, b],
    problems: [],
    filePaths: ['/k'],
    state: () => ({ kind: 'reachable', serverVersion: 'v1.34.4' }),
    snapshot: (e) => snapshots.get(e.id),
    liqo: () => undefined,
    clusterId: (e) => ids.get(e.id),
  };
  const store = new Map<string, unknown>();
  const memory = new ViewMemory({ get: <T>(k: string) => store.get(k) as T | undefined, update: async (k, v) => void store.set(k, v) });
  const changes: TreeChange[] = [];
  const vm = new TreeViewModel(source, memory, (c) => changes.push(c));
  vm.listChanged();
  const [rowA, rowB] = vm.roots();
  const peeringsOfA = vm.children(rowA!.id).find((r) => r.label === 'Peerings')!;
  const peering = () => vm.children(peeringsOfA.id).find((r) => r.label === 'b')!;
  assert.doesNotMatch(peering().description ?? '', /⇄/, 'b\'s cluster ID is not known yet');
  // b's cluster ID arrives in its session's cache; before the change reaches the view-model, the view expands b.
  ids.set(b.id, 'b');
  vm.children(rowB!.id);
  changes.length = 0;
  vm.objectsChanged(b, new Map([['clusterIdConfigMaps', 'all']]));
  const refreshed = changes.flatMap((c) => c.refresh ?? []);
  assert.ok(refreshed.includes(peering().id) || refreshed.includes(peeringsOfA.id), `a's peering row is refreshed: ${JSON.stringify(refreshed)}`);
  assert.match(peering().description ?? '', /⇄ ctx-b/);
});
