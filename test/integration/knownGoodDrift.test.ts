// Issue 20 on the seed-000 test bed: after the record, an offloading's strategy is changed and a ResourceSlice is
// deleted through the API; drift lists exactly those two, the plan has exactly their two steps, and the objects
// the plan would write pass the real API server's validation (server-side dry run against Liqo's CRDs). The test
// bed is put back as it was afterwards.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ensureTestbed, type Testbed } from '../testbed/index.ts';
import { makeHarness, trackUnhandledRejections, type Harness } from './support/treeHarness.ts';
import { federationsOf, observeFederation, type FederationRecord } from '../../src/core/federation/knownGood.ts';
import { federationDrift } from '../../src/core/federation/drift.ts';
import { restorePlan } from '../../src/core/federation/restorePlan.ts';
import { gatherFacts } from '../../src/infra/federation/gatherFacts.ts';

const run = promisify(execFile);
let tb: Testbed;
let h: Harness;
const rejections = trackUnhandledRejections();
const CONSUMER = 'kind-mlops-platform';
let savedSlice = '';
let savedSliceStatus = '';

const kubectl = async (args: string[], input?: string): Promise<string> => {
  const child = run(tb.kubectl, ['--kubeconfig', tb.kubeconfig, '--context', CONSUMER, ...args], { maxBuffer: 16 << 20 });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  return (await child).stdout;
};

before(async () => {
  tb = await ensureTestbed('seed-000');
  h = makeHarness([tb.kubeconfig]);
  await h.open();
  await h.until(() => h.model.settled && h.quiet() && h.model.clusters.every((e) => h.model.session(e.id)?.clusterId), 'both clusters watched with their cluster IDs');
});

after(async () => {
  // Put the test bed back: the slice re-created as it was, the strategy as seeded.
  if (savedSlice) await kubectl(['apply', '-f', '-'], savedSlice).catch(() => undefined);
  if (savedSliceStatus) {
    const patch = JSON.stringify({ status: JSON.parse(savedSliceStatus) });
    await kubectl(['patch', 'resourceslices.authentication.liqo.io', 'cluster-b', '-n', 'liqo-tenant-cluster-b', '--subresource=status', '--type=merge', '-p', patch]).catch(() => undefined);
  }
  await kubectl(['patch', 'namespaceoffloadings.offloading.liqo.io', 'offloading', '-n', 'kubeflow', '--type=merge', '-p', '{"spec":{"podOffloadingStrategy":"LocalAndRemote"}}']).catch(() => undefined);
  h?.dispose();
  rejections.stop();
});

test('a strategy changed and a slice deleted are exactly the drift, and the plan brings back exactly those', async () => {
  const facts = await gatherFacts(h.model);
  const reference: FederationRecord = observeFederation(facts, federationsOf(facts).find((g) => g.length > 1)!, 'before').record;
  assert.deepEqual(federationDrift(reference, facts), []);

  const slice = JSON.parse(await kubectl(['get', 'resourceslices.authentication.liqo.io', 'cluster-b', '-n', 'liqo-tenant-cluster-b', '-o', 'json'])) as { metadata: Record<string, unknown>; status?: unknown };
  savedSliceStatus = JSON.stringify(slice.status ?? {});
  delete slice.status;
  for (const k of ['resourceVersion', 'uid', 'creationTimestamp', 'managedFields', 'generation']) delete slice.metadata[k];
  savedSlice = JSON.stringify(slice);
  await kubectl(['patch', 'namespaceoffloadings.offloading.liqo.io', 'offloading', '-n', 'kubeflow', '--type=merge', '-p', '{"spec":{"podOffloadingStrategy":"Remote"}}']);
  await kubectl(['delete', 'resourceslices.authentication.liqo.io', 'cluster-b', '-n', 'liqo-tenant-cluster-b', '--wait=true']);
  await h.until(() => {
    const s = h.model.session(h.model.clusters.find((e) => e.contextName === CONSUMER)!.id)?.snapshot;
    return Boolean(s && s.resourceSlices.length === 0 && s.offloadings[0]?.spec?.podOffloadingStrategy === 'Remote');
  }, 'the model sees both changes');

  const now = await gatherFacts(h.model);
  const items = federationDrift(reference, now);
  assert.deepEqual(items.map((i) => [i.kind, i.text]), [
    ['slice-removed', 'ResourceSlice liqo-tenant-cluster-b/cluster-b (cpu=16, ephemeral-storage=500Gi, memory=64Gi, nvidia.com/gpu=4, pods=110) was removed.'],
    ['offloading-changed', 'Namespace kubeflow: pod offloading strategy is Remote (was LocalAndRemote).'],
  ]);

  const plan = restorePlan({ reference, facts: now, kubeconfigOf: () => tb.kubeconfig });
  assert.deepEqual(plan.unmapped, []);
  assert.deepEqual(plan.steps.map((s) => s.kind), ['resourceSlice', 'namespaceOffloading']);
  // The objects the plan writes are valid for the real API server and Liqo's CRDs.
  for (const step of plan.steps) {
    if (step.kind !== 'resourceSlice' && step.kind !== 'namespaceOffloading') continue;
    const out = await kubectl(['apply', '--dry-run=server', '-f', '-'], JSON.stringify(step.manifest));
    assert.match(out, /(created|configured) \(server dry run\)/);
  }
});
