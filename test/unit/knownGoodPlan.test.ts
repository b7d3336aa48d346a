// The plan back to a known-good record: steps in the order Liqo needs them, each with its exact argv or object,
// what is in place skipped (a second plan after a restore is empty), and rebuilt clusters mapped, never guessed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { federationsOf, observeFederation, type ClusterFacts } from '../../src/core/federation/knownGood.ts';
import { restorePlan } from '../../src/core/federation/restorePlan.ts';
import { planReport } from '../../src/core/federation/planReport.ts';
import { planForTarget } from '../../src/core/federation/restoreTargets.ts';
import { federationDrift } from '../../src/core/federation/drift.ts';
import { foreignCluster, offloading, slice, snapshot, threeClusters } from './federationFixtures.ts';

const reference = (() => {
  const f = threeClusters();
  return observeFederation(f, federationsOf(f)[0] ?? [], 'T').record;
})();
const kubeconfigOf = (ctx: string) => `/home/u/.kube/${ctx}.yaml`;

function edit(facts: ClusterFacts[], context: string, change: (f: ClusterFacts) => ClusterFacts): ClusterFacts[] {
  return facts.map((f) => (f.entry.contextName === context ? change(f) : f));
}

/** Everything broken at once: a's server moved, a unpeered from c, b's slice deleted, demo's strategy changed. */
function broken(): ClusterFacts[] {
  let now = edit(threeClusters(), 'kind-a', (f) => ({
    ...f,
    entry: { ...f.entry, server: 'https://127.0.0.1:7443' },
    snapshot: snapshot({ foreignClusters: [foreignCluster('b', 'Provider')], resourceSlices: [], offloadings: [offloading('demo', 'LocalAndRemote', ['b'])] }),
  }));
  now = edit(now, 'kind-c', (f) => ({ ...f, snapshot: snapshot({}) }));
  return now;
}

test('steps come in Liqo order: kubeconfig, peerings, ResourceSlices, NamespaceOffloadings, each exact', () => {
  const plan = restorePlan({ reference, facts: broken(), kubeconfigOf });
  assert.deepEqual(plan.unmapped, []);
  assert.deepEqual(plan.steps.map((s) => s.kind), ['kubeconfig', 'peer', 'resourceSlice', 'resourceSlice', 'namespaceOffloading']);
  const [kc, peer, sliceB, sliceC, off] = plan.steps;
  assert.deepEqual(kc, { kind: 'kubeconfig', targets: ['context:kind-a'], title: 'Set server https://127.0.0.1:6443 on context kind-a', context: 'kind-a', server: 'https://127.0.0.1:6443' });
  assert.equal(peer?.kind, 'peer');
  assert.deepEqual(peer?.kind === 'peer' && peer.argv, [
    'liqoctl',
    'peer',
    '--kubeconfig=/home/u/.kube/kind-a.yaml',
    '--context=kind-a',
    '--remote-kubeconfig=/home/u/.kube/kind-c.yaml',
    '--remote-context=kind-c',
    '--remote-namespace=liqo-system',
    '--gw-server-service-type=NodePort',
    '--create-resource-slice=false',
  ]);
  assert.equal(sliceB?.kind === 'resourceSlice' && sliceB.context, 'kind-a');
  assert.deepEqual(sliceB?.kind === 'resourceSlice' && (sliceB.manifest as { spec: unknown }).spec, { class: 'default', providerClusterID: 'b', resources: { cpu: '4', memory: '8Gi', pods: '110' } });
  assert.deepEqual(sliceC?.kind === 'resourceSlice' && (sliceC.manifest as { metadata: { namespace: string } }).metadata.namespace, 'liqo-tenant-c');
  assert.equal(off?.kind, 'namespaceOffloading');
  if (off?.kind === 'namespaceOffloading') {
    assert.equal(off.replaces, true);
    assert.deepEqual(off.manifest.spec, {
      podOffloadingStrategy: 'Remote',
      namespaceMappingStrategy: 'DefaultName',
      clusterSelector: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'liqo.io/remote-cluster-id', operator: 'In', values: ['b'] }] }] },
    });
  }
});

