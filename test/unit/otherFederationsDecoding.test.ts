// Decoding Admiralty, KubeFed and Istio multicluster objects (src/core/systems): shapes as their controllers write
// them (the same as test bed scenario seed-002 forges), the matching of a carried kubeconfig to the user's contexts,
// and that a remote secret's credentials are not kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { decodeSource, decodeTarget, delegateParent, delegateSelector, isProxyPod, proxyPodTarget, virtualNodeTarget } from '../../src/core/systems/admiralty.ts';
import { decodeFederatedResource, decodeMemberCluster, propagationByCluster } from '../../src/core/systems/kubefed.ts';
import { decodeIstiod, decodeRemoteSecret, meshIdOf, networkOf, remoteSecretClusterName } from '../../src/core/systems/istio.ts';
import { endpointOfKubeconfig, matchEndpoint, normalizeServer } from '../../src/core/systems/endpoint.ts';
import { mainObjects } from '../testbed/scenarios/seed002.ts';
import { CA_PEM, CA_SHA256 } from './federationFixtures.ts';
import type { Node, Pod } from '../../src/core/liqo/objects.ts';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const CA_DATA = b64(CA_PEM);
const OTHER_CA_DATA = b64('-----BEGIN CERTIFICATE-----\nAAECAwQFBgcICQ==\n-----END CERTIFICATE-----\n');
const TOKEN = 'secret-token-7f3a';

const kubeconfig = (server: string, ca = CA_DATA, user: Record<string, unknown> = { token: TOKEN }) =>
  stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server, 'certificate-authority-data': ca } }],
    contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'c',
    users: [{ name: 'u', user }],
  });

test('servers compare as they are dialled: default port, case, trailing path', () => {
  assert.equal(normalizeServer('https://API.Example:443/'), normalizeServer('https://api.example'));
  assert.notEqual(normalizeServer('https://127.0.0.1:6443'), normalizeServer('https://127.0.0.1:6444'));
  assert.equal(normalizeServer('http://127.0.0.1'), 'http://127.0.0.1:80');
});

test('an endpoint matches the context with its server, unless both carry CAs that differ', () => {
  const contexts = [
    { context: 'main', server: 'https://127.0.0.1:6443', caFingerprints: [CA_SHA256] },
    { context: 'remote', server: 'https://127.0.0.1:7443', caFingerprints: [CA_SHA256] },
  ];
  assert.deepEqual(matchEndpoint({ server: 'https://127.0.0.1:7443/', caFingerprints: [CA_SHA256] }, contexts), { kind: 'context', context: 'remote' });
  assert.deepEqual(matchEndpoint({ server: 'https://127.0.0.1:7443', caFingerprints: ['AA:BB'] }, contexts), { kind: 'ca-differs', context: 'remote' });
  assert.deepEqual(matchEndpoint({ server: 'https://127.0.0.1:7443', caFingerprints: [] }, contexts), { kind: 'context', context: 'remote' }, 'no CA on one side: the server decides');
  assert.deepEqual(matchEndpoint({ server: 'https://127.0.0.1:9', caFingerprints: [CA_SHA256] }, contexts), { kind: 'none' });
});

test('a carried kubeconfig gives its server and CA fingerprint, or says what is wrong with it', () => {
  const r = endpointOfKubeconfig(kubeconfig('https://127.0.0.1:7443'));
  assert.ok(r.ok);
  assert.deepEqual(r.endpoint, { server: 'https://127.0.0.1:7443', caFingerprints: [CA_SHA256] });
  const bad = endpointOfKubeconfig(kubeconfig('https://127.0.0.1:7443'), 'nope');
  assert.ok(!bad.ok && /no context nope/.test(bad.problem));
  const broken = endpointOfKubeconfig('clusters: [');
  assert.ok(!broken.ok && /does not parse/.test(broken.problem));
});

test('Admiralty targets: the Secret a Target or ClusterTarget reads, default key config; invalid specs named', () => {
  assert.deepEqual(decodeTarget({ metadata: { name: 'remote', namespace: 'burst' }, spec: { kubeconfigSecret: { name: 'remote' } } }, 'Target'), {
    kind: 'Target',
    namespace: 'burst',
    name: 'remote',
    self: false,
    secret: { namespace: 'burst', name: 'remote', key: 'config' },
  });
  const ct = decodeTarget({ metadata: { name: 'edge' }, spec: { kubeconfigSecret: { name: 'edge', namespace: 'admiralty', key: 'kc', context: 'x' } } }, 'ClusterTarget');
  assert.deepEqual(ct.secret, { namespace: 'admiralty', name: 'edge', key: 'kc', context: 'x' });
  assert.equal(ct.namespace, undefined);
  assert.match(decodeTarget({ metadata: { name: 'self' }, spec: { self: true } }, 'ClusterTarget').problem ?? 'none', /^none$/);
  assert.match(decodeTarget({ metadata: { name: 'x', namespace: 'n' }, spec: {} }, 'Target').problem ?? '', /neither self nor a kubeconfig Secret/);
  assert.match(decodeTarget({ metadata: { name: 'x' }, spec: { kubeconfigSecret: { name: 's' } } }, 'ClusterTarget').problem ?? '', /no namespace/);
});

