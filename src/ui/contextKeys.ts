// Context keys the manifest's `when` clauses use (viewsWelcome, menus). Named once here.
import * as vscode from 'vscode';

export const CONTEXT_NO_KUBECONFIG = 'liqo.noKubeconfig';
export const CONTEXT_FILTER_ACTIVE = 'liqo.filterActive';

export function setContextKey(key: string, value: unknown): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', key, value);
}
