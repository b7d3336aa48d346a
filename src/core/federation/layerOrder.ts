// The order of the nodes inside each layer of the map's layered layout (dagre's `customOrder` hook): a DFS start
// then barycenter sweeps down and up, keeping the order with the fewest crossings. dagre's own ordering either runs
// its full sweeps (3–4× the rest of the layout) or, with `disableOptimalOrderHeuristic`, keeps the DFS order with
// no crossing reduction at all after building sweep structures it then drops; this one costs O(sweeps × edges),
// over integer arrays read from the graph once, and stops early once the sweeps only repeat the last two orders.

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

/**
 * The layout graph's layer nodes as integers, with each node's neighbours (in the graph's own order) and the weights
 * of the edges to them, read once: the sweeps and crossing counts below then never look an edge up by its name
 * (graphlib builds a key string per lookup, most of this ordering's time before).
 */
interface Indexed {
  readonly ids: readonly string[];
  /** Neighbours in the layer before (`preds`) and after (`succs`), with the weight of the edge to each. */
  readonly preds: readonly (readonly number[])[];
  readonly predWeights: readonly (readonly number[])[];
  readonly succs: readonly (readonly number[])[];
  readonly succWeights: readonly (readonly number[])[];
}

type Layers = number[][];

/** Sets `order` on every node of dagre's layout graph (whose nodes all carry a `rank`, edges joining next ranks). */
export function orderLayers(g: LayerGraph): void {
  const rankOf = (v: string): number => (g.node(v) as RankedLabel).rank ?? 0;
  const nodes = g.nodes().filter((v) => !g.children(v)?.length);
  const index = new Map<string, number>(nodes.map((v, i) => [v, i]));
  const neighbours = (v: string, list: string[] | undefined | void, weightOf: (u: string) => number): [number[], number[]] => {
    const at: number[] = [];
    const weights: number[] = [];
    for (const u of list ?? []) {
      const i = index.get(u);
      if (i === undefined) continue;
      at.push(i);
      weights.push(weightOf(u));
    }
    return [at, weights];
  };
  const preds: number[][] = [];
  const predWeights: number[][] = [];
  const succs: number[][] = [];
  const succWeights: number[][] = [];
  for (const v of nodes) {
    const [p, pw] = neighbours(v, g.predecessors(v), (u) => edgeWeight(g, u, v));
    const [s, sw] = neighbours(v, g.successors(v), (w) => edgeWeight(g, v, w));
    preds.push(p);
    predWeights.push(pw);
    succs.push(s);
    succWeights.push(sw);
  }
  const ix: Indexed = { ids: nodes, preds, predWeights, succs, succWeights };
  const layers: Layers = [];
  const seen = new Uint8Array(nodes.length);
  const visit = (start: number): void => {
    const stack = [start];
    while (stack.length) {
      const v = stack.pop()!;
      if (seen[v]) continue;
      seen[v] = 1;
      (layers[rankOf(nodes[v]!)] ??= []).push(v);
      // Depth first along the successors, in the graph's order.
      const next = succs[v]!;
      for (let i = next.length - 1; i >= 0; i--) stack.push(next[i]!);
    }
  };
  const byRank = nodes.map((v, i) => i).sort((a, b) => rankOf(nodes[a]!) - rankOf(nodes[b]!));
  for (const v of byRank) visit(v);
  for (let r = 0; r < layers.length; r++) layers[r] ??= [];
  let best = layers.map((l) => [...l]);
  let bestCrossings = countCrossings(ix, best);
  let current = layers;
  let twoBefore: Layers | undefined;
  let oneBefore: Layers | undefined = layers;
  for (let i = 0; i < ORDER_SWEEPS && bestCrossings > 0; i++) {
    current = sweep(ix, current, i % 2 === 0);
    // Back to the order of two sweeps ago (same direction): the sweeps only repeat the last two orders from here.
    if (twoBefore && sameLayers(current, twoBefore)) break;
    twoBefore = oneBefore;
    oneBefore = current;
    const c = countCrossings(ix, current);
    if (c < bestCrossings) {
      bestCrossings = c;
      best = current.map((l) => [...l]);
    }
  }
  for (const layer of best) layer.forEach((v, i) => ((g.node(nodes[v]!) as RankedLabel).order = i));
}

