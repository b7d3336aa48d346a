// liqo.drift.restoreItem: Restore This Item, the inline action of a drift row. The whole plan back is made as for
// Return to Last Known Working State… and filtered to the steps that restore this item (restoreTargets.ts), so
// the same dry run, confirmation, liqoctl check, progress, Cancel and report apply. liqo.drift.refresh looks again.
import type { Command, CommandDeps } from './command.ts';
import type { DriftRow } from '../driftView.ts';
import { planForTarget } from '../../core/federation/restoreTargets.ts';
import type { RestoreRun } from '../../infra/federation/restoreRunner.ts';
import { confirmAndRunPlan, preparePlan } from './restoreFederation.ts';

export const restoreDriftItem: Command = {
  id: 'liqo.drift.restoreItem',
  async run(deps: CommandDeps, row?: unknown): Promise<RestoreRun | undefined> {
    const item = (row as DriftRow | undefined)?.item;
    if (!item) throw new Error('Restore This Item acts on a row of the Federation Drift view: use its inline action there.');
    if (!item.target) throw new Error(`The plan cannot restore this: ${item.restore}`);
    const prepared = await preparePlan(deps);
    if (!prepared) return undefined;
    return confirmAndRunPlan(deps, { ...prepared, plan: planForTarget(prepared.plan, item.target) }, `Restore: ${item.kind}`);
  },
};

export const refreshDrift: Command = {
  id: 'liqo.drift.refresh',
  run: (deps: CommandDeps) => deps.driftView.refresh(),
};
