// liqo.kubeconfig.importSsh: fetch a kubeconfig from a host with the system ssh (the user's agent, keys and
// known_hosts; BatchMode; unknown host keys refused), rename k3s's `default` entries, point a loopback server at the
// host with tls-server-name when the certificate does not name it, show the change, connect (with the credentials
// written in the file only: an exec plugin or a local file it names is not used before the user saves), and save
// 0600 where the user chooses; the file is added to liqo.kubeconfigs. The fetched text is shown, never logged.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { entryIdOf, type Command } from './command.ts';
import { DEFAULT_REMOTE_PATHS, checkRemotePath, defaultImportName } from '../../core/ssh/remoteKubeconfig.ts';
import { parseDestination, describeTarget, type SshTarget } from '../../core/ssh/sshTarget.ts';
import { checkName } from '../../core/kubeconfig/entries.ts';
import { parseServer } from '../../core/kubeconfig/serverAddress.ts';
import { describeConnectionFailure } from '../../core/connection/describe.ts';
import { prepareSshImport } from '../../infra/ssh/sshImport.ts';
import { probeImportBeforeSave } from '../../infra/ssh/importProbe.ts';
import { addKubeconfigEntries } from '../settings.ts';
import { requireTrust } from './sshInputs.ts';

const SSH_TIMEOUT_MS = 30_000;
const PROBE_TIMEOUT_MS = 8000;

async function askPaths(): Promise<{ paths: readonly string[]; sudo: boolean } | undefined> {
  type Item = vscode.QuickPickItem & { paths?: readonly string[]; sudo: boolean };
  const usual = `Try ${DEFAULT_REMOTE_PATHS.join(', then ')}`;
  const items: Item[] = [
    { label: 'Usual places', description: usual, paths: DEFAULT_REMOTE_PATHS, sudo: false },
    { label: 'Usual places, with sudo', description: 'sudo -n: passwordless sudo only (k3s.yaml and admin.conf are root-only by default)', paths: DEFAULT_REMOTE_PATHS, sudo: true },
    { label: 'Enter a path…', sudo: false },
    { label: 'Enter a path, with sudo…', sudo: true },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: 'Import Kubeconfig over SSH: where is the kubeconfig on the host?' });
  if (!pick) return undefined;
  if (pick.paths) return { paths: pick.paths, sudo: pick.sudo };
  const typed = await vscode.window.showInputBox({
    title: 'Remote path of the kubeconfig',
    value: DEFAULT_REMOTE_PATHS[0],
    prompt: 'An absolute path, or one under ~/ (the remote user\'s home)',
    validateInput: (v) => {
      try {
        checkRemotePath(v);
        return undefined;
      } catch (err) {
        return (err as Error).message;
      }
    },
  });
  return typed === undefined ? undefined : { paths: [typed], sudo: pick.sudo };
}

