// Read-only YAML documents for any object in the tree (scheme `liqo-object`), rendered from the session caches and
// kept current: an open document refreshes when its cluster's watches report a change.
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
  private readonly subscription: { dispose(): void };
  private readonly model: FederationModel;

  constructor(model: FederationModel) {
    this.model = model;
    // Re-render only the open documents of a cluster whose rows changed (ids start with `cluster:<entry id>`).
    this.subscription = model.onDidChange((ids) => {
      for (const doc of vscode.workspace.textDocuments) {
        if (doc.uri.scheme !== OBJECT_SCHEME) continue;
        const prefix = `cluster:${new URLSearchParams(doc.uri.query).get('entry') ?? ''}`;
        if (ids === undefined || ids.some((id) => id === prefix || id.startsWith(`${prefix}/`))) this.changed.fire(doc.uri);
      }
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const q = new URLSearchParams(uri.query);
    const obj = this.model.object(q.get('entry') ?? '', q.get('kind') ?? '', q.get('key') ?? '');
    if (!obj) return `# ${q.get('key')} is no longer in the cluster (deleted, or the cluster is not being watched).\n`;
    return objectYaml(obj);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
