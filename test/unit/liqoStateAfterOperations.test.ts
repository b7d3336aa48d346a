// What the tree says about Liqo after the operations (issue 18, "What the view says after an operation"), decoded
// from objects shaped as Liqo's controllers write them — read in Liqo's sources at v1.0.1 and v1.2.0
// (pkg/liqo-controller-manager/core/foreigncluster-controller/status.go: clearStatusExceptConditions, the module
// handlers, SetRole) — and which commands the rows offer, by evaluating package.json's `when` regexes on the rows'
// contextValues as VS Code does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { emptySnapshot, liqoInfo, type ClusterSnapshot, type KindState, type WatchedKind } from '../../src/core/liqo/snapshot.ts';
import type { ConfigMap, Deployment, ForeignCluster, Namespace, NamespaceOffloading, Pod, ResourceSlice, Tenant, VirtualNode } from '../../src/core/liqo/objects.ts';
import { addPeeringRows } from '../../src/core/tree/peeringNodes.ts';
import { addOffloadingRows } from '../../src/core/tree/offloadingNodes.ts';
import { clusterNode, liqoSummary } from '../../src/core/tree/clusterNodes.ts';
import { childKey, clusterRowKey } from '../../src/core/tree/rowKey.ts';
import type { ClusterTreeContext, SubtreeMap } from '../../src/core/tree/treeContext.ts';
import type { ClusterEntry } from '../../src/core/kubeconfig/clusters.ts';
import { isLeftoverPeering, leftoverCleanUp, stuckNamespaceAdvice } from '../../src/core/peering/leftover.ts';
import { unpeerImpact, unpeerImpactText } from '../../src/core/peering/unpeerImpact.ts';
import { preflight, type PeerSideFacts } from '../../src/core/peering/preflight.ts';
import { clusterIdConfigMapProblem } from '../../src/core/liqo/liqoNamespace.ts';
import { rollbackPlan, type PeeringSideState } from '../../src/core/peering/rollback.ts';
import { strandedPods } from '../../src/core/liqo/strandedPods.ts';

const PROVIDER = 'cluster-b';
const CONSUMER = 'kind-mlops-platform';
const T = '2026-12-06T10:00:00Z';

function snapshot(over: Partial<ClusterSnapshot>, kinds: Partial<Record<WatchedKind, KindState>> = {}): ClusterSnapshot {
  const base = emptySnapshot();
  const ready = Object.fromEntries(Object.keys(base.kinds).map((k) => [k, { kind: 'ready' }])) as Record<WatchedKind, KindState>;
  return { ...base, liqoLocation: { namespace: 'liqo' }, ...over, kinds: { ...ready, ...kinds } };
}

function ctxOf(s: ClusterSnapshot): ClusterTreeContext {
  return { base: clusterRowKey('/k#c'), entryId: '/k#c', snapshot: s, contextsFor: () => [] };
}

function peeringRows(s: ClusterSnapshot) {
  const out: SubtreeMap = new Map();
  return addPeeringRows(ctxOf(s), childKey(clusterRowKey('/k#c'), 'peerings'), out);
}

// ---- package.json `when` clauses, as VS Code evaluates `viewItem =~ /re/` ----
const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  contributes: { menus: Record<string, { command: string; when?: string }[]> };
};
function offeredOn(command: string, contextValue: string): boolean {
  const entries = manifest.contributes.menus['view/item/context']!.filter((m) => m.command === command);
  assert.ok(entries.length > 0, `${command} has a row menu entry`);
  return entries.some((m) => {
    const re = /viewItem =~ \/(.*?)\/(?= |$)/.exec(m.when ?? '');
    assert.ok(re, `${command}'s when clause tests viewItem`);
    return new RegExp(re[1]!).test(contextValue);
  });
}

// ---- ForeignClusters as Liqo's controller writes them ----
const established = (type: string) => ({ type, status: 'Ready' as const, lastTransitionTime: T, reason: `${type}Ready`, message: 'ok' });

