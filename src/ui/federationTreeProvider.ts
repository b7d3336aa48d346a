// Renders the FederationModel's view rows as VS Code tree items. Holds no state of its own beyond the last row
// object per id, which VS Code needs to refresh exactly the subtree that changed.
import * as vscode from 'vscode';
import type { TreeNodeView } from '../core/tree/view.ts';
import type { FederationModel } from '../infra/federationModel.ts';

const COLLAPSE: Record<TreeNodeView['collapsible'], vscode.TreeItemCollapsibleState> = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

export class FederationTreeProvider implements vscode.TreeDataProvider<TreeNodeView>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNodeView | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly rendered = new Map<string, TreeNodeView>();
  private readonly subscription: { dispose(): void };
  private readonly model: FederationModel;

  constructor(model: FederationModel) {
    this.model = model;
    this.subscription = model.onDidChange((id) => {
      const node = id === undefined ? undefined : this.rendered.get(id);
      this.changed.fire(node);
    });
  }

  getTreeItem(node: TreeNodeView): vscode.TreeItem {
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

  async getChildren(node?: TreeNodeView): Promise<TreeNodeView[]> {
    if (!node) await this.model.activate();
    const rows = node ? this.model.children(node.id) : this.model.roots();
    // Keep the newest object per id: a change event must hand VS Code the element it last received.
    for (const r of rows) this.rendered.set(r.id, r);
    return rows;
  }

  getParent(): undefined {
    return undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
