// The map webview's script (bundled to dist/map.js): puts the SVG the extension sends on screen, makes each node and
// edge a keyboard target with its explanation shown on focus and hover, reports clicks, searches, folds and exports
// back, and keeps the search and folds in the webview state so a reload restores them. No Kubernetes knowledge here.
import type { MapPalette } from '../../../core/federation/svg.ts';
import type { MapViewState } from '../../../core/federation/mapView.ts';
import type { ExportFormat, FromWebview, ToWebview } from '../messages.ts';
import { THEME_PALETTE } from '../themePalette.ts';

interface VsCodeApi {
  postMessage(m: FromWebview): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const canvas = document.getElementById('canvas')!;
const details = document.getElementById('details')!;
const summary = document.getElementById('summary')!;
const search = document.getElementById('search') as HTMLInputElement;
let state: MapViewState = (vscode.getState() as MapViewState | undefined) ?? { query: '', folds: {} };
let groups: readonly { id: string; size: number; folded: boolean }[] = [];
/** The element whose words the details line shows (last hovered or focused), so a redraw can refresh them. */
let explained: string | undefined;
search.value = state.query;

function send(m: FromWebview): void {
  vscode.postMessage(m);
}

function setViewState(next: MapViewState): void {
  state = next;
  vscode.setState(state);
  send({ type: 'state', state });
}

const SECTION: Readonly<Record<string, string>> = { cluster: 'cluster', edge: 'peering', link: 'systemLink', namespace: 'namespace', unknownPeer: 'unknownPeer', group: 'federation' };

function elements(): SVGGElement[] {
  return [...canvas.querySelectorAll<SVGGElement>('g[data-id]')];
}

function activate(el: SVGGElement): void {
  const kind = el.dataset.kind;
  if (kind === 'group') {
    setViewState({ ...state, folds: { ...state.folds, [el.dataset.id!]: false } });
    return;
  }
  const rowId = el.dataset.row;
  const entryId = el.dataset.entry;
  if (rowId && entryId) send({ type: 'reveal', rowId, entryId });
}

function wire(): void {
  for (const el of elements()) {
    const context: Record<string, unknown> = { webviewSection: SECTION[el.dataset.kind ?? ''] ?? 'other', preventDefaultContextMenuItems: true };
    if (el.dataset.row) context.id = el.dataset.row;
    if (el.dataset.entry) context.entry = el.dataset.entry;
    el.setAttribute('data-vscode-context', JSON.stringify(context));
    const explain = (): void => {
      explained = el.dataset.id;
      details.textContent = el.getAttribute('aria-label') ?? '';
    };
    el.addEventListener('focus', explain);
    el.addEventListener('mouseenter', explain);
    el.addEventListener('click', () => {
      el.focus();
      activate(el);
    });
    el.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        activate(el);
      }
    });
  }
}

// Arrow keys move between nodes and edges in reading order (Tab does too).
canvas.addEventListener('keydown', (ev) => {
  const forward = ev.key === 'ArrowRight' || ev.key === 'ArrowDown';
  const back = ev.key === 'ArrowLeft' || ev.key === 'ArrowUp';
  if (!forward && !back) return;
  const all = elements();
  const at = all.indexOf(document.activeElement as SVGGElement);
  const next = all[(at + (forward ? 1 : all.length - 1)) % all.length];
  if (next) {
    ev.preventDefault();
    next.focus();
  }
});

let searchTimer: ReturnType<typeof setTimeout> | undefined;
search.addEventListener('input', () => {
  if (searchTimer) clearTimeout(searchTimer);
  searchTimer = setTimeout(() => setViewState({ ...state, query: search.value }), 150);
});

document.getElementById('unfold')!.addEventListener('click', () => setViewState({ ...state, folds: Object.fromEntries(groups.filter((g) => g.size > 1).map((g) => [g.id, false])) }));
document.getElementById('fold')!.addEventListener('click', () => setViewState({ ...state, folds: Object.fromEntries(groups.filter((g) => g.size > 1).map((g) => [g.id, true])) }));

/** The theme's colours as values (an exported file is seen outside VS Code, where the variables do not exist). */
function resolvedPalette(): MapPalette {
  const probe = document.createElement('span');
  document.body.appendChild(probe);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(THEME_PALETTE)) {
    if (key === 'fontFamily') continue;
    probe.style.color = value;
    out[key] = getComputedStyle(probe).color;
  }
  probe.remove();
  out.fontFamily = getComputedStyle(document.body).fontFamily;
  return out as unknown as MapPalette;
}

for (const format of ['svg', 'png', 'json'] as ExportFormat[]) {
  document.getElementById(`export-${format}`)!.addEventListener('click', () => send({ type: 'export', format, palette: resolvedPalette() }));
}

function rasterize(svg: string, width: number, height: number): void {
  const img = new Image();
  img.onload = () => {
    const c = document.createElement('canvas');
    c.width = Math.max(1, width);
    c.height = Math.max(1, height);
    c.getContext('2d')!.drawImage(img, 0, 0);
    send({ type: 'png', dataUrl: c.toDataURL('image/png') });
  };
  img.onerror = () => send({ type: 'png', dataUrl: '' });
  img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg);
}

window.addEventListener('message', (ev: MessageEvent<ToWebview>) => {
  const m = ev.data;
  if (m.type === 'picture') {
    const focused = (document.activeElement as HTMLElement | null)?.dataset?.id;
    // The markup is built by the extension with every remote string escaped (core/federation/svg.ts).
    canvas.innerHTML = m.svg;
    summary.textContent = m.summary;
    groups = m.groups;
    state = m.state;
    vscode.setState(state);
    if (search.value !== state.query && document.activeElement !== search) search.value = state.query;
    wire();
    // A live change (a peering breaking) must not leave the details line saying what was true before it.
    const shown = explained === undefined ? undefined : elements().find((el) => el.dataset.id === explained);
    details.textContent = shown?.getAttribute('aria-label') ?? '';
    if (!shown) explained = undefined;
    if (focused) elements().find((el) => el.dataset.id === focused)?.focus();
    requestAnimationFrame(() => send({ type: 'drawn', seq: m.seq }));
  } else if (m.type === 'focus') {
    const el = elements().find((x) => x.dataset.id === m.id);
    if (el) {
      el.focus();
      el.scrollIntoView({ block: 'center', inline: 'center' });
    }
  } else if (m.type === 'rasterize') rasterize(m.svg, m.width, m.height);
});

// The first picture came with the page: make it live, and say it is on screen.
if (canvas.firstElementChild) {
  wire();
  const seq = Number(canvas.dataset.seq);
  if (seq) requestAnimationFrame(() => send({ type: 'drawn', seq }));
}
send({ type: 'ready' });
send({ type: 'palette', palette: resolvedPalette() });
// VS Code marks the theme kind on <body> (vscode-light, vscode-dark, vscode-high-contrast): a change of theme.
new MutationObserver(() => send({ type: 'palette', palette: resolvedPalette() })).observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-id'] });
