// liqo.federation.restore: Return to Last Known Working State…. The plan back to the reference record (an opened
// file, else the latest automatic record) is shown first as a dry run; clusters whose IDs changed are mapped to
// contexts by the user, never guessed; then the steps run in order with progress and Cancel, each followed until
// Liqo settles it. A step that cannot run stops the plan with why; what was done stays done and is listed.
// restoreDriftItem.ts runs a part of the same plan through the same functions.
import * as vscode from 'vscode';
import type { Command, CommandDeps } from './command.ts';
import { restorePlan, type RestorePlan } from '../../core/federation/restorePlan.ts';
import { planReport } from '../../core/federation/planReport.ts';
import type { FederationRecord } from '../../core/federation/knownGood.ts';
import { gatherFacts, whenSettled } from '../../infra/federation/gatherFacts.ts';
import { runRestorePlan, type RestoreRun } from '../../infra/federation/restoreRunner.ts';
import { restoreClustersOf } from '../../infra/federation/restoreClusters.ts';
import { ensureLiqoctl } from '../operations/liqoctlReady.ts';
import { liqoctlLines, withCancellableProgress } from '../operations/progress.ts';

const DOC = 'Return to Last Known Working State';

export interface PreparedPlan {
  readonly record: FederationRecord;
  readonly referenceLine: string;
  readonly plan: RestorePlan;
}

/** The whole plan back to the reference, with rebuilt clusters mapped by the user; undefined: the user stopped. */
export async function preparePlan(deps: CommandDeps): Promise<PreparedPlan | undefined> {
  const { model, federationStates } = deps;
  await model.activate();
  await whenSettled(model);
  const reference = await federationStates.reference();
  if (!reference) throw new Error('No federation record yet: one is taken by itself while a federation is healthy. Open a saved one with "Liqo: Open Federation State…".');
  const referenceLine = `Reference: the record of ${reference.record.takenAt} (${reference.source}).`;
  const facts = await gatherFacts(model);
  const kubeconfigOf = (context: string) => model.clusters.find((e) => e.contextName === context)?.filePath ?? '(no kubeconfig)';
  const mapping: Record<string, string> = {};
  let plan: RestorePlan = restorePlan({ reference: reference.record, facts, mapping, kubeconfigOf });
  // Clusters rebuilt (new cluster ID) or not found: the user says which context each one is now.
  for (const u of plan.unmapped) {
    const pick = await vscode.window.showQuickPick(
      u.candidates.map((c) => ({ label: c })),
      { title: `Recorded cluster ${u.oldClusterId}: which context is it now?`, placeHolder: `${u.why}. Pick its context, or Escape to stop.` },
    );
    if (!pick) return undefined;
    mapping[u.oldClusterId] = pick.label;
  }
  if (plan.unmapped.length) plan = restorePlan({ reference: reference.record, facts, mapping, kubeconfigOf });
  if (plan.unmapped.length) throw new Error(`Some recorded clusters still have no context: ${plan.unmapped.map((u) => `${u.oldClusterId} (${u.why})`).join('; ')}.`);
  return { record: reference.record, referenceLine, plan };
}

/** Shows the plan (dry run), asks, checks liqoctl where a step needs it, runs with progress and Cancel, reports. */
export async function confirmAndRunPlan(deps: CommandDeps, prepared: PreparedPlan, doc = DOC): Promise<RestoreRun | undefined> {
  const { model, federationStates } = deps;
  const { plan, referenceLine, record } = prepared;
  await federationStates.openDocument(planReport(plan, referenceLine), doc);
  if (plan.steps.length === 0) {
    void vscode.window.showInformationMessage('The federation is as recorded: nothing to restore.');
    return { reports: [] };
  }
  const go = await vscode.window.showWarningMessage(`Run the ${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'} of the plan shown (dry run)?`, { modal: true, detail: plan.steps.map((s, i) => `${i + 1}. ${s.title}`).join('\n') }, 'Run Plan');
  if (go !== 'Run Plan') return undefined;
  const peers = plan.steps.filter((s) => s.kind === 'peer');
  if (peers.length) {
    if (!vscode.workspace.isTrusted) throw new Error('This workspace is restricted: liqoctl (for the peering steps) is not run. Trust the workspace, then run the plan again.');
    const liqo = record.clusters.map((c) => ({ contextName: c.contexts[0] ?? c.clusterId, liqoVersion: c.liqoVersion }));
    if ((await ensureLiqoctl(deps, liqo)) === undefined) return undefined;
  }
  const run = await withCancellableProgress(doc, (signal, report) =>
    runRestorePlan(plan, restoreClustersOf(model), deps.liqoctl, {
      signal,
      onProgress: (i, message) => {
        const line = `step ${i + 1}/${plan.steps.length}: ${message}`;
        if (plan.steps[i]?.kind === 'peer') liqoctlLines(deps.log, report)(line);
        else report(line);
      },
    }),
  );
  await federationStates.openDocument(planReport(plan, referenceLine, run), doc);
  if (run.stopped) void vscode.window.showWarningMessage(`The plan stopped at step ${run.stopped.at + 1}: ${run.stopped.why}`);
  else void vscode.window.showInformationMessage(`Federation restored: ${run.reports.length} step${run.reports.length === 1 ? '' : 's'} done.`);
  void deps.driftView.refresh();
  return run;
}

export const restoreFederation: Command = {
  id: 'liqo.federation.restore',
  async run(deps: CommandDeps): Promise<RestoreRun | undefined> {
    const prepared = await preparePlan(deps);
    return prepared ? confirmAndRunPlan(deps, prepared) : undefined;
  },
};