/** v1.0.1 after `liqoctl unpeer`: clearStatusExceptConditions, every module handler finds nothing → role Unknown. */
const leftoverV101: ForeignCluster = {
  apiVersion: 'core.liqo.io/v1beta1',
  kind: 'ForeignCluster',
  metadata: { name: PROVIDER, labels: { 'liqo.io/remote-cluster-id': PROVIDER }, creationTimestamp: T },
  spec: { clusterID: PROVIDER },
  status: { role: 'Unknown', modules: { networking: { enabled: false }, authentication: { enabled: false }, offloading: { enabled: false } }, tenantNamespace: {} },
};

/**
 * v1.2.0 after `liqoctl unpeer`: no Identity, but identityManager.GetConfig still finds the control-plane Secret in the
 * kept tenant namespace → provider = true, authentication enabled with no condition, apiServerUrl from the Secret.
 */
const leftoverV120: ForeignCluster = {
  apiVersion: 'core.liqo.io/v1beta1',
  kind: 'ForeignCluster',
  metadata: { name: PROVIDER, labels: { 'liqo.io/remote-cluster-id': PROVIDER }, creationTimestamp: T },
  spec: { clusterID: PROVIDER },
  status: {
    role: 'Provider',
    modules: { networking: { enabled: false }, authentication: { enabled: true }, offloading: { enabled: false } },
    apiServerUrl: 'https://127.0.0.1:42001',
    tenantNamespace: {},
    conditions: [{ type: 'APIServerStatus', status: 'Established', lastTransitionTime: T, reason: 'APIServerReady', message: 'The remote API server is ready' }],
  },
};

/** A working peering on the consumer (liqoctl peer --networking-disabled): Identity, VirtualNode, Node ready. */
const activeProvider: ForeignCluster = {
  ...leftoverV120,
  status: {
    role: 'Provider',
    modules: {
      networking: { enabled: false },
      authentication: { enabled: true, conditions: [established('AuthIdentityControlPlaneStatus')] },
      offloading: { enabled: true, conditions: [established('OffloadingVirtualNodeStatus'), established('OffloadingNodeStatus')] },
    },
    apiServerUrl: 'https://127.0.0.1:42001',
    tenantNamespace: { local: `liqo-tenant-${PROVIDER}`, remote: `liqo-tenant-${CONSUMER}` },
  },
};

/** The provider's view of the consumer: a Tenant (authentication ready). */
const activeConsumer: ForeignCluster = {
  apiVersion: 'core.liqo.io/v1beta1',
  kind: 'ForeignCluster',
  metadata: { name: CONSUMER, labels: { 'liqo.io/remote-cluster-id': CONSUMER } },
  spec: { clusterID: CONSUMER },
  status: { role: 'Consumer', modules: { networking: { enabled: false }, authentication: { enabled: true, conditions: [established('AuthTenantStatus')] }, offloading: { enabled: false } }, tenantNamespace: { local: `liqo-tenant-${CONSUMER}` } },
};

const tenantNamespace: Namespace = {
  metadata: { name: `liqo-tenant-${PROVIDER}`, labels: { 'liqo.io/tenant-namespace': 'true', 'liqo.io/remote-cluster-id': PROVIDER } },
  status: { phase: 'Active' },
};

test('after Unpeer (v1.0.1 and v1.2.0 shapes) the kept ForeignCluster is shown as a leftover, not a peering, with Clean Up instead of Unpeer / Request Resources', () => {
  for (const [version, fc] of [['v1.0.1', leftoverV101], ['v1.2.0', leftoverV120]] as const) {
    const s = snapshot({ foreignClusters: [fc], namespaces: [tenantNamespace] });
    assert.ok(isLeftoverPeering(fc, s), version);
    const [row] = peeringRows(s);
    assert.ok(row, version);
    assert.match(row.description ?? '', /^not peered · left by an earlier peering/, `${version}: ${row.description}`);
    assert.doesNotMatch(row.description ?? '', /Unknown|Provider|pending|unknown/, version);
    assert.equal(offeredOn('liqo.peering.unpeer', row.contextValue), false, `${version}: no Unpeer on ${row.contextValue}`);
    assert.equal(offeredOn('liqo.peering.requestResources', row.contextValue), false, `${version}: no Request Resources`);
    assert.equal(offeredOn('liqo.peering.cleanUpLeftover', row.contextValue), true, `${version}: Clean Up offered`);
    assert.equal(offeredOn('liqo.resource.revealYaml', row.contextValue), true, `${version}: its YAML still shown`);
    assert.deepEqual(leftoverCleanUp(fc, s), { foreignCluster: PROVIDER, tenantNamespace: `liqo-tenant-${PROVIDER}` }, version);
  }
  // the tenant namespace already gone: only the ForeignCluster
  assert.deepEqual(leftoverCleanUp(leftoverV101, snapshot({ foreignClusters: [leftoverV101] })), { foreignCluster: PROVIDER });
});