test('what is in place is skipped: the plan for the recorded federation itself is empty', () => {
  const plan = restorePlan({ reference, facts: threeClusters(), kubeconfigOf });
  assert.deepEqual(plan.steps, []);
  assert.ok(plan.inPlace.includes('peering a → b: peered'));
  assert.ok(plan.inPlace.includes('namespace demo: offloaded as recorded'));
  // Only the deleted slice comes back when only it is gone.
  const onlySlice = edit(threeClusters(), 'kind-a', (f) => ({ ...f, snapshot: snapshot({ ...f.snapshot!, resourceSlices: [slice('c', 'a', 'c', { cpu: '2' })] }) }));
  assert.deepEqual(restorePlan({ reference, facts: onlySlice, kubeconfigOf }).steps.map((s) => s.title), ['Create ResourceSlice liqo-tenant-b/b on kind-a']);
});

test('a rebuilt cluster (new ID) is not guessed: it waits for a mapping, then every step uses the new ID', () => {
  const rebuilt = edit(
    edit(threeClusters(), 'kind-c', (f) => ({ ...f, liqo: { ...f.liqo!, clusterId: 'c2' }, snapshot: snapshot({}) })),
    'kind-a',
    (f) => ({ ...f, snapshot: snapshot({ ...f.snapshot!, foreignClusters: [foreignCluster('b', 'Provider')], resourceSlices: [slice('b', 'a', 'b', { cpu: '4', memory: '8Gi', pods: '110' })] }) }),
  );
  const ref = { ...reference, offloadings: [{ ...reference.offloadings[0]!, clusterSelector: [[{ key: 'liqo.io/remote-cluster-id', operator: 'In' as const, values: ['b', 'c'] }]] }] };
  const unmappedPlan = restorePlan({ reference: ref, facts: rebuilt, kubeconfigOf });
  assert.deepEqual(unmappedPlan.unmapped.map((u) => [u.oldClusterId, u.candidates[0]]), [['c', 'kind-c']]);
  assert.match(unmappedPlan.unmapped[0]!.why, /context "kind-c" now has cluster ID c2: the cluster was rebuilt/);
  assert.ok(unmappedPlan.steps.some((s) => s.kind === 'blocked' && /cluster c has no context/.test(s.why)));

  const plan = restorePlan({ reference: ref, facts: rebuilt, mapping: { c: 'kind-c' }, kubeconfigOf });
  assert.deepEqual(plan.unmapped, []);
  assert.deepEqual(plan.steps.map((s) => s.kind), ['peer', 'resourceSlice', 'namespaceOffloading']);
  const [peer, sl, off] = plan.steps;
  assert.ok(peer?.kind === 'peer' && peer.argv.includes('--remote-context=kind-c'));
  assert.equal(sl?.kind === 'resourceSlice' && (sl.manifest as { metadata: { namespace: string } }).metadata.namespace, 'liqo-tenant-c2');
  assert.equal(sl?.kind === 'resourceSlice' && (sl.manifest as { spec: { providerClusterID: string } }).spec.providerClusterID, 'c2');
  assert.deepEqual(off?.kind === 'namespaceOffloading' && off.manifest.spec.clusterSelector.nodeSelectorTerms[0]?.matchExpressions[0]?.values, ['b', 'c2']);
});

test('a missing context blocks its steps with why; a mapping to a context that does not exist is refused', () => {
  const noC = threeClusters().filter((f) => f.entry.contextName !== 'kind-c');
  const withoutPeer = edit(noC, 'kind-a', (f) => ({ ...f, snapshot: snapshot({ ...f.snapshot!, foreignClusters: [foreignCluster('b', 'Provider')] }) }));
  const plan = restorePlan({ reference, facts: withoutPeer, kubeconfigOf });
  assert.equal(plan.steps[0]?.kind, 'blocked');
  assert.match(plan.steps[0]?.kind === 'blocked' ? plan.steps[0].why : '', /no context "kind-c"/);
  const bad = restorePlan({ reference, facts: withoutPeer, mapping: { c: 'kind-zz' }, kubeconfigOf });
  assert.match(bad.unmapped[0]!.why, /"kind-zz" chosen for it is not in the kubeconfig/);
});

