// liqo.kubeconfig.rewriteServer: point a context's cluster at a new host and/or port (e.g. 127.0.0.1:<port> for a
// tunnel) while TLS stays verified: the live certificate's names are read, tls-server-name is set to one of them
// when the new address is not among them, and the result must connect before it is saved. An x509 failure is
// explained with its remedy; insecure-skip-tls-verify is never set.
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import { probeCredentials } from '../kubeconfigWorkbench.ts';
import { rewriteServer as rewriteInText } from '../../core/kubeconfig/edits.ts';
import { parseAddress, parseServer, withAddress } from '../../core/kubeconfig/serverAddress.ts';
import { chooseTlsServerName } from '../../core/kubeconfig/tlsServerName.ts';
import { describeConnectionFailure } from '../../core/connection/describe.ts';
import { readCertificateNames } from '../../infra/cluster/serverCertificate.ts';
import { probeEditedKubeconfig } from '../../infra/kubeconfig/probeEdited.ts';

const TIMEOUT_MS = 8000;

export const rewriteServer: Command = {
  id: 'liqo.kubeconfig.rewriteServer',
  async run({ model, kubeconfig, log, programs }, arg, addressArg) {
    const entry = await kubeconfig.pickContext(model, arg, 'Rewrite the server address of which context?');
    if (!entry) return;
    const old = parseServer(entry.server);
    const current = `${old.host.includes(':') ? `[${old.host}]` : old.host}${old.port ? `:${old.port}` : ''}`;
    const typed = typeof addressArg === 'string' ? addressArg : await vscode.window.showInputBox({
      title: `Rewrite the server address of "${entry.contextName}"`,
      value: current,
      prompt: `Now ${entry.server}. New host, host:port, or :port (127.0.0.1:<port> for an SSH tunnel)`,
      validateInput: (v) => (parseAddress(v) ? undefined : 'Use host, host:port or :port'),
    });
    if (typed === undefined) return;
    const address = parseAddress(typed);
    if (!address) throw new Error(`"${typed}" is not an address: use host, host:port or :port.`);
    const server = withAddress(entry.server, address);
    const newHost = parseServer(server).host;

    const snap = await kubeconfig.read(entry.filePath);
    const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Checking ${server}…`, cancellable: true }, async (_p, token) => {
      const ctl = new AbortController();
      token.onCancellationRequested(() => ctl.abort());
      const names = await readCertificateNames(server, { timeoutMs: TIMEOUT_MS, signal: ctl.signal }).catch(() => readCertificateNames(entry.server, { timeoutMs: TIMEOUT_MS, signal: ctl.signal }));
      const choice = chooseTlsServerName(newHost, names, old.host);
      if (choice.needed && choice.name === undefined) throw new Error(`The certificate of ${server} names no host or IP; tls-server-name cannot keep TLS verified. Nothing was changed.`);
      const tlsServerName = choice.needed ? choice.name : undefined;
      const result = rewriteInText(snap.text ?? '', entry.contextName, { server, ...(tlsServerName ? { tlsServerName } : {}) });
      const probe = await probeEditedKubeconfig(entry.filePath, result.text, entry.contextName, { timeoutMs: TIMEOUT_MS, signal: ctl.signal, ...probeCredentials(programs) });
      return { result, probe, tlsServerName };
    });
    if (!outcome.probe.ok) {
      const problem = describeConnectionFailure(outcome.probe.failure);
      const tls = problem.kind.startsWith('tls-') || problem.kind === 'server-certificate-expired';
      const remedy = tls ? `\n\nRemedy: add ${newHost} to the API server certificate (k3s: start the server with --tls-san ${newHost} and restart it; kubeadm: add it to apiServer.certSANs and renew the certificate).` : '';
      const pick = await vscode.window.showWarningMessage(`${entry.contextName} does not connect at ${server}: ${problem.summary}`, { modal: true, detail: `${problem.hint}${remedy}` }, 'Save Anyway');
      if (pick !== 'Save Anyway') return;
    }
    const title = `Rewrite server of "${entry.contextName}" to ${server}${outcome.tlsServerName ? ` (tls-server-name ${outcome.tlsServerName})` : ''}`;
    await kubeconfig.previewAndWrite(snap, outcome.result, title, log);
  },
};
