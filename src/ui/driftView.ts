// The Federation Drift view: one row per drift item against the reference record (an opened file, else the latest
// automatic record), its side as the description and its restore action as the tooltip. A row the plan can
// restore carries `+restorable` and an inline Restore action (liqo.drift.restoreItem). The items are looked at
// again after the model changes (debounced) while the view is visible, and on Refresh; a look that fails is shown
// as a row, not as a pop-up.
import * as vscode from 'vscode';
import type { FederationModel } from '../infra/federationModel.ts';
import { federationDrift, type DriftItem } from '../core/federation/drift.ts';
import { gatherFacts, whenSettled } from '../infra/federation/gatherFacts.ts';
import type { FederationStates, Reference } from './federationStates.ts';

export const DRIFT_VIEW_ID = 'liqo.drift';

export interface DriftRow {
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string;
  readonly contextValue: string;
  readonly icon: string;
  /** Set on a drift item's row. */
  readonly item?: DriftItem;
}

const DEBOUNCE_MS = 2_000;

export class DriftView implements vscode.TreeDataProvider<DriftRow>, vscode.Disposable {
  private readonly model: FederationModel;
  private readonly states: FederationStates;
  private readonly changed = new vscode.EventEmitter<DriftRow | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private rows: DriftRow[] = [{ label: 'Looking at the federation…', contextValue: 'liqo:driftMessage', icon: 'loading~spin' }];
  private reference: Reference | undefined;
  private timer: NodeJS.Timeout | undefined;
  private looking: Promise<void> | undefined;
  private view: vscode.TreeView<DriftRow> | undefined;
  private whole: { dispose(): void } | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(model: FederationModel, states: FederationStates) {
    this.model = model;
    this.states = states;
    this.subscriptions.push(this.changed, { dispose: () => this.timer && clearTimeout(this.timer) });
    this.subscriptions.push(model.onDidChange(() => this.schedule()), states.onDidChangeReference(() => this.schedule()));
  }

  /**
   * Attaches the tree view: looks are made only while it is visible. While it is, every cluster watches what its
   * expanded row would (as an open map does): a collapsed row watches only its peerings, so a ResourceSlice deleted
   * or an offloading changed there would otherwise reach the drift only on Refresh.
   */
  attach(view: vscode.TreeView<DriftRow>): void {
    this.view = view;
    const follow = (visible: boolean): void => {
      if (visible) this.whole ??= this.model.watchWhole();
      else {
        this.whole?.dispose();
        this.whole = undefined;
      }
    };
    this.subscriptions.push(
      view.onDidChangeVisibility((e) => {
        follow(e.visible);
        if (e.visible) void this.refresh();
      }),
      { dispose: () => follow(false) },
    );
    if (view.visible) {
      follow(true);
      void this.refresh();
    }
  }

  /** The items the rows show now (host tests and commands read them). */
  get items(): readonly DriftItem[] {
    return this.rows.flatMap((r) => (r.item ? [r.item] : []));
  }

  private schedule(): void {
    if (this.view && !this.view.visible) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), DEBOUNCE_MS);
  }

  /** Looks again (one look at a time; a refresh asked for during a look waits for it, then looks once more). */
  async refresh(): Promise<void> {
    while (this.looking) await this.looking;
    this.looking = this.look().finally(() => (this.looking = undefined));
    return this.looking;
  }

  private async look(): Promise<void> {
    try {
      await this.model.activate();
      // Facts of a cluster still connecting would read as "does not answer".
      await whenSettled(this.model);
      this.reference = await this.states.reference();
      if (!this.reference) {
        this.rows = [{ label: 'No record yet', description: 'taken by itself while a federation is healthy', tooltip: 'Open a saved record with "Liqo: Open Federation State…".', contextValue: 'liqo:driftMessage', icon: 'info' }];
      } else {
        const items = federationDrift(this.reference.record, await gatherFacts(this.model, undefined, { gateways: false }));
        const when = `record of ${this.reference.record.takenAt}`;
        this.rows = items.length
          ? items.map((item) => ({
              label: item.text,
              description: item.side,
              tooltip: `${item.text}\n\nSide: ${item.side}\nRestore: ${item.restore}\nCompared with the ${when} (${this.reference?.source}).`,
              contextValue: `liqo:drift+${item.kind}${item.target ? '+restorable' : ''}`,
              icon: item.target ? 'diff-modified' : 'warning',
              item,
            }))
          : [{ label: 'As recorded', description: when, tooltip: `Nothing differs from the ${when} (${this.reference.source}).`, contextValue: 'liqo:driftMessage+asRecorded', icon: 'pass' }];
      }
    } catch (err) {
      this.rows = [{ label: 'Drift not known', description: (err as Error).message, tooltip: 'Refresh to look again.', contextValue: 'liqo:driftMessage+error', icon: 'error' }];
    }
    if (this.view) this.view.message = this.reference ? `Against the record of ${this.reference.record.takenAt} (${this.reference.source})` : undefined;
    this.changed.fire(undefined);
  }

  getTreeItem(row: DriftRow): vscode.TreeItem {
    const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    if (row.description !== undefined) item.description = row.description;
    if (row.tooltip !== undefined) item.tooltip = row.tooltip;
    item.contextValue = row.contextValue;
    item.iconPath = new vscode.ThemeIcon(row.icon);
    return item;
  }

  getChildren(row?: DriftRow): DriftRow[] {
    return row ? [] : this.rows;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
