// Where each node and edge of the map's view sits: a layered layout (dagre, left to right, consumers before their
// providers) with node sizes from their text, edge labels placed by the layout so they do not overlap nodes.
import { Graph, layout } from '@dagrejs/dagre';
import type { MapNamespace } from './graph.ts';
import type { MapView, ViewEdge, ViewNode } from './mapView.ts';
import { orderLayers, type LayerGraph } from './layerOrder.ts';
import { SYSTEM_TITLES } from './systemLinks.ts';

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface PlacedNode {
  readonly node: ViewNode;
  readonly box: Box;
}

export interface PlacedEdge {
  readonly edge: ViewEdge;
  readonly points: readonly { readonly x: number; readonly y: number }[];
  readonly label: string;
  readonly labelBox: Box;
}

export interface MapLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
}

/** Monospace-free estimate of text width at the map's 12px font: enough to size boxes without a DOM. */
export const CHAR_WIDTH = 7;
export const LINE_HEIGHT = 16;
/** Virtual nodes listed inside a cluster before "+N more". */
export const MAX_VIRTUAL_NODES = 4;

export function nodeLines(n: ViewNode): string[] {
  if (n.kind === 'group') return [n.label, n.status];
  if (n.kind === 'unknownPeer' && n.server !== undefined) return [n.label, n.server, 'in no kubeconfig'];
  const lines = [n.label, n.kind === 'unknownPeer' ? 'in no kubeconfig' : n.status];
  if (n.kind === 'cluster' && n.clusterId && n.label !== n.clusterId) lines.push(`ID ${n.clusterId}`);
  return lines;
}

export function virtualNodeLines(n: ViewNode): string[] {
  if (n.kind === 'group') return [];
  const shown = n.virtualNodes.slice(0, MAX_VIRTUAL_NODES).map((v) => `▣ ${v.name}${v.gpus ? ` · ${v.gpus} GPU` : ''} · ${v.state}`);
  if (n.virtualNodes.length > MAX_VIRTUAL_NODES) shown.push(`+${n.virtualNodes.length - MAX_VIRTUAL_NODES} more virtual nodes`);
  return shown;
}

const GLYPH: Readonly<Record<string, string>> = { healthy: '✓', failed: '✗', pending: '…', disabled: '–', unknown: '?' };

/** Offloaded namespaces listed one per line on an edge (each a focusable element) before "+N more namespaces". */
export const MAX_EDGE_NAMESPACES = 3;

/** The edge label's line for one offloaded namespace: its pods on the provider and how many fail. */
export function namespaceLine(n: MapNamespace): string {
  return `▸ ${n.name}: ${n.pods} pod${n.pods === 1 ? '' : 's'}${n.failing ? `, ${n.failing} failing` : ''}`;
}

/** The namespaces an edge lists one per line (the rest are summed up in the last line). */
export function shownNamespaces(e: ViewEdge): readonly MapNamespace[] {
  return e.edges.length === 1 ? e.edges[0]!.namespaces.slice(0, MAX_EDGE_NAMESPACES) : [];
}

/**
 * The edge's short label. A peering: modules, resources granted, then one line per namespace with its pods. Another
 * system's link: the system's name with its health, then what it carries (`1 proxy → 1 delegate`, `Ready`, `mesh1`).
 */
export function edgeLabel(e: ViewEdge): string {
  if (e.kind !== 'peering') {
    const title = `${SYSTEM_TITLES[e.kind]} ${GLYPH[e.health] ?? '?'}`;
    return e.links.length === 1 ? `${title}\n${e.links[0]!.summary}` : `${title}\n${e.links.length} links`;
  }
  if (e.edges.length > 1) {
    const failing = e.edges.filter((x) => x.health === 'failed').length;
    return `${e.edges.length} peerings${failing ? ` · ${failing} failing` : ''}`;
  }
  const x = e.edges[0]!;
  const parts = [x.modules.map((m) => `${m.name.slice(0, 3)} ${GLYPH[m.health] ?? '?'}`).join(' ')];
  if (x.resources.length) parts.push(x.resources.map((r) => r.slice(r.indexOf(': ') + 2).replace(/ \(.*\)$/, '')).join(' + '));
  parts.push(...shownNamespaces(e).map(namespaceLine));
  const rest = x.namespaces.slice(MAX_EDGE_NAMESPACES);
  if (rest.length) {
    const pods = rest.reduce((a, n) => a + n.pods, 0);
    const failing = rest.reduce((a, n) => a + n.failing, 0);
    parts.push(`+${rest.length} more namespaces: ${pods} pods${failing ? `, ${failing} failing` : ''}`);
  }
  return parts.join('\n');
}