test('a peering is not a leftover while anything of it remains, or while the lists are not known', () => {
  const vn: VirtualNode = { metadata: { name: PROVIDER, namespace: `liqo-tenant-${PROVIDER}` }, spec: { clusterID: PROVIDER, createNode: true } };
  const slice: ResourceSlice = { metadata: { name: PROVIDER, namespace: `liqo-tenant-${PROVIDER}` }, spec: { consumerClusterID: CONSUMER, providerClusterID: PROVIDER } };
  const tenant: Tenant = { metadata: { name: CONSUMER, namespace: `liqo-tenant-${CONSUMER}` }, spec: { clusterID: CONSUMER, tenantCondition: 'Active' } };
  assert.ok(!isLeftoverPeering(activeProvider, snapshot({ foreignClusters: [activeProvider] })), 'module conditions: a peering');
  assert.ok(!isLeftoverPeering(leftoverV120, snapshot({ virtualNodes: [vn] })), 'a VirtualNode for the peer');
  assert.ok(!isLeftoverPeering(leftoverV120, snapshot({ resourceSlices: [slice] })), 'a ResourceSlice for the peer');
  const bareConsumer: ForeignCluster = { ...leftoverV101, metadata: { name: CONSUMER }, spec: { clusterID: CONSUMER } };
  assert.ok(!isLeftoverPeering(bareConsumer, snapshot({ tenants: [tenant] })), 'a Tenant for the peer (provider side)');
  assert.ok(!isLeftoverPeering(leftoverV101, snapshot({}, { virtualnodes: { kind: 'loading' } })), 'virtual nodes not listed yet');
  assert.ok(!isLeftoverPeering(leftoverV101, snapshot({}, { tenants: { kind: 'forbidden', message: '403' } })), 'tenants not readable');
  assert.ok(!isLeftoverPeering({ ...leftoverV101, metadata: { ...leftoverV101.metadata, deletionTimestamp: T } }, snapshot({})), 'being deleted');
  // active rows keep their kind and commands
  const [row] = peeringRows(snapshot({ foreignClusters: [activeProvider] }));
  assert.equal(offeredOn('liqo.peering.unpeer', row!.contextValue), true);
});

test('Request Resources is offered on the consumer\'s row of a provider only, never on the provider\'s row of its consumer', () => {
  const [consumerSide] = peeringRows(snapshot({ foreignClusters: [activeProvider] }));
  const tenant: Tenant = { metadata: { name: CONSUMER, namespace: `liqo-tenant-${CONSUMER}` }, spec: { clusterID: CONSUMER } };
  const [providerSide] = peeringRows(snapshot({ foreignClusters: [activeConsumer], tenants: [tenant] }));
  assert.equal(offeredOn('liqo.peering.requestResources', consumerSide!.contextValue), true, consumerSide!.contextValue);
  assert.equal(offeredOn('liqo.peering.requestResources', providerSide!.contextValue), false, providerSide!.contextValue);
  assert.equal(offeredOn('liqo.peering.unpeer', providerSide!.contextValue), true, 'Unpeer works from either side');
  const both: ForeignCluster = { ...activeProvider, status: { ...activeProvider.status, role: 'ConsumerAndProvider' } };
  assert.equal(offeredOn('liqo.peering.requestResources', peeringRows(snapshot({ foreignClusters: [both] }))[0]!.contextValue), true);
});

