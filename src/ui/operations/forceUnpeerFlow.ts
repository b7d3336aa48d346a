// Unpeer… when the provider does not answer, from the consumer: the decision of core/peering/forceUnpeer.ts shown
// as it is — a modal warning and `liqoctl force unpeer` (Liqo v1.1+), the offer of the matching liqoctl when the one
// in use has no force unpeer, or on Liqo v1.0 the exact steps by hand (copied on request, and to the Liqo log).
import * as vscode from 'vscode';
import type { CommandDeps } from '../commands/command.ts';
import type { ClusterTarget } from './rowTarget.ts';
import { liqoctlLines, withCancellableProgress } from './progress.ts';
import { downloadAndUseLiqoctl } from './liqoctlReady.ts';
import { forceUnpeerDecision, type ForceUnpeerDecision } from '../../core/peering/forceUnpeer.ts';
import { versionCommand } from '../../core/liqoctl/version.ts';
import { LiqoctlRunError } from '../../infra/liqoctl/liqoctlRunner.ts';
import { forceUnpeer, readForceUnpeerFacts } from '../../infra/operations/forceUnpeer.ts';

export const FORCE_UNPEER_ACTION = 'Force Unpeer';
export const COPY_STEPS_ACTION = 'Copy Steps';

async function liqoctlVersion(deps: CommandDeps): Promise<string | undefined> {
  try {
    return (await deps.liqoctl.run(versionCommand())).client;
  } catch (e) {
    if (e instanceof LiqoctlRunError && e.reason === 'NOT_FOUND') return undefined;
    throw e;
  }
}

export interface UnansweringProvider {
  readonly clusterId: string;
  readonly contextName?: string | undefined;
  readonly problem: string;
}

export async function offerForceUnpeer(deps: CommandDeps, consumer: ClusterTarget, provider: UnansweringProvider): Promise<void> {
  const decide = async (): Promise<ForceUnpeerDecision> =>
    forceUnpeerDecision(
      await readForceUnpeerFacts({
        consumerContext: consumer.contextName,
        consumer: consumer.client,
        providerClusterId: provider.clusterId,
        providerContext: provider.contextName,
        providerProblem: provider.problem,
        liqoctlVersion: await liqoctlVersion(deps),
      }),
    );
  let decision = await decide();
  if (decision.kind === 'liqoctl-too-old') {
    const download = `Download liqoctl ${decision.wantedVersion}`;
    const answer = await vscode.window.showWarningMessage('liqoctl has no forced unpeer.', { modal: true, detail: decision.message }, download);
    if (answer !== download) return;
    await downloadAndUseLiqoctl(deps, decision.wantedVersion);
    decision = await decide();
  }
  switch (decision.kind) {
    case 'liqoctl-too-old':
      throw new Error(decision.message);
    case 'still-answering':
      void vscode.window.showWarningMessage(decision.message, { modal: true });
      return;
    case 'manual': {
      deps.log.warn(`${decision.message}\n${decision.steps.join('\n')}`);
      const answer = await vscode.window.showWarningMessage('Unpeer by hand', { modal: true, detail: `${decision.message}\n\n${decision.steps.join('\n\n')}` }, COPY_STEPS_ACTION);
      if (answer === COPY_STEPS_ACTION) await vscode.env.clipboard.writeText(`${decision.steps.join('\n')}\n`);
      return;
    }
    case 'force': {
      const answer = await vscode.window.showWarningMessage(decision.question, { modal: true, detail: decision.warning }, FORCE_UNPEER_ACTION);
      if (answer !== FORCE_UNPEER_ACTION) return;
      if (!consumer.resolved) throw new Error(`The kubeconfig entry of ${consumer.contextName} could not be resolved; fix the kubeconfig first.`);
      const resolved = consumer.resolved;
      deps.log.show(true);
      await withCancellableProgress(`Force unpeering ${consumer.contextName} ↛ ${provider.contextName ?? provider.clusterId}`, (signal, report) =>
        forceUnpeer(deps.liqoctl, { resolved }, provider.clusterId, { signal, onLine: liqoctlLines(deps.log, report) }),
      );
      void vscode.window.showInformationMessage(
        `${consumer.contextName} is no longer peered with ${provider.contextName ?? provider.clusterId}. Its ForeignCluster stays, marked permanently unreachable (Clean Up Leftover Peering… removes it); what stays on the provider is in the Liqo log.`,
      );
      deps.log.info(decision.warning);
      return;
    }
  }
}