export function textWidth(lines: readonly string[]): number {
  return Math.max(0, ...lines.map((l) => l.length)) * CHAR_WIDTH;
}

function nodeSize(n: ViewNode): { width: number; height: number } {
  const lines = [...nodeLines(n), ...virtualNodeLines(n)];
  return { width: Math.max(160, textWidth(lines) + 24), height: lines.length * LINE_HEIGHT + 16 };
}

function labelSize(label: string): { width: number; height: number } {
  const lines = label.split('\n');
  return { width: textWidth(lines) + 8, height: lines.length * LINE_HEIGHT };
}

/**
 * Pieces already laid out, by their shape (node ids and sizes, edge ends and label sizes): a federation that did not
 * change shape since an earlier picture is not laid out again when another one changes, unfolds or folds. Holds the
 * pieces of the last few pictures only.
 */
export class LayoutCache {
  private readonly pieces = new Map<string, Piece>();
  private readonly limit: number;
  hits = 0;
  misses = 0;

  constructor(limit = 256) {
    this.limit = limit;
  }

  get size(): number {
    return this.pieces.size;
  }

  piece(key: string, make: () => Piece): Piece {
    const found = this.pieces.get(key);
    if (found) {
      this.hits++;
      // Most recently used last: the first key is the one to drop.
      this.pieces.delete(key);
      this.pieces.set(key, found);
      return found;
    }
    this.misses++;
    const made = make();
    this.pieces.set(key, made);
    while (this.pieces.size > this.limit) this.pieces.delete(this.pieces.keys().next().value!);
    return made;
  }
}

/**
 * The map's layout. Given the previous layout of the same nodes and edges (a health, a count or a label changed, as
 * on most live updates), it keeps every position and only resizes boxes around their centres: no layout pass, and
 * nothing jumps on screen. Otherwise each federation is laid out alone, or taken from `cache` when its shape is one
 * laid out before, and the pieces are packed in rows.
 */
export function layoutMap(view: MapView, previous?: MapLayout, cache: LayoutCache = new LayoutCache()): MapLayout {
  if (previous && sameShape(previous, view)) return resized(previous, view);
  // Crossing reduction grows faster than linearly: 10 federations of 10 clusters cost a tenth of one graph of 100.
  const byGroup = new Map<string, { nodes: ViewNode[]; edges: ViewEdge[] }>();
  for (const n of view.nodes) {
    const part = byGroup.get(n.group) ?? { nodes: [], edges: [] };
    part.nodes.push(n);
    byGroup.set(n.group, part);
  }
  const groupOf = new Map(view.nodes.map((n) => [n.id, n.group]));
  for (const e of view.edges) byGroup.get(groupOf.get(e.from)!)?.edges.push(e);
  const pieces = [...byGroup.values()].map((part) => {
    const shape = pieceShape(part.nodes, part.edges);
    return cache.piece(JSON.stringify(shape), () => layoutPiece(shape));
  });
  return pack(pieces, view);
}

/** What a piece's geometry depends on, and nothing else (a label's text may change within the same size). */
interface PieceShape {
  readonly nodes: readonly (readonly [id: string, width: number, height: number])[];
  readonly edges: readonly (readonly [id: string, from: string, to: string, width: number, height: number])[];
}

function pieceShape(nodes: readonly ViewNode[], edges: readonly ViewEdge[]): PieceShape {
  return {
    nodes: nodes.map((n) => {
      const s = nodeSize(n);
      return [n.id, s.width, s.height] as const;
    }),
    edges: edges.map((e) => {
      const s = labelSize(edgeLabel(e));
      return [e.id, e.from, e.to, s.width, s.height] as const;
    }),
  };
}

interface Piece {
  readonly width: number;
  readonly height: number;
  readonly nodes: ReadonlyMap<string, Box>;
  /** By edge id: a peering and other systems' links may join the same two clusters. */
  readonly edges: ReadonlyMap<string, { readonly points: readonly { x: number; y: number }[]; readonly labelBox: Box }>;
}

