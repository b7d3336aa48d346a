// Issue 21 on the seed-000 federation: an expanded cluster watches Services and its Services folder lists the ones
// worth opening (Grafana/Prometheus anywhere, first; the services of its offloaded or twin namespaces), live: a
// service created on the API server appears, a deleted one goes. A collapsed cluster does not watch Services; a user
// who may not list them sees it said in the folder while the rest of the tree works.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureTestbed, type Testbed } from '../testbed/index.ts';
import { makeHarness, kubectl, trackUnhandledRejections, type Harness } from './support/treeHarness.ts';
import { restrictedUser } from './support/restrictedUser.ts';
import { clusterRowId } from '../../src/core/tree/rowKey.ts';
import { NO_SERVICE_LABEL } from '../../src/core/tree/serviceNodes.ts';

let tb: Testbed;
let h: Harness;
const rejections = trackUnhandledRejections();
const CONSUMER = 'kind-mlops-platform';
const PROVIDER = 'cluster-b';
const SUFFIX = Date.now().toString(36);
const MONITORING = `monitoring-${SUFFIX}`;
const created: [context: string, namespace: string, name: string][] = [];

const k = (context: string, ...args: string[]): Promise<string> => kubectl(tb.kubectl, tb.kubeconfig, context, ...args);
/** `kubectl create service clusterip` gives the service the selector app=<name>. */
async function createService(context: string, namespace: string, name: string, ...tcp: string[]): Promise<void> {
  await k(context, 'create', 'service', 'clusterip', name, '-n', namespace, ...tcp.map((t) => `--tcp=${t}`));
  created.push([context, namespace, name]);
}
const labels = (rows: { label: string }[]): string[] => rows.map((r) => r.label);

before(async () => {
  tb = await ensureTestbed('seed-000');
  h = makeHarness([tb.kubeconfig], { collapseGraceMs: 300 });
  await h.open();
  await h.until(() => Boolean(h.row(CONSUMER, 'Services') && h.row(PROVIDER, 'Services') && h.quiet()), 'both clusters expanded with their Services folders');
  await k(CONSUMER, 'create', 'namespace', MONITORING);
});

after(async () => {
  h?.dispose();
  rejections.stop();
  for (const [context, namespace, name] of created) await k(context, 'delete', 'service', name, '-n', namespace, '--ignore-not-found', '--wait=false').catch(() => undefined);
  await k(CONSUMER, 'delete', 'namespace', MONITORING, '--ignore-not-found', '--wait=false').catch(() => undefined);
});

test('an expanded cluster watches services; the Services folder sits after the Liqo folders', () => {
  for (const ctx of [CONSUMER, PROVIDER]) {
    const entry = h.model.clusters.find((c) => c.contextName === ctx)!;
    assert.ok(h.model.session(entry.id)!.runningKinds.includes('services'), `${ctx} watches services`);
  }
  assert.deepEqual(labels(h.children(CONSUMER)), ['Peerings', 'Virtual Nodes', 'Offloaded Namespaces', 'Services', 'Namespaces']);
  assert.deepEqual(labels(h.children(PROVIDER)), ['Peerings', 'Virtual Nodes', 'Offloaded Namespaces', 'Consumers', 'Services', 'Namespaces']);
});

test('a service created in the offloaded namespace appears; Grafana elsewhere comes first; other namespaces are not listed', async () => {
  await createService(CONSUMER, 'kubeflow', `ui-${SUFFIX}`, '80:8080', '9090:9090');
  await createService(CONSUMER, MONITORING, `kps-${SUFFIX}-grafana`, '80:3000');
  await createService(CONSUMER, 'default', `elsewhere-${SUFFIX}`, '80:8080');
  await h.until(() => labels(h.children(CONSUMER, 'Services')).includes(`ui-${SUFFIX}`) && labels(h.children(CONSUMER, 'Services')).includes(`kps-${SUFFIX}-grafana`), 'both services listed');
  const rows = h.children(CONSUMER, 'Services').filter((r) => r.label.includes(SUFFIX));
  assert.deepEqual(
    rows.map((r) => [r.label, r.description, r.contextValue]),
    [
      [`kps-${SUFFIX}-grafana`, `${MONITORING} · 80 (80-3000) · Grafana`, 'liqo:service+forwardable+wellKnown'],
      [`ui-${SUFFIX}`, 'kubeflow · 80 (80-8080), 9090 (9090-9090)', 'liqo:service+forwardable'],
    ],
  );
  // Grafana is first in the folder, before every other service.
  assert.equal(h.children(CONSUMER, 'Services')[0]!.label, `kps-${SUFFIX}-grafana`);
  assert.ok(!labels(h.children(CONSUMER, 'Services')).includes(`elsewhere-${SUFFIX}`), 'default is not a namespace the subtree shows');
  const entry = h.model.clusters.find((c) => c.contextName === CONSUMER)!;
  assert.deepEqual(rows[1]!.resource, { entryId: entry.id, kind: 'services', key: `kubeflow/ui-${SUFFIX}` });
});

