// liqo.namespace.verifyOffloading: Verify Offloading… on an offloaded namespace. Runs the probe operation (a pod that
// can only run on a virtual node), reports where it was scheduled and what the provider shows, streams its log into
// the Liqo log, and deletes it at the end — Cancel included.
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import { pickCluster, pickNamespace } from '../operations/rowTarget.ts';
import { withCancellableProgress } from '../operations/progress.ts';
import { contextOfCluster } from '../operations/peeringTarget.ts';
import { verifyOffloading as verify } from '../../infra/operations/verifyOffloading.ts';

export const verifyOffloading: Command = {
  id: 'liqo.namespace.verifyOffloading',
  async run(deps, arg) {
    const target = await pickCluster(deps, arg, 'Verify Offloading: consumer cluster');
    if (!target) return;
    const namespace = await pickNamespace(deps, arg, target, (ns) => ns.offloaded);
    if (!namespace) return;
    deps.log.show(true);
    const report = await withCancellableProgress(`Verifying the offloading of ${namespace}`, (signal, progress) =>
      verify(
        {
          context: target.contextName,
          client: target.client,
          namespace,
          providerFor: async (clusterId) => {
            // The provider side is only read (where the probe landed): a read-only provider does not stop it.
            const t = await contextOfCluster(deps, clusterId, target.entryId, 'read');
            return t ? { context: t.contextName, client: t.client } : undefined;
          },
        },
        { signal, onProgress: progress, onLogLine: (l) => deps.log.info(`[probe] ${l}`) },
      ),
    );
    for (const f of report.findings) deps.log.info(`Verify Offloading ${namespace}: ${f}`);
    const summary = report.findings.join(' ');
    if (report.cancelled) void vscode.window.showWarningMessage(`Verify Offloading of ${namespace} was cancelled. ${summary}`);
    else if (report.ok) {
      deps.walkthrough.report('offloadingVerified');
      void vscode.window.showInformationMessage(`Offloading of ${namespace} works. ${summary}`);
    }
    else throw new Error(`Offloading of ${namespace} did not verify. ${summary}`);
  },
};