const entry: ClusterEntry = {
  id: '/k#c',
  contextName: CONSUMER,
  filePath: '/k',
  clusterName: CONSUMER,
  userName: 'admin',
  server: 'https://127.0.0.1:6443',
  auth: 'client-certificate',
  insecureSkipTlsVerify: false,
  nameIsDuplicated: false,
  isCurrentContext: false,
};

const clusterIdMap = (labelled: boolean): ConfigMap => ({
  metadata: { name: 'liqo-clusterid-configmap', namespace: 'liqo', ...(labelled ? { labels: { 'app.kubernetes.io/name': 'clusterid-configmap', 'app.kubernetes.io/part-of': 'liqo' } } : {}) },
  data: { CLUSTER_ID: CONSUMER, CLUSTER_NAME: CONSUMER },
});
/** The live test bed's controller-manager: installed by the chart, scaled to 0 (Liqo runs as processes there). */
const scaledManager: Deployment = {
  metadata: { name: 'liqo-controller-manager', namespace: 'liqo', labels: { 'app.kubernetes.io/name': 'controller-manager', 'app.kubernetes.io/component': 'controller-manager' } },
  spec: { replicas: 0, template: { spec: { containers: [{ name: 'controller-manager', image: 'ghcr.io/liqotech/liqo-controller-manager:v1.0.1' }] } } },
  status: {},
};

test('Install Liqo is not offered on a cluster that runs Liqo; it is where Liqo is absent or not known yet', () => {
  const reachable = { kind: 'reachable', serverVersion: 'v1.34.4' } as const;
  const withLiqo = clusterNode(entry, reachable, ['/k'], liqoInfo(snapshot({ configMaps: [clusterIdMap(true)], liqoDeployments: [scaledManager] })));
  assert.match(withLiqo.contextValue, /\+liqo\b/);
  assert.equal(offeredOn('liqo.cluster.installLiqo', withLiqo.contextValue), false, withLiqo.contextValue);
  assert.equal(offeredOn('liqo.peering.peer', withLiqo.contextValue), true);
  const without = clusterNode(entry, reachable, ['/k'], liqoInfo(snapshot({}, { foreignclusters: { kind: 'absent' } })));
  assert.equal(offeredOn('liqo.cluster.installLiqo', without.contextValue), true, without.contextValue);
  assert.equal(offeredOn('liqo.cluster.installLiqo', clusterNode(entry, { kind: 'idle' }, ['/k']).contextValue), true);
});

test('"health unknown" says why: no Liqo pods (controller-manager scaled to 0, as on the live test bed), or pods not readable', () => {
  const live = liqoInfo(snapshot({ configMaps: [clusterIdMap(true)], liqoDeployments: [scaledManager] }));
  assert.equal(liqoSummary(live), `${CONSUMER} · Liqo v1.0.1 · health unknown (no Liqo pods in liqo: controller-manager scaled to 0)`);
  const forbidden = liqoInfo(snapshot({ configMaps: [clusterIdMap(true)], liqoDeployments: [scaledManager] }, { liqoPods: { kind: 'forbidden', message: 'pods is forbidden' } }));
  assert.match(liqoSummary(forbidden) ?? '', /health unknown \(no permission to list pods in liqo\)$/);
  const node = clusterNode(entry, { kind: 'reachable', serverVersion: 'v1.34.4' }, ['/k'], live);
  assert.match(node.tooltip ?? '', /Health: unknown: no Liqo pods in liqo: controller\\-manager scaled to 0/);
});