test('Admiralty sources name who sends', () => {
  assert.equal(decodeSource({ metadata: { name: 'main', namespace: 'burst' }, spec: { serviceAccountName: 'main' } }, 'Source').identity, 'service account burst/main');
  assert.equal(decodeSource({ metadata: { name: 'c' }, spec: { userName: 'alice' } }, 'ClusterSource').identity, 'user alice');
});

test("Admiralty: seed-002's proxy pod leads through its virtual node to the Target; a delegate names its parent", () => {
  const env = { kubeconfigFor: () => kubeconfig('https://127.0.0.1:7443'), unreachableUrl: 'https://127.0.0.1:9' };
  const objs = mainObjects(env);
  const nodes = new Map(objs.filter((o) => o.kind === 'Node').map((n) => [n.metadata.name, n as unknown as Node]));
  const proxy = objs.find((o) => o.kind === 'Pod') as unknown as Pod;
  assert.ok(isProxyPod(proxy));
  assert.deepEqual(proxyPodTarget(proxy, nodes), { kind: 'Target', namespace: 'burst', name: 'remote' });
  assert.deepEqual(virtualNodeTarget(nodes.get('admiralty-edge') as Node), { kind: 'ClusterTarget', name: 'edge' });
  assert.equal(virtualNodeTarget(nodes.get('main-worker') as Node), undefined);
  assert.equal(isProxyPod({ metadata: { name: 'p' }, spec: {} } as Pod), false);

  const delegate = {
    metadata: {
      name: 'ml-job-6ymu-xvrv2-p5bbl',
      namespace: 'burst',
      labels: { 'multicluster.admiralty.io/parent-uid': 'u-1', 'multicluster.admiralty.io/parent-cluster-name': 'main' },
      annotations: { 'multicluster.admiralty.io/parent-name': 'ml-job-6ymu-xvrv2', 'multicluster.admiralty.io/parent-namespace': 'burst' },
    },
  } as Pod;
  assert.deepEqual(delegateParent(delegate), { uid: 'u-1', clusterName: 'main', namespace: 'burst', name: 'ml-job-6ymu-xvrv2' });
  assert.equal(delegateParent({ metadata: { name: 'plain', labels: { app: 'x' } } } as Pod), undefined);
  // an empty parent-name annotation means the child's own name (pkg/controller/controller.go ParentKey)
  assert.equal(delegateParent({ metadata: { name: 'd', namespace: 'n', labels: delegate.metadata.labels, annotations: {} } } as Pod)?.name, 'd');
  assert.equal(delegateSelector('u-1'), 'multicluster.admiralty.io/parent-uid=u-1');
});

test('KubeFed member clusters: readiness with the reason when not ready', () => {
  const ready = decodeMemberCluster({
    metadata: { name: 'main' },
    spec: { apiEndpoint: 'https://127.0.0.1:6443' },
    status: { conditions: [{ type: 'Ready', status: 'True', reason: 'ClusterReady', message: '/healthz responded with ok' }], kubernetesVersion: 'v1.34.4' },
  });
  assert.equal(ready.ready, 'True');
  assert.equal(ready.reason, undefined);
  assert.equal(ready.kubernetesVersion, 'v1.34.4');
  const off = decodeMemberCluster({
    metadata: { name: 'edge' },
    status: { conditions: [{ type: 'Offline', status: 'True', reason: 'ClusterNotReachable', message: 'cluster is not reachable' }, { type: 'Ready', status: 'False', reason: 'ClusterNotReachable', message: 'cluster is not reachable' }] },
  });
  assert.equal(off.ready, 'False');
  assert.ok(off.offline);
  assert.equal(off.message, 'cluster is not reachable');
  assert.equal(decodeMemberCluster({ metadata: { name: 'new' } }).ready, 'Unknown');
});

