// Liqo wherever it is installed: the seed federation with Liqo in `liqo-system` (as Helm users install it) gives the
// same rows as with Liqo in `liqo` — cluster IDs, Liqo version and health, peerings, virtual nodes, offloading. And a
// user who may not list ConfigMaps cluster-wide still gets the cluster ID, with the limit said in the tooltip.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureTestbed } from '../testbed/index.ts';
import { dumpTree, makeHarness, trackUnhandledRejections, type Harness } from './support/treeHarness.ts';
import { restrictedUser } from './support/restrictedUser.ts';
import { resolvedContext } from './support/resolvedContexts.ts';
import { execFileSync } from 'node:child_process';
import { createClusterClient } from '../../src/infra/cluster/httpClusterClient.ts';
import { findLiqo } from '../../src/infra/liqo/liqoInstallation.ts';

const CONSUMER = 'kind-mlops-platform';
const PROVIDER = 'cluster-b';
const rejections = trackUnhandledRejections();
const harnesses: Harness[] = [];

after(() => {
  for (const h of harnesses) h.dispose();
  rejections.stop();
});

/** The whole tree once both clusters show their cluster IDs and every watch has answered. */
async function settledTree(kubeconfig: string): Promise<{ h: Harness; tree: string }> {
  const h = makeHarness([kubeconfig]);
  harnesses.push(h);
  await h.open();
  await h.until(
    // the peerings' links to the other side's context can come one update after the cluster rows: wait for them too
    () =>
      Boolean(
        h.row(CONSUMER)?.description?.includes('healthy') &&
          h.row(PROVIDER)?.description?.includes('healthy') &&
          h.row(CONSUMER, 'Peerings', PROVIDER)?.description?.includes('⇄') &&
          h.row(PROVIDER, 'Peerings', CONSUMER)?.description?.includes('⇄') &&
          h.quiet(),
      ),
    'both clusters healthy with their cluster IDs, their peerings linked',
    60_000,
  );
  return { h, tree: dumpTree(h.model) };
}

/** Pod ages tick between the two runs; the namespace's own row is named after where Liqo is. */
const comparable = (tree: string, liqoNs: string): string =>
  tree
    .split('\n')
    .map((l) => l.replace(new RegExp(`^(\\s*)${liqoNs} \\[`), '$1<liqo-ns> [').replace(/\b\d+(s|m|h|d)\b/g, '<age>'))
    .join('\n');

let inLiqo = '';
let inLiqoSystem = '';

test('Liqo installed in liqo-system: cluster ID, version, health, peerings as with the default namespace', async () => {
  const tb = await ensureTestbed('seed-000@liqo-system');
  const { h, tree } = await settledTree(tb.kubeconfig);
  assert.equal(h.row(CONSUMER)!.description, 'kind-mlops-platform · Liqo v1.0.1 · healthy');
  assert.equal(h.row(PROVIDER)!.description, 'cluster-b · Liqo v1.0.1 · healthy');
  assert.match((h.row(CONSUMER)!.tooltip ?? '').replaceAll('\\', ''), /Liqo namespace: liqo-system/);
  assert.equal(h.row(CONSUMER, 'Peerings', PROVIDER)!.description, 'Provider · healthy · ⇄ cluster-b');
  inLiqoSystem = comparable(tree, 'liqo-system');
});

test('a user who may list ConfigMaps only in liqo-system still sees the cluster ID, and is told about the limit', async () => {
  const tb = await ensureTestbed('seed-000@liqo-system');
  const user = await restrictedUser(tb, CONSUMER, 'liqo-ns-viewer', [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'liqo-ns-viewer' },
      // Everything the tree reads, except ConfigMaps cluster-wide.
      rules: [
        { apiGroups: [''], resources: ['pods', 'namespaces', 'nodes'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['apps', 'core.liqo.io', 'offloading.liqo.io', 'authentication.liqo.io', 'apiextensions.k8s.io'], resources: ['*'], verbs: ['get', 'list', 'watch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'liqo-ns-viewer' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'liqo-ns-viewer' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'liqo-ns-viewer' }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'liqo-ns-viewer', namespace: 'liqo-system' },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'liqo-ns-viewer', namespace: 'liqo-system' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'liqo-ns-viewer' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'liqo-ns-viewer' }],
    },
  ]);
  try {
    const h = makeHarness([user.kubeconfig]);
    harnesses.push(h);
    await h.open();
    await h.until(() => Boolean(h.row(user.context)?.description?.startsWith(CONSUMER) && h.model.settled), 'the restricted user sees the cluster ID', 60_000);
    const row = h.row(user.context)!;
    assert.equal(row.description, 'kind-mlops-platform · Liqo v1.0.1 · healthy');
    // The tooltip is Markdown with the remote strings escaped; read it as text.
    assert.match((row.tooltip ?? '').replaceAll('\\', ''), /Liqo not searched cluster-wide: this user may not list configmaps cluster-wide \(403\), so Liqo was looked for only in namespace liqo-system/);
    h.dispose();
  } finally {
    await user.remove();
  }
});

test('a leftover cluster-ID ConfigMap of an earlier install (listed first) does not fool the operations: Liqo is where its controller-manager runs', async () => {
  const tb = await ensureTestbed('seed-000@liqo-system');
  const kubectl = (...args: string[]): string => execFileSync(tb.kubectl, ['--kubeconfig', tb.kubeconfig, '--context', CONSUMER, ...args], { encoding: 'utf8' });
  const copy = JSON.parse(kubectl('get', 'configmap', '-n', 'liqo-system', 'liqo-clusterid-configmap', '-o', 'json')) as { metadata: Record<string, unknown>; data: Record<string, string> };
  const leftover = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: copy.metadata.name, namespace: 'liqo-old', labels: copy.metadata.labels }, data: { ...copy.data, CLUSTER_ID: 'stale-copy' } };
  const client = createClusterClient(await resolvedContext(tb.kubeconfig, CONSUMER), { timeoutMs: 10_000 });
  try {
    // `liqo-old` sorts before `liqo-system`: the API server lists the leftover first.
    kubectl('create', 'namespace', 'liqo-old');
    execFileSync(tb.kubectl, ['--kubeconfig', tb.kubeconfig, '--context', CONSUMER, 'apply', '-f', '-'], { input: JSON.stringify(leftover) });
    assert.equal(kubectl('get', 'configmaps', '-A', '-l', 'app.kubernetes.io/name=clusterid-configmap', '-o', 'jsonpath={.items[*].metadata.namespace}'), 'liqo-old liqo-system');
    assert.deepEqual(await findLiqo(client), { namespace: 'liqo-system', clusterId: 'kind-mlops-platform', version: 'v1.0.1' });
  } finally {
    client.dispose();
    kubectl('delete', 'namespace', 'liqo-old', '--ignore-not-found', '--wait=true');
  }
});

test('the same rows with Liqo in the default namespace `liqo`', async () => {
  const tb = await ensureTestbed('seed-000');
  const { h, tree } = await settledTree(tb.kubeconfig);
  assert.match(h.row(CONSUMER)!.tooltip ?? '', /Liqo namespace: liqo\b/);
  inLiqo = comparable(tree, 'liqo');
  assert.ok(inLiqoSystem, 'the liqo-system run produced a tree');
  assert.equal(inLiqoSystem, inLiqo);
});

test('no unhandled promise rejection happened', () => {
  assert.deepEqual(rejections.seen, []);
});
