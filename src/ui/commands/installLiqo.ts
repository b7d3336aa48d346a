// liqo.cluster.installLiqo: Install Liqo… on a cluster without Liqo. Detects the distribution, pod and service
// CIDRs through the API, proposes a cluster ID and labels, shows the exact `liqoctl install …` (copyable), and on
// confirmation runs it with a temporary kubeconfig, its output streamed to the Liqo log, cancellable.
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import { pickCluster } from '../operations/rowTarget.ts';
import { withCancellableProgress } from '../operations/progress.ts';
import { requireTrust } from '../operations/trust.ts';
import { gatherInstallFacts } from '../../infra/install/installFacts.ts';
import { findLiqo } from '../../infra/liqo/liqoInstallation.ts';
import { planInstall } from '../../core/install/installPlan.ts';
import { commandLine } from '../../core/liqoctl/install.ts';
import { requireSuccess, targetArgs } from '../../core/liqoctl/command.ts';

export const installLiqo: Command = {
  id: 'liqo.cluster.installLiqo',
  async run(deps, arg) {
    requireTrust('Install Liqo…');
    const target = await pickCluster(deps, arg, 'Install Liqo on…');
    if (!target) return;
    const resolved = target.resolved;
    if (!resolved) throw new Error(`${target.contextName}'s kubeconfig entry could not be resolved; fix the kubeconfig first.`);
    const plan = await withCancellableProgress(`Inspecting ${target.contextName}`, async (signal) => {
      const existing = await findLiqo(target.client, signal);
      if (existing) throw new Error(`Liqo ${existing.version ?? ''} is already installed on ${target.contextName} (namespace ${existing.namespace}, cluster ID ${existing.clusterId ?? 'unknown'}).`);
      const taken = deps.model.clusters.map((c) => c.contextName);
      return planInstall(await gatherInstallFacts(target.client, target.contextName, taken, signal));
    });
    const line = commandLine('liqoctl', plan.args);
    deps.log.info(`Install plan for ${target.contextName}: ${line}\n${plan.notes.join('\n')}`);
    const buttons = plan.missing.length ? ['Copy Command'] : ['Install', 'Copy Command'];
    const answer = await vscode.window.showInformationMessage(
      `Install Liqo on ${target.contextName}?`,
      { modal: true, detail: `${line}\n\n${plan.notes.join('\n')}${plan.missing.length ? `\n\nliqoctl needs more before it can run: ${plan.missing.join(', ')}. Copy the command and complete it.` : ''}` },
      ...buttons,
    );
    if (answer === 'Copy Command') {
      await vscode.env.clipboard.writeText(line);
      void vscode.window.showInformationMessage('The liqoctl install command is on the clipboard (it targets your current kubectl context: add --context if needed).');
      return;
    }
    if (answer !== 'Install') return;
    deps.log.show(true);
    await withCancellableProgress(`Installing Liqo on ${target.contextName}`, (signal, report) =>
      deps.liqoctl.runOn(
        [resolved],
        ([k]) => ({ args: [...plan.args, ...targetArgs({ kubeconfig: k!.path, context: k!.contextName })], title: `install on ${target.contextName}`, parse: requireSuccess }),
        {
          signal,
          onLine: (l) => {
            deps.log.info(`[liqoctl] ${l}`);
            if (l.trim()) report(l.trim());
          },
        },
      ),
    );
    void vscode.window.showInformationMessage(`Liqo is installed on ${target.contextName} (cluster ID ${plan.clusterId}).`);
    await deps.model.retry(target.entryId);
  },
};
