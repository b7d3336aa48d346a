// Restricted workspaces run no binaries: commands that would run liqoctl stop here with the reason and the way out.
import * as vscode from 'vscode';

export function requireTrust(what: string): void {
  if (!vscode.workspace.isTrusted) {
    throw new Error(`${what} runs liqoctl, and this workspace is restricted: no programs run here. Trust the workspace (Manage Workspace Trust) to use it.`);
  }
}
