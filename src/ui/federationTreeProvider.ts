// Renders the FederationModel's rows as VS Code tree items. Elements are stable handles (one object per row id):
// VS Code matches refresh events by object identity, and getTreeItem reads the row's current view by id, so a
// refresh always shows fresh data.
import * as vscode from 'vscode';
import type { TreeNodeView } from '../core/tree/view.ts';
import type { FederationModel } from '../infra/federationModel.ts';

const COLLAPSE: Record<TreeNodeView['collapsible'], vscode.TreeItemCollapsibleState> = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

export interface RowHandle {
  readonly id: string;
}

export class FederationTreeProvider implements vscode.TreeDataProvider<RowHandle>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RowHandle | RowHandle[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly handles = new Map<string, RowHandle>();
  /** The last view per id, for rows the model no longer has (VS Code may ask while a refresh is in flight). */
  private readonly lastView = new Map<string, TreeNodeView>();
  private readonly subscription: { dispose(): void };
  private readonly model: FederationModel;

  constructor(model: FederationModel) {
    this.model = model;
    this.subscription = model.onDidChange((ids) => {
      if (ids === undefined) return this.changed.fire(undefined);
      const known = ids.map((id) => this.handles.get(id)).filter((h): h is RowHandle => h !== undefined);
      if (known.length) this.changed.fire(known);
    });
  }

  handle(id: string): RowHandle {
    let h = this.handles.get(id);
    if (!h) {
      h = { id };
      this.handles.set(id, h);
    }
    return h;
  }

  view(handle: RowHandle): TreeNodeView | undefined {
    return this.model.node(handle.id) ?? this.lastView.get(handle.id);
  }

  getTreeItem(handle: RowHandle): vscode.TreeItem {
    const node = this.view(handle) ?? { id: handle.id, label: '…', ariaLabel: '…', contextValue: 'liqo:gone', collapsible: 'none' as const };
    const item = new vscode.TreeItem(node.label, COLLAPSE[node.collapsible]);
    item.id = node.id;
    if (node.description !== undefined) item.description = node.description;
    if (node.tooltip !== undefined) item.tooltip = new vscode.MarkdownString(node.tooltip);
    if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined);
    item.contextValue = node.contextValue;
    item.accessibilityInformation = { label: node.ariaLabel };
    if (node.command) item.command = { command: node.command.command, title: node.command.title, arguments: [...(node.command.arguments ?? [])] };
    return item;
  }

  async getChildren(handle?: RowHandle): Promise<RowHandle[]> {
    if (!handle) await this.model.activate();
    const rows = handle ? this.model.children(handle.id) : this.model.roots();
    for (const r of rows) this.lastView.set(r.id, r);
    return rows.map((r) => this.handle(r.id));
  }

  getParent(handle: RowHandle): RowHandle | undefined {
    // Ids are paths: a row's parent id is its id up to the last '/' that still names a known row.
    let id = handle.id;
    for (;;) {
      const cut = id.lastIndexOf('/');
      if (cut <= 0) return undefined;
      id = id.slice(0, cut);
      if (this.handles.has(id) && this.view(this.handles.get(id)!)) return this.handles.get(id);
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
