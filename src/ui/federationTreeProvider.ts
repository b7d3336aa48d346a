// Renders the FederationModel's rows as VS Code tree items. Elements are stable handles (one object per row id):
// VS Code matches refresh events by object identity, and getTreeItem reads the row's current view by id, so a
// refresh always shows fresh data. Handles of rows the model reports gone are forgotten (bounded memory under pod
// churn); a row's parent comes from the model, never from cutting its id.
import * as vscode from 'vscode';
import type { TreeNodeView } from '../core/tree/view.ts';
import type { FederationModel } from '../infra/federationModel.ts';
import type { RowKey } from '../core/tree/rowKey.ts';
import { md } from '../core/tree/view.ts';
import { capacityTooltip, type Capacity } from '../core/capacity/capacity.ts';
import { prometheusTooltipLines, type MetricsSubject } from '../core/metrics/liqoPrometheus.ts';
import type { LiqoMetrics } from '../infra/metrics/liqoMetrics.ts';
import { namespaceCapacityTooltip } from '../core/capacity/namespaceCapacity.ts';
import { clusterUsageLines, podUsageLines, virtualNodeUsageLines } from '../core/metrics/usageText.ts';
import { virtualNodeIndex } from '../core/liqo/snapshot.ts';
import { RenderLedger } from '../core/tree/renderLedger.ts';

/** How long after a change the rendered rows are compared with the model (then twice as long each time, up to 8 s). */
const RECHECK_MS = 1000;
const RECHECK_MAX_MS = 8000;
/**
 * Refresh events wait until VS Code has not asked for rows (getChildren, getTreeItem) for this long. A refresh fired
 * while the view renders its first rows can leave VS Code's tree waiting for good (every later refresh ignored, the
 * rows "connecting…" forever): seen when the view opens in the same second the clusters connect.
 */
const SETTLE_MS = 300;

type HoverKind = 'peering' | 'virtualNode' | 'offloadedNamespace' | 'pod' | 'cluster';

/**
 * Rows whose tooltip is completed when hovered (resolveTreeItem), from data that changes without the row changing:
 * granted-against-requested sums (peerings, virtual nodes, offloaded namespaces: they read every pod, and those rows
 * are not re-rendered on each pod change) and usage from metrics.k8s.io (pods, virtual nodes, clusters' nodes).
 */
function hoverKind(node: TreeNodeView): HoverKind | undefined {
  if (node.resource?.kind === 'foreignclusters' && node.contextValue.startsWith('liqo:peering')) return 'peering';
  const kind = /^liqo:([A-Za-z]+)(?:\+|$)/.exec(node.contextValue)?.[1];
  if (kind === 'virtualNode' || kind === 'offloadedNamespace') return kind;
  if (kind === 'pod' && node.resource?.kind === 'pods') return 'pod';
  if (kind === 'cluster' && node.contextValue.includes('+reachable')) return 'cluster';
  return undefined;
}

const COLLAPSE: Record<TreeNodeView['collapsible'], vscode.TreeItemCollapsibleState> = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

export interface RowHandle {
  readonly id: string;
  /**
   * The kubeconfig entry the row belongs to, from its structured key: a command started on a row the model has
   * just dropped (its cluster reconnecting) while VS Code still shows it still knows which context it meant.
   */
  entry?: string;
}

