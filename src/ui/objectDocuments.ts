// Read-only YAML documents for any object in the tree (scheme `liqo-object`). Each open document reads and watches
// its own object, whole, through its cluster's client (infra/cluster/objectFollow.ts), so it follows every change of
// the object — the tree's caches keep only the fields rows show — and is re-rendered only when its text
// (resourceVersion included) differs. The watch ends when VS Code closes the document.
import * as vscode from 'vscode';
import { followedObjectText } from '../core/liqo/objectYaml.ts';
import type { FederationModel } from '../infra/federationModel.ts';
import type { ObjectFollow } from '../infra/cluster/objectFollow.ts';
import type { ResourceRef } from '../core/tree/view.ts';

export const OBJECT_SCHEME = 'liqo-object';

export function objectUri(ref: ResourceRef, contextName: string): vscode.Uri {
  const file = `${ref.key.replace(/\//g, '_')}.yaml`;
  const query = new URLSearchParams({ entry: ref.entryId, kind: ref.kind, key: ref.key }).toString();
  return vscode.Uri.from({ scheme: OBJECT_SCHEME, path: `/${contextName}/${ref.kind}/${file}`, query });
}

interface OpenObject {
  readonly uri: vscode.Uri;
  readonly entry: string;
  readonly kind: string;
  readonly key: string;
  readonly contextName: string;
  /** Undefined while the cluster has no client to read through. */
  follow: ObjectFollow | undefined;
  /** The text VS Code was last given. */
  shown: string | undefined;
}

export class ObjectDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: { dispose(): void }[];
  private readonly model: FederationModel;
  private readonly open = new Map<string, OpenObject>();

  constructor(model: FederationModel) {
    this.model = model;
    this.subscriptions = [
      // A cluster connected, or the kubeconfig was reloaded (a cluster gone, or given another client): follow again
      // through the client the cluster has now. Cheap per change: only open documents are looked at.
      model.onDidChange(() => {
        for (const [uri, o] of this.open) if (this.model.session(o.entry)?.client !== o.follow?.source) this.refollow(uri, o);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.close(doc.uri.toString())),
    ];
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const id = uri.toString();
    let o = this.open.get(id);
    if (!o) {
      const q = new URLSearchParams(uri.query);
      const entry = q.get('entry') ?? '';
      o = { uri, entry, kind: q.get('kind') ?? '', key: q.get('key') ?? '', contextName: this.model.session(entry)?.entry.contextName ?? 'the cluster', follow: undefined, shown: undefined };
      this.open.set(id, o);
      this.refollow(id, o);
    }
    await o.follow?.answer();
    o.shown = this.render(o);
    return o.shown;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    for (const id of [...this.open.keys()]) this.close(id);
    this.changed.dispose();
  }

  private refollow(id: string, o: OpenObject): void {
    o.follow?.stop();
    o.follow = this.model.followObject(o.entry, o.kind, o.key, () => this.refresh(id));
    this.refresh(id);
  }

  private refresh(id: string): void {
    const o = this.open.get(id);
    if (o?.shown !== undefined && this.render(o) !== o.shown) this.changed.fire(o.uri);
  }

  private render(o: OpenObject): string {
    return followedObjectText(o.follow?.current ?? { kind: 'disconnected' }, o.key, o.contextName);
  }

  private close(id: string): void {
    this.open.get(id)?.follow?.stop();
    this.open.delete(id);
  }
}
