// The map as SVG markup: one focusable group per node and edge (role, aria-label, <title> with the plain-words
// explanation), styled by class so the webview's theme stylesheet colours it; an export embeds the colours the
// webview resolved from VS Code's theme, so the file looks the same outside VS Code. Every remote string is escaped.
import type { Health } from '../liqo/explain.ts';
import { healthWord } from '../tree/health.ts';
import type { MapLayout, PlacedEdge, PlacedNode } from './layout.ts';
import { LINE_HEIGHT, nodeLines, shownNamespaces, virtualNodeLines } from './layout.ts';
import type { MapNamespace } from './graph.ts';

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
  if (n.kind === 'unknownPeer') return `Peer cluster ${n.clusterId}: in no kubeconfig; add its kubeconfig to see it.`;
  const parts = [`Cluster ${n.label}`, n.status];
  if (n.problem) parts.push(n.problem);
  for (const v of n.virtualNodes) parts.push(`virtual node ${v.name} → ${v.remoteClusterId}: ${v.state}${v.resources ? `, ${v.resources}` : ''}`);
  return parts.join('. ');
}

export function edgeDescription(p: PlacedEdge, nameOf: (id: string) => string): string {
  const e = p.edge;
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
  const width = Math.max(layout.width, 200);
  const height = Math.max(layout.height, 100);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="federation-map" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="group" aria-label="Liqo federation map: ${layout.nodes.length} nodes, ${layout.edges.length} peerings">` +
    (palette ? `<style>${escapeXml(mapStyle(palette)).replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'")}</style><rect width="100%" height="100%" fill="${escapeXml(palette.background)}"/>` : '') +
    `<defs>${markers}</defs>` +
    `<g class="edges">${edges.map((e) => e.edge).join('')}</g>` +
    `<g class="namespaces">${edges.map((e) => e.namespaces).join('')}</g>` +
    `<g class="nodes">${layout.nodes.map(nodeMarkup).join('')}</g>` +
    '</svg>'
  );
}
