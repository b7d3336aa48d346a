// The walkthrough's "which steps are done": from the facts the tree reads (connection state, Liqo facts, snapshots)
// and the actions reported. Plain data built like the model's, plus a seeded property run over generated federations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACTION_MILESTONES, MILESTONES, milestoneContextKey, newlyReached, reachedMilestones, seenMilestones, type ActionMilestone, type Milestone, type WalkthroughCluster } from '../../src/core/walkthrough/milestones.ts';
import type { LiqoInfo } from '../../src/core/liqo/snapshot.ts';
import type { ForeignCluster } from '../../src/core/liqo/objects.ts';
import { foreignCluster, offloading, snapshot } from './federationFixtures.ts';
import { mulberry32 } from './seededRandom.ts';

const reachable = { kind: 'reachable', serverVersion: 'v1.34.4' } as const;
const liqo: LiqoInfo = { presence: 'installed', clusterId: 'a', version: 'v1.0.1', healthy: true, unhealthyPods: [] };
const noLiqo: LiqoInfo = { presence: 'not-installed', unhealthyPods: [] };
const failed = { kind: 'failed', problem: { kind: 'unreachable', message: 'connect ECONNREFUSED 127.0.0.1:6443' } } as unknown as WalkthroughCluster['state'];

const seen = (cs: WalkthroughCluster[]) => [...seenMilestones(cs)];

test('nothing is done with no cluster, or one reachable cluster without Liqo', () => {
  assert.deepEqual(seen([]), []);
  assert.deepEqual(seen([{ state: reachable, liqo: noLiqo, snapshot: snapshot({}) }]), []);
});

test('two reachable contexts add the clusters; a failing or connecting one does not count', () => {
  assert.deepEqual(seen([{ state: reachable }, { state: reachable }]), ['clustersAdded']);
  assert.deepEqual(seen([{ state: reachable }, { state: failed }]), []);
  assert.deepEqual(seen([{ state: reachable }, { state: { kind: 'connecting' } }, { state: { kind: 'idle' } }]), []);
});

test('Liqo installed on a reachable cluster ticks Install; an unknown presence or an unreachable cluster does not', () => {
  assert.deepEqual(seen([{ state: reachable, liqo }]), ['liqoInstalled']);
  assert.deepEqual(seen([{ state: reachable, liqo: { ...liqo, presence: 'unknown' } }]), []);
  assert.deepEqual(seen([{ state: failed, liqo }]), []);
});

test('an established peering ticks Peer; one failing, being deleted or only half made does not', () => {
  const with_ = (fc: ReturnType<typeof foreignCluster>) => seen([{ state: reachable, snapshot: snapshot({ foreignClusters: [fc] }) }]);
  assert.deepEqual(with_(foreignCluster('b', 'Provider', 'Established', false)), ['peered']);
  assert.deepEqual(with_(foreignCluster('a', 'Consumer')), ['peered'], 'the provider side sees the peering too');
  assert.deepEqual(with_(foreignCluster('b', 'Provider', 'Error')), []);
  const deleting = foreignCluster('b', 'Provider');
  assert.deepEqual(with_({ ...deleting, metadata: { ...deleting.metadata, deletionTimestamp: '2026-12-06T14:00:00Z' } }), []);
  // liqoctl's first object: a ForeignCluster whose modules have no condition yet
  assert.deepEqual(with_({ metadata: { name: 'b' }, spec: { clusterID: 'b' }, status: { role: 'Provider', modules: { authentication: { enabled: true, conditions: [] } } } }), []);
});

test('a leftover ForeignCluster (no module, nothing else left of the peering) is no peering', () => {
  const bare: ForeignCluster = { metadata: { name: 'b' }, spec: { clusterID: 'b' }, status: { conditions: [{ type: 'APIServerStatus', status: 'Ready' }] } };
  const ready = (k: string) => [k, { kind: 'ready' }] as const;
  const kinds = { ...snapshot({}).kinds, ...Object.fromEntries(['virtualnodes', 'resourceslices', 'tenants'].map(ready)) } as ReturnType<typeof snapshot>['kinds'];
  assert.deepEqual(seen([{ state: reachable, snapshot: snapshot({ kinds, foreignClusters: [bare] }) }]), []);
});

