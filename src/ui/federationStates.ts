// The known-good records as the window sees them: the ring in global storage with its automatic recorder, the
// record opened from a file (the reference while it is set), and the read-only drift documents (scheme liqo-drift).
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { FederationModel } from '../infra/federationModel.ts';
import { RecordRing } from '../infra/federation/recordRing.ts';
import { AutoRecorder } from '../infra/federation/autoRecorder.ts';
import type { FederationRecord } from '../core/federation/knownGood.ts';
import type { Logger } from '../infra/log.ts';

export const DRIFT_SCHEME = 'liqo-drift';

export interface Reference {
  readonly record: FederationRecord;
  /** In words: the file it was opened from, or "the latest automatic record". */
  readonly source: string;
}

export class FederationStates implements vscode.TextDocumentContentProvider, vscode.Disposable {
  readonly ring: RecordRing;
  private readonly recorder: AutoRecorder;
  private opened: Reference | undefined;
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly referenceChanged = new vscode.EventEmitter<void>();
  /** A new automatic record was written, or a file was opened as the reference. */
  readonly onDidChangeReference = this.referenceChanged.event;

  constructor(model: FederationModel, storageDir: string, log: Logger) {
    this.ring = new RecordRing(path.join(storageDir, 'federation-records'));
    this.recorder = new AutoRecorder(model, this.ring, log, undefined, () => this.referenceChanged.fire());
  }

  /** Sets the record a file holds as the reference (until the window closes or another is opened). */
  open(record: FederationRecord, file: string): void {
    this.opened = { record, source: file };
    this.referenceChanged.fire();
  }

  /** The opened file's record, else the newest automatic record. */
  async reference(): Promise<Reference | undefined> {
    if (this.opened) return this.opened;
    const latest = await this.ring.latest();
    return latest ? { record: latest.record, source: 'the latest automatic record' } : undefined;
  }

  /** Looks at the federation now (tests and Save call this before reading the ring). */
  recordNow(): Promise<void> {
    return this.recorder.recordNow();
  }

  /** Opens (or refreshes) a read-only Markdown document of this scheme. */
  async openDocument(markdown: string, name: string): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(this.showDocument(markdown, name));
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await vscode.window.showTextDocument(doc, { preview: true });
  }

  showDocument(markdown: string, name = 'Federation Drift'): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: DRIFT_SCHEME, path: `/${name}.md` });
    this.texts.set(uri.toString(), markdown);
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? 'Run the command again.';
  }

  dispose(): void {
    this.recorder.dispose();
    this.changed.dispose();
    this.referenceChanged.dispose();
    this.texts.clear();
  }
}
