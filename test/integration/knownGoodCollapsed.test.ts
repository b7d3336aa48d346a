// Issue 20 on the seed-000 test bed, with the cluster rows collapsed (the view open, no cluster expanded; or only the
// Federation Drift view open): a collapsed row watches its summary only (cluster ID, Liqo's health, ForeignClusters),
// not ResourceSlices nor NamespaceOffloadings. The record and the drift must not read those unwatched kinds as
// "none": the record taken with every row collapsed is the record taken with every row expanded, and the drift of
// the collapsed federation against it is empty.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureTestbed, type Testbed } from '../testbed/index.ts';
import { makeHarness, trackUnhandledRejections, type Harness } from './support/treeHarness.ts';
import { federationsOf, observeFederation, type FederationRecord } from '../../src/core/federation/knownGood.ts';
import { federationDrift } from '../../src/core/federation/drift.ts';
import { recordToYaml, sameIntent } from '../../src/core/federation/recordYaml.ts';
import { gatherFacts } from '../../src/infra/federation/gatherFacts.ts';

let tb: Testbed;
let h: Harness;
const rejections = trackUnhandledRejections();
const CONSUMER = 'kind-mlops-platform';

before(async () => {
  tb = await ensureTestbed('seed-000');
  h = makeHarness([tb.kubeconfig]);
  // Activated as the view (or the drift view) does, without expanding any cluster row.
  await h.model.activate();
  await h.until(() => h.model.settled && h.model.clusters.every((e) => h.model.session(e.id)?.clusterId), 'both clusters connected with their cluster IDs');
});

after(() => {
  h?.dispose();
  rejections.stop();
});

async function recordNow(): Promise<FederationRecord> {
  const facts = await gatherFacts(h.model);
  const group = federationsOf(facts).find((g) => g.length > 1);
  assert.ok(group, 'the peered clusters form a federation');
  return observeFederation(facts, group, 'now').record;
}

test('collapsed rows: the record holds the ResourceSlice and the offloading, as it does with the rows expanded', async () => {
  const consumer = h.model.clusters.find((e) => e.contextName === CONSUMER)!;
  // The premise: the collapsed consumer does not watch the kinds the record reads.
  const running = h.model.session(consumer.id)?.runningKinds ?? [];
  assert.ok(!running.includes('resourceslices') && !running.includes('namespaceoffloadings'), `collapsed: ${running.join(', ')}`);

  const collapsed = await recordNow();
  assert.ok(collapsed.peerings[0]!.resourceSlices.length >= 1, recordToYaml(collapsed));
  assert.deepEqual(
    collapsed.offloadings.map((o) => [o.namespace, o.podOffloadingStrategy]),
    [['kubeflow', 'LocalAndRemote']],
  );

  await h.open(); // every cluster row expanded: every kind watched
  await h.until(() => h.model.settled && h.quiet() && (h.model.session(consumer.id)?.runningKinds ?? []).includes('resourceslices'), 'the expanded rows watched');
  const expanded = await recordNow();
  assert.ok(sameIntent(collapsed, expanded), `collapsed:\n${recordToYaml(collapsed)}\nexpanded:\n${recordToYaml(expanded)}`);
  assert.equal(rejections.seen.length, 0);
});

test('collapsed rows: no drift against the record of the same federation', async () => {
  // The reference is taken with every row expanded (every kind watched).
  await h.open();
  const consumer = h.model.clusters.find((e) => e.contextName === CONSUMER)!;
  await h.until(() => h.model.settled && h.quiet() && (h.model.session(consumer.id)?.runningKinds ?? []).includes('resourceslices'), 'the expanded rows watched');
  const reference = await recordNow();
  assert.ok(reference.peerings[0]!.resourceSlices.length >= 1 && reference.offloadings.length === 1, recordToYaml(reference));
  // A fresh model, as after a restart with the rows collapsed (or only the Federation Drift view open).
  const fresh = makeHarness([tb.kubeconfig]);
  try {
    await fresh.model.activate();
    await fresh.until(() => fresh.model.settled && fresh.model.clusters.every((e) => fresh.model.session(e.id)?.clusterId), 'a fresh model connected, rows collapsed');
    const items = federationDrift(reference, await gatherFacts(fresh.model, undefined, { gateways: false }));
    assert.deepEqual(items.map((i) => i.text), []);
  } finally {
    fresh.dispose();
  }
});