test('the cluster-ID ConfigMap is found one way (by name) for the tree and the pre-flight; a missing label is said by both', () => {
  assert.equal(clusterIdConfigMapProblem(clusterIdMap(true)), undefined);
  const problem = clusterIdConfigMapProblem(clusterIdMap(false));
  assert.match(problem ?? '', /lacks the label app\.kubernetes\.io\/name=clusterid-configmap.*kubectl label configmap -n liqo liqo-clusterid-configmap/);
  // the tree: Liqo there, with the same problem in the row (not "healthy")
  const info = liqoInfo(snapshot({ configMaps: [clusterIdMap(false)], liqoDeployments: [scaledManager] }));
  assert.equal(info.clusterId, CONSUMER);
  assert.equal(info.clusterIdProblem, problem);
  assert.match(liqoSummary(info) ?? '', /cluster ID unlabelled: liqoctl will not find it/);
  // the pre-flight: the same words, as an error that stops the peering (liqoctl would fail on it)
  const side = (contextName: string, over: Partial<PeerSideFacts> = {}): PeerSideFacts => ({ contextName, server: 'https://127.0.0.1:6443', liqoVersion: 'v1.0.1', clusterId: contextName, liqoNamespace: 'liqo', ...over });
  const findings = preflight(side(CONSUMER, { clusterIdProblem: problem! }), side(PROVIDER, { server: 'https://127.0.0.1:7443' }), 'v1.0.1');
  assert.deepEqual(findings.map((f) => f.severity), ['error']);
  assert.ok(findings[0]!.message.includes(problem!), findings[0]!.message);
  assert.doesNotMatch(findings[0]!.message, /not installed/);
});

const offloading = (ns: string, remote: Record<string, unknown>, phase: NamespaceOffloading['status'] extends infer S ? S extends { offloadingPhase?: infer P } ? P : never : never): NamespaceOffloading => ({
  apiVersion: 'offloading.liqo.io/v1beta1',
  kind: 'NamespaceOffloading',
  metadata: { name: 'offloading', namespace: ns },
  spec: { namespaceMappingStrategy: 'DefaultName', podOffloadingStrategy: 'Remote', clusterSelector: { nodeSelectorTerms: [] } },
  status: { offloadingPhase: phase, remoteNamespaceName: `${ns}-${CONSUMER}`, remoteNamespacesConditions: remote as never },
});