export const importOverSsh: Command = {
  id: 'liqo.kubeconfig.importSsh',
  async run({ model, kubeconfig, programs, log, reloadSettings }, arg) {
    requireTrust('Import Kubeconfig over SSH');
    // From a cluster row: its server's host is a good guess for the node to fetch from.
    const id = entryIdOf(model, arg);
    const entry = model.clusters.find((c) => c.id === id);
    let guess = '';
    try {
      guess = entry ? parseServer(entry.server).host : '';
    } catch {
      guess = '';
    }
    const destination = await vscode.window.showInputBox({
      title: 'Import Kubeconfig over SSH',
      value: guess,
      prompt: 'The host to fetch from: host, user@host or user@host:port (your ssh agent, keys and known_hosts are used)',
      validateInput: (v) => {
        try {
          parseDestination(v);
          return undefined;
        } catch (err) {
          return (err as Error).message;
        }
      },
    });
    if (destination === undefined) return;
    const target: SshTarget = parseDestination(destination);
    const where = await askPaths();
    if (!where) return;
    const name = await vscode.window.showInputBox({
      title: 'Name for the imported context',
      value: defaultImportName(target.host),
      prompt: "k3s names its context, cluster and user `default`: they get this name (other files' names are kept)",
      validateInput: (v) => {
        try {
          checkName('context', v);
          return undefined;
        } catch (err) {
          return (err as Error).message;
        }
      },
    });
    if (name === undefined) return;

    const prepared = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Fetching the kubeconfig from ${describeTarget(target)}…`, cancellable: true }, (_p, token) => {
      const ctl = new AbortController();
      token.onCancellationRequested(() => ctl.abort());
      return prepareSshImport(programs, { target, paths: where.paths, sudo: where.sudo, name, timeoutMs: SSH_TIMEOUT_MS, signal: ctl.signal });
    });
    const { draft } = prepared;
    log.info(`kubeconfig fetched over ssh from ${describeTarget(target)}:${prepared.remotePath} (${draft.contexts.length} context${draft.contexts.length === 1 ? '' : 's'})`);
    const title = `Import ${describeTarget(target)}:${prepared.remotePath}`;
    await kubeconfig.showDiff(`${target.host}${prepared.remotePath}`, prepared.fetched, draft.text, title);

    const picked = await vscode.window.showSaveDialog({
      title: `Save the kubeconfig from ${target.host} (0600)`,
      saveLabel: 'Save',
      defaultUri: vscode.Uri.file(path.join(os.homedir(), '.kube', `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.yaml`)),
    });
    if (!picked) return;
    const snap = await kubeconfig.read(picked.fsPath);
    // The remote host chose this file: nothing in it runs here before the user has seen the diff and saved.
    const probes = (await probeImportBeforeSave(picked.fsPath, draft.text, draft.contexts, { timeoutMs: PROBE_TIMEOUT_MS })).map((p) => {
      if (p.kind === 'not-probed') return `ℹ ${p.context} not connected before you save: ${p.reason}`;
      return p.result.ok ? `✓ ${p.context} connects` : `✗ ${p.context}: ${describeConnectionFailure(p.result.failure).summary}`;
    });
    const detail = [
      ...draft.summaries.map((s) => `• ${s}`),
      ...draft.notes.map((n) => `ℹ ${n}`),
      ...probes,
      ...draft.contexts.flatMap((c) => {
        const other = model.clusters.find((e) => e.contextName === c && path.resolve(e.filePath) !== path.resolve(picked.fsPath));
        return other ? [`⚠ ${other.filePath} has a context named "${c}" too: pick another name (run the import again) to tell them apart.`] : [];
      }),
      snap.text !== undefined ? `⚠ ${picked.fsPath} exists: its content is replaced (and kept in the backups).` : `${picked.fsPath} is created with mode 0600.`,
      model.clusters.some((c) => path.resolve(c.filePath) === path.resolve(picked.fsPath)) ? 'The view already reads this file.' : 'The file is added to liqo.kubeconfigs.',
    ];
    const ok = await vscode.window.showWarningMessage(`Save the kubeconfig from ${target.host} to ${picked.fsPath}?`, { modal: true, detail: detail.join('\n') }, 'Save');
    if (ok !== 'Save') return;
    // ~/.kube may not exist yet on a fresh machine.
    await vscode.workspace.fs.createDirectory(vscode.Uri.file(path.dirname(picked.fsPath)));
    // A file the view already reads ($KUBECONFIG, ~/.kube/config, a listed folder) is not listed a second time.
    const alreadyRead = model.clusters.some((c) => path.resolve(c.filePath) === path.resolve(picked.fsPath));
    // The list entry is recorded with the change, so undoing the import removes it again.
    await kubeconfig.writer.write(snap, draft.text, `${title} (${picked.fsPath})`, alreadyRead ? {} : { listEntry: picked.fsPath });
    const scope = alreadyRead ? undefined : await addKubeconfigEntries([picked.fsPath]);
    await reloadSettings();
    log.info(`kubeconfig from ${describeTarget(target)} saved to ${picked.fsPath}${scope ? `, added to liqo.kubeconfigs (${scope} settings)` : ''}`);
    void vscode.window.showInformationMessage(`Imported ${draft.contexts.map((c) => `"${c}"`).join(', ')} from ${target.host} to ${picked.fsPath}.`, 'Undo').then((pick) => {
      if (pick === 'Undo') void vscode.commands.executeCommand('liqo.kubeconfig.undo');
    });
  },
};
