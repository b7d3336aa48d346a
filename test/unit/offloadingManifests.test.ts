// NamespaceOffloading, cluster selector, probe pod and ResourceSlice from user choices: the shapes liqoctl and Liqo
// expect, the selector preview over virtual-node labels, and the status readings commands follow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalTerm, describeTerm, labelChoices, matchingNodes, selectorTermToText } from '../../src/core/offloading/clusterSelector.ts';
import { namespaceOffloadingManifest, namespaceOffloadingPath, remoteNamespaceNameProblem } from '../../src/core/offloading/namespaceOffloading.ts';
import { offloadingProgress } from '../../src/core/offloading/offloadingPhase.ts';
import { probePlacement, probePodManifest } from '../../src/core/offloading/probePod.ts';
import { resourceSliceManifest, resourceSliceOutcome, resourceSliceProblems, unreplicatedSliceNextStep } from '../../src/core/offloading/resourceSlice.ts';

const vn = (name: string, labels: Record<string, string>) => ({ name, labels: { 'liqo.io/type': 'virtual-node', 'kubernetes.io/hostname': name, ...labels } });
const nodes = [vn('cluster-b', { 'topology.region': 'center', 'gdpr-approved': 'true' }), vn('cluster-c', { 'topology.region': 'north' }), vn('gpu-1', { 'topology.region': 'center', 'nvidia.com/gpu.present': 'true' })];

test('label choices come from the virtual nodes, without the labels every one carries', () => {
  assert.deepEqual([...labelChoices(nodes)], [
    ['gdpr-approved', ['true']],
    ['nvidia.com/gpu.present', ['true']],
    ['topology.region', ['center', 'north']],
  ]);
});

test('the preview: terms ORed, requirements ANDed, no term matches all', () => {
  const names = (terms: Parameters<typeof matchingNodes>[0]) => matchingNodes(terms, nodes).map((n) => n.name);
  assert.deepEqual(names([]), ['cluster-b', 'cluster-c', 'gpu-1']);
  assert.deepEqual(names([[{ key: 'topology.region', operator: 'In', values: ['center'] }, { key: 'gdpr-approved', operator: 'In', values: ['true'] }]]), ['cluster-b']);
  assert.deepEqual(names([[{ key: 'gdpr-approved', operator: 'In', values: ['true'] }], [{ key: 'topology.region', operator: 'In', values: ['north'] }]]), ['cluster-b', 'cluster-c']);
  assert.deepEqual(names([[{ key: 'topology.region', operator: 'NotIn', values: ['center'] }]]), ['cluster-c']);
  assert.deepEqual(names([[{ key: 'nvidia.com/gpu.present', operator: 'Exists' }]]), ['gpu-1']);
  assert.deepEqual(names([[{ key: 'gdpr-approved', operator: 'DoesNotExist' }]]), ['cluster-c', 'gpu-1']);
  assert.deepEqual(names([[]]), []);
});

test('selector text is canonical (sorted keys and values) so liqoctl parses it back to the same requirements', () => {
  const term = [
    { key: 'topology.region', operator: 'In' as const, values: ['north', 'center', 'north'] },
    { key: 'gdpr-approved', operator: 'In' as const, values: ['true'] },
    { key: 'staging', operator: 'DoesNotExist' as const },
    { key: 'env', operator: 'NotIn' as const, values: ['dev'] },
    { key: 'gpu', operator: 'Exists' as const },
  ];
  assert.equal(selectorTermToText(term), 'env notin (dev),gdpr-approved in (true),gpu,!staging,topology.region in (center,north)');
  assert.equal(describeTerm(term.slice(0, 2)), 'gdpr-approved in (true) and topology.region in (center,north)');
  assert.throws(() => canonicalTerm([{ key: 'a', operator: 'Exists' }, { key: 'a', operator: 'In', values: ['x'] }]), /appears twice/);
  assert.throws(() => canonicalTerm([{ key: 'a', operator: 'In', values: [] }]), /at least one value/);
});

