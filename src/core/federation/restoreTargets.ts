// What a drift item and the plan steps that restore it have in common: a target named after the record (old
// cluster IDs, recorded names), so "restore just this item" is the plan back filtered to the item's target —
// the same steps, the same order, the same runner as the whole plan. A gone peering's target also names the
// ResourceSlices of that peering: `liqoctl peer` runs without its default slice, so they come back with it.
import type { OffloadingRecord, PeeringRecord, SliceRecord } from './knownGood.ts';
import { offloadingKey, peeringKey } from './knownGood.ts';
import type { RestorePlan } from './restorePlan.ts';

export const contextTarget = (context: string): string => `context:${context}`;
export const peeringTarget = (p: Pick<PeeringRecord, 'consumer' | 'provider'>): string => `peering:${peeringKey(p)}`;
export const sliceTarget = (p: Pick<PeeringRecord, 'consumer' | 'provider'>, s: Pick<SliceRecord, 'namespace' | 'name'>): string => `slice:${peeringKey(p)}:${s.namespace}/${s.name}`;
export const offloadingTarget = (o: Pick<OffloadingRecord, 'clusterId' | 'namespace'>): string => `offloading:${offloadingKey(o)}`;

/** The steps of `plan` that restore `target` (in the plan's order); blocked ones included, so the runner says why. */
export function planForTarget(plan: RestorePlan, target: string): RestorePlan {
  return { ...plan, steps: plan.steps.filter((s) => s.targets?.includes(target)), inPlace: [] };
}
