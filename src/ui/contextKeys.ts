// Context keys the manifest's `when` clauses use (viewsWelcome, menus). Named once here.
import * as vscode from 'vscode';

export const CONTEXT_NO_KUBECONFIG = 'liqo.noKubeconfig';

export function setContextKey(key: string, value: unknown): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', key, value);
}
