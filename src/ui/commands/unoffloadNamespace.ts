// liqo.namespace.unoffload: Unoffload… after a modal confirmation: deletes the namespace's NamespaceOffloading
// through the one write path (Liqo then removes the twin namespaces) and follows it by watch until it is gone, then
// says which local pods stayed stranded on virtual nodes (Failed · OffloadingAborted…) and offers to delete them.
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import { pickCluster, pickNamespace } from '../operations/rowTarget.ts';
import { withCancellableProgress } from '../operations/progress.ts';
import { unoffloadNamespace as unoffload } from '../../infra/operations/offloading.ts';
import { deleteStrandedPods, findStrandedPods } from '../../infra/operations/strandedPods.ts';

export const unoffloadNamespace: Command = {
  id: 'liqo.namespace.unoffload',
  async run(deps, arg) {
    const target = await pickCluster(deps, arg, 'Unoffload Namespace: consumer cluster');
    if (!target) return;
    const namespace = await pickNamespace(deps, arg, target, (ns) => ns.offloaded);
    if (!namespace) return;
    const go = await vscode.window.showWarningMessage(
      `Unoffload ${namespace} on ${target.contextName}?`,
      { modal: true, detail: 'Liqo deletes the remote twin namespaces and every pod offloaded there. The local pods that ran on virtual nodes are then marked Failed (OffloadingAborted) or Pending (OffloadingBackOff): controllers recreate theirs once they are deleted; you are asked afterwards.' },
      'Unoffload',
    );
    if (go !== 'Unoffload') return;
    const result = await withCancellableProgress(`Unoffloading ${namespace}`, (signal, report) => unoffload(target.client, namespace, { signal, onProgress: report }));
    deps.log.info(`NamespaceOffloading ${namespace}/offloading deleted on ${target.contextName}${result.gone ? '; Liqo removed the remote namespaces' : ''}.`);
    if (result.gone) {
      const stranded = await findStrandedPods(target.client, namespace).catch(() => []);
      if (stranded.length === 0) {
        void vscode.window.showInformationMessage(`${namespace} is no longer offloaded.`);
        return;
      }
      const list = stranded.map((p) => `${p.name} (${p.why})`).join(', ');
      deps.log.warn(`Unoffload ${namespace} on ${target.contextName}: pods stranded on virtual nodes: ${list}`);
      const answer = await vscode.window.showWarningMessage(
        `${namespace} is no longer offloaded; ${stranded.length} pod${stranded.length === 1 ? '' : 's'} stayed on virtual nodes and cannot run: ${list}. Delete ${stranded.length === 1 ? 'it' : 'them'} so that ${stranded.length === 1 ? 'its controller recreates it' : 'their controllers recreate them'} here?`,
        'Delete Stranded Pods',
      );
      if (answer !== 'Delete Stranded Pods') return;
      const failed = await deleteStrandedPods(target.client, namespace, stranded);
      if (failed.length) throw new Error(`Could not delete: ${failed.join('; ')}`);
      void vscode.window.showInformationMessage(`Deleted ${stranded.length} stranded pod${stranded.length === 1 ? '' : 's'} in ${namespace}.`);
    } else void vscode.window.showWarningMessage(`${result.reason === 'aborted' ? 'You stopped following it' : 'Liqo has not finished after 3 minutes'}: the NamespaceOffloading of ${namespace} is being deleted; the Liqo view shows when it is gone.`);
  },
};
