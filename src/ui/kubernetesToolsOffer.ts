// Offers the kubeconfig files VS Code Kubernetes Tools is set up with (`vs-kubernetes.kubeconfig`,
// `vs-kubernetes.knownKubeconfigs`) as sources of the Liqo view, once per file: a notification with Add / Not now, run
// at activation and whenever those settings change. What was offered (and which files were named as missing or broken)
// is remembered in global state, so a file is offered again only if it was never offered. Read through the configuration
// API: nothing depends on that extension being installed. In a restricted workspace only the user's own settings count
// (a workspace's settings must not make us add files to the user's list).
import * as os from 'node:os';
import * as vscode from 'vscode';
import { expandSources, loadKubeconfig } from '../infra/kubeconfig/loadFiles.ts';
import {
  isNews,
  KUBERNETES_TOOLS_SECTION,
  kubeconfigsToConsider,
  kubernetesToolsKubeconfigs,
  updatedRecords,
  type ToolsFileRecord,
} from '../core/kubeconfig/kubernetesTools.ts';
import { addKubeconfigEntries, readFederationSettings } from './settings.ts';

/** globalState key of the ToolsFileRecord[] (kubeconfigs belong to the user, not to a workspace). */
export const KUBERNETES_TOOLS_RECORD_KEY = 'liqo.kubernetesTools.offered';

export interface KubernetesToolsOfferDeps {
  readonly globalState: vscode.Memento;
  readonly log: vscode.LogOutputChannel;
  readonly reloadSettings: () => Promise<void>;
}

export class KubernetesToolsOffer implements vscode.Disposable {
  private readonly listener: vscode.Disposable;
  private running: Promise<void> = Promise.resolve();
  private readonly deps: KubernetesToolsOfferDeps;

  constructor(deps: KubernetesToolsOfferDeps) {
    this.deps = deps;
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(KUBERNETES_TOOLS_SECTION)) this.check();
    });
  }

  /** Looks at the files again; rounds run one after the other so one file is never offered twice at once. */
  check(): Promise<void> {
    this.running = this.running.then(() => this.round()).catch((err: unknown) => this.deps.log.error(`Kubernetes Tools kubeconfigs: ${(err as Error).message}`));
    return this.running;
  }

  private toolsSection(): unknown {
    const info = vscode.workspace.getConfiguration().inspect<unknown>(KUBERNETES_TOOLS_SECTION);
    if (!vscode.workspace.isTrusted) return info?.globalValue;
    return vscode.workspace.getConfiguration().get<unknown>(KUBERNETES_TOOLS_SECTION);
  }

  private async round(): Promise<void> {
    const baseDir = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const tools = kubernetesToolsKubeconfigs(this.toolsSection(), { homeDir: os.homedir(), ...(baseDir ? { baseDir } : {}) });
    if (tools.length === 0) return;
    const records = this.deps.globalState.get<ToolsFileRecord[]>(KUBERNETES_TOOLS_RECORD_KEY, []);
    const read = (await expandSources(readFederationSettings().sources)).map((s) => s.path);
    const now: ToolsFileRecord[] = [];
    const problems: string[] = [];
    for (const file of kubeconfigsToConsider(tools, read, records)) {
      const st = (await loadKubeconfig({ path: file, origin: 'setting' })).state;
      if (st.kind === 'ok') {
        now.push({ path: file, outcome: 'offered' });
        continue;
      }
      const record: ToolsFileRecord = { path: file, outcome: st.kind };
      if (isNews(record, records)) {
        if (st.kind === 'missing') problems.push(`${file} does not exist`);
        else if (st.kind === 'unreadable') problems.push(`${file} cannot be read (${st.message})`);
        else problems.push(`${file} is not a valid kubeconfig (${st.error.line ? `line ${st.error.line}: ` : ''}${st.error.message})`);
      }
      now.push(record);
    }
    await this.deps.globalState.update(KUBERNETES_TOOLS_RECORD_KEY, updatedRecords(records, now));
    if (problems.length) {
      const text = `Kubernetes Tools' settings (vs-kubernetes) name kubeconfig files the Liqo view cannot use: ${problems.join('; ')}. They were not added.`;
      this.deps.log.warn(text);
      void vscode.window.showWarningMessage(text);
    }
    const offer = now.filter((r) => r.outcome === 'offered').map((r) => r.path);
    if (offer.length === 0) return;
    const which = offer.length === 1 ? offer[0] : `${offer.length} files (${offer.join(', ')})`;
    this.deps.log.info(`offering the kubeconfig files of Kubernetes Tools' settings: ${offer.join(', ')}`);
    const answer = await vscode.window.showInformationMessage(
      `VS Code Kubernetes Tools uses ${which}, which the Liqo view does not read. Add ${offer.length === 1 ? 'it' : 'them'} to liqo.kubeconfigs, so both show the same clusters?`,
      'Add',
      'Not now',
    );
    if (answer !== 'Add') {
      this.deps.log.info(`Kubernetes Tools kubeconfigs not added (${answer ?? 'dismissed'}): ${offer.join(', ')}; they are not offered again.`);
      return;
    }
    const scope = await addKubeconfigEntries(offer);
    this.deps.log.info(`added to liqo.kubeconfigs (${scope} settings) from Kubernetes Tools: ${offer.join(', ')}`);
    await this.deps.reloadSettings();
  }

  dispose(): void {
    this.listener.dispose();
  }
}
