// What every kubeconfig-changing command shares: finding the context a row (or the palette) means, showing the
// change before it is written (a diff of old and new text from read-only virtual documents, then a modal listing
// the edits), and writing through the one KubeconfigWriter with an Undo offer afterwards.
import * as vscode from 'vscode';
import type { ClusterEntry } from '../core/kubeconfig/clusters.ts';
import type { EditResult } from '../core/kubeconfig/textSplicer.ts';
import { KubeconfigWriter, readSnapshot, type KubeconfigSnapshot } from '../infra/kubeconfig/writer.ts';
import type { FederationModel } from '../infra/federationModel.ts';
import { entryIdOf } from './commands/command.ts';
import type { ProcessRunner } from '../infra/process/runner.ts';
import type { EditedProbeOptions } from '../infra/kubeconfig/probeEdited.ts';
import { credentialPolicyOf } from '../core/kubeconfig/credentialPolicy.ts';
import { SETTING_CREDENTIAL_PLUGINS, SETTING_SECTION } from './settings.ts';

export const PREVIEW_SCHEME = 'liqo-kubeconfig-preview';
export const UNDO_COMMAND = 'liqo.kubeconfig.undo';

export class KubeconfigWorkbench implements vscode.TextDocumentContentProvider, vscode.Disposable {
  readonly writer: KubeconfigWriter;
  private readonly texts = new Map<string, string>();
  private seq = 0;

  constructor(backupDir: string) {
    this.writer = new KubeconfigWriter(backupDir);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.path) ?? '';
  }

  dispose(): void {
    this.texts.clear();
  }

  /** The cluster entry a row or id argument names, or one the user picks. */
  async pickContext(model: FederationModel, arg: unknown, title: string): Promise<ClusterEntry | undefined> {
    const id = entryIdOf(model, arg);
    const hit = model.clusters.find((c) => c.id === id);
    if (hit) return hit;
    const items = model.clusters.map((c) => ({ label: c.contextName, description: c.filePath, entry: c }));
    if (items.length === 0) throw new Error('No kubeconfig context is loaded: add a kubeconfig file first (Liqo: Add Kubeconfig File…).');
    return (await vscode.window.showQuickPick(items, { title, matchOnDescription: true }))?.entry;
  }

  /** Shows old vs new text, asks for confirmation listing the edits, and writes. False when the user declined. */
  async previewAndWrite(snapshot: KubeconfigSnapshot, result: EditResult, title: string, log: vscode.LogOutputChannel): Promise<boolean> {
    if (result.edits.length === 0) {
      void vscode.window.showInformationMessage(`${title}: nothing to change in ${snapshot.path}.`);
      return false;
    }
    await this.showDiff(snapshot.path, snapshot.text ?? '', result.text, title);
    const lines = [...result.edits.map((e) => `• ${e.summary}`), ...result.notes.map((n) => `ℹ ${n}`)];
    const ok = await vscode.window.showWarningMessage(`${title} in ${snapshot.path}?`, { modal: true, detail: lines.join('\n') }, 'Save');
    if (ok !== 'Save') return false;
    await this.writer.write(snapshot, result.text, `${title} (${snapshot.path})`);
    log.info(`kubeconfig ${snapshot.path}: ${title} (${result.edits.length} edit${result.edits.length === 1 ? '' : 's'})`);
    void vscode.window.showInformationMessage(`${title}: saved ${snapshot.path}.`, 'Undo').then((pick) => {
      if (pick === 'Undo') void vscode.commands.executeCommand(UNDO_COMMAND);
    });
    return true;
  }

  async showDiff(file: string, before: string, after: string, title: string): Promise<void> {
    const n = ++this.seq;
    const base = file.replace(/[^A-Za-z0-9._/-]/g, '_');
    const left = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${n}/before${base}` });
    const right = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${n}/after${base}` });
    this.texts.set(left.path, before);
    this.texts.set(right.path, after);
    await vscode.commands.executeCommand('vscode.diff', left, right, `${title}: ${file}`, { preview: true });
  }

  read(file: string): Promise<KubeconfigSnapshot> {
    return readSnapshot(file);
  }
}

/**
 * How a pre-save probe runs credential programs: through the window's runner, trust-gated at each run, unless
 * liqo.credentialPlugins is `never` (then the probe connects without them, as the tree would not run them either).
 */
export function probeCredentials(runner: ProcessRunner): Pick<EditedProbeOptions, 'programs'> {
  const policy = credentialPolicyOf(vscode.workspace.getConfiguration(SETTING_SECTION).get<string>(SETTING_CREDENTIAL_PLUGINS));
  return policy === 'never' ? {} : { programs: { runner, trusted: () => vscode.workspace.isTrusted } };
}
