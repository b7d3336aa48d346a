// The API side of federation operations on the forged seed-000 test bed, through the real ClusterClient: the one
// write path (server-side apply as liqo-vscode after a dry run; a refused dry run changes nothing; RBAC's 403
// explained with verb and resource), Install Liqo…'s detection (distribution, pod CIDR, service CIDR from the API
// server's refusal) and the command it plans, and where Liqo runs with which ID and version.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { ensureTestbed, type Testbed } from '../testbed/index.ts';
import { createClusterClient } from '../../src/infra/cluster/httpClusterClient.ts';
import type { ClusterClient } from '../../src/infra/cluster/clusterClient.ts';
import { applyObject, deleteObject, describePath, FIELD_MANAGER, WriteRefused } from '../../src/infra/writes/applyObject.ts';
import { gatherInstallFacts } from '../../src/infra/install/installFacts.ts';
import { planInstall } from '../../src/core/install/installPlan.ts';
import { findLiqo } from '../../src/infra/liqo/liqoInstallation.ts';
import { namespaceOffloadingManifest, namespaceOffloadingPath } from '../../src/core/offloading/namespaceOffloading.ts';
import { resolvedContext } from './support/resolvedContexts.ts';
import type { ResolvedContext } from '../../src/core/kubeconfig/resolved.ts';

let tb: Testbed;
let consumer: ClusterClient;
let provider: ClusterClient;
let consumerCtx: ResolvedContext;
const kubectl = (...args: string[]): string => execFileSync(tb.kubectl, ['--kubeconfig', tb.kubeconfig, '--context', 'kind-mlops-platform', ...args], { encoding: 'utf8' });

before(async () => {
  tb = await ensureTestbed('seed-000');
  consumerCtx = await resolvedContext(tb.kubeconfig, 'kind-mlops-platform');
  consumer = createClusterClient(consumerCtx, { timeoutMs: 10_000 });
  provider = createClusterClient(await resolvedContext(tb.kubeconfig, 'cluster-b'), { timeoutMs: 10_000 });
});
after(() => {
  consumer.dispose();
  provider.dispose();
});

test('API paths in words', () => {
  assert.deepEqual(describePath('/apis/offloading.liqo.io/v1beta1/namespaces/kubeflow/namespaceoffloadings/offloading'), { resource: 'namespaceoffloadings.offloading.liqo.io', name: 'offloading', namespace: 'kubeflow' });
  assert.deepEqual(describePath('/api/v1/nodes'), { resource: 'nodes' });
});

test('apply: dry run, then stored as liqo-vscode; a refused dry run changes nothing; delete', async () => {
  const path = namespaceOffloadingPath('analytics');
  const manifest = namespaceOffloadingManifest('analytics', { podOffloadingStrategy: 'Remote', namespaceMappingStrategy: 'SelectedName', remoteNamespaceName: 'analytics-far', clusterSelector: [[{ key: 'topology.region', operator: 'In', values: ['center'] }]] });
  try {
    const bad = { ...manifest, spec: { ...manifest.spec, podOffloadingStrategy: 'Sideways' } };
    await assert.rejects(applyObject(consumer, path, bad), (e: unknown) => e instanceof WriteRefused && e.dryRun && e.status === 422 && /dry run: nothing was changed/.test(e.message) && /Sideways/.test(e.message));
    await assert.rejects(consumer.get(path), (e: unknown) => (e as { status?: number }).status === 404);
    const stored = await applyObject<{ spec: unknown; metadata: { managedFields: Array<{ manager: string; operation: string }> } }>(consumer, path, manifest);
    assert.deepEqual(stored.spec, manifest.spec);
    assert.ok(stored.metadata.managedFields.some((f) => f.manager === FIELD_MANAGER && f.operation === 'Apply'));
  } finally {
    await deleteObject(consumer, path);
  }
  await assert.rejects(consumer.get(path), (e: unknown) => (e as { status?: number }).status === 404);
  await deleteObject(consumer, path); // already gone: done
});

test('a 403 names the verb and the resource RBAC refused', async () => {
  execFileSync(tb.kubectl, ['--kubeconfig', tb.kubeconfig, '--context', 'kind-mlops-platform', 'apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'liqo-viewer', namespace: 'analytics' } },
        { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'liqo-viewer', namespace: 'analytics' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'ServiceAccount', name: 'liqo-viewer', namespace: 'analytics' }] },
      ],
    }),
  });
  const token = kubectl('create', 'token', 'liqo-viewer', '-n', 'analytics', '--duration=10m').trim();
  const viewer = createClusterClient({ ...consumerCtx, user: { ...consumerCtx.user, name: 'viewer', fields: { token } } }, { timeoutMs: 10_000 });
  try {
    const path = namespaceOffloadingPath('analytics');
    await assert.rejects(
      applyObject(viewer, path, namespaceOffloadingManifest('analytics', { podOffloadingStrategy: 'LocalAndRemote', namespaceMappingStrategy: 'DefaultName', clusterSelector: [] })),
      (e: unknown) => e instanceof WriteRefused && e.status === 403 && /RBAC refused to patch namespaceoffloadings\.offloading\.liqo\.io "offloading" in namespace analytics/.test(e.message) && !e.message.includes(token),
    );
  } finally {
    viewer.dispose();
  }
});

test("install detection finds the test bed's pod and service CIDRs and plans the expected command", async () => {
  const facts = await gatherInstallFacts(consumer, 'kind-mlops-platform', ['cluster-b']);
  assert.equal(facts.distribution, 'kind');
  // The test bed's kwok hands pod IPs from 10.244.0.0/16 and its API servers run --service-cluster-ip-range=10.96.0.0/16.
  assert.equal(facts.podCidr?.cidr, '10.244.0.0/16');
  assert.equal(facts.podCidr?.guessed, true);
  assert.equal(facts.serviceCidr?.cidr, '10.96.0.0/16');
  assert.equal(facts.controllerManagerPod, false);
  const plan = planInstall(facts);
  assert.deepEqual(plan.args, ['install', '--cluster-id=kind-mlops-platform', '--pod-cidr=10.244.0.0/16', '--service-cidr=10.96.0.0/16']);
  assert.deepEqual(plan.missing, []);
  const b = await gatherInstallFacts(provider, 'cluster-b', ['kind-mlops-platform']);
  assert.equal(b.podCidr?.cidr, '10.245.0.0/16');
  assert.equal(b.serviceCidr?.cidr, '10.96.0.0/16');
  // Nothing was created by the probe.
  await assert.rejects(consumer.get('/api/v1/namespaces/default/services/liqo-vscode-service-cidr-probe'), (e: unknown) => (e as { status?: number }).status === 404);
});

test('where Liqo runs, its cluster ID and version', async () => {
  assert.deepEqual(await findLiqo(consumer), { namespace: 'liqo', clusterId: 'kind-mlops-platform', version: 'v1.0.1' });
  assert.deepEqual(await findLiqo(provider), { namespace: 'liqo', clusterId: 'cluster-b', version: 'v1.0.1' });
});
