// The federation map: one webview panel beside the editor that draws core/federation's graph of the same model the
// tree reads, redrawn on the model's cluster changes (no request of its own to any API server). Clicks reveal the
// tree row; exports write SVG, PNG (rasterized in the webview) or the graph as JSON. The panel survives a reload
// through a serializer that restores the search and folds. The first picture is drawn from what the tree's watches
// already hold (collapsed clusters watch their ForeignClusters, so every node and peering is known) and goes into
// the page itself; only once it is on screen do the clusters widen to the watches the edge labels need (granted
// resources, offloaded namespaces and their pods), so their LISTs do not compete with the first picture.
import * as vscode from 'vscode';
import type { FederationModel } from '../../infra/federationModel.ts';
import type { FederationTreeProvider, RowHandle } from '../federationTreeProvider.ts';
import { buildFederationGraph, type FederationGraph } from '../../core/federation/graph.ts';
import { INITIAL_VIEW_STATE, mapView, type MapViewState } from '../../core/federation/mapView.ts';
import { LayoutCache, layoutMap, type MapLayout } from '../../core/federation/layout.ts';
import { renderMapSvg, type MapPalette } from '../../core/federation/svg.ts';
import { mapHtml, newNonce } from './mapHtml.ts';
import { clusterRowId } from '../../core/tree/rowKey.ts';
import type { ExportFormat, FromWebview, ToWebview } from './messages.ts';

export const MAP_VIEW_TYPE = 'liqo.map';

/** The clusters widen when the first picture is on screen, or after this long if the webview has not said so. */
const WIDEN_AFTER_MS = 5_000;

/** What an export writes when the webview has not reported its theme yet (VS Code's Light+ colours). */
const LIGHT_PALETTE: MapPalette = {
  background: '#ffffff',
  foreground: '#3b3b3b',
  muted: '#717171',
  nodeFill: '#f8f8f8',
  border: '#c8c8c8',
  healthy: '#388a34',
  pending: '#bf8803',
  failed: '#e51400',
  unknown: '#8c8c8c',
  match: '#0066bf',
  fontFamily: 'system-ui, sans-serif',
};

export interface MapDeps {
  readonly model: FederationModel;
  readonly tree: FederationTreeProvider;
  readonly view: vscode.TreeView<RowHandle>;
  readonly extensionUri: vscode.Uri;
  readonly log: vscode.LogOutputChannel;
}

export class FederationMap implements vscode.Disposable {
  private readonly deps: MapDeps;
  private panel: vscode.WebviewPanel | undefined;
  private panelSubscriptions: vscode.Disposable[] = [];
  private state: MapViewState = INITIAL_VIEW_STATE;
  private graph: FederationGraph | undefined;
  private layout: MapLayout | undefined;
  /** Federations laid out before, by shape: a change in one federation lays out that one only. */
  private readonly layoutCache = new LayoutCache();
  private lastGraphText = '';
  private lastStateText = '';
  private seq = 0;
  private palette: MapPalette | undefined;
  private pendingFocus: string | undefined;
  private pngWaiter: ((dataUrl: string) => void) | undefined;
  private readonly drawnWaiters = new Set<{ seq: number; resolve: () => void }>();
  private readonly registration: vscode.Disposable;
  /** dist/map.js, read once: the page carries it inline (no resource request before the script runs). */
  private scriptText: string | undefined;
  /** The webview's script said it listens: pictures posted before that are not drawn by anyone. */
  private webviewReady = false;
  private whole: { dispose(): void } | undefined;
  private widenTimer: NodeJS.Timeout | undefined;

