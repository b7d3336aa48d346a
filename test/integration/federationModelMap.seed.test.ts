// The model hooks the federation map relies on, on the seed-000 federation (real API servers, no row expanded):
// mapInputs() reads the sessions' snapshots; watchWhole() widens every cluster's watches as if its row were expanded
// (so the map sees peerings, offloaded namespaces and pods) and narrows them again when the last holder lets go;
// onDidChangeClusters fires on a change no tree row shows; prepareRows() makes a
// peering row known by id without expanding its cluster or widening a watch.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureTestbed, type Testbed } from '../testbed/index.ts';
import { makeHarness, kubectl, trackUnhandledRejections, type Harness } from './support/treeHarness.ts';
import { buildFederationGraph } from '../../src/core/federation/graph.ts';
import { childKey, clusterRowId, clusterRowKey, rowId } from '../../src/core/tree/rowKey.ts';
import { folderKey } from '../../src/core/tree/clusterTree.ts';

let tb: Testbed;
let h: Harness;
const rejections = trackUnhandledRejections();
const CONSUMER = 'kind-mlops-platform';
const PROVIDER = 'cluster-b';
const EDGE = `cluster:${CONSUMER}->cluster:${PROVIDER}`;

const entryId = (context: string): string => h.model.clusters.find((c) => c.contextName === context)!.id;
const graph = () => buildFederationGraph(h.model.mapInputs());

before(async () => {
  tb = await ensureTestbed('seed-000');
  // A short grace before collapsed clusters narrow their watches, so the narrowing is seen within the test.
  h = makeHarness([tb.kubeconfig], { collapseGraceMs: 300 });
  await h.model.activate();
  await h.until(() => h.model.settled && h.model.clusters.every((c) => h.model.session(c.id)?.state.kind === 'reachable'), 'both clusters reachable, no row expanded', 60_000);
});

after(() => {
  h?.dispose();
  rejections.stop();
});

test('watchWhole() widens every collapsed cluster to its whole snapshot, and narrows it again on dispose', async () => {
  const sessions = () => h.model.clusters.map((c) => h.model.session(c.id)!);
  assert.deepEqual(sessions().map((s) => s.watchScope), ['summary', 'summary'], 'collapsed rows watch a summary only');
  // The map's first picture is drawn before it widens anything: the summary holds each cluster's ForeignClusters,
  // so every node and the peering edge (with its health) are known while both rows are collapsed.
  const collapsed = graph();
  assert.deepEqual(collapsed.nodes.map((n) => n.id).sort(), [`cluster:${PROVIDER}`, `cluster:${CONSUMER}`].sort());
  const skeleton = collapsed.edges.find((e) => e.id === EDGE);
  assert.ok(skeleton, 'the peering edge is known from the collapsed clusters');
  assert.equal(skeleton.health, 'healthy');
  assert.deepEqual(skeleton.namespaces, [], 'offloaded namespaces come with the wider watches');
  const whole = h.model.watchWhole();
  try {
    assert.deepEqual(sessions().map((s) => s.watchScope), ['full', 'full']);
    // The edge with its offloaded namespace and pods: only the full scope watches offloadings and pods.
    await h.until(() => graph().edges.find((e) => e.id === EDGE)?.namespaces.some((n) => n.name === 'kubeflow' && n.pods > 0) ?? false, 'the edge with kubeflow and its pods', 60_000);
    const edge = graph().edges.find((e) => e.id === EDGE)!;
    assert.equal(edge.health, 'healthy');
    assert.deepEqual(edge.modules.map((m) => m.name), ['networking', 'authentication', 'offloading']);
    // Two holders (two maps, or a reopened one): the first to let go narrows nothing.
    const second = h.model.watchWhole();
    second.dispose();
    second.dispose();
    assert.deepEqual(sessions().map((s) => s.watchScope), ['full', 'full'], 'still held by the first');
  } finally {
    whole.dispose();
  }
  await h.until(() => sessions().every((s) => s.watchScope === 'summary'), 'both clusters narrowed after the grace', 10_000);
});

test('onDidChangeClusters fires on a change no tree row shows (a label on a pod of a collapsed cluster)', async () => {
  const whole = h.model.watchWhole();
  let calls = 0;
  const sub = h.model.onDidChangeClusters(() => calls++);
  try {
    await h.until(() => graph().edges.some((e) => e.id === EDGE), 'the edge drawn', 60_000);
    // A label on a pod of the offloaded namespace: no row is expanded, so the tree has nothing to refresh.
    const treeCalls: number[] = [];
    const treeSub = h.model.onDidChange(() => treeCalls.push(1));
    const pod = (await kubectl(tb.kubectl, tb.kubeconfig, CONSUMER, 'get', 'pods', '-n', 'kubeflow', '-o', 'jsonpath={.items[0].metadata.name}')).trim();
    assert.ok(pod, 'kubeflow has a pod');
    const before = calls;
    await kubectl(tb.kubectl, tb.kubeconfig, CONSUMER, 'label', 'pod', '-n', 'kubeflow', pod, `map-test=${Date.now()}`, '--overwrite');
    await h.until(() => calls > before, 'a cluster change after the label', 20_000);
    treeSub.dispose();
    assert.equal(treeCalls.length, 0, 'no tree row changed');
  } finally {
    sub.dispose();
    whole.dispose();
  }
});

test('prepareRows() makes the peering row known by id without expanding its cluster or widening a watch', async () => {
  const consumer = entryId(CONSUMER);
  // The previous tests' map let go: wait out the grace, so a widened watch would show.
  await h.until(() => h.model.session(consumer)!.watchScope === 'summary', 'the consumer narrowed', 10_000);
  const peering = rowId(childKey(folderKey(clusterRowKey(consumer), 'peerings'), PROVIDER));
  assert.equal(h.model.node(peering), undefined, 'not handed out yet: the tree cannot reveal it');
  h.model.prepareRows(consumer);
  const row = h.model.node(peering);
  assert.ok(row, `the peering row ${peering} is known`);
  assert.equal(row.label, PROVIDER);
  assert.equal(h.model.parentOf(peering), rowId(folderKey(clusterRowKey(consumer), 'peerings')));
  assert.equal(h.model.session(consumer)!.watchScope, 'summary', 'no watch widened');
  assert.equal(h.model.node(clusterRowId(consumer))?.collapsible, 'collapsed', 'the cluster row stays collapsed');
  h.model.prepareRows('no-such-entry');
});
