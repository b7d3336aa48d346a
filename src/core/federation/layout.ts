// Where each node and edge of the map's view sits: a layered layout (dagre, left to right, consumers before their
// providers) with node sizes from their text, edge labels placed by the layout so they do not overlap nodes.
import { Graph, layout } from '@dagrejs/dagre';
import type { MapView, ViewEdge, ViewNode } from './mapView.ts';

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

/** The edge's short label: modules, resources granted, namespaces and their pods. */
export function edgeLabel(e: ViewEdge): string {
  if (e.edges.length > 1) {
    const failing = e.edges.filter((x) => x.health === 'failed').length;
    return `${e.edges.length} peerings${failing ? ` · ${failing} failing` : ''}`;
  }
  const x = e.edges[0]!;
  const parts = [x.modules.map((m) => `${m.name.slice(0, 3)} ${GLYPH[m.health] ?? '?'}`).join(' ')];
  if (x.resources.length) parts.push(x.resources.map((r) => r.slice(r.indexOf(': ') + 2).replace(/ \(.*\)$/, '')).join(' + '));
  if (x.namespaces.length) {
    const pods = x.namespaces.reduce((a, n) => a + n.pods, 0);
    const failing = x.namespaces.reduce((a, n) => a + n.failing, 0);
    const names = x.namespaces.length <= 2 ? x.namespaces.map((n) => n.name).join(', ') : `${x.namespaces.length} namespaces`;
    parts.push(`${names}: ${pods} pods${failing ? `, ${failing} failing` : ''}`);
  }
  return parts.join('\n');
}

export function textWidth(lines: readonly string[]): number {
  return Math.max(0, ...lines.map((l) => l.length)) * CHAR_WIDTH;
}

/** Above this many edges the layout skips dagre's extra crossing-reduction passes (see layoutMap). */
export const OPTIMAL_ORDER_MAX_EDGES = 60;

function nodeSize(n: ViewNode): { width: number; height: number } {
  const lines = [...nodeLines(n), ...virtualNodeLines(n)];
  return { width: Math.max(160, textWidth(lines) + 24), height: lines.length * LINE_HEIGHT + 16 };
}

function labelSize(label: string): { width: number; height: number } {
  const lines = label.split('\n');
  return { width: textWidth(lines) + 8, height: lines.length * LINE_HEIGHT };
}

/**
 * The map's layout. Given the previous layout of the same nodes and edges (a health, a count or a label changed, as
 * on most live updates), it keeps every position and only resizes boxes around their centres: no layout pass, and
 * nothing jumps on screen.
 */
export function layoutMap(view: MapView, previous?: MapLayout): MapLayout {
  if (previous && sameShape(previous, view)) return resized(previous, view);
  const g = new Graph({ multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: 30, ranksep: 90, edgesep: 20, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of view.nodes) g.setNode(n.id, nodeSize(n));
  const labels = new Map<string, string>();
  for (const e of view.edges) {
    const label = edgeLabel(e);
    labels.set(e.id, label);
    g.setEdge(e.from, e.to, { ...labelSize(label), labelpos: 'c', id: e.id });
  }
  // dagre's best-of-several ordering sweeps cost 3–4× the rest on 300 edges; large maps take the first good order.
  layout(g, { disableOptimalOrderHeuristic: view.edges.length > OPTIMAL_ORDER_MAX_EDGES });
  const nodes: PlacedNode[] = view.nodes.map((n) => {
    const l = g.node(n.id) as { x: number; y: number; width: number; height: number };
    return { node: n, box: { x: l.x - l.width / 2, y: l.y - l.height / 2, width: l.width, height: l.height } };
  });
  const edges: PlacedEdge[] = view.edges.map((e) => {
    const l = g.edge(e.from, e.to) as { points: { x: number; y: number }[]; x: number; y: number; width: number; height: number };
    return { edge: e, points: l.points, label: labels.get(e.id)!, labelBox: { x: l.x - l.width / 2, y: l.y - l.height / 2, width: l.width, height: l.height } };
  });
  const graph = g.graph() as { width?: number; height?: number };
  return { width: Math.ceil(graph.width ?? 0), height: Math.ceil(graph.height ?? 0), nodes, edges };
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