  constructor(deps: MapDeps) {
    this.deps = deps;
    this.registration = vscode.window.registerWebviewPanelSerializer(MAP_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, saved: unknown) => this.attach(panel, restoredState(saved)),
    });
    vscode.workspace.fs.readFile(vscode.Uri.joinPath(deps.extensionUri, 'dist', 'map.js')).then(
      (bytes) => (this.scriptText = new TextDecoder().decode(bytes)),
      (err: unknown) => deps.log.warn(`federation map: dist/map.js not read (${(err as Error).message}); the page loads it by URI`),
    );
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** The current graph (what the JSON export writes). */
  get currentGraph(): FederationGraph | undefined {
    return this.graph;
  }

  /** Opens the map beside the editor (or brings it forward), focusing the node or edge with `focusId` if given. */
  show(focusId?: string): void {
    this.pendingFocus = focusId;
    if (this.panel) {
      this.panel.reveal(vscode.ViewColumn.Beside);
      this.redraw(true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(MAP_VIEW_TYPE, 'Liqo Federation Map', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, this.webviewOptions());
    this.attach(panel, this.state);
  }

  /** Resolves once the webview has put the current (or a later) picture on screen. */
  whenDrawn(): Promise<void> {
    const seq = this.seq;
    return new Promise((resolve) => this.drawnWaiters.add({ seq, resolve }));
  }

  /** The node drawn for a kubeconfig context, the edge of a peering row, or the link of a Target/member/remote row. */
  elementFor(rowId: string | undefined, entryId: string | undefined): string | undefined {
    const g = this.graph ?? buildFederationGraph(this.deps.model.mapInputs());
    return g.edges.find((e) => e.rowId === rowId)?.id ?? g.links.find((l) => l.rowId === rowId)?.id ?? g.nodes.find((n) => n.contexts.some((c) => c.entryId === entryId))?.id;
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: [vscode.Uri.joinPath(this.deps.extensionUri, 'dist')] };
  }

  private attach(panel: vscode.WebviewPanel, state: MapViewState): void {
    this.panel = panel;
    this.state = state;
    this.lastGraphText = '';
    this.webviewReady = false;
    panel.iconPath = vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'liqo.svg');
    panel.webview.options = this.webviewOptions();
    const scriptUri = panel.webview.asWebviewUri(vscode.Uri.joinPath(this.deps.extensionUri, 'dist', 'map.js')).toString();
    const inputs = this.deps.model.mapInputs();
    const first = inputs.length ? this.compose(true) : undefined;
    panel.webview.html = mapHtml({ scriptUri, ...(this.scriptText !== undefined ? { scriptText: this.scriptText } : {}), cspSource: panel.webview.cspSource, nonce: newNonce(), ...(first ? { picture: first } : {}) });
    void this.deps.model.activate();
    // Clusters still to connect widen at once (they then start with their whole watches); connected ones once the
    // first picture is on screen.
    if (!first || inputs.some((i) => i.state.kind === 'idle' || i.state.kind === 'connecting')) this.widen();
    else this.widenTimer = setTimeout(() => this.widen(), WIDEN_AFTER_MS);
    this.panelSubscriptions = [
      this.deps.model.onDidChangeClusters(() => this.redraw(false)),
      panel.webview.onDidReceiveMessage((m: FromWebview) => void this.onMessage(m).catch((err: unknown) => this.fail(err))),
      panel.onDidChangeViewState((e) => {
        if (e.webviewPanel.visible) this.redraw(true);
      }),
      panel.onDidDispose(() => this.detach()),
    ];
  }

  /** Every cluster watches what the edge labels need (as if its row were expanded), until the panel closes. */
  private widen(): void {
    if (this.widenTimer) clearTimeout(this.widenTimer);
    this.widenTimer = undefined;
    if (!this.panel || this.whole) return;
    this.whole = this.deps.model.watchWhole();
  }

  private detach(): void {
    if (this.widenTimer) clearTimeout(this.widenTimer);
    this.widenTimer = undefined;
    this.whole?.dispose();
    this.whole = undefined;
    for (const d of this.panelSubscriptions) d.dispose();
    this.panelSubscriptions = [];
    this.panel = undefined;
    for (const w of this.drawnWaiters) w.resolve();
    this.drawnWaiters.clear();
  }

  /** Rebuilds the graph from the model; posts a picture when it (or the view state) changed, or when forced. */
  private redraw(force: boolean): void {
    const panel = this.panel;
    if (!panel || !panel.visible || !this.webviewReady) return;
    const picture = this.compose(force);
    if (picture) this.post(picture);
    if (this.pendingFocus) {
      this.post({ type: 'focus', id: this.pendingFocus });
      this.pendingFocus = undefined;
    }
  }

  /** The next picture, or undefined when neither the graph nor the view state changed (and it is not forced). */
  private compose(force: boolean): Extract<ToWebview, { type: 'picture' }> | undefined {
    const graph = buildFederationGraph(this.deps.model.mapInputs());
    const graphText = JSON.stringify(graph);
    const stateText = JSON.stringify(this.state);
    if (!force && graphText === this.lastGraphText && stateText === this.lastStateText) return undefined;
    this.lastGraphText = graphText;
    this.lastStateText = stateText;
    this.graph = graph;
    // The context menu's commands find a row by its id: build the rows of each cluster drawn (expanding nothing).
    for (const n of graph.nodes) if (n.entryId) this.deps.model.prepareRows(n.entryId);
    const view = mapView(graph, this.state);
    this.layout = layoutMap(view, this.layout, this.layoutCache);
    const folded = view.groups.filter((g) => g.folded).length;
    const summary = [
      `${count(graph.nodes.length, 'cluster')} · ${count(graph.edges.length, 'peering')}`,
      graph.links.length ? `${count(graph.links.length, 'link')} of other systems` : '',
      folded ? `${count(folded, 'federation')} folded` : '',
      this.state.query ? `${view.matches} match${view.matches === 1 ? '' : 'es'}` : '',
      graph.withoutLiqo.length ? `${graph.withoutLiqo.length} without Liqo not drawn` : '',
    ]
      .filter(Boolean)
      .join(' · ');
    this.seq++;
    return { type: 'picture', svg: renderMapSvg(this.layout), summary, state: this.state, groups: view.groups, seq: this.seq };
  }

  private post(m: ToWebview): void {
    void this.panel?.webview.postMessage(m);
  }

  private async onMessage(m: FromWebview): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.webviewReady = true;
        this.redraw(true);
        return;
      case 'drawn':
        this.widen();
        for (const w of [...this.drawnWaiters]) {
          if (m.seq >= w.seq) {
            this.drawnWaiters.delete(w);
            w.resolve();
          }
        }
        return;
      case 'state':
        this.state = restoredState(m.state);
        this.redraw(false);
        return;
      case 'reveal':
        await this.reveal(m.rowId, m.entryId);
        return;
      case 'export':
        this.palette = m.palette;
        await this.exportTo(m.format);
        return;
      case 'palette':
        this.palette = m.palette;
        return;
      case 'png':
        this.pngWaiter?.(m.dataUrl);
        this.pngWaiter = undefined;
        return;
    }
  }

  /** Shows the row behind a node or edge in the Liqo view (its cluster's rows built first, so its parents resolve). */
  async reveal(rowId: string, entryId: string): Promise<void> {
    const { model, tree, view } = this.deps;
    model.prepareRows(entryId);
    // Another system's row (a Target, a member cluster, a remote cluster) sits one level deeper, in a group.
    if (!model.node(rowId)) model.prepareRows(entryId, 2);
    // A row gone since the picture was drawn: its cluster's row instead.
    const target = model.node(rowId) ? rowId : model.node(clusterRowId(entryId)) ? clusterRowId(entryId) : undefined;
    if (!target) {
      void vscode.window.showInformationMessage('That row is not in the Liqo view any more (its cluster reconnected or left the kubeconfig).');
      return;
    }
    await view.reveal(tree.handle(target), { select: true, focus: true, expand: false });
  }

  /** Writes the picture or the graph to `target`, or to a file the user picks. Returns the file written. */
  async exportTo(format: ExportFormat, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    if (!this.layout || !this.graph) throw new Error('The federation map has nothing drawn yet: open it with Liqo: Show Federation Map and wait for the picture.');
    const uri =
      target ??
      (await vscode.window.showSaveDialog({
        title: `Export Federation Map as ${format.toUpperCase()}`,
        defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.env.HOME ?? '/'), `federation-map.${format}`),
        filters: { [format.toUpperCase()]: [format] },
      }));
    if (!uri) return undefined;
    const palette = this.palette ?? LIGHT_PALETTE;
    let bytes: Uint8Array;
    if (format === 'json') bytes = new TextEncoder().encode(JSON.stringify(this.graph, null, 2) + '\n');
    else if (format === 'svg') bytes = new TextEncoder().encode(renderMapSvg(this.layout, palette));
    else bytes = await this.rasterize(renderMapSvg(this.layout, palette));
    await vscode.workspace.fs.writeFile(uri, bytes);
    this.deps.log.info(`federation map exported as ${format} to ${uri.fsPath}`);
    return uri;
  }

  private rasterize(svg: string): Promise<Uint8Array> {
    const layout = this.layout!;
    if (!this.panel) return Promise.reject(new Error('PNG export draws the picture in the map: open the map first.'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('The map did not draw the PNG within 20 s: try again, or export SVG.')), 20_000);
      this.pngWaiter = (dataUrl) => {
        clearTimeout(timer);
        const m = /^data:image\/png;base64,(.*)$/.exec(dataUrl);
        if (!m) return reject(new Error('The map sent no PNG image.'));
        resolve(Buffer.from(m[1]!, 'base64'));
      };
      this.post({ type: 'rasterize', svg, width: layout.width, height: layout.height });
    });
  }

  private fail(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.deps.log.error(`federation map: ${message}`);
    void vscode.window.showErrorMessage(message);
  }

  dispose(): void {
    this.panel?.dispose();
    this.detach();
    this.registration.dispose();
  }
}

/** A view state from the webview's saved state, checked field by field (it is the webview's word). */
export function restoredState(saved: unknown): MapViewState {
  if (!saved || typeof saved !== 'object') return INITIAL_VIEW_STATE;
  const s = saved as { query?: unknown; folds?: unknown };
  const query = typeof s.query === 'string' ? s.query.slice(0, 200) : '';
  const folds: Record<string, boolean> = {};
  if (s.folds && typeof s.folds === 'object') for (const [k, v] of Object.entries(s.folds)) if (typeof v === 'boolean') folds[k] = v;
  return { query, folds };
}

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
