// The service forwards this window opened (Open Service in Browser…): one status-bar item while any is open, listing
// each with its local address and state (click: stop one or all), state changes in the Liqo log, and every forward
// stopped when the window closes. A forward uses its cluster's current client, so it goes the way the context does
// (its proxy, or the SSH tunnel the context points at).
import * as vscode from 'vscode';
import { ServicePortForward, type ForwardState } from '../infra/cluster/servicePortForward.ts';
import type { ClusterClient } from '../infra/cluster/clusterClient.ts';
import { setContextKey } from './contextKeys.ts';

export const CONTEXT_SERVICE_FORWARDS = 'liqo.serviceForwards';
export const STOP_FORWARD_COMMAND = 'liqo.forward.stop';

export interface OpenForward {
  readonly forward: ServicePortForward;
  readonly contextName: string;
  readonly url: string;
}

export interface ForwardRequest {
  readonly contextName: string;
  readonly client: () => ClusterClient;
  readonly namespace: string;
  readonly service: string;
  readonly port: number;
}

export class ServiceForwards implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('liqo.serviceForwards', vscode.StatusBarAlignment.Left, 40);
  private readonly open: OpenForward[] = [];
  private readonly log: vscode.LogOutputChannel;

  constructor(log: vscode.LogOutputChannel) {
    this.log = log;
    this.item.name = 'Liqo Service Forwards';
    this.item.command = STOP_FORWARD_COMMAND;
  }

  get all(): readonly OpenForward[] {
    return this.open;
  }

  /** Starts the forward (the service is resolved first: a wrong name or no running pod fails here). */
  async start(req: ForwardRequest): Promise<OpenForward> {
    const same = this.open.find((o) => o.contextName === req.contextName && o.forward.description === `${req.namespace}/${req.service}:${req.port}` && o.forward.state.kind !== 'stopped');
    if (same) return same;
    const label = `${req.contextName} ${req.namespace}/${req.service}:${req.port}`;
    const forward = new ServicePortForward({
      client: req.client,
      namespace: req.namespace,
      service: req.service,
      port: req.port,
      onStateChange: (s) => {
        this.log.info(`Forward ${label}: ${stateText(s)}`);
        this.render();
      },
    });
    const port = await forward.start();
    const entry: OpenForward = { forward, contextName: req.contextName, url: `http://127.0.0.1:${port}/` };
    this.open.push(entry);
    this.log.info(`Forward ${label} listens on ${entry.url}`);
    this.render();
    return entry;
  }

  stop(entry: OpenForward): void {
    entry.forward.stop();
    const i = this.open.indexOf(entry);
    if (i >= 0) this.open.splice(i, 1);
    this.render();
  }

  private render(): void {
    const n = this.open.length;
    void setContextKey(CONTEXT_SERVICE_FORWARDS, n > 0);
    if (n === 0) {
      this.item.hide();
      return;
    }
    const waiting = this.open.filter((o) => o.forward.state.kind === 'reconnecting').length;
    this.item.text = `$(plug) ${n} forward${n === 1 ? '' : 's'}${waiting ? `, ${waiting} reconnecting` : ''}`;
    const tip = new vscode.MarkdownString(this.open.map((o) => `- ${o.contextName} ${o.forward.description} → ${o.url} (${stateText(o.forward.state)})`).join('\n'));
    tip.appendMarkdown('\n\nClick to stop a forward.');
    this.item.tooltip = tip;
    this.item.show();
  }

  dispose(): void {
    for (const o of this.open.splice(0)) o.forward.stop();
    this.item.dispose();
  }
}

export function stateText(s: ForwardState): string {
  switch (s.kind) {
    case 'starting':
      return 'starting';
    case 'ready':
      return `to pod ${s.pod}`;
    case 'reconnecting':
      return `reconnecting: ${s.reason}`;
    case 'stopped':
      return 'stopped';
  }
}