test('the dry-run document lists each step with its exact argv or object, then the outcome of a run', () => {
  const plan = restorePlan({ reference, facts: broken(), kubeconfigOf });
  const md = planReport(plan, 'Reference: the latest automatic record.');
  assert.match(md, /## Plan \(5 steps, in order\)/);
  assert.match(md, /2\. \*\*Peer kind-a \(consumer\) with kind-c \(provider\)\*\*\n\n {3}```sh\n {3}liqoctl peer --kubeconfig=\/home\/u\/.kube\/kind-a.yaml --context=kind-a /);
  assert.match(md, /kind: ResourceSlice/);
  assert.match(md, /podOffloadingStrategy: Remote/);
  assert.match(md, /deleted first/);
  const ran = planReport(plan, 'r', { reports: [{ title: 't', outcome: 'stopped', detail: 'use Rewrite Server' }], stopped: { at: 0, why: 'kubeconfig first.' } });
  assert.match(ran, /1\. \*\*Set server https:\/\/127\.0\.0\.1:6443 on context kind-a\*\* — stopped: use Rewrite Server/);
  assert.match(ran, /\*\*Stopped at step 1:\*\* kubeconfig first\. Steps before it are done/);
  assert.match(planReport(restorePlan({ reference, facts: threeClusters(), kubeconfigOf }), 'r'), /## Plan: nothing to do/);
});

test('a recorded slice without quantities (the one liqoctl peer makes) is restored as such, not refused', () => {
  const facts = edit(threeClusters(), 'kind-a', (f) => ({ ...f, snapshot: snapshot({ ...f.snapshot!, resourceSlices: [slice('b', 'a', 'b', {}), slice('c', 'a', 'c', { cpu: '2' })] }) }));
  const ref = observeFederation(facts, federationsOf(facts)[0] ?? [], 'T').record;
  const gone = edit(facts, 'kind-a', (f) => ({ ...f, snapshot: snapshot({ ...f.snapshot!, resourceSlices: [slice('c', 'a', 'c', { cpu: '2' })] }) }));
  const plan = restorePlan({ reference: ref, facts: gone, kubeconfigOf });
  assert.deepEqual(plan.steps.map((s) => s.kind), ['resourceSlice']);
  assert.deepEqual(plan.steps[0]?.kind === 'resourceSlice' && (plan.steps[0].manifest as { spec: unknown }).spec, { class: 'default', providerClusterID: 'b', resources: {} });
});

test('each drift item has its own plan: the steps of the whole plan that restore just it, in the same order', () => {
  const facts = broken();
  const plan = restorePlan({ reference, facts, kubeconfigOf });
  const items = federationDrift(reference, facts);
  const titles = (kind: string) => {
    const item = items.find((i) => i.kind === kind);
    assert.ok(item?.target, `${kind} has a target`);
    return planForTarget(plan, item.target).steps.map((s) => s.title);
  };
  assert.deepEqual(titles('context-changed'), ['Set server https://127.0.0.1:6443 on context kind-a']);
  // A gone peering comes back with its slices (liqoctl peer runs without its default one).
  assert.deepEqual(titles('peering-gone'), ['Peer kind-a (consumer) with kind-c (provider)', 'Create ResourceSlice liqo-tenant-c/c on kind-a']);
  assert.deepEqual(titles('slice-removed'), ['Create ResourceSlice liqo-tenant-b/b on kind-a']);
  assert.deepEqual(titles('offloading-changed'), [plan.steps[4]!.title]);
  // Every step of the whole plan belongs to some item of the drift, and the plan cannot restore a moved version.
  const targets = new Set(items.map((i) => i.target));
  for (const s of plan.steps) assert.ok(s.targets?.some((t) => targets.has(t)), s.title);
  assert.equal(federationDrift(reference, edit(threeClusters(), 'kind-c', (f) => ({ ...f, kubernetesVersion: 'v1.31.1' })))[0]?.target, undefined);
});