test('an offloaded namespace ticks Offload only once Ready', () => {
  const ns = (phase: string) => seen([{ state: reachable, snapshot: snapshot({ offloadings: [offloading('team', 'Remote', [], phase)] }) }]);
  assert.deepEqual(ns('Ready'), ['namespaceOffloaded']);
  for (const phase of ['InProgress', 'NoClusterSelected', 'AllFailed', '']) assert.deepEqual(ns(phase), [], phase);
});

test('what was reached stays reached; actions add theirs; the order is the walkthrough\'s', () => {
  const before = new Set<Milestone>(['peered']);
  const after = reachedMilestones(before, [{ state: reachable, liqo }, { state: reachable }], new Set<ActionMilestone>(['logStreamOpened']));
  assert.deepEqual([...after], ['clustersAdded', 'liqoInstalled', 'peered', 'logStreamOpened']);
  assert.deepEqual(newlyReached(before, after), ['clustersAdded', 'liqoInstalled', 'logStreamOpened']);
  assert.deepEqual(newlyReached(after, after), []);
});

test('every milestone has its own context key under liqo.walkthrough', () => {
  const keys = MILESTONES.map(milestoneContextKey);
  assert.equal(new Set(keys).size, MILESTONES.length);
  for (const k of keys) assert.match(k, /^liqo\.walkthrough\.[a-zA-Z]+$/);
});

const SEED = Number(process.env.LIQO_PROPERTY_SEED ?? 23);
const RUNS = 500;

test(`property: ${RUNS} generated federations (seed ${SEED}): monotone, actions kept, state milestones match the clusters`, { timeout: 20_000 }, () => {
  const r = mulberry32(SEED);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  let reached = new Set<Milestone>();
  for (let run = 0; run < RUNS; run++) {
    const clusters: WalkthroughCluster[] = Array.from({ length: Math.floor(r() * 4) }, () => {
      const state = pick([reachable, failed, { kind: 'connecting' } as const]);
      const fcs = r() < 0.4 ? [foreignCluster(pick(['b', 'c']), pick(['Provider', 'Consumer'] as const), pick(['Established', 'Error'] as const), r() < 0.5)] : [];
      const offs = r() < 0.4 ? [offloading('ns', 'Remote', [], pick(['Ready', 'InProgress', 'AllFailed']))] : [];
      return { state, liqo: r() < 0.5 ? liqo : noLiqo, snapshot: snapshot({ foreignClusters: fcs, offloadings: offs }) };
    });
    const actions = new Set<ActionMilestone>(ACTION_MILESTONES.filter(() => r() < 0.1));
    const label = `run ${run} (seed ${SEED}) ${JSON.stringify(clusters)}`;
    const next = reachedMilestones(reached, clusters, actions);
    for (const m of reached) assert.ok(next.has(m), `${m} was lost: ${label}`);
    for (const m of actions) assert.ok(next.has(m), `${m} reported but not reached: ${label}`);
    const up = clusters.filter((c) => c.state.kind === 'reachable');
    assert.equal(seenMilestones(clusters).has('clustersAdded'), up.length >= 2, label);
    const anyPeering = up.some((c) => c.snapshot!.foreignClusters.some((fc) => fc.status?.modules?.authentication?.conditions?.[0]?.status === 'Established' && (fc.status.modules.networking?.enabled === false || fc.status.modules.networking?.conditions?.[0]?.status === 'Established')));
    assert.equal(seenMilestones(clusters).has('peered'), anyPeering, label);
    assert.equal(seenMilestones(clusters).has('namespaceOffloaded'), up.some((c) => c.snapshot!.offloadings.some((o) => o.status?.offloadingPhase === 'Ready')), label);
    assert.deepEqual(newlyReached(reached, next), MILESTONES.filter((m) => next.has(m) && !reached.has(m)), label);
    // now and then the user starts over in a new profile
    reached = r() < 0.1 ? new Set() : next;
  }
});
