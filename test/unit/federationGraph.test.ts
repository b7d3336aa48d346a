// The federation map's model: clusters deduplicated by Liqo cluster ID, unknown peers dashed, edges directed
// consumer → provider with health and the tree's words from conditions, pods per remote cluster, federations folded,
// search, and the layout and SVG built from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFederationGraph, type ClusterInput } from '../../src/core/federation/graph.ts';
import { federations, mapView, AUTO_FOLD_ABOVE, INITIAL_VIEW_STATE } from '../../src/core/federation/mapView.ts';
import { layoutMap } from '../../src/core/federation/layout.ts';
import { renderMapSvg } from '../../src/core/federation/svg.ts';
import { foreignCluster, generateFederation, offloading, pod, reachable, readySnapshot, resourceSlice, virtualNode } from './federationGenerator.ts';

const vn = virtualNode('prov', 2);

function consumerAndProvider(broken?: Parameters<typeof foreignCluster>[2]): ClusterInput[] {
  return [
    reachable(
      'consumer',
      'cons',
      readySnapshot({
        foreignClusters: [foreignCluster('prov', 'Provider', broken)],
        resourceSlices: [resourceSlice('cons', 'prov', { cpu: '4', memory: '8Gi', pods: '110', 'nvidia.com/gpu': '2' })],
        virtualNodes: [vn.vn],
        nodes: [vn.node],
        offloadings: [offloading('shop', ['prov'])],
        pods: [pod('shop', 'web-1', 'prov'), pod('shop', 'web-2', 'prov', true), pod('shop', 'local', 'kind-worker'), pod('other', 'x', 'prov')],
      }),
    ),
    reachable('provider', 'prov', readySnapshot({ foreignClusters: [foreignCluster('cons', 'Consumer')] })),
  ];
}

test('two contexts of one Liqo cluster ID are one node naming both; the peering seen from both sides is one edge', () => {
  const inputs = consumerAndProvider();
  const again = { ...inputs[1]!, entry: { id: '/other/config#prov-admin', contextName: 'prov-admin' } };
  const g = buildFederationGraph([...inputs, again]);
  assert.deepEqual(g.nodes.map((n) => n.id), ['cluster:cons', 'cluster:prov']);
  const prov = g.nodes.find((n) => n.id === 'cluster:prov')!;
  assert.deepEqual(prov.contexts.map((c) => c.contextName), ['provider', 'prov-admin']);
  assert.equal(prov.label, 'provider, prov-admin');
  assert.equal(g.edges.length, 1);
  const e = g.edges[0]!;
  assert.equal(e.from, 'cluster:cons');
  assert.equal(e.to, 'cluster:prov');
  assert.deepEqual(e.seenFrom, ['consumer', 'provider'], 'one snapshot per cluster ID: the second context adds no duplicate view');
  assert.equal(e.health, 'healthy');
  assert.equal(e.entryId, '/kube/config#consumer', 'the consumer side\'s peering row is the one revealed');
  assert.match(e.rowId!, /^cluster:%2Fkube%2Fconfig%23consumer\/peerings\/prov$/);
});

test('a peer in no kubeconfig is an unknown (dashed) node with its cluster ID, and the edge still draws', () => {
  const [consumer] = consumerAndProvider();
  const g = buildFederationGraph([consumer!]);
  const peer = g.nodes.find((n) => n.id === 'peer:prov')!;
  assert.equal(peer.kind, 'unknownPeer');
  assert.equal(peer.clusterId, 'prov');
  assert.equal(peer.rowId, undefined);
  assert.equal(g.edges[0]!.to, 'peer:prov');
  const svg = renderMapSvg(layoutMap(mapView(g, INITIAL_VIEW_STATE)));
  assert.match(svg, /<g class="node unknownPeer[^"]*" data-id="peer:prov"[^>]*>.*?class="box dashed"/);
});

test('edge health comes from the ForeignCluster conditions, with the tree\'s explanation', () => {
  const g = buildFederationGraph(consumerAndProvider({ type: 'NetworkConnectionStatus', status: 'Error', reason: 'TunnelDown' }));
  const e = g.edges[0]!;
  assert.equal(e.health, 'failed');
  assert.equal(e.modules.find((m) => m.name === 'networking')!.health, 'failed');
  assert.equal(e.modules.find((m) => m.name === 'authentication')!.health, 'healthy');
  assert.equal(e.explanation.length, 1);
  assert.match(e.explanation[0]!, /^Network connection: Error: the WireGuard tunnel between the gateways is down \(on between the two gateways\)\. Seen from consumer\. Check next: /);
  const pending = buildFederationGraph(consumerAndProvider({ type: 'NetworkConnectionStatus', status: 'Pending' }));
  assert.equal(pending.edges[0]!.health, 'pending');
  assert.match(pending.edges[0]!.explanation[0]!, /still connecting/);
  const svg = renderMapSvg(layoutMap(mapView(g, INITIAL_VIEW_STATE)));
  assert.match(svg, /class="edge h-failed"/);
  assert.match(svg, /aria-label="Peering consumer consumes from provider: failing\.[^"]*WireGuard tunnel/);
});

