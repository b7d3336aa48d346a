import { test } from 'node:test';
import assert from 'node:assert/strict';
import { controllerManagerVersion, formatMemory, formatResources, liqoInfo, emptySnapshot, namespaceRole, podPlacement, podSummary } from '../../src/core/liqo/snapshot.ts';
import { explainCondition, explainOffloadingPhase, remoteNamespaceHealth, worstHealth } from '../../src/core/liqo/explain.ts';
import { moduleHealth, peeringHealth } from '../../src/core/tree/peeringNodes.ts';
import { objectYaml } from '../../src/core/liqo/objectYaml.ts';
import type { ForeignCluster, Pod } from '../../src/core/liqo/objects.ts';

test('resources read the way people say them', () => {
  assert.equal(formatResources({ cpu: '15500m', memory: '65536Mi', pods: '110', 'nvidia.com/gpu': '4', 'ephemeral-storage': '1Ti' }), '15.5 CPU · 64Gi · 110 pods · 4 GPU');
  assert.equal(formatResources({ 'example.com/fpga': '2', cpu: '2' }), '2 CPU · 2 example.com/fpga');
  assert.equal(formatMemory('1536Mi'), '1.5Gi');
  assert.equal(formatMemory('64G'), '59.6Gi');
  assert.equal(formatMemory('2048Ki'), '2Mi');
  assert.equal(formatMemory('weird'), 'weird');
});

test('Liqo version comes from the controller-manager image tag, as liqoctl reads it', () => {
  const dep = (image: string) => ({ metadata: { name: 'liqo-controller-manager' }, spec: { template: { spec: { containers: [{ name: 'controller-manager', image }] } } } });
  assert.equal(controllerManagerVersion([dep('ghcr.io/liqotech/liqo-controller-manager:v1.0.1')]), 'v1.0.1');
  assert.equal(controllerManagerVersion([dep('registry:5000/liqo/cm')]), undefined, 'a registry port is not a tag');
});

test('Liqo presence: absent CRDs mean not installed; a 403 alone does not decide', () => {
  const s = emptySnapshot();
  assert.equal(liqoInfo({ ...s, kinds: { ...s.kinds, foreignclusters: { kind: 'absent' } } }).presence, 'not-installed');
  assert.equal(liqoInfo({ ...s, kinds: { ...s.kinds, foreignclusters: { kind: 'forbidden', message: 'x' } } }).presence, 'unknown');
  assert.equal(liqoInfo({ ...s, kinds: { ...s.kinds, foreignclusters: { kind: 'forbidden', message: 'x' }, virtualnodes: { kind: 'ready' } } }).presence, 'installed');
});

test('pod summary names the reason a container failed', () => {
  const pod = (status: Pod['status']): Pod => ({ metadata: { name: 'p', namespace: 'ns' }, spec: { nodeName: 'cluster-b' }, status });
  assert.deepEqual(podSummary(pod({ phase: 'Failed', containerStatuses: [{ name: 'c', state: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }] })), {
    phase: 'Failed',
    ready: false,
    restarts: 0,
    problem: 'OOMKilled (exit 137)',
  });
  assert.equal(podSummary(pod({ phase: 'Running', containerStatuses: [{ name: 'c', restartCount: 7, state: { waiting: { reason: 'CrashLoopBackOff' } } }] })).problem, 'CrashLoopBackOff');
  assert.equal(podSummary(pod({ phase: 'Pending', containerStatuses: [{ name: 'c', state: { waiting: { reason: 'ContainerCreating' } } }] })).problem, undefined);
  assert.deepEqual(podPlacement(pod({}), new Map([['cluster-b', 'cluster-b-id']])), { kind: 'virtual', nodeName: 'cluster-b', remoteClusterId: 'cluster-b-id' });
  assert.deepEqual(podPlacement(pod({}), new Map()), { kind: 'local', nodeName: 'cluster-b' });
});

test('namespace roles: offloaded, twin, tenant, Liqo, plain', () => {
  const ns = (name: string, labels: Record<string, string> = {}, annotations: Record<string, string> = {}) => ({ metadata: { name, labels, annotations } });
  const off = { metadata: { name: 'offloading', namespace: 'kubeflow' } };
  assert.equal(namespaceRole(ns('kubeflow'), [off]).kind, 'offloaded');
  assert.deepEqual(namespaceRole(ns('kubeflow-a', { 'liqo.io/remote-cluster-id': 'a' }, { 'liqo.io/original-name': 'kubeflow' }), []), { kind: 'twin', originClusterId: 'a', originalName: 'kubeflow' });
  assert.deepEqual(namespaceRole(ns('liqo-tenant-a', { 'liqo.io/tenant-namespace': 'true', 'liqo.io/remote-cluster-id': 'a' }), []), { kind: 'tenant', remoteClusterId: 'a' });
  assert.equal(namespaceRole(ns('liqo'), []).kind, 'liqo');
  assert.equal(namespaceRole(ns('default'), []).kind, 'plain');
});

test('conditions: health and plain words', () => {
  assert.equal(explainCondition({ type: 'NetworkConnectionStatus', status: 'Established' }).what, undefined);
  const bad = explainCondition({ type: 'NetworkConnectionStatus', status: 'Error' });
  assert.equal(bad.health, 'failed');
  assert.equal(bad.side, 'between the two gateways');
  assert.equal(explainCondition({ type: 'AuthIdentityControlPlaneStatus', status: 'Pending' }).health, 'pending');
  const unknown = explainCondition({ type: 'SomethingNew', status: 'Error', message: 'boom' });
  assert.equal(unknown.what, 'boom');
  assert.equal(worstHealth(['healthy', 'pending', 'failed']), 'failed');
  assert.equal(explainOffloadingPhase('NoClusterSelected').health, 'failed');
  assert.equal(remoteNamespaceHealth([{ type: 'OffloadingRequired', status: 'True' }, { type: 'Ready', status: 'False', reason: 'CreationLoopBackOff' }]).health, 'failed');
  assert.equal(remoteNamespaceHealth([{ type: 'OffloadingRequired', status: 'False' }]).health, 'disabled');
});

test('peering health: disabled modules do not count; no conditions yet is pending', () => {
  const fc: ForeignCluster = {
    metadata: { name: 'b' },
    status: {
      role: 'Provider',
      modules: {
        networking: { enabled: true, conditions: [{ type: 'NetworkConnectionStatus', status: 'Established' }] },
        authentication: { enabled: true, conditions: [{ type: 'AuthIdentityControlPlaneStatus', status: 'Ready' }] },
        offloading: { enabled: false },
      },
    },
  };
  assert.equal(peeringHealth(fc), 'healthy');
  assert.equal(moduleHealth({ enabled: true }), 'pending');
  assert.equal(moduleHealth(undefined), 'disabled');
});

test('YAML view drops managedFields and redacts credentials', () => {
  const text = objectYaml({
    metadata: { name: 'rs', managedFields: [{ manager: 'x' }] } as never,
    status: { authParams: { ca: 'Q0E=', awsConfig: { awsAccessKeyID: 'AKIA', awsSecretAccessKey: 'very-secret' } }, token: 'tkn' },
  } as never);
  assert.doesNotMatch(text, /managedFields|very-secret|tkn/);
  assert.match(text, /awsSecretAccessKey: <redacted>/);
  assert.match(text, /ca: Q0E=/);
});
