// The order of the nodes inside each layer of the map's layered layout (dagre's `customOrder` hook): a DFS start
// then barycenter sweeps down and up, keeping the order with the fewest crossings. dagre's own ordering either runs
// its full sweeps (3–4× the rest of the layout) or, with `disableOptimalOrderHeuristic`, keeps the DFS order with
// no crossing reduction at all after building sweep structures it then drops; this one costs O(sweeps × edges).

/** The part of dagre's (graphlib's) layout graph the ordering reads: dagre's published types resolve to `any` here. */
export interface LayerGraph {
  nodes(): string[];
  children(v: string): string[] | undefined;
  node(v: string): unknown;
  edge(v: string, w: string): unknown;
  successors(v: string): string[] | undefined | void;
  predecessors(v: string): string[] | undefined | void;
}

/** Sweeps tried (alternately down and up); the best order seen wins. */
export const ORDER_SWEEPS = 8;

interface RankedLabel {
  rank?: number;
  order?: number;
}

type Layers = string[][];

/** Sets `order` on every node of dagre's layout graph (whose nodes all carry a `rank`, edges joining next ranks). */
export function orderLayers(g: LayerGraph): void {
  const rankOf = (v: string): number => (g.node(v) as RankedLabel).rank ?? 0;
  const nodes = g.nodes().filter((v) => !g.children(v)?.length);
  const layers: Layers = [];
  const seen = new Set<string>();
  const visit = (start: string): void => {
    const stack = [start];
    while (stack.length) {
      const v = stack.pop()!;
      if (seen.has(v)) continue;
      seen.add(v);
      (layers[rankOf(v)] ??= []).push(v);
      const next = g.successors(v) ?? [];
      for (let i = next.length - 1; i >= 0; i--) stack.push(next[i]!);
    }
  };
  for (const v of [...nodes].sort((a, b) => rankOf(a) - rankOf(b))) visit(v);
  for (let r = 0; r < layers.length; r++) layers[r] ??= [];
  let best = layers.map((l) => [...l]);
  let bestCrossings = crossings(g, best);
  let current = layers;
  for (let i = 0; i < ORDER_SWEEPS && bestCrossings > 0; i++) {
    current = sweep(g, current, i % 2 === 0);
    const c = crossings(g, current);
    if (c < bestCrossings) {
      bestCrossings = c;
      best = current.map((l) => [...l]);
    }
  }
  for (const layer of best) layer.forEach((v, i) => ((g.node(v) as RankedLabel).order = i));
}

/** One barycenter pass: each layer reordered by the mean position of its neighbours in the layer before it. */
function sweep(g: LayerGraph, layers: Layers, down: boolean): Layers {
  const out = layers.map((l) => [...l]);
  const position = new Map<string, number>();
  const start = down ? 0 : out.length - 1;
  out[start]!.forEach((v, i) => position.set(v, i));
  for (let k = 1; k < out.length; k++) {
    const r = down ? k : out.length - 1 - k;
    const layer = out[r]!;
    const keyed = layer.map((v, i) => {
      const neighbours = (down ? g.predecessors(v) : g.successors(v)) ?? [];
      let sum = 0;
      let weight = 0;
      for (const u of neighbours) {
        const p = position.get(u);
        if (p === undefined) continue;
        const w = edgeWeight(g, down ? u : v, down ? v : u);
        sum += p * w;
        weight += w;
      }
      // A node with no neighbour on that side keeps its place (scaled into the same range).
      return { v, key: weight ? sum / weight : (i * Math.max(1, position.size - 1)) / Math.max(1, layer.length - 1), i };
    });
    keyed.sort((a, b) => a.key - b.key || a.i - b.i);
    out[r] = keyed.map((x) => x.v);
    position.clear();
    out[r]!.forEach((v, i) => position.set(v, i));
  }
  return out;
}

function edgeWeight(g: LayerGraph, v: string, w: string): number {
  const label = g.edge(v, w) as { weight?: number } | undefined;
  return label?.weight ?? 1;
}

/** Edge crossings between consecutive layers: inversions of the targets' positions, counted with a Fenwick tree. */
export function crossings(g: LayerGraph, layers: Layers): number {
  let total = 0;
  for (let r = 0; r + 1 < layers.length; r++) {
    const south = new Map(layers[r + 1]!.map((v, i) => [v, i]));
    const pairs: [number, number, number][] = [];
    layers[r]!.forEach((v, i) => {
      for (const w of g.successors(v) ?? []) {
        const j = south.get(w);
        if (j !== undefined) pairs.push([i, j, edgeWeight(g, v, w)]);
      }
    });
    pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const size = layers[r + 1]!.length;
    const tree = new Array<number>(size + 1).fill(0);
    let seenWeight = 0;
    for (const [, j, w] of pairs) {
      // Weight of edges already seen that end strictly to the right of j: they cross this one.
      let atOrLeft = 0;
      for (let x = j + 1; x > 0; x -= x & -x) atOrLeft += tree[x]!;
      total += (seenWeight - atOrLeft) * w;
      for (let x = j + 1; x <= size; x += x & -x) tree[x]! += w;
      seenWeight += w;
    }
  }
  return total;
}
