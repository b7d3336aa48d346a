// Unpeer… when the provider does not answer: which Liqo and liqoctl get the forced unpeer, its argv, the warning of
// what stays on the provider, and the exact steps by hand on Liqo v1.0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forceUnpeerDecision, manualForceUnpeerSteps, type ForceUnpeerFacts } from '../../src/core/peering/forceUnpeer.ts';
import { forceUnpeerCommand, isClusterId } from '../../src/core/liqoctl/peer.ts';
import { mulberry32 } from './seededRandom.ts';

const facts = (extra: Partial<ForceUnpeerFacts> = {}): ForceUnpeerFacts => ({
  consumerContext: 'kind-mlops-platform',
  consumerClusterId: 'kind-mlops-platform',
  providerClusterId: 'cluster-b',
  providerContext: 'cluster-b',
  providerProblem: 'connect ECONNREFUSED 127.0.0.1:42483',
  consumerLiqoVersion: 'v1.2.0',
  liqoctlVersion: 'v1.2.0',
  foreignClusterName: 'cluster-b',
  tenantNamespace: 'liqo-tenant-cluster-b',
  apiServerStatus: 'Error',
  offloadedNamespaces: ['kubeflow'],
  remoteNamespaces: ['kubeflow-kind-mlops-platform'],
  virtualNodes: ['cluster-b'],
  ...extra,
});

test('liqoctl force unpeer: the consumer only, no namespace flag, the cluster ID last, --skip-confirm', () => {
  assert.deepEqual(forceUnpeerCommand({ kubeconfig: '/tmp/x/a.yaml', context: 'kind a', liqoNamespace: 'liqo-system' }, 'cluster-b').args, [
    'force', 'unpeer', '--kubeconfig=/tmp/x/a.yaml', '--context=kind a', '--skip-confirm', 'cluster-b',
  ]);
  for (const bad of ['', '-v', '--kubeconfig=/etc/passwd', 'Cluster-B', 'a b', 'x-']) {
    assert.equal(isClusterId(bad), false, bad);
    assert.throws(() => forceUnpeerCommand({ kubeconfig: '/k' }, bad), /is not a Liqo cluster ID/);
  }
  assert.equal(isClusterId('0a8f3c1e-2b7d-4c55-9d1e-6f0a1b2c3d4e'), true);
});

test('v1.2.0 consumer and liqoctl, provider down: the forced unpeer, with what it does here and what stays there', () => {
  const d = forceUnpeerDecision(facts());
  assert.equal(d.kind, 'force');
  if (d.kind !== 'force') return;
  assert.equal(d.question, 'cluster-b (cluster-b) does not answer. Force unpeer kind-mlops-platform from it?');
  assert.match(d.warning, /connect ECONNREFUSED 127\.0\.0\.1:42483/);
  assert.match(d.warning, /gone for good; it cannot be undone/);
  assert.match(d.warning, /marks the ForeignCluster cluster-b liqo\.io\/foreign-cluster-permanently-unreachable=true and deletes the tenant namespace liqo-tenant-cluster-b/);
  assert.match(d.warning, /offloaded: kubeflow/);
  assert.match(d.warning, /Nothing is removed on cluster-b.*the Tenant kind-mlops-platform and its tenant namespace liqo-tenant-kind-mlops-platform/s);
  assert.match(d.warning, /the remote namespace kubeflow-kind-mlops-platform with the ShadowPods and pods still running there/);
  assert.match(d.warning, /credentials kind-mlops-platform held stay valid there/);
  assert.match(d.warning, /kubectl --context cluster-b delete namespaces -l liqo\.io\/remote-cluster-id=kind-mlops-platform\nkubectl --context cluster-b delete clusterrolebindings -l liqo\.io\/remote-cluster-id=kind-mlops-platform\nkubectl --context cluster-b delete foreignclusters\.core\.liqo\.io kind-mlops-platform/);
});

