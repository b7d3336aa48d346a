// The SSH tunnels this window opened: one status-bar item while any exists (click: stop or reopen), a warning when
// one drops (with Reopen), and all of them stopped when the window closes (dispose; the ProcessRunner's dispose
// kills their process groups as well).
import * as vscode from 'vscode';
import type { SshTunnel } from '../infra/ssh/sshTunnel.ts';
import { setContextKey } from './contextKeys.ts';

export const CONTEXT_SSH_TUNNELS = 'liqo.sshTunnels';
export const STOP_TUNNEL_COMMAND = 'liqo.tunnel.stop';
const READY_TIMEOUT_MS = 20_000;

export interface OpenTunnel {
  readonly tunnel: SshTunnel;
  /** The context the tunnel serves (written to the kubeconfig, or not when the user declined). */
  readonly contextName: string;
}

export class SshTunnels implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('liqo.sshTunnels', vscode.StatusBarAlignment.Left, 50);
  private readonly open = new Map<SshTunnel, { entry: OpenTunnel; sub: { dispose(): void } }>();

  constructor() {
    this.item.name = 'Liqo SSH Tunnels';
    this.item.command = STOP_TUNNEL_COMMAND;
  }

  get all(): readonly OpenTunnel[] {
    return [...this.open.values()].map((v) => v.entry);
  }

  add(entry: OpenTunnel): void {
    const sub = entry.tunnel.onDidChange((s) => {
      if (s.kind === 'dropped') {
        void vscode.window.showWarningMessage(`SSH tunnel for "${entry.contextName}" dropped: ${s.message}`, 'Reopen', 'Stop').then((pick) => {
          if (pick === 'Reopen') void this.reopen(entry.tunnel).then(undefined, (err: unknown) => vscode.window.showErrorMessage((err as Error).message));
          if (pick === 'Stop') void this.stop(entry.tunnel);
        });
      }
      this.render();
    });
    this.open.set(entry.tunnel, { entry, sub });
    this.render();
  }

  async stop(tunnel: SshTunnel): Promise<void> {
    const v = this.open.get(tunnel);
    v?.sub.dispose();
    this.open.delete(tunnel);
    await tunnel.stop();
    this.render();
  }

  reopen(tunnel: SshTunnel): Thenable<void> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reopening SSH tunnel ${tunnel.label}…`, cancellable: true }, async (_p, token) => {
      const ctl = new AbortController();
      token.onCancellationRequested(() => ctl.abort());
      await tunnel.open({ readyTimeoutMs: READY_TIMEOUT_MS, signal: ctl.signal });
    });
  }

  dispose(): void {
    for (const [tunnel, v] of this.open) {
      v.sub.dispose();
      void tunnel.stop();
    }
    this.open.clear();
    this.item.dispose();
  }

  private render(): void {
    const all = this.all;
    void setContextKey(CONTEXT_SSH_TUNNELS, all.length > 0);
    if (all.length === 0) {
      this.item.hide();
      return;
    }
    const dropped = all.filter((t) => t.tunnel.state.kind === 'dropped').length;
    this.item.text = dropped > 0 ? `$(warning) SSH tunnel${dropped === 1 ? '' : 's'} dropped` : `$(remote) ${all.length} SSH tunnel${all.length === 1 ? '' : 's'}`;
    this.item.tooltip = `${all.map((t) => `${t.contextName}: ${t.tunnel.label} (${t.tunnel.state.kind})`).join('\n')}\nClick to stop or reopen.`;
    this.item.backgroundColor = dropped > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }
}

export const TUNNEL_READY_TIMEOUT_MS = READY_TIMEOUT_MS;
