// liqo.namespace.unoffload: Unoffload… after a modal confirmation: deletes the namespace's NamespaceOffloading
// through the one write path (Liqo then removes the twin namespaces) and follows it by watch until it is gone.
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import { pickCluster, pickNamespace } from '../operations/rowTarget.ts';
import { withCancellableProgress } from '../operations/progress.ts';
import { unoffloadNamespace as unoffload } from '../../infra/operations/offloading.ts';

export const unoffloadNamespace: Command = {
  id: 'liqo.namespace.unoffload',
  async run(deps, arg) {
    const target = await pickCluster(deps, arg, 'Unoffload Namespace: consumer cluster');
    if (!target) return;
    const namespace = await pickNamespace(deps, arg, target, (ns) => ns.offloaded);
    if (!namespace) return;
    const go = await vscode.window.showWarningMessage(
      `Unoffload ${namespace} on ${target.contextName}?`,
      { modal: true, detail: 'Liqo deletes the remote twin namespaces and every pod offloaded there.' },
      'Unoffload',
    );
    if (go !== 'Unoffload') return;
    const result = await withCancellableProgress(`Unoffloading ${namespace}`, (signal, report) => unoffload(target.client, namespace, { signal, onProgress: report }));
    deps.log.info(`NamespaceOffloading ${namespace}/offloading deleted on ${target.contextName}${result.gone ? '; Liqo removed the remote namespaces' : ''}.`);
    if (result.gone) void vscode.window.showInformationMessage(`${namespace} is no longer offloaded.`);
    else void vscode.window.showWarningMessage(`${result.reason === 'aborted' ? 'You stopped following it' : 'Liqo has not finished after 3 minutes'}: the NamespaceOffloading of ${namespace} is being deleted; the Liqo view shows when it is gone.`);
  },
};