test("KubeFed federated resources: seed-002's blob-storage placed on both, overridden on remote, failing there", () => {
  const env = { kubeconfigFor: () => kubeconfig('https://127.0.0.1:7443'), unreachableUrl: 'https://127.0.0.1:9' };
  const fd = mainObjects(env).find((o) => o.kind === 'FederatedDeployment');
  assert.ok(fd);
  const r = decodeFederatedResource(fd as never);
  assert.deepEqual(r.placement, { by: 'clusters', clusters: ['main', 'remote'] });
  assert.deepEqual(r.overrides, [{ cluster: 'remote', paths: ['replace /spec/replicas'] }]);
  assert.deepEqual(r.propagation, { status: 'False', reason: 'CheckClusters' });
  assert.deepEqual(propagationByCluster(r), [
    { cluster: 'main', state: 'propagated' },
    { cluster: 'remote', state: 'failing', status: 'CreationFailed' },
  ]);
});

test('KubeFed placement: a clusters list (even empty) wins over the selector; neither places nowhere', () => {
  const withBoth = decodeFederatedResource({ kind: 'FederatedDeployment', metadata: { name: 'a' }, spec: { placement: { clusters: [], clusterSelector: { matchLabels: { region: 'eu' } } } } });
  assert.deepEqual(withBoth.placement, { by: 'clusters', clusters: [] });
  const sel = decodeFederatedResource({ kind: 'FederatedService', metadata: { name: 'b' }, spec: { placement: { clusterSelector: { matchLabels: { region: 'eu' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['gold'] }] } } } });
  assert.deepEqual(sel.placement, { by: 'selector', selector: 'region=eu, tier In (gold)' });
  assert.deepEqual(decodeFederatedResource({ kind: 'FederatedService', metadata: { name: 'c' }, spec: { placement: { clusterSelector: {} } } }).placement, { by: 'selector', selector: 'every cluster (empty selector)' });
  const none = decodeFederatedResource({ kind: 'FederatedConfigMap', metadata: { name: 'd' } });
  assert.deepEqual(none.placement, { by: 'none' });
  assert.equal(none.propagation.status, 'Unknown');
  // placed, but the controller has not reported the cluster yet
  assert.deepEqual(propagationByCluster(decodeFederatedResource({ kind: 'FederatedDeployment', metadata: { name: 'e' }, spec: { placement: { clusters: [{ name: 'x' }] } } })), [{ cluster: 'x', state: 'pending' }]);
});

test('Istio remote secret: servers and CA fingerprints only, never the token or a client key', () => {
  const secret = {
    metadata: { name: 'istio-remote-secret-remote', namespace: 'istio-system', annotations: { 'networking.istio.io/cluster': 'remote' } },
    data: { remote: b64(kubeconfig('https://127.0.0.1:7443')), lab: b64(kubeconfig('https://127.0.0.1:8443', OTHER_CA_DATA, { 'client-key-data': b64('KEY-MATERIAL') })), broken: b64('users: [') },
  };
  const r = decodeRemoteSecret(secret);
  assert.deepEqual(r.clusters.map((c) => c.clusterName), ['broken', 'lab', 'remote']);
  const remote = r.clusters.find((c) => c.clusterName === 'remote');
  assert.ok(remote && 'endpoint' in remote);
  assert.deepEqual(remote.endpoint, { server: 'https://127.0.0.1:7443', caFingerprints: [CA_SHA256] });
  assert.ok('problem' in (r.clusters[0] as object));
  const kept = JSON.stringify(r);
  assert.doesNotMatch(kept, new RegExp(TOKEN));
  assert.doesNotMatch(kept, /KEY-MATERIAL|S0VZLU1BVEVSSUFM/);
  assert.equal(remoteSecretClusterName(secret), 'remote');
  assert.equal(remoteSecretClusterName({ metadata: { name: 'x' }, data: { only: '' } }), 'only');
});

test('Istio control plane: istiod running and its version, mesh ID, network', () => {
  const d = { metadata: { name: 'istiod', labels: { 'istio.io/rev': 'default' } }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'discovery', image: 'docker.io/istio/pilot:1.24.2' }] } } }, status: { readyReplicas: 1 } };
  assert.deepEqual(decodeIstiod(d), { name: 'istiod', running: true, ready: '1/1', version: '1.24.2', revision: 'default' });
  assert.equal(decodeIstiod({ ...d, status: {} }).running, false);
  assert.equal(decodeIstiod({ ...d, spec: { template: { spec: { containers: [{ name: 'discovery', image: 'registry:5000/pilot' }] } } } }).version, undefined, 'a registry port is not a tag');
  assert.equal(meshIdOf({ data: { mesh: 'defaultConfig:\n  meshId: mesh1\n' } }), 'mesh1');
  assert.equal(meshIdOf({ data: { mesh: 'defaultConfig: [' } }), undefined);
  assert.equal(meshIdOf(undefined), undefined);
  assert.equal(networkOf({ metadata: { name: 'istio-system', labels: { 'topology.istio.io/network': 'network1' } } }), 'network1');
});
