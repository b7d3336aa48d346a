// liqo.namespace.unoffload: Unoffload… after a modal confirmation: deletes the namespace's NamespaceOffloading
// through the one write path (Liqo then removes the twin namespaces) and follows it until it is gone.
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import { pickCluster, pickNamespace } from '../operations/rowTarget.ts';
import { pause, withCancellableProgress } from '../operations/progress.ts';
import { deleteObject } from '../../infra/writes/applyObject.ts';
import { namespaceOffloadingPath } from '../../core/offloading/namespaceOffloading.ts';
import { KubeApiError } from '../../infra/cluster/clusterClient.ts';

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
    const path = namespaceOffloadingPath(namespace);
    await withCancellableProgress(`Unoffloading ${namespace}`, async (signal, report) => {
      await deleteObject(target.client, path, { signal });
      deps.log.info(`NamespaceOffloading ${namespace}/offloading deleted on ${target.contextName}.`);
      const end = Date.now() + 3 * 60_000;
      while (!signal.aborted && Date.now() < end) {
        try {
          await target.client.get(path, {}, signal);
        } catch (e) {
          if (e instanceof KubeApiError && e.status === 404) {
            void vscode.window.showInformationMessage(`${namespace} is no longer offloaded.`);
            return;
          }
          throw e;
        }
        report('Liqo is removing the remote namespaces');
        await pause(1000, signal);
      }
    });
  },
};
