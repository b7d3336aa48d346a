// Alerts: watches the federation model's changes, turns them into healthy → failing → recovered transitions
// (core/alerts/transitions.ts: baseline on first sight, hold times, rate limit, mute) and shows one notification per
// cluster and moment, in the tree's words, with "Show" (reveal the row) and "Why?" (the explanation). Off with
// liqo.alerts.enabled; clusters muted by context name in liqo.alerts.mutedContexts.
import * as vscode from 'vscode';
import type { FederationModel } from '../infra/federationModel.ts';
import { AlertTransitions, alertMessage, coalesce, type AlertGroup, type ClusterUpdate } from '../core/alerts/transitions.ts';
import { observeCluster, type Observation } from '../core/alerts/watched.ts';
import { whyMarkdown } from '../core/alerts/summary.ts';
import { md } from '../core/tree/view.ts';
import type { FederationTreeProvider, RowHandle } from './federationTreeProvider.ts';
import type { FailureReportDocuments } from './logs/failureReports.ts';
import { affectsAlerts, readAlertSettings, type AlertSettings } from './settings.ts';
import { revealRow } from './revealRow.ts';

/** Model changes come in bursts (a provider going down touches many objects): looked at once per second at most. */
const SETTLE_MS = 1_000;

export class FederationAlerts implements vscode.Disposable {
  private transitions = new AlertTransitions();
  private settings: AlertSettings = readAlertSettings();
  private settleTimer: NodeJS.Timeout | undefined;
  private dueTimer: NodeJS.Timeout | undefined;
  private readonly subscriptions: { dispose(): void }[] = [];

  private readonly model: FederationModel;
  private readonly tree: FederationTreeProvider;
  private readonly view: vscode.TreeView<RowHandle>;
  private readonly reports: FailureReportDocuments;
  private readonly log: vscode.LogOutputChannel;

  constructor(model: FederationModel, tree: FederationTreeProvider, view: vscode.TreeView<RowHandle>, reports: FailureReportDocuments, log: vscode.LogOutputChannel) {
    this.model = model;
    this.tree = tree;
    this.view = view;
    this.reports = reports;
    this.log = log;
    this.subscriptions.push(
      model.onDidChange(() => this.schedule()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!affectsAlerts(e)) return;
        const wasEnabled = this.settings.enabled;
        this.settings = readAlertSettings();
        // Turned back on: start from a baseline, so what failed while off is not announced late.
        if (this.settings.enabled && !wasEnabled) this.transitions = new AlertTransitions();
        this.schedule();
      }),
    );
  }

  private schedule(): void {
    this.settleTimer ??= setTimeout(() => {
      this.settleTimer = undefined;
      this.look();
    }, SETTLE_MS);
  }

  private look(): void {
    if (!this.settings.enabled) return;
    const now = Date.now();
    const updates: ClusterUpdate[] = this.model.watchedClusters().map((c) => ({ entryId: c.entryId, contextName: c.contextName, ...observeCluster(c) }));
    const muted = this.settings.muted;
    for (const g of coalesce(this.transitions.update(now, updates, (name) => muted.has(name)))) this.notify(g);
    this.scheduleDue(now);
  }

  /** A change is waiting for its hold time: look again when it ends, even if nothing else changes meanwhile. */
  private scheduleDue(now: number): void {
    if (this.dueTimer) clearTimeout(this.dueTimer);
    this.dueTimer = undefined;
    const due = this.transitions.nextDue();
    if (due === undefined) return;
    this.dueTimer = setTimeout(() => {
      this.dueTimer = undefined;
      this.look();
    }, Math.max(0, due - now) + 50);
    this.dueTimer.unref?.();
  }

  private notify(g: AlertGroup): void {
    const message = alertMessage(g);
    this.log.info(message);
    const first = g.alerts[0]!.observation;
    const show = g.type === 'failing' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const actions = g.type === 'failing' ? ['Show', 'Why?'] : ['Show'];
    void show(message, ...actions).then(async (picked) => {
      try {
        if (picked === 'Show') await revealRow(this.model, this.tree, this.view, first.rowPath, first.what, { fromNotification: true });
        if (picked === 'Why?') await this.why(first);
      } catch (err) {
        void vscode.window.showErrorMessage((err as Error).message);
      }
    });
  }

  /** The explanation of the failing object (the current state if it changed since), as a read-only document. */
  private async why(o: Observation): Promise<void> {
    const now = this.model.watchedClusters().find((c) => c.entryId === o.entryId);
    const current = (now ? observeCluster(now).observations.find((x) => x.key === o.key) : undefined) ?? o;
    const rowId = o.rowPath[o.rowPath.length - 1]!;
    const markdown = whyMarkdown(current, this.model.node(rowId)?.tooltip, md);
    const uri = this.reports.show(o.contextName, o.kind, `${o.what.replace(/[^A-Za-z0-9._-]+/g, '-')}`, markdown);
    await this.reports.open(uri);
  }

  dispose(): void {
    if (this.settleTimer) clearTimeout(this.settleTimer);
    if (this.dueTimer) clearTimeout(this.dueTimer);
    for (const s of this.subscriptions) s.dispose();
  }
}
