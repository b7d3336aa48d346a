// Entry point: constructs the model, the tree and the commands, wires them to VS Code's events, and hands every
// disposable to the extension context. Nothing else lives here.
import * as vscode from 'vscode';
import { FederationModel } from './infra/federationModel.ts';
import { FederationTreeProvider } from './ui/federationTreeProvider.ts';
import * as path from 'node:path';
import { allCommands } from './ui/commands/index.ts';
import { KubeconfigWorkbench, PREVIEW_SCHEME } from './ui/kubeconfigWorkbench.ts';
import { registerCommands } from './ui/commands/command.ts';
import { affectsFederation, affectsPrometheus, affectsReadOnlyContexts, readFederationSettings, readOnlyContextsValue, readPrometheusSettings } from './ui/settings.ts';
import { LiqoMetrics } from './infra/metrics/liqoMetrics.ts';
import { CONTEXT_NO_KUBECONFIG, setContextKey } from './ui/contextKeys.ts';
import { OBJECT_SCHEME, ObjectDocumentProvider } from './ui/objectDocuments.ts';
import { ProcessRunner } from './infra/process/runner.ts';
import { LiqoctlRunner } from './infra/liqoctl/liqoctlRunner.ts';
import { liqoctlBinary } from './ui/settings.ts';
import { LogViews } from './ui/logs/logViews.ts';
import { FailureReportDocuments, WHY_SCHEME } from './ui/logs/failureReports.ts';
import { ViewMemory } from './infra/viewMemory.ts';
import { syncViewStatus } from './ui/viewStatus.ts';
import { SshTunnels } from './ui/sshTunnels.ts';
import { ServiceForwards } from './ui/serviceForwards.ts';
import { FederationAlerts } from './ui/alerts.ts';
import { FederationStatusBar } from './ui/statusBar.ts';
import { FederationMap } from './ui/map/federationMap.ts';
import { DRIFT_SCHEME, FederationStates } from './ui/federationStates.ts';
import { KubernetesToolsOffer } from './ui/kubernetesToolsOffer.ts';
import { DRIFT_VIEW_ID, DriftView } from './ui/driftView.ts';
import { WalkthroughProgress } from './ui/walkthrough.ts';

export const FEDERATION_VIEW_ID = 'liqo.federation';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Liqo', { log: true });
  // Hidden contexts and contexts known to have Liqo are remembered in global state: kubeconfigs belong to the user.
  const model = new FederationModel(readFederationSettings(), log, new ViewMemory(context.globalState));
  model.setReadOnlyContexts(readOnlyContextsValue());
  const metrics = new LiqoMetrics({ contextName: (id) => model.entry(id)?.contextName, client: (id) => model.session(id)?.client }, readPrometheusSettings());
  const provider = new FederationTreeProvider(model, metrics);
  const view = vscode.window.createTreeView(FEDERATION_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  const documents = new ObjectDocumentProvider(model);
  const kubeconfig = new KubeconfigWorkbench(path.join(context.globalStorageUri.fsPath, 'kubeconfig-backups'));
  const logViews = new LogViews();
  const reports = new FailureReportDocuments();
  const tunnels = new SshTunnels();
  const forwards = new ServiceForwards(log);
  const alerts = new FederationAlerts(model, provider, view, reports, log);
  const statusBar = new FederationStatusBar(model, view);
  const map = new FederationMap({ model, tree: provider, view, extensionUri: context.extensionUri, log });
  const federationStates = new FederationStates(model, context.globalStorageUri.fsPath, log);
  const driftView = new DriftView(model, federationStates);
  const driftTree = vscode.window.createTreeView(DRIFT_VIEW_ID, { treeDataProvider: driftView });
  driftView.attach(driftTree);
  const walkthrough = new WalkthroughProgress(model, context.extension.id);

  // liqoctl's runner: trust read at each run, so granting trust later enables it without a reload.
  const programs = new ProcessRunner({ trusted: () => vscode.workspace.isTrusted, logger: log });
  const liqoctl = new LiqoctlRunner(programs, liqoctlBinary, model.readOnly);
  const reloadSettings = (): Promise<void> => model.updateSettings(readFederationSettings());
  const syncWelcome = (): void => void setContextKey(CONTEXT_NO_KUBECONFIG, model.isEmpty);
  // Users of VS Code Kubernetes Tools are offered its kubeconfig files once, so both views show the same clusters.
  const kubernetesTools = new KubernetesToolsOffer({ globalState: context.globalState, log, reloadSettings });

  context.subscriptions.push(
    log,
    programs,
    // Disposing either the tunnels or the runner ends every tunnel's ssh.
    tunnels,
    forwards,
    { dispose: () => model.dispose() },
    metrics,
    provider,
    view,
    documents,
    vscode.workspace.registerTextDocumentContentProvider(OBJECT_SCHEME, documents),
    kubeconfig,
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, kubeconfig),
    model.onDidChange((id) => {
      if (id === undefined) {
        syncWelcome();
        syncViewStatus(view, model);
      }
    }),
    view.onDidChangeVisibility((e) => {
      model.setVisible(e.visible);
      if (e.visible) void model.activate();
    }),
    view.onDidCollapseElement((e) => model.collapsed(e.element.id)),
    // VS Code caches children: re-expanding does not call getChildren, so expansion itself widens the watches.
    view.onDidExpandElement((e) => model.expanded(e.element.id)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsFederation(e)) void reloadSettings();
      if (affectsReadOnlyContexts(e)) model.setReadOnlyContexts(readOnlyContextsValue());
      if (affectsPrometheus(e)) metrics.updateSettings(readPrometheusSettings());
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void reloadSettings()),
    logViews,
    reports,
    alerts,
    statusBar,
    map,
    vscode.workspace.registerTextDocumentContentProvider(WHY_SCHEME, reports),
    federationStates,
    kubernetesTools,
    vscode.workspace.registerTextDocumentContentProvider(DRIFT_SCHEME, federationStates),
    driftView,
    driftTree,
    walkthrough,
    logViews.onDidOpen(() => walkthrough.report('logStreamOpened')),
    ...registerCommands(allCommands, { model, tree: provider, view, log, liqoctl, reloadSettings, kubeconfig, logViews, failureReports: reports, programs, tunnels, forwards, storageDir: context.globalStorageUri.fsPath, map, federationStates, driftView, walkthrough }),
  );
  if (view.visible) void model.activate();
  void kubernetesTools.check();
  // activated at startup (onStartupFinished) for this alone: the model connects nothing until the view is visible
  void walkthrough.openOnFirstRun(context.globalState).then(undefined, (err: unknown) => log.warn(`walkthrough not opened: ${err instanceof Error ? err.message : String(err)}`));
}

export function deactivate(): void {
  // Everything is released through context.subscriptions.
}