function layoutPiece(shape: PieceShape): Piece {
  const g = new Graph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 30, ranksep: 90, edgesep: 20, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const [id, width, height] of shape.nodes) g.setNode(id, { width, height });
  for (const [id, from, to, width, height] of shape.edges) g.setEdge(from, to, { width, height, labelpos: 'c' }, id);
  // Our barycenter ordering instead of dagre's (see layerOrder.ts): fewer crossings for a fraction of the time.
  layout(g, { customOrder: (lg: LayerGraph) => orderLayers(lg) });
  const placed = new Map<string, Box>();
  for (const [id] of shape.nodes) {
    const l = g.node(id) as { x: number; y: number; width: number; height: number };
    placed.set(id, { x: l.x - l.width / 2, y: l.y - l.height / 2, width: l.width, height: l.height });
  }
  const routed = new Map<string, { points: { x: number; y: number }[]; labelBox: Box }>();
  for (const [id, from, to] of shape.edges) {
    const l = g.edge(from, to, id) as { points: { x: number; y: number }[]; x: number; y: number; width: number; height: number };
    routed.set(id, { points: l.points, labelBox: { x: l.x - l.width / 2, y: l.y - l.height / 2, width: l.width, height: l.height } });
  }
  const graph = g.graph() as { width?: number; height?: number };
  return { width: graph.width ?? 0, height: graph.height ?? 0, nodes: placed, edges: routed };
}

const MARGIN = 20;
const GAP = 40;

/** Shelf packing in the view's order: rows about as wide as the widest piece or 1,400 px, whichever is more. */
function pack(pieces: readonly Piece[], view: MapView): MapLayout {
  const rowWidth = Math.max(1400, ...pieces.map((p) => p.width));
  const nodeBoxes = new Map<string, Box>();
  const edgeRoutes = new Map<string, { points: { x: number; y: number }[]; labelBox: Box }>();
  let x = MARGIN;
  let y = MARGIN;
  let shelf = 0;
  let width = 0;
  for (const p of pieces) {
    if (x > MARGIN && x + p.width > rowWidth + MARGIN) {
      x = MARGIN;
      y += shelf + GAP;
      shelf = 0;
    }
    const move = (b: Box): Box => ({ x: b.x + x, y: b.y + y, width: b.width, height: b.height });
    for (const [id, b] of p.nodes) nodeBoxes.set(id, move(b));
    for (const [id, r] of p.edges) edgeRoutes.set(id, { points: r.points.map((pt) => ({ x: pt.x + x, y: pt.y + y })), labelBox: move(r.labelBox) });
    width = Math.max(width, x + p.width);
    shelf = Math.max(shelf, p.height);
    x += p.width + GAP;
  }
  const nodes: PlacedNode[] = view.nodes.map((n) => ({ node: n, box: nodeBoxes.get(n.id)! }));
  const edges: PlacedEdge[] = view.edges.map((e) => ({ edge: e, label: edgeLabel(e), ...edgeRoutes.get(e.id)! }));
  return { width: Math.ceil(width + MARGIN), height: Math.ceil(y + shelf + MARGIN), nodes, edges };
}

function sameShape(l: MapLayout, view: MapView): boolean {
  if (l.nodes.length !== view.nodes.length || l.edges.length !== view.edges.length) return false;
  return l.nodes.every((p, i) => p.node.id === view.nodes[i]!.id) && l.edges.every((p, i) => p.edge.id === view.edges[i]!.id && p.edge.from === view.edges[i]!.from && p.edge.to === view.edges[i]!.to);
}

function around(b: Box, size: { width: number; height: number }): Box {
  return { x: b.x + b.width / 2 - size.width / 2, y: b.y + b.height / 2 - size.height / 2, width: size.width, height: size.height };
}

function resized(l: MapLayout, view: MapView): MapLayout {
  const nodes = l.nodes.map((p, i) => ({ node: view.nodes[i]!, box: around(p.box, nodeSize(view.nodes[i]!)) }));
  const edges = l.edges.map((p, i) => {
    const edge = view.edges[i]!;
    const label = edgeLabel(edge);
    return { edge, points: p.points, label, labelBox: around(p.labelBox, labelSize(label)) };
  });
  const width = Math.max(l.width, ...nodes.map((p) => p.box.x + p.box.width), ...edges.map((p) => p.labelBox.x + p.labelBox.width));
  const height = Math.max(l.height, ...nodes.map((p) => p.box.y + p.box.height), ...edges.map((p) => p.labelBox.y + p.labelBox.height));
  return { width: Math.ceil(width), height: Math.ceil(height), nodes, edges };
}