test('Unpeer\'s confirmation names the offloaded namespaces it affects; afterwards their rows say there is no virtual node at all', () => {
  const cond = [{ type: 'OffloadingRequired', status: 'True', reason: 'ClusterSelected', message: 'You have been selected to receive pod replicas' }, { type: 'Ready', status: 'True', reason: 'RemoteNamespaceCreated', message: 'Namespace correctly offloaded on this cluster' }];
  const vn: VirtualNode = { metadata: { name: PROVIDER, namespace: `liqo-tenant-${PROVIDER}` }, spec: { clusterID: PROVIDER } };
  const impact = unpeerImpact([offloading('kubeflow', { [PROVIDER]: cond }, 'Ready')], [vn], PROVIDER);
  assert.deepEqual(impact, { reaching: ['kubeflow'], stranded: ['kubeflow'] });
  const text = unpeerImpactText(impact, CONSUMER, PROVIDER) ?? '';
  assert.match(text, /Offloaded to cluster-b now: kubeflow/);
  assert.match(text, /no virtual node: kubeflow stays offloaded/);
  assert.equal(unpeerImpactText(unpeerImpact([], [vn], PROVIDER), CONSUMER, PROVIDER), undefined, 'nothing offloaded: nothing added');
  // another provider's virtual node keeps the namespace served
  const other: VirtualNode = { metadata: { name: 'cluster-c', namespace: 'liqo-tenant-cluster-c' }, spec: { clusterID: 'cluster-c' } };
  assert.deepEqual(unpeerImpact([offloading('kubeflow', { [PROVIDER]: cond }, 'Ready')], [vn, other], PROVIDER).stranded, []);

  // after the Unpeer: Liqo sets NoClusterSelected and empties the per-cluster conditions; no VirtualNode remains
  const after = snapshot({ offloadings: [offloading('kubeflow', {}, 'NoClusterSelected')] });
  const out: SubtreeMap = new Map();
  const [row] = addOffloadingRows(ctxOf(after), childKey(clusterRowKey('/k#c'), 'offloaded'), out);
  assert.doesNotMatch(row!.tooltip ?? '', /matches the namespace's cluster selector/);
  assert.match(row!.tooltip ?? '', /no virtual node at all/);
  // with a virtual node that the selector misses, the selector is still what is wrong
  const missed = snapshot({ offloadings: [offloading('kubeflow', {}, 'NoClusterSelected')], virtualNodes: [vn] });
  assert.match(addOffloadingRows(ctxOf(missed), childKey(clusterRowKey('/k#c'), 'offloaded'), new Map())[0]!.tooltip ?? '', /cluster selector/);
});

// ---- Cancel during Peer: roll back only what the cancelled peering added ----
const none: PeeringSideState = { foreignClusters: [], tenantNamespaces: [], tenants: [], identities: [] };
const ids = { consumerId: CONSUMER, providerId: PROVIDER };

test('a Peer cancelled after the provider made its Tenant (v1.2.0: "Consumer · healthy" there, no ForeignCluster on the consumer) is rolled back by deletions, not by a liqoctl unpeer that fails', () => {
  const after = {
    consumer: { ...none, tenantNamespaces: [`liqo-tenant-${PROVIDER}`] },
    provider: { ...none, foreignClusters: [CONSUMER], tenantNamespaces: [`liqo-tenant-${CONSUMER}`], tenants: [{ namespace: `liqo-tenant-${CONSUMER}`, name: CONSUMER, clusterId: CONSUMER }] },
  };
  const steps = rollbackPlan(ids, { consumer: none, provider: none }, after);
  assert.deepEqual(
    steps.map((s) => (s.kind === 'unpeer' ? 'unpeer' : `${s.side}: ${s.path}`)),
    [
      `provider: /apis/authentication.liqo.io/v1beta1/namespaces/liqo-tenant-${CONSUMER}/tenants/${CONSUMER}`,
      `provider: /api/v1/namespaces/liqo-tenant-${CONSUMER}`,
      `consumer: /api/v1/namespaces/liqo-tenant-${PROVIDER}`,
      `provider: /apis/core.liqo.io/v1beta1/foreignclusters/${CONSUMER}`,
    ],
  );
});

test('a Peer cancelled once the consumer has its ForeignCluster is undone by liqoctl unpeer (+ --delete-namespaces and the ForeignClusters when all of it is new)', () => {
  const after = {
    consumer: { ...none, foreignClusters: [PROVIDER], tenantNamespaces: [`liqo-tenant-${PROVIDER}`], identities: [{ namespace: `liqo-tenant-${PROVIDER}`, name: `controlplane-${PROVIDER}`, clusterId: PROVIDER }] },
    provider: { ...none, foreignClusters: [CONSUMER], tenantNamespaces: [`liqo-tenant-${CONSUMER}`], tenants: [{ namespace: `liqo-tenant-${CONSUMER}`, name: CONSUMER, clusterId: CONSUMER }] },
  };
  const steps = rollbackPlan(ids, { consumer: none, provider: none }, after);
  assert.deepEqual(steps.map((s) => (s.kind === 'unpeer' ? `unpeer ${s.deleteNamespaces}` : s.what)), ['unpeer true', `ForeignCluster ${CONSUMER}`, `ForeignCluster ${PROVIDER}`]);
});

test('rollback never touches what existed before: a reverse peering keeps its ForeignClusters, namespaces and networking (no liqoctl unpeer)', () => {
  const reverse = {
    consumer: { ...none, foreignClusters: [PROVIDER], tenantNamespaces: [`liqo-tenant-${PROVIDER}`], tenants: [{ namespace: `liqo-tenant-${PROVIDER}`, name: PROVIDER, clusterId: PROVIDER }] },
    provider: { ...none, foreignClusters: [CONSUMER], tenantNamespaces: [`liqo-tenant-${CONSUMER}`], identities: [{ namespace: `liqo-tenant-${CONSUMER}`, name: `controlplane-${CONSUMER}`, clusterId: CONSUMER }] },
  };
  const after = {
    consumer: { ...reverse.consumer, identities: [{ namespace: `liqo-tenant-${PROVIDER}`, name: `controlplane-${PROVIDER}`, clusterId: PROVIDER }] },
    provider: { ...reverse.provider, tenants: [{ namespace: `liqo-tenant-${CONSUMER}`, name: CONSUMER, clusterId: CONSUMER }] },
  };
  const steps = rollbackPlan(ids, reverse, after);
  assert.deepEqual(steps.map((s) => (s.kind === 'unpeer' ? 'unpeer' : `${s.side}: ${s.what}`)), [`provider: Tenant liqo-tenant-${CONSUMER}/${CONSUMER}`, `consumer: Identity liqo-tenant-${PROVIDER}/controlplane-${PROVIDER}`]);
  assert.deepEqual(rollbackPlan(ids, reverse, reverse), [], 'cancelled before anything was made: nothing to do');
});

// ---- Pods stranded by Unoffload, as the virtual kubelet's fallback reflector marks them ----
test('pods stranded on virtual nodes after Unoffload are found: OffloadingAborted / OffloadingBackOff, or still bound to a virtual or vanished node', () => {
  const pod = (name: string, nodeName: string | undefined, status: Pod['status']): Pod => ({ metadata: { name, namespace: 'kubeflow' }, spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'main' }] }, status });
  const rejectedConds = [{ type: 'Ready', status: 'False' }, { type: 'PodScheduled', status: 'True' }];
  const pods = [
    // forge.LocalRejectedPodStatus: a started pod → Failed, reason OffloadingAborted, its True conditions set False
    pod('trainer-0', PROVIDER, { phase: 'Failed', reason: 'OffloadingAborted', conditions: rejectedConds, containerStatuses: [{ name: 'main', ready: false, restartCount: 0 }] }),
    // not started yet → Pending, OffloadingBackOff
    pod('trainer-1', PROVIDER, { phase: 'Pending', reason: 'OffloadingBackOff', conditions: rejectedConds }),
    // not yet marked, still bound to the virtual node
    pod('trainer-2', PROVIDER, { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] }),
    // bound to a node that is gone (after Unpeer)
    pod('trainer-3', 'cluster-c', { phase: 'Running' }),
    pod('local', 'worker-1', { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] }),
    pod('done', PROVIDER, { phase: 'Succeeded', reason: 'OffloadingAborted' }),
    pod('pending', undefined, { phase: 'Pending' }),
  ];
  const found = strandedPods(pods, new Set([PROVIDER]), new Set([PROVIDER, 'worker-1']));
  assert.deepEqual(found, [
    { name: 'trainer-0', nodeName: PROVIDER, why: 'Failed · OffloadingAborted' },
    { name: 'trainer-1', nodeName: PROVIDER, why: 'Pending · OffloadingBackOff' },
    { name: 'trainer-2', nodeName: PROVIDER, why: `on virtual node ${PROVIDER}, namespace not offloaded` },
    { name: 'trainer-3', nodeName: 'cluster-c', why: 'on node cluster-c, which no longer exists' },
  ]);
});

