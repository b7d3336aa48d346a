// The map's layout at scale: the barycenter layer ordering handed to dagre (a permutation of every layer, with no
// more crossings than dagre's own quick order, on generated graphs) and the per-federation layout cache (a change in
// one federation lays out that one only; the others keep their shape).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph, layout } from '@dagrejs/dagre';
import { crossings, orderLayers, type LayerGraph } from '../../src/core/federation/layerOrder.ts';
import { buildFederationGraph } from '../../src/core/federation/graph.ts';
import { mapView, type MapViewState } from '../../src/core/federation/mapView.ts';
import { LayoutCache, layoutMap } from '../../src/core/federation/layout.ts';
import { generateFederation } from './federationGenerator.ts';
import { mulberry32 } from './seededRandom.ts';

function layers(g: LayerGraph): string[][] {
  const out: string[][] = [];
  for (const v of g.nodes()) {
    const n = g.node(v) as { rank: number; order: number };
    (out[n.rank] ??= [])[n.order] = v;
  }
  return Array.from(out, (l) => l ?? []);
}

/** A random directed graph (cycles, long edges, isolated nodes) as the map hands it to dagre. */
function randomGraph(seed: number): InstanceType<typeof Graph> {
  const rand = mulberry32(seed);
  const g = new Graph({});
  g.setGraph({ rankdir: 'LR', nodesep: 30, ranksep: 90, edgesep: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  const n = 2 + Math.floor(rand() * 18);
  for (let i = 0; i < n; i++) g.setNode(`n${i}`, { width: 100 + Math.floor(rand() * 100), height: 40 + Math.floor(rand() * 60) });
  const m = Math.floor(rand() * n * 3);
  for (let k = 0; k < m; k++) {
    const a = Math.floor(rand() * n);
    const b = Math.floor(rand() * n);
    if (a !== b) g.setEdge(`n${a}`, `n${b}`, { width: 120, height: 32, labelpos: 'c' });
  }
  return g;
}

test('the layer ordering is a permutation of each layer and never crosses more than dagre without its sweeps', () => {
  for (let seed = 1; seed <= 60; seed++) {
    const started = Date.now();
    let ours = -1;
    let dagreQuick = -1;
    let checked = false;
    layout(randomGraph(seed), {
      customOrder: (lg: LayerGraph, order: (g: LayerGraph, opts: { disableOptimalOrderHeuristic: boolean }) => void) => {
        order(lg, { disableOptimalOrderHeuristic: true });
        dagreQuick = crossings(lg, layers(lg));
        for (const v of lg.nodes()) delete (lg.node(v) as { order?: number }).order;
        orderLayers(lg);
        const placed = layers(lg);
        const ranked = lg.nodes().filter((v) => typeof (lg.node(v) as { rank?: number }).rank === 'number');
        assert.equal(placed.flat().filter(Boolean).length, ranked.length, `seed ${seed}: every node has one place`);
        for (const [r, layer] of placed.entries()) assert.ok(layer.every((v) => v !== undefined), `seed ${seed}: layer ${r} has no hole`);
        ours = crossings(lg, placed);
        checked = true;
      },
    } as never);
    assert.ok(checked, `seed ${seed}: dagre called the ordering`);
    assert.ok(ours <= dagreQuick, `seed ${seed}: ${ours} crossings, dagre's quick order had ${dagreQuick}`);
    assert.ok(Date.now() - started < 5_000, `seed ${seed}: layout hung`);
  }
});

test('crossings counts each pair of crossing edges between two layers once', () => {
  const g = new Graph({});
  for (const v of ['a', 'b', 'c', 'x', 'y', 'z']) g.setNode(v, {});
  // a→z, b→y, c→x: three edges that all cross each other.
  g.setEdge('a', 'z', {});
  g.setEdge('b', 'y', {});
  g.setEdge('c', 'x', {});
  assert.equal(crossings(g as unknown as LayerGraph, [['a', 'b', 'c'], ['x', 'y', 'z']]), 3);
  assert.equal(crossings(g as unknown as LayerGraph, [['a', 'b', 'c'], ['z', 'y', 'x']]), 0);
  g.setEdge('a', 'x', {});
  assert.equal(crossings(g as unknown as LayerGraph, [['a', 'b', 'c'], ['x', 'y', 'z']]), 3, 'a→x starts at a, left of the others: it crosses nothing');
});

test('with the cache, a new peering in one federation lays out that federation only and keeps the others’ shape', () => {
  const graph = buildFederationGraph(generateFederation({ clusters: 40, perFederation: 10, providersPerCluster: 2, namespacesPerConsumer: 2, podsPerNamespace: 2 }));
  const groups = [0, 10, 20, 30].map((i) => `group:cluster:cluster-${String(i).padStart(3, '0')}`);
  const unfolded: MapViewState = { query: '', folds: Object.fromEntries(groups.map((g) => [g, false])) };
  const cache = new LayoutCache();
  const first = layoutMap(mapView(graph, unfolded), undefined, cache);
  assert.equal(cache.misses, 4, 'four federations laid out');
  assert.equal(first.nodes.length, 40);
  const extra = { ...graph.edges.find((e) => e.from === 'cluster:cluster-021')!, id: 'cluster:cluster-021->cluster:cluster-026', from: 'cluster:cluster-021', to: 'cluster:cluster-026' };
  const second = layoutMap(mapView({ ...graph, edges: [...graph.edges, extra] }, unfolded), first, cache);
  assert.equal(cache.misses, 5, 'only the federation that gained a peering is laid out again');
  assert.equal(cache.hits, 3);
  assert.equal(second.edges.length, first.edges.length + 1);
  // Relative positions inside an unchanged federation are the same (the piece may move as a whole in the packing).
  const rel = (l: typeof first, a: string, b: string) => {
    const box = (id: string) => l.nodes.find((p) => p.node.id === id)!.box;
    return [box(b).x - box(a).x, box(b).y - box(a).y];
  };
  for (const f of [0, 1, 3]) {
    const a = `cluster:cluster-${String(f * 10).padStart(3, '0')}`;
    const b = `cluster:cluster-${String(f * 10 + 7).padStart(3, '0')}`;
    assert.deepEqual(rel(second, a, b), rel(first, a, b), `federation ${f} kept its shape`);
  }
  // Folding all and unfolding all again: every piece comes from the cache.
  layoutMap(mapView(graph, { query: '', folds: {} }), second, cache);
  const before = cache.misses;
  layoutMap(mapView(graph, unfolded), undefined, cache);
  assert.equal(cache.misses, before, 'no federation laid out again');
});

test('the cache keeps only the most recently used pieces', () => {
  const cache = new LayoutCache(2);
  const piece = { width: 1, height: 1, nodes: new Map(), edges: new Map() };
  cache.piece('a', () => piece);
  cache.piece('b', () => piece);
  cache.piece('a', () => piece);
  cache.piece('c', () => piece);
  assert.equal(cache.size, 2);
  cache.piece('a', () => piece);
  assert.equal(cache.hits, 2, '"a" was used last but one, so it stayed');
  cache.piece('b', () => piece);
  assert.equal(cache.misses, 4, '"b" was dropped');
});
