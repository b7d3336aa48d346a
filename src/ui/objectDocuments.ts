// Read-only YAML documents for any object in the tree (scheme `liqo-object`), rendered from the session caches and
// kept current: an open document follows every watch event of its object's kind in its cluster, whether or not a
// row shows the change, and is re-rendered only when its text (resourceVersion included) differs.
import * as vscode from 'vscode';
import { objectYaml } from '../core/liqo/objectYaml.ts';
import type { FederationModel } from '../infra/federationModel.ts';
import type { ResourceRef } from '../core/tree/view.ts';

export const OBJECT_SCHEME = 'liqo-object';

export function objectUri(ref: ResourceRef, contextName: string): vscode.Uri {
  const file = `${ref.key.replace(/\//g, '_')}.yaml`;
  const query = new URLSearchParams({ entry: ref.entryId, kind: ref.kind, key: ref.key }).toString();
  return vscode.Uri.from({ scheme: OBJECT_SCHEME, path: `/${contextName}/${ref.kind}/${file}`, query });
}

export class ObjectDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: { dispose(): void }[];
  private readonly model: FederationModel;
  /** What each open document shows, to tell VS Code only about documents whose text changed. */
  private readonly shown = new Map<string, string>();

  constructor(model: FederationModel) {
    this.model = model;
    this.subscriptions = [
      model.onDidChangeObjects((entryId, kinds) => {
        for (const doc of vscode.workspace.textDocuments) {
          if (doc.uri.scheme !== OBJECT_SCHEME) continue;
          const q = new URLSearchParams(doc.uri.query);
          if (q.get('entry') !== entryId) continue;
          if (kinds && !kinds.has(q.get('kind') as never)) continue;
          this.refresh(doc.uri);
        }
      }),
      // The kubeconfig was reloaded: clusters may have gone or come back.
      model.onDidChange((ids) => {
        if (ids !== undefined) return;
        for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === OBJECT_SCHEME) this.refresh(doc.uri);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.shown.delete(doc.uri.toString())),
    ];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const text = this.render(uri);
    this.shown.set(uri.toString(), text);
    return text;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }

  private refresh(uri: vscode.Uri): void {
    if (this.render(uri) !== this.shown.get(uri.toString())) this.changed.fire(uri);
  }

  private render(uri: vscode.Uri): string {
    const q = new URLSearchParams(uri.query);
    const obj = this.model.object(q.get('entry') ?? '', q.get('kind') ?? '', q.get('key') ?? '');
    if (!obj) return `# ${q.get('key')} is no longer in the cluster (deleted, or the cluster is not being watched).\n`;
    return objectYaml(obj);
  }
}
