// What the SSH commands share in the UI: the trust check before any input is asked for (the ProcessRunner refuses
// too; this says so before the user types a host).
import * as vscode from 'vscode';

export function requireTrust(what: string): void {
  if (!vscode.workspace.isTrusted) {
    throw new Error(`${what} runs ssh, and this workspace is restricted. Trust the workspace (Manage Workspace Trust) to let the extension run programs.`);
  }
}