test('a service in the provider’s twin namespace is listed under the provider', async () => {
  const twin = 'kubeflow-kind-mlops-platform';
  await createService(PROVIDER, twin, `twin-${SUFFIX}`, '8080:8080');
  await h.until(() => labels(h.children(PROVIDER, 'Services')).includes(`twin-${SUFFIX}`), 'the twin namespace’s service listed');
  assert.equal(h.children(PROVIDER, 'Services').find((r) => r.label === `twin-${SUFFIX}`)!.description, `${twin} · 8080 (8080-8080)`);
});

test('a deleted service goes away; the folder left empty says why', async () => {
  const id = h.row(CONSUMER, 'Services', `ui-${SUFFIX}`)!.id;
  await k(CONSUMER, 'delete', 'service', `ui-${SUFFIX}`, '-n', 'kubeflow');
  await k(CONSUMER, 'delete', 'service', `kps-${SUFFIX}-grafana`, '-n', MONITORING);
  await h.until(() => !labels(h.children(CONSUMER, 'Services')).some((l) => l.includes(SUFFIX)), 'deleted services gone');
  assert.equal(h.model.node(id), undefined, 'the row is forgotten');
  // seed-000 has no other forwardable service in kubeflow and no Grafana/Prometheus.
  assert.deepEqual(labels(h.children(CONSUMER, 'Services')), [NO_SERVICE_LABEL]);
  assert.equal(h.row(CONSUMER, 'Services')!.description, '0');
});

test('a collapsed cluster does not watch services; expanding shows one created meanwhile', async () => {
  const entry = h.model.clusters.find((c) => c.contextName === CONSUMER)!;
  const session = h.model.session(entry.id)!;
  h.model.collapsed(clusterRowId(entry.id));
  await h.until(() => !session.runningKinds.includes('services'), 'services watch stopped on collapse');
  assert.deepEqual([...session.runningKinds].sort(), ['clusterIdConfigMaps', 'foreignclusters', 'liqoDeployments', 'liqoPods']);
  await createService(CONSUMER, 'kubeflow', `later-${SUFFIX}`, '80:8080');
  h.model.expanded(clusterRowId(entry.id));
  await h.until(() => labels(h.children(CONSUMER, 'Services')).includes(`later-${SUFFIX}`), 'the service created while collapsed');
  assert.ok(session.runningKinds.includes('services'));
});

test('a user who may not list services sees it in the Services folder; the rest still works', async () => {
  const name = `liqo-no-services-${SUFFIX}`;
  // Every core resource the tree reads but services.
  const role = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name },
    rules: [
      { apiGroups: [''], resources: ['pods', 'namespaces', 'nodes', 'configmaps'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apps', 'core.liqo.io', 'offloading.liqo.io', 'authentication.liqo.io', 'networking.liqo.io', 'apiextensions.k8s.io'], resources: ['*'], verbs: ['get', 'list', 'watch'] },
    ],
  };
  const binding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name }],
  };
  const user = await restrictedUser(tb, CONSUMER, name, [role, binding]);
  const v = makeHarness([user.kubeconfig]);
  try {
    await v.open();
    await v.until(() => v.model.settled && (v.row(user.context)?.contextValue.includes('+liqo') ?? false) && Boolean(v.row(user.context, 'Services')), 'viewer tree');
    const rows = v.children(user.context, 'Services');
    assert.deepEqual(
      rows.map((r) => [r.label, r.description, r.contextValue]),
      [['No permission to list services', 'forbidden (403)', 'liqo:kindError+forbidden']],
    );
    assert.equal(v.row(user.context, 'Services')!.description, '0 · problem');
    assert.ok(v.row(user.context, 'Offloaded Namespaces', 'kubeflow'), 'offloaded namespaces still listed');
    assert.ok(v.row(user.context, 'Virtual Nodes', PROVIDER), 'virtual nodes still listed');
    assert.match(v.row(user.context)!.description ?? '', /Liqo v1\.0\.1 · healthy/);
  } finally {
    v.dispose();
    await user.remove();
  }
});

test('no unhandled promise rejection happened', () => {
  assert.deepEqual(rejections.seen, []);
});