export class FederationTreeProvider implements vscode.TreeDataProvider<RowHandle>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RowHandle | RowHandle[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly handles = new Map<string, RowHandle>();
  /**
   * The last view per handed-out id, for a row the model dropped while VS Code still renders it (a refresh in
   * flight). Rows reported gone are dropped from here one change later, so it stays bounded too.
   */
  private readonly lastView = new Map<string, TreeNodeView>();
  private dying: readonly string[] = [];
  private readonly subscription: { dispose(): void };
  private readonly model: FederationModel;

  private readonly metrics: LiqoMetrics | undefined;
  /** What VS Code last rendered per row: a refresh it dropped is sent again (see core/tree/renderLedger.ts). */
  private readonly ledger = new RenderLedger();
  private recheckTimer: ReturnType<typeof setTimeout> | undefined;
  private recheckDelay = RECHECK_MS;
  /** VS Code asked for rows until about then: refreshes wait (see SETTLE_MS). */
  private quietAt = 0;
  private held: Set<RowHandle> | 'root' | undefined;
  private heldTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(model: FederationModel, metrics?: LiqoMetrics) {
    this.metrics = metrics;
    this.model = model;
    this.subscription = model.onDidChange((ids, gone) => {
      this.forget(gone);
      this.scheduleRecheck(true);
      if (ids === undefined) return this.refresh(undefined);
      const known = ids.map((id) => this.handles.get(id)).filter((h): h is RowHandle => h !== undefined);
      if (known.length) this.refresh(known);
    });
  }

  /** Fires a refresh once VS Code has stopped asking for rows (SETTLE_MS); refreshes meanwhile are merged. */
  private refresh(handles: RowHandle[] | undefined): void {
    if (handles === undefined) this.held = 'root';
    else if (this.held !== 'root') {
      this.held ??= new Set();
      for (const h of handles) this.held.add(h);
    }
    this.releaseHeld();
  }

  private releaseHeld(): void {
    if (this.heldTimer) return;
    const wait = this.quietAt - Date.now();
    if (wait > 0) {
      this.heldTimer = setTimeout(() => {
        this.heldTimer = undefined;
        this.releaseHeld();
      }, wait);
      return;
    }
    const held = this.held;
    this.held = undefined;
    if (held === 'root') this.changed.fire(undefined);
    else if (held?.size) this.changed.fire([...held]);
  }

  /** VS Code is asking for rows: refreshes wait until it has been quiet for SETTLE_MS. */
  private asked(): void {
    this.quietAt = Date.now() + SETTLE_MS;
  }

  /**
   * Compares the rendered rows with the model a moment after a change. A pending check is not postponed (a steady
   * stream of pod changes must not starve it); a change only resets the back-off for the checks after it.
   */
  private scheduleRecheck(afterChange: boolean): void {
    if (afterChange) this.recheckDelay = RECHECK_MS;
    this.recheckTimer ??= setTimeout(() => {
      this.recheckTimer = undefined;
      const stale = this.ledger.stale((id) => this.model.node(id));
      const handles = stale.map((id) => this.handles.get(id)).filter((h): h is RowHandle => h !== undefined);
      if (handles.length) this.refresh(handles);
      if (this.ledger.pending) {
        this.recheckDelay = Math.min(this.recheckDelay * 2, RECHECK_MAX_MS);
        this.scheduleRecheck(false);
      }
    }, this.recheckDelay);
  }

  /** How many row handles are held (tests check it stays bounded). */
  get handleCount(): number {
    return this.handles.size;
  }

  handle(id: string, key?: RowKey): RowHandle {
    let h = this.handles.get(id);
    if (!h) {
      h = { id };
      this.handles.set(id, h);
    }
    if (key?.scope === 'cluster') h.entry = key.entry;
    return h;
  }

  view(handle: RowHandle): TreeNodeView | undefined {
    return this.model.node(handle.id) ?? this.lastView.get(handle.id);
  }

  getTreeItem(handle: RowHandle): vscode.TreeItem {
    const node: TreeNodeView | undefined = this.view(handle);
    this.asked();
    if (!node) return new vscode.TreeItem('…', vscode.TreeItemCollapsibleState.None);
    this.ledger.rendering(node);
    const item = new vscode.TreeItem(node.label, COLLAPSE[node.collapsible]);
    item.id = node.id;
    if (node.description !== undefined) item.description = node.description;
    // Some tooltips are completed when hovered (resolveTreeItem, see hoverKind): VS Code resolves only what is unset.
    if (node.tooltip !== undefined && !hoverKind(node)) item.tooltip = new vscode.MarkdownString(node.tooltip);
    if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined);
    item.contextValue = node.contextValue;
    item.accessibilityInformation = { label: node.ariaLabel };
    if (node.command) item.command = { command: node.command.command, title: node.command.title, arguments: [...(node.command.arguments ?? [])] };
    return item;
  }

  async resolveTreeItem(item: vscode.TreeItem, handle: RowHandle, token: vscode.CancellationToken): Promise<vscode.TreeItem> {
    const node = this.view(handle);
    if (!node || !hoverKind(node) || node.tooltip === undefined) return item;
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => abort.abort());
    try {
      item.tooltip = new vscode.MarkdownString(await this.tooltipWithFigures(node, abort.signal));
    } finally {
      cancel.dispose();
    }
    return item;
  }

  /** A hovered row's tooltip: capacity and usage (tooltipWithCapacity), and Liqo's metrics when a Prometheus is asked. */
  async tooltipWithFigures(node: TreeNodeView, signal?: AbortSignal): Promise<string> {
    const text = this.tooltipWithCapacity(node);
    const subject = this.metricsSubject(node);
    if (!this.metrics || !subject || node.key.scope !== 'cluster') return text;
    const m = await this.metrics.rowMetrics(node.key.entry, subject, signal);
    return [text, ...prometheusTooltipLines(m, md)].join('\n');
  }

  /** What Liqo's metrics call the row: the peer's cluster ID (cluster_id), or the virtual node (node_name). */
  private metricsSubject(node: TreeNodeView): MetricsSubject | undefined {
    const ref = node.resource;
    if (ref?.kind === 'foreignclusters') {
      const clusterId = this.model.peerClusterIdOf(ref.entryId, ref.key);
      return clusterId ? { kind: 'peering', clusterId } : undefined;
    }
    return node.contextValue.startsWith('liqo:virtualNode') ? { kind: 'virtualNode', name: node.label } : undefined;
  }


  /** A row's tooltip as the hover shows it: with capacity sums and usage where the row has them. */
  tooltipWithCapacity(node: TreeNodeView): string {
    const ref = node.resource;
    const entryId = node.key.scope === 'cluster' ? node.key.entry : undefined;
    const kind = hoverKind(node);
    let capacity: Capacity | undefined;
    const extra: string[] = [];
    if (kind === 'peering' && ref) capacity = this.model.peeringCapacity(ref.entryId, ref.key);
    else if (kind === 'virtualNode' && entryId !== undefined) capacity = this.model.virtualNodeCapacity(entryId, node.label);
    else if (kind === 'offloadedNamespace' && entryId !== undefined) {
      const c = this.model.offloadedNamespaceCapacity(entryId, node.label);
      if (c) extra.push('', '**Pods and requests per remote cluster:**', ...namespaceCapacityTooltip(c, md));
    }
    if (capacity) extra.push('', '**Capacity:**', ...capacityTooltip(capacity, md));
    if (entryId !== undefined && (kind === 'pod' || kind === 'virtualNode' || kind === 'cluster')) extra.push('', ...this.usageLines(kind, entryId, node));
    return [node.tooltip ?? '', ...extra].join('\n');
  }

  private usageLines(kind: 'pod' | 'virtualNode' | 'cluster', entryId: string, node: TreeNodeView): string[] {
    const state = this.model.usageOf(entryId);
    const contextName = this.model.entry(entryId)?.contextName ?? entryId;
    const snapshot = this.model.session(entryId)?.snapshot;
    if (kind === 'pod') return podUsageLines(state, contextName, node.resource?.key ?? '', node.contextValue.includes('+offloaded'), md);
    const vnIndex = snapshot ? virtualNodeIndex(snapshot) : new Map<string, string | undefined>();
    if (kind === 'cluster') return clusterUsageLines(state, contextName, vnIndex, md);
    const podKeys = (snapshot?.pods ?? []).filter((p) => p.spec?.nodeName === node.label).map((p) => `${p.metadata.namespace ?? ''}/${p.metadata.name}`);
    return virtualNodeUsageLines(state, contextName, snapshot?.nodes.find((n) => n.metadata.name === node.label), node.label, podKeys, md);
  }

  async getChildren(handle?: RowHandle): Promise<RowHandle[]> {
    this.asked();
    if (!handle) await this.model.activate();
    const rows = handle ? this.model.children(handle.id) : this.model.roots();
    for (const r of rows) this.lastView.set(r.id, r);
    // The rows' items are rendered after this returns: a change meanwhile may be dropped by VS Code (renderLedger.ts).
    this.asked();
    this.scheduleRecheck(false);
    return rows.map((r) => this.handle(r.id, r.key));
  }

  getParent(handle: RowHandle): RowHandle | undefined {
    const parent = this.model.parentOf(handle.id);
    return parent === undefined ? undefined : this.handle(parent);
  }

  /** Drops the handles of rows gone in the previous change (VS Code has re-rendered their parents since). */
  private forget(gone: readonly string[]): void {
    for (const id of this.dying) {
      if (this.model.node(id)) continue; // came back (same object re-added)
      this.handles.delete(id);
      this.lastView.delete(id);
      this.ledger.forget([id]);
    }
    this.dying = gone;
  }

  dispose(): void {
    if (this.recheckTimer) clearTimeout(this.recheckTimer);
    if (this.heldTimer) clearTimeout(this.heldTimer);
    this.subscription.dispose();
    this.changed.dispose();
  }
}