test('pods of an offloaded namespace are counted per remote cluster, with the failing ones', () => {
  const g = buildFederationGraph(consumerAndProvider());
  const e = g.edges[0]!;
  assert.deepEqual(e.namespaces.map(({ name, pods, failing, health }) => ({ name, pods, failing, health })), [{ name: 'shop', pods: 2, failing: 1, health: 'failed' }]);
  assert.match(e.namespaces[0]!.rowId, /\/offloaded\/shop$/);
  assert.equal(e.gpus, 2);
  assert.match(e.resources[0]!, /4 CPU · 8Gi · 110 pods · 2 GPU \(Resources Accepted\)/);
  const consumer = g.nodes.find((n) => n.id === 'cluster:cons')!;
  assert.deepEqual(consumer.virtualNodes.map((v) => [v.name, v.gpus, v.health]), [['prov', 2, 'healthy']]);
});

test('unreachable clusters and unhealthy Liqo are drawn as such with the tree\'s words; clusters without Liqo are left out', () => {
  const down: ClusterInput = { entry: { id: '/k#down', contextName: 'down' }, state: { kind: 'failed', problem: { kind: 'refused', summary: 'connection refused', hint: 'Is the API server running?' } } as ClusterInput['state'] };
  const noLiqo: ClusterInput = { entry: { id: '/k#plain', contextName: 'plain' }, state: { kind: 'reachable', serverVersion: 'v1.34.4' }, liqo: { presence: 'not-installed', unhealthyPods: [] }, snapshot: readySnapshot({}) };
  const sick = reachable('sick', 'sick-id', readySnapshot({}), false);
  const g = buildFederationGraph([down, noLiqo, sick]);
  assert.deepEqual(g.nodes.map((n) => [n.id, n.health]), [['cluster:sick-id', 'failed'], ['context:/k#down', 'failed']]);
  assert.equal(g.nodes[1]!.problem, 'connection refused. Is the API server running?');
  assert.match(g.nodes[0]!.status, /1 Liqo pod not ready/);
  assert.deepEqual(g.withoutLiqo.map((c) => c.contextName), ['plain']);
});