test('v1.0.1 consumer: no forced unpeer; the manual steps are named, in order, for this peering', () => {
  const d = forceUnpeerDecision(facts({ consumerLiqoVersion: 'v1.0.1', liqoctlVersion: 'v1.0.1' }));
  assert.equal(d.kind, 'manual');
  if (d.kind !== 'manual') return;
  assert.match(d.message, /kind-mlops-platform runs Liqo v1\.0\.1: the forced unpeer \(liqoctl force unpeer\) came with Liqo v1\.1\.0/);
  assert.match(d.message, /Liqo's FAQ "How to force unpeer a cluster\?"/);
  const k = 'kubectl --context kind-mlops-platform';
  assert.deepEqual(d.steps, [
    `${k} delete pods -A --field-selector spec.nodeName=cluster-b --force --grace-period=0`,
    `${k} -n liqo-tenant-cluster-b delete namespacemaps.offloading.liqo.io,resourceslices.authentication.liqo.io,virtualnodes.offloading.liqo.io --all --wait=false`,
    `${k} -n liqo-tenant-cluster-b get namespacemaps.offloading.liqo.io,resourceslices.authentication.liqo.io,virtualnodes.offloading.liqo.io -o name | xargs -r -I{} ${k} -n liqo-tenant-cluster-b patch {} --type=merge -p '{"metadata":{"finalizers":null}}'`,
    `${k} delete node cluster-b --ignore-not-found`,
    `${k} delete namespace liqo-tenant-cluster-b --wait=false`,
    `${k} -n liqo-tenant-cluster-b delete identities.authentication.liqo.io,secrets --all --wait=false`,
    `${k} -n liqo-tenant-cluster-b get identities.authentication.liqo.io,secrets -o name | xargs -r -I{} ${k} -n liqo-tenant-cluster-b patch {} --type=merge -p '{"metadata":{"finalizers":null}}'`,
    `${k} delete foreignclusters.core.liqo.io cluster-b`,
  ]);
  assert.deepEqual(manualForceUnpeerSteps(facts({ virtualNodes: [], tenantNamespace: undefined }))[0], `${k} delete pods -A --field-selector spec.nodeName=cluster-b --force --grace-period=0`);
});

test('unknown or development Liqo version: by hand, saying why', () => {
  for (const v of [undefined, 'latest', '3f2c1ab']) {
    const d = forceUnpeerDecision(facts({ consumerLiqoVersion: v }));
    assert.equal(d.kind, 'manual', String(v));
    assert.match(d.kind === 'manual' ? d.message : '', /cannot be told/);
  }
});

test('v1.2.0 consumer with liqoctl v1.0.1 (or none): get the matching liqoctl first', () => {
  for (const l of ['v1.0.1', undefined]) {
    const d = forceUnpeerDecision(facts({ liqoctlVersion: l }));
    assert.equal(d.kind, 'liqoctl-too-old');
    if (d.kind !== 'liqoctl-too-old') return;
    assert.equal(d.wantedVersion, 'v1.2.0');
    assert.match(d.message, new RegExp(`liqoctl ${l ?? '\\(not found\\)'} has no "force unpeer" \\(it came with v1\\.1\\.0\\): use liqoctl v1\\.2\\.0`));
  }
});

test("Liqo still sees the provider's API server Established: not yet, say why", () => {
  const d = forceUnpeerDecision(facts({ apiServerStatus: 'Established' }));
  assert.equal(d.kind, 'still-answering');
  assert.match(d.kind === 'still-answering' ? d.message : '', /APIServerStatus.*would wait/);
});

test('generated versions: the forced unpeer is offered exactly when the consumer and liqoctl are both v1.1.0 or later', { timeout: 10_000 }, () => {
  const r = mulberry32(20261206);
  const gen = () => `${r() < 0.8 ? 'v' : ''}${Math.floor(r() * 3)}.${Math.floor(r() * 4)}.${Math.floor(r() * 4)}${r() < 0.2 ? '-rc.1' : ''}`;
  const atLeast11 = (v: string) => {
    const m = /^v?(\d+)\.(\d+)\.(\d+)(-.*)?$/.exec(v)!;
    const [maj, min, pat] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return maj > 1 || (maj === 1 && (min > 1 || (min === 1 && (pat > 0 || !m[4]))));
  };
  for (let i = 0; i < 2000; i++) {
    const consumer = gen();
    const liqoctl = gen();
    const d = forceUnpeerDecision(facts({ consumerLiqoVersion: consumer, liqoctlVersion: liqoctl }));
    const want = !atLeast11(consumer) ? 'manual' : !atLeast11(liqoctl) ? 'liqoctl-too-old' : 'force';
    assert.equal(d.kind, want, `${consumer} / ${liqoctl}`);
  }
});