test('the NamespaceOffloading: named offloading, empty selector written as liqoctl writes it', () => {
  const m = namespaceOffloadingManifest('kubeflow', { podOffloadingStrategy: 'LocalAndRemote', namespaceMappingStrategy: 'DefaultName', clusterSelector: [] });
  assert.deepEqual(m, {
    apiVersion: 'offloading.liqo.io/v1beta1',
    kind: 'NamespaceOffloading',
    metadata: { name: 'offloading', namespace: 'kubeflow' },
    spec: { podOffloadingStrategy: 'LocalAndRemote', namespaceMappingStrategy: 'DefaultName', clusterSelector: { nodeSelectorTerms: [] } },
  });
  const s = namespaceOffloadingManifest('kubeflow', {
    podOffloadingStrategy: 'Remote',
    namespaceMappingStrategy: 'SelectedName',
    remoteNamespaceName: 'kf-remote',
    clusterSelector: [[{ key: 'topology.region', operator: 'In', values: ['center'] }, { key: 'gdpr-approved', operator: 'In', values: ['true'] }]],
  });
  assert.equal(s.spec.remoteNamespaceName, 'kf-remote');
  assert.deepEqual(s.spec.clusterSelector.nodeSelectorTerms, [
    { matchExpressions: [{ key: 'gdpr-approved', operator: 'In', values: ['true'] }, { key: 'topology.region', operator: 'In', values: ['center'] }] },
  ]);
  const d = namespaceOffloadingManifest('a', { podOffloadingStrategy: 'Local', namespaceMappingStrategy: 'EnforceSameName', remoteNamespaceName: 'ignored', clusterSelector: [[{ key: 'x', operator: 'Exists' }]] });
  assert.equal(d.spec.remoteNamespaceName, undefined);
  assert.deepEqual(d.spec.clusterSelector.nodeSelectorTerms, [{ matchExpressions: [{ key: 'x', operator: 'Exists' }] }]);
  assert.throws(() => namespaceOffloadingManifest('a', { podOffloadingStrategy: 'Local', namespaceMappingStrategy: 'SelectedName', clusterSelector: [] }), /needs a remote namespace name/);
  assert.match(remoteNamespaceNameProblem('Bad_Name') ?? '', /not a valid namespace name/);
  assert.equal(remoteNamespaceNameProblem('ok-name'), undefined);
  assert.equal(namespaceOffloadingPath('kube flow'), '/apis/offloading.liqo.io/v1beta1/namespaces/kube%20flow/namespaceoffloadings/offloading');
});

test('following the phase: Ready, failures with per-cluster reasons, stale status is pending', () => {
  assert.equal(offloadingProgress({}).outcome, 'pending');
  assert.deepEqual(offloadingProgress({ status: { offloadingPhase: 'Ready', remoteNamespaceName: 'kubeflow-a' } }), { outcome: 'ready', phase: 'Ready', reasons: [], remoteNamespaceName: 'kubeflow-a' });
  const failed = offloadingProgress({
    status: {
      offloadingPhase: 'SomeFailed',
      remoteNamespacesConditions: {
        'cluster-b': [{ type: 'Ready', status: 'True', reason: 'NamespaceCreated' }],
        'cluster-c': [{ type: 'Ready', status: 'False', reason: 'CreationLoopBackOff', message: 'namespace exists' }],
      },
    },
  });
  assert.equal(failed.outcome, 'failed');
  assert.deepEqual(failed.reasons, ['cluster-c: Ready False (CreationLoopBackOff: namespace exists)']);
  assert.deepEqual(offloadingProgress({ status: { offloadingPhase: 'NoClusterSelected' } }).reasons, ['No peered cluster matches the cluster selector.']);
  assert.equal(offloadingProgress({ metadata: { generation: 3 }, status: { offloadingPhase: 'Ready', observedGeneration: 2 } }).outcome, 'pending');
});

