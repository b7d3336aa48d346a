// Health at a glance: a status-bar item "Liqo: 3 peerings, 1 failing" whose tooltip lists what is failing and whose
// click shows the first failing row (hidden while there is no peering and nothing fails); and the view's badge
// counting failures. Recomputed from the model's changes
// (at most once a second), from what the clusters shown are watched for (core/alerts/watched.ts).
import * as vscode from 'vscode';
import type { FederationModel } from '../infra/federationModel.ts';
import { observeCluster } from '../core/alerts/watched.ts';
import { federationGlance, type FederationGlance } from '../core/alerts/summary.ts';
import type { RowHandle } from './federationTreeProvider.ts';

export const SHOW_FAILING_COMMAND = 'liqo.federation.showFailing';
const SETTLE_MS = 1_000;

/** What the federation shows now (also what Show First Failing Row reveals). */
export function glanceOf(model: FederationModel): FederationGlance {
  const seen = model.watchedClusters().map((c) => ({ contextName: c.contextName, collapsed: c.collapsed, ...observeCluster(c) }));
  // A cluster with peerings whose row is collapsed: its virtual nodes, slices and offloadings are not watched now.
  const collapsed = seen.filter((c) => c.collapsed && c.observations.some((o) => o.kind === 'peering')).map((c) => c.contextName);
  return federationGlance(
    seen.flatMap((c) => c.observations),
    collapsed,
  );
}

export class FederationStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('liqo.federationHealth', vscode.StatusBarAlignment.Left, 10);
  private timer: NodeJS.Timeout | undefined;
  private readonly subscription: { dispose(): void };

  private readonly model: FederationModel;
  private readonly view: vscode.TreeView<RowHandle>;

  constructor(model: FederationModel, view: vscode.TreeView<RowHandle>) {
    this.model = model;
    this.view = view;
    this.item.name = 'Liqo Federation Health';
    this.item.command = SHOW_FAILING_COMMAND;
    this.subscription = model.onDidChange(() => {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.sync();
      }, SETTLE_MS);
    });
  }

  sync(): void {
    if (this.model.clusters.length === 0) {
      this.item.hide();
      this.view.badge = undefined;
      return;
    }
    const g = glanceOf(this.model);
    const n = g.failing.length;
    // Without any peering and with nothing failing there is no federation to report on (plain clusters only).
    if (g.peerings === 0 && n === 0) {
      this.item.hide();
      this.view.badge = undefined;
      return;
    }
    this.item.text = `${n ? '$(warning)' : '$(pass)'} ${g.text}`;
    this.item.tooltip = g.tooltip;
    this.item.backgroundColor = n ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.accessibilityInformation = { label: g.text };
    this.item.show();
    this.view.badge = n ? { value: n, tooltip: `${n} failing: ${g.failing.map((o) => o.what).join(', ')}` } : undefined;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subscription.dispose();
    this.item.dispose();
  }
}
