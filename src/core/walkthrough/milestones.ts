// The "Federate two clusters" walkthrough's progress as data: which of its milestones the model has seen happen.
// A step ticks from what the clusters show (two contexts reachable, Liqo installed, a peering established, an
// offloaded namespace Ready), wherever the user did it (tree, palette, walkthrough button, kubectl); the steps that
// leave nothing to see in a cluster (a server address rewritten and saved, an offloading verified, a log stream
// opened) tick from the action's success, reported by the extension, never from the command merely being run.
import type { ConnectionState } from '../tree/clusterNodes.ts';
import type { ClusterSnapshot, LiqoInfo } from '../liqo/snapshot.ts';
import { isLeftoverPeering } from '../peering/leftover.ts';
import { peeringHealth } from '../tree/peeringNodes.ts';
import { offloadingProgress } from '../offloading/offloadingPhase.ts';

/** The walkthrough's id in package.json's contributes.walkthroughs. */
export const WALKTHROUGH_ID = 'federateTwoClusters';

/** Every milestone, in the walkthrough's order (package.json's steps use the same order). */
export const MILESTONES = ['clustersAdded', 'serverRewritten', 'liqoInstalled', 'peered', 'namespaceOffloaded', 'offloadingVerified', 'logStreamOpened'] as const;
export type Milestone = (typeof MILESTONES)[number];

/** The milestones only an action reports: nothing in a cluster shows that they happened. */
export const ACTION_MILESTONES = ['serverRewritten', 'offloadingVerified', 'logStreamOpened'] as const satisfies readonly Milestone[];
export type ActionMilestone = (typeof ACTION_MILESTONES)[number];

/** What the walkthrough reads of one kubeconfig context: the same facts its tree row reads. */
export interface WalkthroughCluster {
  readonly state: ConnectionState;
  readonly liqo?: LiqoInfo;
  readonly snapshot?: ClusterSnapshot;
}

/** The two clusters the walkthrough federates. */
export const CLUSTERS_NEEDED = 2;

/** The context key a step's `onContext:` completion event waits for. */
export function milestoneContextKey(m: Milestone): string {
  return `liqo.walkthrough.${m}`;
}

function hasEstablishedPeering(s: ClusterSnapshot): boolean {
  return s.foreignClusters.some((fc) => !fc.metadata.deletionTimestamp && !isLeftoverPeering(fc, s) && peeringHealth(fc) === 'healthy');
}

function hasReadyOffloading(s: ClusterSnapshot): boolean {
  return s.offloadings.some((o) => !o.metadata.deletionTimestamp && offloadingProgress(o).outcome === 'ready');
}

/** The milestones the clusters show now. */
export function seenMilestones(clusters: readonly WalkthroughCluster[]): Set<Milestone> {
  const seen = new Set<Milestone>();
  const reachable = clusters.filter((c) => c.state.kind === 'reachable');
  if (reachable.length >= CLUSTERS_NEEDED) seen.add('clustersAdded');
  if (reachable.some((c) => c.liqo?.presence === 'installed')) seen.add('liqoInstalled');
  const snapshots = reachable.flatMap((c) => (c.snapshot ? [c.snapshot] : []));
  if (snapshots.some(hasEstablishedPeering)) seen.add('peered');
  if (snapshots.some(hasReadyOffloading)) seen.add('namespaceOffloaded');
  return seen;
}

/**
 * What the walkthrough shows as done: what was reached before (a step once ticked stays ticked, as VS Code keeps
 * it), what the clusters show now, and the actions reported.
 */
export function reachedMilestones(before: ReadonlySet<Milestone>, clusters: readonly WalkthroughCluster[], actions: ReadonlySet<ActionMilestone>): Set<Milestone> {
  const now = new Set<Milestone>([...before, ...seenMilestones(clusters), ...actions]);
  return new Set(MILESTONES.filter((m) => now.has(m)));
}

/** The milestones in `after` that `before` lacked, in the walkthrough's order: the context keys to set. */
export function newlyReached(before: ReadonlySet<Milestone>, after: ReadonlySet<Milestone>): Milestone[] {
  return MILESTONES.filter((m) => after.has(m) && !before.has(m));
}
