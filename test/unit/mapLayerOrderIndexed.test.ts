// The map's layer ordering reads the layout graph once: the same orders as the plain barycenter sweeps over the graph
// (the reference below, the ordering as it was written first), with each edge's weight looked up once instead of on
// every sweep and crossing count (graphlib builds a key string per lookup: most of the ordering's time before).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph, layout } from '@dagrejs/dagre';
import { crossings, orderLayers, ORDER_SWEEPS, type LayerGraph } from '../../src/core/federation/layerOrder.ts';
import { mulberry32 } from './seededRandom.ts';

/** The reference: DFS start, then ORDER_SWEEPS barycenter sweeps over the graph itself, the fewest crossings kept. */
function referenceOrder(g: LayerGraph): string[][] {
  const rankOf = (v: string): number => (g.node(v) as { rank?: number }).rank ?? 0;
  const weight = (v: string, w: string): number => (g.edge(v, w) as { weight?: number } | undefined)?.weight ?? 1;
  const layers: string[][] = [];
  const seen = new Set<string>();
  for (const start of [...g.nodes()].sort((a, b) => rankOf(a) - rankOf(b))) {
    const stack = [start];
    while (stack.length) {
      const v = stack.pop()!;
      if (seen.has(v)) continue;
      seen.add(v);
      (layers[rankOf(v)] ??= []).push(v);
      const next = g.successors(v) ?? [];
      for (let i = next.length - 1; i >= 0; i--) stack.push(next[i]!);
    }
  }
  for (let r = 0; r < layers.length; r++) layers[r] ??= [];
  let best = layers.map((l) => [...l]);
  let bestCrossings = crossings(g, best);
  let current = layers;
  for (let i = 0; i < ORDER_SWEEPS && bestCrossings > 0; i++) {
    const down = i % 2 === 0;
    const out = current.map((l) => [...l]);
    let position = new Map(out[down ? 0 : out.length - 1]!.map((v, k) => [v, k]));
    for (let k = 1; k < out.length; k++) {
      const r = down ? k : out.length - 1 - k;
      const keyed = out[r]!.map((v, idx) => {
        let sum = 0;
        let total = 0;
        for (const u of (down ? g.predecessors(v) : g.successors(v)) ?? []) {
          const p = position.get(u);
          if (p === undefined) continue;
          const w = down ? weight(u, v) : weight(v, u);
          sum += p * w;
          total += w;
        }
        return { v, key: total ? sum / total : (idx * Math.max(1, position.size - 1)) / Math.max(1, out[r]!.length - 1), idx };
      });
      keyed.sort((a, b) => a.key - b.key || a.idx - b.idx);
      out[r] = keyed.map((x) => x.v);
      position = new Map(out[r]!.map((v, p) => [v, p]));
    }
    current = out;
    const c = crossings(g, current);
    if (c < bestCrossings) {
      bestCrossings = c;
      best = current.map((l) => [...l]);
    }
  }
  return best;
}

function placed(g: LayerGraph): string[][] {
  const out: string[][] = [];
  for (const v of g.nodes()) {
    const n = g.node(v) as { rank: number; order: number };
    (out[n.rank] ??= [])[n.order] = v;
  }
  return Array.from(out, (l) => l ?? []);
}

/** A random directed graph with weighted edges (cycles, long edges, isolated nodes). */
function randomGraph(seed: number): InstanceType<typeof Graph> {
  const rand = mulberry32(seed);
  const g = new Graph({});
  g.setGraph({ rankdir: 'LR', nodesep: 30, ranksep: 90, edgesep: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  const n = 2 + Math.floor(rand() * 30);
  for (let i = 0; i < n; i++) g.setNode(`n${i}`, { width: 100 + Math.floor(rand() * 100), height: 40 + Math.floor(rand() * 60) });
  const m = Math.floor(rand() * n * 3);
  for (let k = 0; k < m; k++) {
    const a = Math.floor(rand() * n);
    const b = Math.floor(rand() * n);
    if (a !== b) g.setEdge(`n${a}`, `n${b}`, { width: 120, height: 32, labelpos: 'c', weight: 1 + Math.floor(rand() * 3) });
  }
  return g;
}

test('the ordering puts every layer in the same order as the plain sweeps over the graph', () => {
  for (let seed = 1; seed <= 150; seed++) {
    const started = Date.now();
    let compared = false;
    layout(randomGraph(seed), {
      customOrder: (lg: LayerGraph) => {
        const expected = referenceOrder(lg);
        orderLayers(lg);
        assert.deepEqual(placed(lg), expected, `seed ${seed}`);
        compared = true;
      },
    } as never);
    assert.ok(compared, `seed ${seed}: dagre called the ordering`);
    assert.ok(Date.now() - started < 5_000, `seed ${seed}: layout hung`);
  }
});

test('the ordering looks each edge up once, not on every sweep and crossing count', () => {
  for (const seed of [3, 17, 42]) {
    let edges = 0;
    let lookups = 0;
    layout(randomGraph(seed), {
      customOrder: (lg: LayerGraph) => {
        edges = lg.nodes().reduce((n, v) => n + (lg.successors(v) ?? []).length, 0);
        const counted: LayerGraph = {
          nodes: () => lg.nodes(),
          children: (v) => lg.children(v),
          node: (v) => lg.node(v),
          edge: (v, w) => {
            lookups++;
            return lg.edge(v, w);
          },
          successors: (v) => lg.successors(v),
          predecessors: (v) => lg.predecessors(v),
        };
        orderLayers(counted);
      },
    } as never);
    // Each edge read from both of its ends: twice. The sweeps over the graph read it on each sweep and each count.
    assert.ok(lookups <= 2 * edges, `seed ${seed}: ${lookups} edge lookups for ${edges} edges`);
  }
});
