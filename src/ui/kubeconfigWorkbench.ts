// What every kubeconfig-changing command shares: finding the context a row (or the palette) means, showing the
// change before it is written (a diff of old and new text from read-only virtual documents, then a modal listing
// the edits), and writing through the one KubeconfigWriter with an Undo offer afterwards. A file of the KUBECONFIG
// list is edited with the rest of the list in view (kubectl merges them), and one change may touch several files.
import * as vscode from 'vscode';
import type { ClusterEntry } from '../core/kubeconfig/clusters.ts';
import type { EditResult } from '../core/kubeconfig/textSplicer.ts';
import { KubeconfigWriter, readSnapshot, type KubeconfigSnapshot, type WriteOutcome } from '../infra/kubeconfig/writer.ts';
import { outsideReferences, NO_OUTSIDE_REFERENCES, type OutsideReferences, type ListFile } from '../core/kubeconfig/listReferences.ts';
import { parseKubeconfig } from '../core/kubeconfig/parse.ts';
import type { FederationModel } from '../infra/federationModel.ts';
import { entryIdOf } from './commands/command.ts';
import type { ProcessRunner } from '../infra/process/runner.ts';
import type { EditedProbeOptions } from '../infra/kubeconfig/probeEdited.ts';
import { credentialPolicyOf } from '../core/kubeconfig/credentialPolicy.ts';
import { SETTING_CREDENTIAL_PLUGINS, SETTING_SECTION, readFederationSettings } from './settings.ts';

export const PREVIEW_SCHEME = 'liqo-kubeconfig-preview';
export const UNDO_COMMAND = 'liqo.kubeconfig.undo';

/** One file's part of a change. */
export interface PlannedChange {
  readonly snapshot: KubeconfigSnapshot;
  readonly result: EditResult;
}

/** A file opened for editing with the rest of its KUBECONFIG list: what the other files refer to, and their snapshots. */
export interface ListedSnapshot {
  readonly snapshot: KubeconfigSnapshot;
  readonly outside: OutsideReferences;
  readonly others: ReadonlyMap<string, KubeconfigSnapshot>;
}

/** What the saved message says about how the files were written (only when it is not the usual atomic replace). */
export function describeWrites(outcomes: readonly WriteOutcome[]): string {
  const inPlace = outcomes.filter((o) => o.method === 'in-place').map((o) => o.file);
  if (inPlace.length === 0) return '';
  return ` ${inPlace.join(', ')} could not be replaced (a bind mount?), so ${inPlace.length === 1 ? 'it was' : 'they were'} rewritten in place and verified; the previous content is in the backups.`;
}

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
  previewAndWrite(snapshot: KubeconfigSnapshot, result: EditResult, title: string, log: vscode.LogOutputChannel): Promise<boolean> {
    return this.previewAndWriteAll([{ snapshot, result }], title, log);
  }

  /** The same for a change to several files (one KUBECONFIG list), written and undone as one. */
  async previewAndWriteAll(planned: readonly PlannedChange[], title: string, log: vscode.LogOutputChannel): Promise<boolean> {
    const changes = planned.filter((c) => c.result.edits.length > 0);
    const first = planned[0]!.snapshot.path;
    if (changes.length === 0) {
      void vscode.window.showInformationMessage(`${title}: nothing to change in ${first}.`);
      return false;
    }
    for (const c of changes) await this.showDiff(c.snapshot.path, c.snapshot.text ?? '', c.result.text, title);
    const several = changes.length > 1;
    const lines = planned.flatMap((c) => [...(several && c.result.edits.length ? [`${c.snapshot.path}:`] : []), ...c.result.edits.map((e) => `• ${e.summary}`), ...c.result.notes.map((n) => `ℹ ${n}`)]);
    const where = changes.map((c) => c.snapshot.path).join(' and ');
    const ok = await vscode.window.showWarningMessage(`${title} in ${where}?`, { modal: true, detail: lines.join('\n') }, 'Save');
    if (ok !== 'Save') return false;
    const outcomes = await this.writer.writeAll(changes.map((c) => ({ snapshot: c.snapshot, text: c.result.text })), `${title} (${where})`);
    for (const c of changes) log.info(`kubeconfig ${c.snapshot.path}: ${title} (${c.result.edits.length} edit${c.result.edits.length === 1 ? '' : 's'})`);
    for (const o of outcomes) if (o.method === 'in-place') log.warn(`kubeconfig ${o.file}: rename refused (bind mount?); rewritten in place and verified`);
    this.offerUndo(`${title}: saved ${where}.${describeWrites(outcomes)}`, outcomes[0]!.backup.id);
    return true;
  }

  /** A notification with Undo that undoes exactly this change (another window may have saved one since). */
  offerUndo(message: string, changeId: number): void {
    void vscode.window.showInformationMessage(message, 'Undo').then((pick) => {
      if (pick === 'Undo') void vscode.commands.executeCommand(UNDO_COMMAND, changeId);
    });
  }

  /**
   * Reads a file for an edit together with the rest of its KUBECONFIG list, when it is part of it. Another list file
   * that cannot be read stops the edit: kubectl would refuse the whole list too.
   */
  async readInList(file: string): Promise<ListedSnapshot> {
    const snapshot = await readSnapshot(file);
    const list = readFederationSettings().sources.filter((s) => s.origin === 'KUBECONFIG').map((s) => s.path);
    if (!list.includes(file) || list.length < 2) return { snapshot, outside: NO_OUTSIDE_REFERENCES, others: new Map() };
    const others = new Map<string, KubeconfigSnapshot>();
    const files: ListFile[] = [];
    for (const p of list) {
      const snap = p === file ? snapshot : await readSnapshot(p);
      if (p !== file) others.set(p, snap);
      const parsed = parseKubeconfig(snap.text ?? '');
      if (!parsed.ok) throw new Error(`${p} (in KUBECONFIG) is not a valid kubeconfig (${parsed.error.message}); kubectl refuses the whole list, so fix that file first.`);
      files.push({ path: p, config: parsed.config });
    }
    return { snapshot, outside: outsideReferences(files, file), others };
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
