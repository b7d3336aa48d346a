// liqo.tunnel.open: reach a context's API server through `ssh -N -L 127.0.0.1:<local>:<api host>:<api port>`
// (optionally through a jump host), then add a "<context>-tunnel" context pointed at the local end, with
// tls-server-name when the certificate does not name 127.0.0.1 so TLS still verifies; previewed and written through
// the one writer. The tunnel lives in the status bar until stopped, and ends with the window.
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import { probeCredentials } from '../kubeconfigWorkbench.ts';
import { parseDestination, type SshTarget } from '../../core/ssh/sshTarget.ts';
import { parseAddress, parseServer } from '../../core/kubeconfig/serverAddress.ts';
import { chooseTlsServerName } from '../../core/kubeconfig/tlsServerName.ts';
import { addTunnelContext, tunnelContextName } from '../../core/kubeconfig/tunnelContext.ts';
import { describeConnectionFailure } from '../../core/connection/describe.ts';
import { SshTunnel, freeLocalPort } from '../../infra/ssh/sshTunnel.ts';
import { readCertificateNames } from '../../infra/cluster/serverCertificate.ts';
import { probeEditedKubeconfig } from '../../infra/kubeconfig/probeEdited.ts';
import { TUNNEL_READY_TIMEOUT_MS } from '../sshTunnels.ts';
import { requireTrust } from './sshInputs.ts';

const TIMEOUT_MS = 8000;

function destinationCheck(optional: boolean): (v: string) => string | undefined {
  return (v) => {
    if (optional && v.trim() === '') return undefined;
    try {
      parseDestination(v);
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  };
}

function keptOpen(label: string): void {
  void vscode.window.showInformationMessage(`The SSH tunnel ${label} stays open; the kubeconfig was not changed. Stop it from the status bar (Liqo: Stop or Reopen SSH Tunnel…).`);
}

export const openTunnel: Command = {
  id: 'liqo.tunnel.open',
  async run({ model, kubeconfig, programs, tunnels, log }, arg) {
    requireTrust('Open SSH Tunnel to API Server');
    const entry = await kubeconfig.pickContext(model, arg, 'Open an SSH tunnel to the API server of which context?');
    if (!entry) return;
    const api = parseServer(entry.server);
    const apiNow = `${api.host.includes(':') ? `[${api.host}]` : api.host}:${api.port ?? 443}`;
    const destination = await vscode.window.showInputBox({
      title: `SSH tunnel for "${entry.contextName}": ssh host`,
      prompt: 'The host that reaches the API server: host, user@host or user@host:port (your ssh agent, keys and known_hosts are used)',
      validateInput: destinationCheck(false),
    });
    if (!destination) return;
    const jump = await vscode.window.showInputBox({
      title: `SSH tunnel for "${entry.contextName}": jump host (optional)`,
      prompt: 'A bastion to go through (ssh -J user@bastion:port), or empty for none',
      validateInput: destinationCheck(true),
    });
    if (jump === undefined) return;
    const apiTyped = await vscode.window.showInputBox({
      title: `SSH tunnel for "${entry.contextName}": API server as the ssh host reaches it`,
      value: apiNow,
      prompt: 'host:port (on a k3s node itself: 127.0.0.1:6443)',
      validateInput: (v) => {
        const a = parseAddress(v);
        return a?.host && a.port ? undefined : 'Use host:port';
      },
    });
    if (apiTyped === undefined) return;
    const apiAt = parseAddress(apiTyped)!;
    const base = parseDestination(destination);
    const target: SshTarget = { ...base, ...(jump.trim() ? { jump: jump.trim() } : {}) };
    const localPort = await freeLocalPort();
    const tunnel = new SshTunnel(programs, { target, localPort, remoteHost: apiAt.host!, remotePort: apiAt.port! });

    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Opening SSH tunnel ${tunnel.label}…`, cancellable: true }, async (_p, token) => {
      const ctl = new AbortController();
      token.onCancellationRequested(() => ctl.abort());
      await tunnel.open({ readyTimeoutMs: TUNNEL_READY_TIMEOUT_MS, signal: ctl.signal });
    });
    const name = tunnelContextName(entry.contextName);
    tunnels.add({ tunnel, contextName: name });
    log.info(`SSH tunnel open: ${tunnel.label} for context ${entry.contextName}`);

    const server = `${api.scheme}://127.0.0.1:${localPort}`;
    const snap = await kubeconfig.read(entry.filePath);
    const names = await readCertificateNames(server, { timeoutMs: TIMEOUT_MS }).catch(() => undefined);
    const choice = names ? chooseTlsServerName('127.0.0.1', names, api.host) : undefined;
    if (choice?.needed && choice.name === undefined) throw new Error(`The certificate served through the tunnel names no host or IP, so TLS cannot be verified at 127.0.0.1. The tunnel stays open (${tunnel.label}); the kubeconfig was not changed.`);
    const tlsServerName = choice?.needed ? choice.name : undefined;
    const result = addTunnelContext(snap.text ?? '', { from: entry.contextName, name, server, tlsServerName });
    const probe = await probeEditedKubeconfig(entry.filePath, result.text, name, { timeoutMs: TIMEOUT_MS, ...probeCredentials(programs) });
    if (!probe.ok) {
      const problem = describeConnectionFailure(probe.failure);
      const detail = tunnel.forwardProblem() ?? problem.hint;
      const pick = await vscode.window.showWarningMessage(`"${name}" does not connect through the tunnel: ${problem.summary}`, { modal: true, detail }, 'Save Anyway');
      if (pick !== 'Save Anyway') return keptOpen(tunnel.label);
    }
    const saved = await kubeconfig.previewAndWrite(snap, result, `Add context "${name}" through the SSH tunnel on 127.0.0.1:${localPort}`, log);
    if (!saved) keptOpen(tunnel.label);
  },
};
