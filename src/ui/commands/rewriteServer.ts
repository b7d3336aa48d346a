// liqo.kubeconfig.rewriteServer: point a context's cluster at a new host and/or port (e.g. 127.0.0.1:<port> for a
// tunnel) while TLS stays verified: the live certificate's names are read, tls-server-name is set to one of them
// when the new address is not among them, and the result must connect before it is saved. An x509 failure is
// explained with its remedy; insecure-skip-tls-verify is never set. Run as the fix of a "certificate not valid for
// this address" error row, the address stays and the input is the tls-server-name, pre-filled with a name the
// certificate holds.
import * as vscode from 'vscode';
import type { Command, CommandDeps } from './command.ts';
import { probeCredentials } from '../kubeconfigWorkbench.ts';
import type { ClusterEntry } from '../../core/kubeconfig/clusters.ts';
import { rewriteServer as rewriteInText } from '../../core/kubeconfig/edits.ts';
import { editOf } from '../../core/kubeconfig/editError.ts';
import { parseAddress, parseServer, withAddress } from '../../core/kubeconfig/serverAddress.ts';
import { chooseTlsServerName, heldNames, tlsServerNameProblem } from '../../core/kubeconfig/tlsServerName.ts';
import { describeConnectionFailure } from '../../core/connection/describe.ts';
import { readCertificateNames } from '../../infra/cluster/serverCertificate.ts';
import { probeEditedKubeconfig } from '../../infra/kubeconfig/probeEdited.ts';

const TIMEOUT_MS = 8000;

/** True when the command was started from a cluster's "certificate not valid for this address" error row. */
function fromNameMismatchRow({ model, tree }: Pick<CommandDeps, 'model' | 'tree'>, arg: unknown): boolean {
  const id = arg && typeof arg === 'object' && 'id' in arg && typeof arg.id === 'string' ? arg.id : undefined;
  if (id === undefined) return false;
  // the row as VS Code shows it, also when the model dropped it a moment ago (the cluster re-probing)
  const view = model.node(id) ?? tree.view({ id });
  return /^liqo:clusterError\b.*\+tls-name-mismatch\b/.test(view?.contextValue ?? '');
}

/** Under a cancellable progress notification: `body` gets an AbortSignal the Cancel button fires. */
function withChecking<T>(title: string, body: (signal: AbortSignal) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_p, token) => {
    const ctl = new AbortController();
    token.onCancellationRequested(() => ctl.abort());
    return body(ctl.signal);
  });
}

/** The error row's fix: same address, tls-server-name typed over a name the live certificate holds. */
async function askTlsServerName(entry: ClusterEntry): Promise<string | undefined> {
  const names = await withChecking(`Reading the certificate of ${entry.server}…`, (signal) => readCertificateNames(entry.server, { timeoutMs: TIMEOUT_MS, signal }));
  const choice = chooseTlsServerName(parseServer(entry.server).host, names);
  if (!choice.needed) throw new Error(`The certificate of ${entry.server} now names its host: Retry the cluster. Nothing was changed.`);
  if (choice.name === undefined) throw new Error(`The certificate of ${entry.server} names no host or IP; tls-server-name cannot keep TLS verified. Nothing was changed.`);
  return vscode.window.showInputBox({
    title: `Keep "${entry.contextName}" at ${entry.server}, verify TLS as`,
    value: choice.name,
    prompt: `tls-server-name: a name the certificate holds (${heldNames(names).join(', ')})`,
    validateInput: (v) => tlsServerNameProblem(v, names),
  });
}

export const rewriteServer: Command = {
  id: 'liqo.kubeconfig.rewriteServer',
  async run({ model, tree, kubeconfig, log, programs, walkthrough }, arg, addressArg) {
    const entry = await kubeconfig.pickContext(model, arg, 'Rewrite the server address of which context?');
    if (!entry) return;
    const old = parseServer(entry.server);
    let server = entry.server;
    let fixedName: string | undefined;
    if (typeof addressArg !== 'string' && fromNameMismatchRow({ model, tree }, arg)) {
      fixedName = (await askTlsServerName(entry))?.trim();
      if (fixedName === undefined) return;
    } else {
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
      server = withAddress(entry.server, address);
    }
    const newHost = parseServer(server).host;

    const snap = await kubeconfig.read(entry.filePath);
    const outcome = await withChecking(`Checking ${server}…`, async (signal) => {
      let tlsServerName = fixedName;
      if (tlsServerName === undefined) {
        const names = await readCertificateNames(server, { timeoutMs: TIMEOUT_MS, signal }).catch(() => readCertificateNames(entry.server, { timeoutMs: TIMEOUT_MS, signal }));
        const choice = chooseTlsServerName(newHost, names, old.host);
        if (choice.needed && choice.name === undefined) throw new Error(`The certificate of ${server} names no host or IP; tls-server-name cannot keep TLS verified. Nothing was changed.`);
        tlsServerName = choice.needed ? choice.name : undefined;
      }
      const result = editOf(entry.filePath, () => rewriteInText(snap.text ?? '', entry.contextName, { server, ...(tlsServerName ? { tlsServerName } : {}) }));
      const probe = await probeEditedKubeconfig(entry.filePath, result.text, entry.contextName, { timeoutMs: TIMEOUT_MS, signal, ...probeCredentials(programs) });
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
    const written = await kubeconfig.previewAndWrite(snap, outcome.result, title, log);
    // the walkthrough's "fix a server address": saved, and the cluster answers there
    if (written && outcome.probe.ok) walkthrough.report('serverRewritten');
  },
};