test('an unreachable cluster keeps its remembered cluster ID: one failing node, and its peers\' edges still reach it', () => {
  // What the live test bed shows when the provider's API server stops: the consumer's ForeignCluster says the peer's
  // API server does not answer, and the provider's context is unreachable but was cluster `prov` a moment ago.
  const [consumer, provider] = consumerAndProvider({ type: 'APIServerStatus', status: 'Error' });
  const down: ClusterInput = {
    entry: provider!.entry,
    state: { kind: 'failed', problem: { kind: 'refused', summary: 'connection refused', hint: 'Is the API server running?' } } as ClusterInput['state'],
    clusterId: 'prov',
  };
  const g = buildFederationGraph([consumer!, down]);
  assert.deepEqual(g.nodes.map((n) => [n.id, n.kind, n.health]), [['cluster:cons', 'cluster', 'healthy'], ['cluster:prov', 'cluster', 'failed']]);
  assert.equal(g.nodes[1]!.label, 'provider');
  assert.equal(g.nodes[1]!.problem, 'connection refused. Is the API server running?');
  assert.deepEqual(g.edges.map((e) => [e.id, e.health]), [['cluster:cons->cluster:prov', 'failed']]);
  assert.match(g.edges[0]!.explanation[0]!, /^Remote API server: Error: the peer's API server does not answer from this cluster/);
  // Never known (no cluster ID remembered): the context stands alone and the peer is drawn as in no kubeconfig.
  const { clusterId: _forgotten, ...unknown } = down;
  assert.deepEqual(buildFederationGraph([consumer!, unknown]).nodes.map((n) => n.id), ['cluster:cons', 'context:/kube/config#provider', 'peer:prov']);
});

test('federations group clusters linked by peerings; large maps fold them, a search match unfolds its federation', () => {
  const inputs = generateFederation({ clusters: AUTO_FOLD_ABOVE + 10, perFederation: 4, namespacesPerConsumer: 2, podsPerNamespace: 3 });
  const g = buildFederationGraph(inputs);
  const groups = new Set(federations(g).values());
  assert.equal(groups.size, 10);
  const folded = mapView(g, INITIAL_VIEW_STATE);
  assert.equal(folded.nodes.length, 10);
  assert.ok(folded.nodes.every((n) => n.kind === 'group'));
  assert.equal(folded.edges.length, 0, 'peerings inside a folded federation are not drawn');
  const found = mapView(g, { query: 'cluster-005', folds: {} });
  assert.deepEqual(found.nodes.filter((n) => n.match).map((n) => n.id), ['cluster:cluster-004', 'cluster:cluster-005'], 'the cluster, and the consumer whose virtual node is named after it');
  assert.equal(found.matches, 3, 'and the edge carrying its own offloaded namespaces (app-cluster-005-*)');
  assert.equal(found.nodes.length, 9 + 4);
  assert.ok(found.nodes.some((n) => n.id === 'cluster:cluster-005' && n.match));
  const byNamespace = mapView(g, { query: 'app-cluster-008-1', folds: {} });
  assert.ok(byNamespace.edges.some((e) => e.match && e.from === 'cluster:cluster-008'));
  const small = mapView(buildFederationGraph(consumerAndProvider()), { query: '', folds: { 'group:cluster:cons': true } });
  assert.deepEqual(small.nodes.map((n) => n.kind), ['group']);
});

test('the SVG escapes every remote string and names each element for screen readers', () => {
  const inputs = consumerAndProvider();
  const evil = { ...inputs[1]!, entry: { id: '/k#evil', contextName: '<script>alert("x")</script>&' } };
  const svg = renderMapSvg(layoutMap(mapView(buildFederationGraph([inputs[0]!, evil]), INITIAL_VIEW_STATE)));
  assert.doesNotMatch(svg, /<script>/);
  assert.match(svg, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;&amp;/);
  assert.equal((svg.match(/tabindex="0"/g) ?? []).length, 4, 'two nodes, one edge and its offloaded namespace are focusable');
  assert.equal((svg.match(/aria-label="/g) ?? []).length, 5, 'each of them and the map itself are labelled');
});

test('each offloaded namespace on an edge is its own focusable element that reveals the namespace row', () => {
  const g = buildFederationGraph(consumerAndProvider());
  const svg = renderMapSvg(layoutMap(mapView(g, INITIAL_VIEW_STATE)));
  const ns = /<g class="namespace h-failed" data-id="ns:cluster:cons-&gt;cluster:prov:shop" data-kind="namespace" data-row="([^"]+)" data-entry="([^"]+)" tabindex="0" role="button" aria-label="([^"]+)">/.exec(svg);
  assert.ok(ns, svg);
  assert.equal(ns[1], g.edges[0]!.namespaces[0]!.rowId);
  assert.equal(ns[2], '/kube/config#consumer', "the consumer's entry: the namespace row is under the consumer");
  assert.equal(ns[3], 'Offloaded namespace shop of consumer on provider: failing, 2 pods there, 1 of them failing. Activate to reveal its row.');
  assert.match(svg, /class="edge-label ns-label" text-anchor="middle">▸ shop: 2 pods, 1 failing</);
  // Not nested in the edge's own control: a screen reader meets two buttons, not one inside the other.
  assert.doesNotMatch(svg.slice(svg.indexOf('<g class="edge '), svg.indexOf('<g class="namespaces">')), /class="namespace/);
  // Many namespaces: the first three one per line, the rest summed up in one line that is not a control.
  const many = generateFederation({ clusters: 2, perFederation: 2, namespacesPerConsumer: 5, podsPerNamespace: 2 });
  const svgMany = renderMapSvg(layoutMap(mapView(buildFederationGraph(many), INITIAL_VIEW_STATE)));
  assert.equal((svgMany.match(/<g class="namespace /g) ?? []).length, 3);
  assert.match(svgMany, />\+2 more namespaces: 4 pods<\/text>/);
});

test('the layout places every node without overlap and routes every edge', () => {
  const g = buildFederationGraph(generateFederation({ clusters: 12, perFederation: 4, namespacesPerConsumer: 3, podsPerNamespace: 4 }));
  const l = layoutMap(mapView(g, INITIAL_VIEW_STATE));
  assert.equal(l.nodes.length, 12);
  assert.equal(l.edges.length, 12, 'a ring of four peerings in each of the three federations');
  for (const e of l.edges) assert.ok(e.points.length >= 2);
  for (const a of l.nodes) {
    for (const b of l.nodes) {
      if (a === b) continue;
      const apart = a.box.x + a.box.width <= b.box.x || b.box.x + b.box.width <= a.box.x || a.box.y + a.box.height <= b.box.y || b.box.y + b.box.height <= a.box.y;
      assert.ok(apart, `${a.node.id} and ${b.node.id} overlap`);
    }
  }
});

test('a live change that keeps the same nodes and edges keeps every position; a new peering lays the map out again', () => {
  const before = buildFederationGraph(consumerAndProvider());
  const first = layoutMap(mapView(before, INITIAL_VIEW_STATE));
  const broken = buildFederationGraph(consumerAndProvider({ type: 'NetworkConnectionStatus', status: 'Error' }));
  const again = layoutMap(mapView(broken, INITIAL_VIEW_STATE), first);
  assert.equal(again.edges[0]!.edge.health, 'failed', 'the new health is drawn');
  assert.deepEqual(again.edges[0]!.points, first.edges[0]!.points);
  const centre = (b: { x: number; width: number; y: number; height: number }) => [b.x + b.width / 2, b.y + b.height / 2];
  assert.deepEqual(again.nodes.map((p) => centre(p.box)), first.nodes.map((p) => centre(p.box)));
  const [consumer, provider] = consumerAndProvider();
  const third = reachable('third', 'third-id', readySnapshot({ foreignClusters: [foreignCluster('prov', 'Provider')] }));
  const grown = layoutMap(mapView(buildFederationGraph([consumer!, provider!, third]), INITIAL_VIEW_STATE), first);
  assert.equal(grown.nodes.length, 3);
  assert.equal(grown.edges.length, 2);
});