test('the probe pod can only run on a virtual node, and its placement is read back', () => {
  const pod = probePodManifest({ namespace: 'kubeflow', suffix: 'abc123', seconds: 5 }) as {
    metadata: { name: string };
    spec: { tolerations: unknown[]; affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: Array<{ matchExpressions: unknown[] }> } } }; restartPolicy: string };
  };
  assert.equal(pod.metadata.name, 'liqo-offloading-probe-abc123');
  assert.deepEqual(pod.spec.tolerations, [{ key: 'virtual-node.liqo.io/not-allowed', operator: 'Exists', effect: 'NoExecute' }]);
  assert.deepEqual(pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms, [{ matchExpressions: [{ key: 'liqo.io/type', operator: 'In', values: ['virtual-node'] }] }]);
  assert.equal(pod.spec.restartPolicy, 'Never');
  const vns = new Set(['cluster-b']);
  assert.deepEqual(probePlacement({ spec: { nodeName: 'cluster-b' }, status: { phase: 'Running' } }, vns), { phase: 'Running', nodeName: 'cluster-b', onVirtualNode: true });
  assert.equal(probePlacement({ spec: { nodeName: 'worker' }, status: { phase: 'Running' } }, vns).onVirtualNode, false);
  assert.match(
    probePlacement({ status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available' }] } }, vns).problem ?? '',
    /not scheduled: Unschedulable: 0\/3 nodes/,
  );
});

test('the ResourceSlice as liqoctl create resourceslice forges it, with extended resources', () => {
  const m = resourceSliceManifest({ name: 'gpu-slice', tenantNamespace: 'liqo-tenant-cluster-b', providerClusterId: 'cluster-b', resources: { cpu: '4', memory: '8Gi', pods: '', 'nvidia.com/gpu': '1' } });
  assert.deepEqual(m, {
    apiVersion: 'authentication.liqo.io/v1beta1',
    kind: 'ResourceSlice',
    metadata: {
      name: 'gpu-slice',
      namespace: 'liqo-tenant-cluster-b',
      labels: { 'liqo.io/replication': 'true', 'liqo.io/remoteID': 'cluster-b', 'liqo.io/remote-cluster-id': 'cluster-b' },
      annotations: { 'liqo.io/create-virtual-node': 'true' },
    },
    spec: { class: 'default', providerClusterID: 'cluster-b', resources: { cpu: '4', memory: '8Gi', 'nvidia.com/gpu': '1' } },
  });
  assert.deepEqual(resourceSliceProblems({ name: 'Bad', tenantNamespace: 't', providerClusterId: 'p', resources: { cpu: 'lots', 'nvidia com/gpu': '1' } }), [
    '"Bad" is not a valid ResourceSlice name (lower-case DNS name).',
    'cpu: "lots" is not a quantity (e.g. 4, 500m, 8Gi).',
    '"nvidia com/gpu" is not a resource name (e.g. cpu, memory, pods, nvidia.com/gpu).',
  ]);
  assert.throws(() => resourceSliceManifest({ name: 'a', tenantNamespace: 't', providerClusterId: 'p', resources: {} }), /at least one quantity/);
  assert.equal(resourceSliceOutcome({ status: { conditions: [{ type: 'Authentication', status: 'Accepted' }, { type: 'Resources', status: 'Accepted' }] } }).outcome, 'accepted');
  assert.match(resourceSliceOutcome({ status: { conditions: [{ type: 'Resources', status: 'Denied', reason: 'TenantCordoned' }] } }).detail, /Resources denied: TenantCordoned/);
  assert.equal(resourceSliceOutcome({}).outcome, 'pending');
});

test('a slice without any status is told apart (the provider never saw it) and its next step names the replicator', () => {
  const none = resourceSliceOutcome({ metadata: { name: 'cluster-b' }, status: {} });
  assert.deepEqual([none.outcome, none.unreplicated], ['pending', true]);
  assert.match(none.detail, /no status yet, so Liqo's CRD replicator has not copied the slice/);
  const half = resourceSliceOutcome({ status: { conditions: [{ type: 'Authentication', status: 'Accepted' }] } });
  assert.deepEqual([half.outcome, half.unreplicated], ['pending', undefined]);
  assert.match(half.detail, /Authentication accepted, Resources pending/);
  const step = unreplicatedSliceNextStep('kind-mlops-platform', 'liqo-system');
  assert.match(step, /kubectl --context kind-mlops-platform -n liqo-system rollout restart deployment liqo-crd-replicator/);
  assert.match(unreplicatedSliceNextStep('kind-mlops-platform'), / -n liqo rollout restart/);
});
