// Install Liqo…'s detection and plan: distributions from node facts and version strings, CIDRs from nodes, pods
// and the API server's refusal, the proposed cluster ID, and the argv liqoctl gets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectDistribution, type NodeFacts } from '../../src/core/install/distribution.ts';
import { coveringCidr, detectPodCidr, serviceCidrFromRefusal } from '../../src/core/install/cidrs.ts';
import { planInstall, proposeClusterId } from '../../src/core/install/installPlan.ts';

const node = (name: string, extra: Partial<NodeFacts> = {}): NodeFacts => ({ name, labels: {}, ...extra });
const cp = { 'node-role.kubernetes.io/control-plane': '' };

test('distributions from names, labels, providerIDs and versions', () => {
  const d = (nodes: NodeFacts[], v = 'v1.34.4') => detectDistribution(nodes, v).distribution;
  assert.equal(d([node('kind-a-control-plane', { labels: cp }), node('kind-a-worker')]), 'kind');
  assert.equal(d([node('n1', { providerID: 'kind://docker/a/n1' })]), 'kind');
  assert.equal(d([node('srv', { labels: cp, kubeletVersion: 'v1.31.4+k3s1' })]), 'k3s');
  assert.equal(d([node('srv')], 'v1.31.4+k3s1'), 'k3s');
  assert.equal(d([node('w', { kubeletVersion: 'v1.30.2+k0s' })]), 'k0s');
  assert.equal(d([node('ip-10-0-1-2', { labels: { 'eks.amazonaws.com/nodegroup': 'ng' }, providerID: 'aws:///eu-west-1a/i-1' })]), 'eks');
  assert.equal(d([node('ip-10-0-1-2')], 'v1.29.8-eks-a737599'), 'eks');
  assert.equal(d([node('gke-a-pool-1', { labels: { 'cloud.google.com/gke-nodepool': 'pool' }, providerID: 'gce://p/z/n' })]), 'gke');
  assert.equal(d([node('aks-pool-1', { labels: { 'kubernetes.azure.com/cluster': 'rg' }, providerID: 'azure:///subs/x' })]), 'aks');
  assert.equal(d([node('master-0', { labels: { ...cp, 'node.openshift.io/os_id': 'rhcos' } })]), 'openshift');
  assert.equal(d([node('cp-1', { labels: cp })]), 'kubeadm');
  assert.equal(d([node('n1')]), 'unknown');
  // Virtual nodes describe the remote cluster and are ignored.
  assert.equal(d([node('cluster-b', { labels: { 'liqo.io/type': 'virtual-node', 'eks.amazonaws.com/nodegroup': 'x' } }), node('cp', { labels: cp })]), 'kubeadm');
  assert.match(detectDistribution([node('kind-a-control-plane', { labels: cp })], 'v1').reason, /named as kind names/);
});

test('CIDRs: covering prefix of nodes, a /16-or-wider guess from pods, the range from the refusal', () => {
  assert.equal(coveringCidr(['10.244.0.0/24', '10.244.1.0/24', '10.244.3.0/24']), '10.244.0.0/22');
  assert.equal(coveringCidr(['10.42.0.0/24']), '10.42.0.0/24');
  assert.equal(coveringCidr(['fd00::/64']), undefined);
  assert.deepEqual(detectPodCidr(['10.244.0.0/24', '10.244.1.0/24'], ['1.2.3.4']), { cidr: '10.244.0.0/23', source: "the nodes' podCIDRs", guessed: false });
  const guess = detectPodCidr([], ['10.244.0.7', '10.244.0.12', '10.244.3.1']);
  assert.equal(guess?.cidr, '10.244.0.0/16');
  assert.equal(guess?.guessed, true);
  assert.equal(detectPodCidr([], ['10.1.0.1', '10.200.0.1'])?.cidr, '10.0.0.0/8');
  assert.equal(detectPodCidr([], []), undefined);
  const refusal = 'The Service "liqo-cidr-probe" is invalid: spec.clusterIPs: Invalid value: ["1.1.1.1"]: failed to allocate IP 1.1.1.1: the provided IP (1.1.1.1) is not in the valid range. The range of valid IPs is 10.96.0.0/16';
  assert.equal(serviceCidrFromRefusal(refusal), '10.96.0.0/16');
  assert.equal(serviceCidrFromRefusal('The range of valid IPs is fd00:10:96::/112, 10.96.0.0/12'), '10.96.0.0/12');
  assert.equal(serviceCidrFromRefusal('forbidden'), undefined);
});

test('cluster IDs: DNS labels from context names, distinct from the taken ones', () => {
  assert.equal(proposeClusterId('kind-mlops-platform', []), 'kind-mlops-platform');
  assert.equal(proposeClusterId('arn:aws:eks:eu-west-1:123:cluster/Prod_EU', []), 'arn-aws-eks-eu-west-1-123-cluster-prod-eu');
  assert.equal(proposeClusterId('default', ['default', 'default-2']), 'default-3');
  assert.equal(proposeClusterId('1st', []), 'c-1st');
  assert.equal(proposeClusterId('***', []), 'cluster');
  assert.ok(proposeClusterId('x'.repeat(100), []).length <= 63);
});

test('plans: the generic install with detected CIDRs where the provider could not read them', () => {
  const base = {
    contextName: 'kind-edge',
    distributionReason: 'node kind-edge-control-plane is named as kind names its control plane',
    podCidr: { cidr: '10.244.0.0/16', source: 'pod IPs', guessed: true },
    serviceCidr: { cidr: '10.96.0.0/16', source: "the API server's answer", guessed: false },
    commonNodeLabels: { 'topology.kubernetes.io/region': 'center', 'kubernetes.io/os': 'linux' },
    takenClusterIds: ['cluster-b'],
  };
  const noKcm = planInstall({ ...base, distribution: 'kind', controllerManagerPod: false });
  assert.deepEqual(noKcm.args, ['install', '--cluster-id=kind-edge', '--cluster-labels=topology.kubernetes.io/region=center', '--pod-cidr=10.244.0.0/16', '--service-cidr=10.96.0.0/16']);
  assert.equal(noKcm.provider, '');
  assert.ok(noKcm.notes.some((n) => /kube-controller-manager pod/.test(n)));
  assert.deepEqual(noKcm.missing, []);
  const kind = planInstall({ ...base, distribution: 'kind', controllerManagerPod: true });
  assert.deepEqual(kind.args, ['install', 'kind', '--cluster-id=kind-edge', '--cluster-labels=topology.kubernetes.io/region=center']);
  const k3s = planInstall({ ...base, distribution: 'k3s', controllerManagerPod: false, podCidr: undefined });
  assert.deepEqual(k3s.missing, ['--pod-cidr (not found on the nodes nor from pod IPs)']);
  assert.deepEqual(planInstall({ ...base, distribution: 'eks', controllerManagerPod: false }).missing, ['--eks-cluster-region', '--eks-cluster-name']);
});
