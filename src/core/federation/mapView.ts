// What the map shows of a federation graph: federations (clusters linked by peerings) folded into one node each when
// the graph is large or the user folds them, and the search box's matches (a federation holding a match unfolds).
// Edges that end in a folded federation are merged per pair of ends, their health the worst of those merged.
import { worstHealth, type Health } from '../liqo/explain.ts';
import type { FederationGraph, MapEdge, MapNode } from './graph.ts';
import { SYSTEM_TITLES, type LinkSystem, type SystemLink } from './systemLinks.ts';

/** Above this many nodes every federation of more than one cluster starts folded. */
export const AUTO_FOLD_ABOVE = 30;

export interface MapViewState {
  /** Text typed in the search box (matched, case-insensitive, against names, cluster IDs and namespaces). */
  readonly query: string;
  /** Federations the user folded (`true`) or unfolded (`false`); absent: the default for the graph's size. */
  readonly folds: Readonly<Record<string, boolean>>;
}

export const INITIAL_VIEW_STATE: MapViewState = { query: '', folds: {} };

export interface GroupNode {
  readonly id: string;
  readonly kind: 'group';
  readonly label: string;
  readonly health: Health;
  readonly status: string;
  readonly members: readonly string[];
}

export type ViewNode = (MapNode & { readonly group: string; readonly match: boolean }) | (GroupNode & { readonly group: string; readonly match: boolean });

export interface ViewEdge {
  readonly id: string;
  /** A Liqo peering, or another system's link (drawn in its own style). */
  readonly kind: 'peering' | LinkSystem;
  readonly from: string;
  readonly to: string;
  readonly health: Health;
  /** The peering edges it stands for (one unless federations are folded); none for another system's link. */
  readonly edges: readonly MapEdge[];
  /** The other system's links it stands for (one unless federations are folded); none for a peering. */
  readonly links: readonly SystemLink[];
  readonly match: boolean;
}

export interface MapView {
  readonly nodes: readonly ViewNode[];
  readonly edges: readonly ViewEdge[];
  /** Every federation (group id → member node ids) and whether it is folded now. */
  readonly groups: readonly { readonly id: string; readonly size: number; readonly folded: boolean }[];
  readonly matches: number;
}

/**
 * Federations: connected components over peerings and the other systems' links, named by their smallest node id
 * (stable while membership is).
 */
export function federations(graph: FederationGraph): Map<string, string> {
  const parent = new Map<string, string>(graph.nodes.map((n) => [n.id, n.id]));
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  for (const e of [...graph.edges, ...graph.links]) {
    const a = find(e.from);
    const b = find(e.to);
    if (a !== b) parent.set(a < b ? b : a, a < b ? a : b);
  }
  const out = new Map<string, string>();
  for (const n of graph.nodes) out.set(n.id, `group:${find(n.id)}`);
  return out;
}

export function nodeMatches(n: MapNode, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return false;
  return [n.label, n.clusterId ?? '', ...n.contexts.map((c) => c.contextName), ...n.virtualNodes.map((v) => v.name)].some((t) => t.toLowerCase().includes(q));
}

export function edgeMatches(e: MapEdge, query: string): boolean {
  const q = query.trim().toLowerCase();
  return q !== '' && e.namespaces.some((ns) => ns.name.toLowerCase().includes(q));
}

/** A link matches its system's name (`admiralty` finds every Admiralty link). */
export function linkMatches(l: SystemLink, query: string): boolean {
  const q = query.trim().toLowerCase();
  return q !== '' && SYSTEM_TITLES[l.system].toLowerCase().includes(q);
}

export function mapView(graph: FederationGraph, state: MapViewState): MapView {
  const groupOf = federations(graph);
  const members = new Map<string, MapNode[]>();
  for (const n of graph.nodes) {
    const g = groupOf.get(n.id)!;
    const list = members.get(g) ?? [];
    list.push(n);
    members.set(g, list);
  }
  const matchedNodes = new Set(graph.nodes.filter((n) => nodeMatches(n, state.query)).map((n) => n.id));
  const links = graph.links;
  const matchedEdges = new Set([...graph.edges.filter((e) => edgeMatches(e, state.query)), ...links.filter((l) => linkMatches(l, state.query))].map((e) => e.id));
  const withMatch = new Set<string>([...matchedNodes].map((id) => groupOf.get(id)!));
  for (const e of [...graph.edges, ...links]) if (matchedEdges.has(e.id)) withMatch.add(groupOf.get(e.from)!);
  const large = graph.nodes.length > AUTO_FOLD_ABOVE;
  const folded = new Set<string>();
  for (const [g, list] of members) {
    if (list.length < 2 || withMatch.has(g)) continue;
    if (state.folds[g] ?? large) folded.add(g);
  }
  const shownId = (nodeId: string): string => {
    const g = groupOf.get(nodeId)!;
    return folded.has(g) ? g : nodeId;
  };
  const nodes: ViewNode[] = [];
  for (const [g, list] of [...members].sort(([a], [b]) => a.localeCompare(b))) {
    if (folded.has(g)) {
      const failing = list.filter((n) => n.health === 'failed').length;
      const status = `${list.length} clusters${failing ? ` · ${failing} failing` : ''}`;
      nodes.push({ id: g, kind: 'group', label: `Federation of ${list[0]!.label}`, health: worstHealth(list.map((n) => n.health)), status, members: list.map((n) => n.id), group: g, match: false });
    } else for (const n of list) nodes.push({ ...n, group: g, match: matchedNodes.has(n.id) });
  }
  const merged = new Map<string, MapEdge[]>();
  for (const e of graph.edges) {
    const from = shownId(e.from);
    const to = shownId(e.to);
    if (from === to && folded.has(from)) continue; // inside a folded federation
    const id = `${from}->${to}`;
    const list = merged.get(id) ?? [];
    list.push(e);
    merged.set(id, list);
  }
  const edges: ViewEdge[] = [...merged].map(([id, list]) => ({
    id: list.length === 1 ? list[0]!.id : id,
    kind: 'peering',
    from: shownId(list[0]!.from),
    to: shownId(list[0]!.to),
    health: worstHealth(list.map((e) => e.health)),
    edges: list,
    links: [],
    match: list.some((e) => matchedEdges.has(e.id)),
  }));
  // Each system's links apart: between folded federations they merge per system, never into a peering.
  const mergedLinks = new Map<string, SystemLink[]>();
  for (const l of links) {
    const from = shownId(l.from);
    const to = shownId(l.to);
    if (from === to && folded.has(from)) continue;
    const id = `${l.system}:${from}->${to}`;
    mergedLinks.set(id, [...(mergedLinks.get(id) ?? []), l]);
  }
  for (const [id, list] of mergedLinks) {
    edges.push({
      id: list.length === 1 ? list[0]!.id : id,
      kind: list[0]!.system,
      from: shownId(list[0]!.from),
      to: shownId(list[0]!.to),
      health: worstHealth(list.map((l) => l.health)),
      edges: [],
      links: list,
      match: list.some((l) => matchedEdges.has(l.id)),
    });
  }
  return {
    nodes,
    edges,
    groups: [...members].map(([id, list]) => ({ id, size: list.length, folded: folded.has(id) })),
    matches: matchedNodes.size + matchedEdges.size,
  };
}