function sameLayers(a: Layers, b: Layers): boolean {
  return a.every((layer, r) => layer.every((v, i) => v === b[r]![i]));
}

/** One barycenter pass: each layer reordered by the mean position of its neighbours in the layer before it. */
function sweep(ix: Indexed, layers: Layers, down: boolean): Layers {
  const out = layers.map((l) => [...l]);
  // position[u] is u's place in the layer before, valid while stamp[u] names that layer.
  const position = new Float64Array(ix.ids.length);
  const stamp = new Int32Array(ix.ids.length).fill(-1);
  const start = down ? 0 : out.length - 1;
  let before = out[start]!;
  before.forEach((v, i) => {
    position[v] = i;
    stamp[v] = start;
  });
  const near = down ? ix.preds : ix.succs;
  const weights = down ? ix.predWeights : ix.succWeights;
  for (let k = 1; k < out.length; k++) {
    const r = down ? k : out.length - 1 - k;
    const prev = down ? r - 1 : r + 1;
    const layer = out[r]!;
    const keyed = layer.map((v, i) => {
      const list = near[v]!;
      const w = weights[v]!;
      let sum = 0;
      let weight = 0;
      for (let j = 0; j < list.length; j++) {
        const u = list[j]!;
        if (stamp[u] !== prev) continue;
        sum += position[u]! * w[j]!;
        weight += w[j]!;
      }
      // A node with no neighbour on that side keeps its place (scaled into the same range).
      return { v, key: weight ? sum / weight : (i * Math.max(1, before.length - 1)) / Math.max(1, layer.length - 1), i };
    });
    keyed.sort((a, b) => a.key - b.key || a.i - b.i);
    out[r] = keyed.map((x) => x.v);
    before = out[r]!;
    before.forEach((v, i) => {
      position[v] = i;
      stamp[v] = r;
    });
  }
  return out;
}

/** Edge crossings between consecutive layers (see crossings below), over the indexed graph. */
function countCrossings(ix: Indexed, layers: Layers): number {
  let total = 0;
  const place = new Int32Array(ix.ids.length);
  const stamp = new Int32Array(ix.ids.length).fill(-1);
  for (let r = 0; r + 1 < layers.length; r++) {
    const south = layers[r + 1]!;
    south.forEach((v, i) => {
      place[v] = i;
      stamp[v] = r + 1;
    });
    const pairs: [number, number, number][] = [];
    layers[r]!.forEach((v, i) => {
      const list = ix.succs[v]!;
      const w = ix.succWeights[v]!;
      for (let k = 0; k < list.length; k++) if (stamp[list[k]!] === r + 1) pairs.push([i, place[list[k]!]!, w[k]!]);
    });
    total += weightedInversions(pairs, south.length);
  }
  return total;
}

/** Weighted crossings of the edges `(i, j, weight)` between a layer and the next one of `size` nodes. */
function weightedInversions(pairs: [number, number, number][], size: number): number {
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const tree = new Array<number>(size + 1).fill(0);
  let total = 0;
  let seenWeight = 0;
  for (const [, j, w] of pairs) {
    // Weight of edges already seen that end strictly to the right of j: they cross this one.
    let atOrLeft = 0;
    for (let x = j + 1; x > 0; x -= x & -x) atOrLeft += tree[x]!;
    total += (seenWeight - atOrLeft) * w;
    for (let x = j + 1; x <= size; x += x & -x) tree[x]! += w;
    seenWeight += w;
  }
  return total;
}

function edgeWeight(g: LayerGraph, v: string, w: string): number {
  const label = g.edge(v, w) as { weight?: number } | undefined;
  return label?.weight ?? 1;
}

/** Edge crossings between consecutive layers: inversions of the targets' positions, counted with a Fenwick tree. */
export function crossings(g: LayerGraph, layers: readonly (readonly string[])[]): number {
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
    total += weightedInversions(pairs, layers[r + 1]!.length);
  }
  return total;
}
