// Runs a restore plan on the live test bed and, when a ResourceSlice step stops because Liqo's CRD replicator has not
// started copying to the provider, takes the next step that step names, as a user would: the consumer's
// crd-replicator is restarted (the test bed's `rollout restart`) and a fresh plan is run. Liqo v1.2's replicator,
// told to stop copying right after an unpeer, keeps failing to while the peering's objects are left and retries with
// a growing delay (minutes); a peering made again waits for it (its log: "Cannot stop reflection ... since local
// objects are still present"). Whether it happens depends on Liqo's timing: it came in some CI runs and not others.
import assert from 'node:assert/strict';
import { restartLiqoComponent } from '../../testbed/index.ts';
import type { RestorePlan, RestoreStep } from '../../../src/core/federation/restorePlan.ts';
import type { RestoreRun, StepReport } from '../../../src/infra/federation/restoreRunner.ts';

export interface RestoreOutcome {
  /** Every step that ran, in order, over both runs, with the plan step it ran. */
  readonly done: readonly { readonly step: RestoreStep; readonly report: StepReport }[];
  /** The last run (its `stopped` is the result). */
  readonly last: RestoreRun;
  /** Whether the replicator had to be restarted. */
  readonly restarted: boolean;
}

export async function runRestoreTakingNextStep(
  plan: RestorePlan,
  run: (plan: RestorePlan) => Promise<RestoreRun>,
  replan: () => Promise<RestorePlan>,
  consumerContext: string,
  liqoVersion: string,
): Promise<RestoreOutcome> {
  const first = await run(plan);
  const ran = (p: RestorePlan, r: RestoreRun) => r.reports.map((report, i) => ({ step: p.steps[i]!, report })).filter((x) => x.report.outcome === 'done');
  const stoppedStep = first.stopped ? plan.steps[first.stopped.at] : undefined;
  if (!(stoppedStep?.kind === 'resourceSlice' && /has not started copying to this provider/.test(first.stopped!.why))) return { done: ran(plan, first), last: first, restarted: false };
  assert.match(first.stopped!.why, /rollout restart deployment liqo-crd-replicator/, 'the step names the restart as its next step');
  console.log(`# ${liqoVersion}: the slice was not replicated within the step's wait; restarting the consumer's crd-replicator as the step says`);
  await restartLiqoComponent(consumerContext, 'crd-replicator');
  const again = await replan();
  const second = await run(again);
  return { done: [...ran(plan, first), ...ran(again, second)], last: second, restarted: true };
}
