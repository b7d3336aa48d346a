// The map as SVG markup: one focusable group per node and edge (role, aria-label, <title> with the plain-words
// explanation), styled by class so the webview's theme stylesheet colours it; an export embeds the colours the
// webview resolved from VS Code's theme, so the file looks the same outside VS Code. Every remote string is escaped.
import type { Health } from '../liqo/explain.ts';
import { healthWord } from '../tree/health.ts';
import type { MapLayout, PlacedEdge, PlacedNode } from './layout.ts';
import { LINE_HEIGHT, nodeLines, shownNamespaces, virtualNodeLines } from './layout.ts';
import type { MapNamespace } from './graph.ts';
import { SYSTEM_TITLES, type LinkSystem } from './systemLinks.ts';
import type { ViewEdge } from './mapView.ts';

/** Colours of the map, by role; the webview fills them from VS Code's CSS variables. */
export interface MapPalette {
  readonly background: string;
  readonly foreground: string;
  readonly muted: string;
  readonly nodeFill: string;
  readonly border: string;
  readonly healthy: string;
  readonly pending: string;
  readonly failed: string;
  readonly unknown: string;
  readonly match: string;
  readonly fontFamily: string;
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

function healthClass(h: Health): string {
  return `h-${h}`;
}

/** The node's explanation: what a tooltip and a screen reader say. */
export function nodeDescription(p: PlacedNode): string {
  const n = p.node;
  if (n.kind === 'group') return `${n.label}: ${n.status}, ${healthWord(n.health)}. Activate to unfold.`;
  if (n.kind === 'unknownPeer' && n.server !== undefined) return `Cluster ${n.label} at ${n.server}: in no kubeconfig; add its kubeconfig to see it.`;
  if (n.kind === 'unknownPeer') return `Peer cluster ${n.clusterId}: in no kubeconfig; add its kubeconfig to see it.`;
  const parts = [`Cluster ${n.label}`, n.status];
  if (n.problem) parts.push(n.problem);
  for (const v of n.virtualNodes) parts.push(`virtual node ${v.name} → ${v.remoteClusterId}: ${v.state}${v.resources ? `, ${v.resources}` : ''}`);
  return parts.join('. ');
}

/** What another system's link says on hover and to a screen reader: the system, the direction, then each object. */
export function linkDescription(e: ViewEdge, nameOf: (id: string) => string): string {
  const title = SYSTEM_TITLES[e.kind as LinkSystem];
  const verb = e.kind === 'admiralty' ? 'sends pods to' : e.kind === 'kubefed' ? 'federates to member' : 'reads the remote cluster';
  const head = `${title} link: ${nameOf(e.from)} ${verb} ${nameOf(e.to)}: ${healthWord(e.health)}`;
  if (e.links.length > 1) return `${head}. ${e.links.length} ${title} links between folded federations.`;
  return [`${head}.`, ...e.links.flatMap((l) => l.explanation)].join(' ');
}

export function edgeDescription(p: PlacedEdge, nameOf: (id: string) => string): string {
  const e = p.edge;
  if (e.kind !== 'peering') return linkDescription(e, nameOf);
  const head = `Peering ${nameOf(e.from)} consumes from ${nameOf(e.to)}: ${healthWord(e.health)}`;
  if (e.edges.length > 1) return `${head}. ${e.edges.length} peerings between folded federations.`;
  const x = e.edges[0]!;
  const parts = [head, `modules ${x.modules.map((m) => `${m.name} ${healthWord(m.health)}`).join(', ')}`];
  if (x.resources.length) parts.push(`resources ${x.resources.join('; ')}`);
  for (const ns of x.namespaces) parts.push(`namespace ${ns.name}: ${ns.pods} pods on ${nameOf(e.to)}${ns.failing ? `, ${ns.failing} failing` : ''}`);
  parts.push(...x.explanation);
  return parts.join('. ');
}

function text(x: number, y: number, lines: readonly string[], cls: string, anchor = 'start'): string {
  return lines.map((l, i) => `<text x="${x}" y="${y + i * LINE_HEIGHT}" class="${cls}" text-anchor="${anchor}">${escapeXml(l)}</text>`).join('');
}

function nodeMarkup(p: PlacedNode): string {
  const n = p.node;
  const { x, y, width, height } = p.box;
  const dashed = n.kind === 'unknownPeer' ? ' dashed' : '';
  const desc = nodeDescription(p);
  const rowAttr = n.kind === 'cluster' && n.rowId ? ` data-row="${escapeXml(n.rowId)}" data-entry="${escapeXml(n.entryId ?? '')}"` : '';
  const head = nodeLines(n);
  const vns = virtualNodeLines(n);
  return (
    `<g class="node ${n.kind} ${healthClass(n.health)}${n.match ? ' match' : ''}" data-id="${escapeXml(n.id)}" data-kind="${n.kind}"${rowAttr} tabindex="0" role="button" aria-label="${escapeXml(desc)}">` +
    `<title>${escapeXml(desc)}</title>` +
    `<rect x="${x}" y="${y}" width="${width}" height="${height}" rx="6" class="box${dashed}"/>` +
    `<rect x="${x}" y="${y}" width="5" height="${height}" class="stripe"/>` +
    text(x + 12, y + 20, head.slice(0, 1), 'label') +
    text(x + 12, y + 20 + LINE_HEIGHT, head.slice(1), 'muted') +
    text(x + 12, y + 20 + LINE_HEIGHT * head.length, vns, 'vnode') +
    '</g>'
  );
}

/** What a screen reader says for an offloaded namespace drawn on an edge. */
export function namespaceDescription(ns: MapNamespace, consumer: string, provider: string): string {
  const failing = ns.failing ? `, ${ns.failing} of them failing` : '';
  return `Offloaded namespace ${ns.name} of ${consumer} on ${provider}: ${healthWord(ns.health)}, ${ns.pods} pod${ns.pods === 1 ? '' : 's'} there${failing}. Activate to reveal its row.`;
}

/** The edge (line and label) and, apart from it (no control inside another), its namespaces' focusable lines. */
function edgeMarkup(p: PlacedEdge, nameOf: (id: string) => string): { edge: string; namespaces: string } {
  const e = p.edge;
  const d = p.points.map((pt, i) => `${i === 0 ? 'M' : 'L'}${pt.x.toFixed(1)},${pt.y.toFixed(1)}`).join(' ');
  const desc = edgeDescription(p, nameOf);
  if (e.kind !== 'peering') return { edge: linkMarkup(p, d, desc), namespaces: '' };
  const single = e.edges.length === 1 ? e.edges[0] : undefined;
  const rowAttr = single?.rowId ? ` data-row="${escapeXml(single.rowId)}" data-entry="${escapeXml(single.entryId ?? '')}"` : '';
  const lb = p.labelBox;
  const lines = p.label.split('\n');
  const shown = shownNamespaces(e);
  const more = single && single.namespaces.length > shown.length ? 1 : 0;
  const firstNs = lines.length - shown.length - more;
  const cx = lb.x + lb.width / 2;
  const lineY = (i: number): number => lb.y + 12 + i * LINE_HEIGHT;
  const edge =
    `<g class="edge ${healthClass(e.health)}${e.match ? ' match' : ''}" data-id="${escapeXml(e.id)}" data-kind="edge"${rowAttr} tabindex="0" role="button" aria-label="${escapeXml(desc)}">` +
    `<title>${escapeXml(desc)}</title>` +
    `<path d="${d}" class="hit"/>` +
    `<path d="${d}" class="line" marker-end="url(#arrow-${e.health})"/>` +
    `<rect x="${lb.x}" y="${lb.y}" width="${lb.width}" height="${lb.height}" rx="3" class="edge-label-bg"/>` +
    text(cx, lineY(0), lines.slice(0, firstNs), 'edge-label', 'middle') +
    text(cx, lineY(firstNs + shown.length), lines.slice(firstNs + shown.length), 'edge-label', 'middle') +
    '</g>';
  const namespaces = shown
    .map((ns, k) => {
      const i = firstNs + k;
      const nsDesc = namespaceDescription(ns, nameOf(e.from), nameOf(e.to));
      return (
        `<g class="namespace ${healthClass(ns.health)}" data-id="${escapeXml(`ns:${e.id}:${ns.name}`)}" data-kind="namespace" data-row="${escapeXml(ns.rowId)}" data-entry="${escapeXml(ns.entryId)}" tabindex="0" role="button" aria-label="${escapeXml(nsDesc)}">` +
        `<title>${escapeXml(nsDesc)}</title>` +
        `<rect x="${lb.x}" y="${lineY(i) - 12}" width="${lb.width}" height="${LINE_HEIGHT}" class="ns-hit"/>` +
        text(cx, lineY(i), [lines[i] ?? ns.name], 'edge-label ns-label', 'middle') +
        '</g>'
      );
    })
    .join('');
  return { edge, namespaces };
}

/** Another system's link: its own line style (class `link-<system>`) and label, the row of its first object. */
function linkMarkup(p: PlacedEdge, d: string, desc: string): string {
  const e = p.edge;
  const single = e.links.length === 1 ? e.links[0] : undefined;
  const rowAttr = single?.rowId ? ` data-row="${escapeXml(single.rowId)}" data-entry="${escapeXml(single.entryId ?? '')}"` : '';
  const lb = p.labelBox;
  return (
    `<g class="edge link link-${e.kind} ${healthClass(e.health)}${e.match ? ' match' : ''}" data-id="${escapeXml(e.id)}" data-kind="link" data-system="${e.kind}"${rowAttr} tabindex="0" role="button" aria-label="${escapeXml(desc)}">` +
    `<title>${escapeXml(desc)}</title>` +
    `<path d="${d}" class="hit"/>` +
    `<path d="${d}" class="line" marker-end="url(#arrow-${e.health})"/>` +
    `<rect x="${lb.x}" y="${lb.y}" width="${lb.width}" height="${lb.height}" rx="3" class="edge-label-bg"/>` +
    text(lb.x + lb.width / 2, lb.y + 12, p.label.split('\n'), 'edge-label link-label', 'middle') +
    '</g>'
  );
}

/** The line style of each kind of link, as SVG dash arrays (a peering is solid; a failing peering dashes 8 4). */
export const LINK_DASHES: Readonly<Record<LinkSystem, string>> = { admiralty: '7 4', kubefed: '2 4', istio: '10 3 2 3' };

const LEGEND_ROW = 18;

/** The legend: one sample line per kind of link in the picture (nothing when it has only peerings). */
function legendMarkup(layout: MapLayout, y: number): { markup: string; height: number } {
  const kinds = [...new Set(layout.edges.map((e) => e.edge.kind))];
  if (!kinds.some((k) => k !== 'peering')) return { markup: '', height: 0 };
  const order: ViewEdge['kind'][] = ['peering', 'admiralty', 'kubefed', 'istio'];
  const shown = order.filter((k) => kinds.includes(k));
  const words: Readonly<Record<ViewEdge['kind'], string>> = {
    peering: 'Liqo peering (consumer → provider)',
    admiralty: 'Admiralty target (source → target cluster)',
    kubefed: 'KubeFed membership (host → member)',
    istio: 'Istio remote secret (primary → remote)',
  };
  const rows = shown
    .map((k, i) => {
      const ly = y + 14 + i * LEGEND_ROW;
      const cls = k === 'peering' ? 'legend-line' : `legend-line link-${k}`;
      return `<g class="legend-item" data-legend="${k}"><path d="M20,${ly - 4} L60,${ly - 4}" class="${cls}"/><text x="68" y="${ly}" class="muted">${escapeXml(words[k])}</text></g>`;
    })
    .join('');
  const label = `Legend: ${shown.map((k) => `${k === 'peering' ? 'solid line' : k === 'kubefed' ? 'dotted line' : 'dashed line'}, ${words[k]}`).join('; ')}`;
  return { markup: `<g class="legend" role="note" aria-label="${escapeXml(label)}"><title>${escapeXml(label)}</title>${rows}</g>`, height: shown.length * LEGEND_ROW + 12 };
}

const HEALTHS: readonly Health[] = ['healthy', 'pending', 'failed', 'disabled', 'unknown'];

/** The stylesheet of the map, by class; colours from the palette (CSS variables in the webview, values on export). */
export function mapStyle(p: MapPalette): string {
  return [
    `svg.federation-map{background:${p.background};font-family:${p.fontFamily};font-size:12px}`,
    `.node .box{fill:${p.nodeFill};stroke:${p.border};stroke-width:1.5}`,
    `.node .box.dashed{stroke-dasharray:6 4;fill:none}`,
    `.label{fill:${p.foreground};font-weight:600}`,
    `.muted,.vnode{fill:${p.muted}}`,
    `.edge .line{fill:none;stroke-width:2}`,
    `.edge .hit{fill:none;stroke:transparent;stroke-width:12}`,
    `.edge-label{fill:${p.foreground};font-size:11px}`,
    `.edge-label-bg{fill:${p.background};opacity:.85}`,
    `.namespace .ns-hit{fill:transparent}`,
    `.namespace.h-failed .ns-label{fill:${p.failed}}`,
    `.namespace.match .ns-label,.namespace:hover .ns-label{text-decoration:underline}`,
    `.h-healthy .stripe,.h-healthy .line{fill:${p.healthy};stroke:${p.healthy}}`,
    `.h-pending .stripe,.h-pending .line{fill:${p.pending};stroke:${p.pending}}`,
    `.h-failed .stripe,.h-failed .line{fill:${p.failed};stroke:${p.failed}}`,
    `.h-failed .box{stroke:${p.failed}}`,
    `.h-unknown .stripe,.h-unknown .line,.h-disabled .stripe,.h-disabled .line{fill:${p.unknown};stroke:${p.unknown}}`,
    `.h-failed .line{stroke-dasharray:8 4}`,
    `.match .box,.match .line{stroke:${p.match};stroke-width:3}`,
    // Other systems' links: thinner, each with its own dashes (after the failing peering's dashes, so they win).
    ...Object.entries(LINK_DASHES).map(([k, dash]) => `.link-${k} .line,.legend-line.link-${k}{stroke-dasharray:${dash}}`),
    `.link .line{stroke-width:1.5}`,
    // A routed line with bends must not be filled by the health rules above (they colour stripes too).
    `.edge path.line{fill:none}`,
    `.link-label{font-style:italic}`,
    `.legend-line{fill:none;stroke:${p.muted};stroke-width:2}`,
    ...HEALTHS.map((h) => `#arrow-${h} path{fill:${h === 'healthy' ? p.healthy : h === 'pending' ? p.pending : h === 'failed' ? p.failed : p.unknown}}`),
  ].join('\n');
}

/**
 * The whole picture. `palette` given: a standalone file (export) with its stylesheet inside; absent: the webview's
 * own stylesheet applies.
 */
export function renderMapSvg(layout: MapLayout, palette?: MapPalette): string {
  const names = new Map(layout.nodes.map((p) => [p.node.id, p.node.label]));
  const nameOf = (id: string): string => names.get(id) ?? id;
  const markers = HEALTHS.map((h) => `<marker id="arrow-${h}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>`).join('');
  const edges = layout.edges.map((e) => edgeMarkup(e, nameOf));
  const links = layout.edges.filter((e) => e.edge.kind !== 'peering').length;
  const peerings = layout.edges.length - links;
  const legend = legendMarkup(layout, Math.max(layout.height, 100));
  const width = Math.max(layout.width, legend.height ? 360 : 200);
  const height = Math.max(layout.height, 100) + legend.height;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="federation-map" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="group" aria-label="Liqo federation map: ${layout.nodes.length} nodes, ${peerings} peerings${links ? `, ${links} links of other systems` : ''}">` +
    (palette ? `<style>${escapeXml(mapStyle(palette)).replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'")}</style><rect width="100%" height="100%" fill="${escapeXml(palette.background)}"/>` : '') +
    `<defs>${markers}</defs>` +
    `<g class="edges">${edges.map((e) => e.edge).join('')}</g>` +
    `<g class="namespaces">${edges.map((e) => e.namespaces).join('')}</g>` +
    `<g class="nodes">${layout.nodes.map(nodeMarkup).join('')}</g>` +
    legend.markup +
    '</svg>'
  );
}