test('a tenant namespace held Terminating by the crd-replicator\'s finalizers (seen with v1.2.0 after unpeer) gets the FAQ\'s way out, other finalizers kept', () => {
  const ns = `liqo-tenant-${PROVIDER}`;
  const advice = stuckNamespaceAdvice(ns, [
    { resource: 'renews.authentication.liqo.io', name: `controlplane-${PROVIDER}`, finalizers: ['crdreplicator.liqo.io/resource'] },
    { resource: 'secret', name: `kubeconfig-controlplane-${PROVIDER}`, finalizers: ['example.com/keep', 'crdreplicator.liqo.io/operator'] },
  ]);
  assert.deepEqual(advice.commands, [
    ['kubectl', 'patch', 'renews.authentication.liqo.io', `controlplane-${PROVIDER}`, '-n', ns, '--type=merge', '-p', '{"metadata":{"finalizers":[]}}'],
    ['kubectl', 'patch', 'secret', `kubeconfig-controlplane-${PROVIDER}`, '-n', ns, '--type=merge', '-p', '{"metadata":{"finalizers":["example.com/keep"]}}'],
  ]);
  assert.match(advice.message, /stays Terminating: renews\.authentication\.liqo\.io\/controlplane-cluster-b \(crdreplicator\.liqo\.io\/resource\), secret\/kubeconfig-controlplane-cluster-b \(crdreplicator\.liqo\.io\/operator\)/);
  assert.match(advice.message, /How to force unpeer a cluster\?/);
  assert.deepEqual(stuckNamespaceAdvice(ns, []).commands, []);
});
