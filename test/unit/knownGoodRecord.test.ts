// The known-good record: what it captures from the model's facts, that no secret the objects carry reaches its
// YAML, and that the YAML is the same bytes whatever order the facts and objects came in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { federationsOf, isHealthy, observeFederation, type ClusterFacts } from '../../src/core/federation/knownGood.ts';
import { recordFromYaml, recordToYaml, sameIntent } from '../../src/core/federation/recordYaml.ts';
import { caDataFingerprints, caFingerprints } from '../../src/core/federation/caFingerprint.ts';
import { CA_PEM, CA_SHA256, foreignCluster, offloading, slice, snapshot, threeClusters } from './federationFixtures.ts';

const T = '2026-12-06T12:00:00.000Z';
const observe = (facts: ClusterFacts[]) => observeFederation(facts, federationsOf(facts)[0] ?? [], T);

test('the CA fingerprint is SHA-256 of the DER, as openssl prints it, from PEM or certificate-authority-data', () => {
  assert.deepEqual(caFingerprints(CA_PEM), [CA_SHA256]);
  assert.deepEqual(caDataFingerprints(Buffer.from(CA_PEM + CA_PEM).toString('base64')), [CA_SHA256, CA_SHA256]);
  assert.deepEqual(caFingerprints('not a certificate'), []);
});

test('federations: clusters linked by a ForeignCluster on either side, one group per connected set', () => {
  const facts = threeClusters();
  const lone: ClusterFacts = { entry: { contextName: 'kind-z', server: 'https://127.0.0.9:6443' }, kubernetesVersion: 'v1.30.0', liqo: { presence: 'installed', clusterId: 'z', unhealthyPods: [] }, snapshot: snapshot({}) };
  assert.deepEqual(federationsOf([...facts, lone]), [['a', 'b', 'c'], ['z']]);
});

test('the record captures peerings with options and slices, offloadings, versions to the micro, connection facts', () => {
  const { record } = observe(threeClusters());
  assert.deepEqual(record.clusters, [
    { clusterId: 'a', contexts: ['kind-a'], liqoVersion: 'v1.0.1', kubernetesVersion: 'v1.30.2', liqoNamespace: 'liqo' },
    { clusterId: 'b', contexts: ['kind-b'], liqoVersion: 'v1.0.1', kubernetesVersion: 'v1.30.2', liqoNamespace: 'liqo' },
    { clusterId: 'c', contexts: ['kind-c'], liqoVersion: 'v1.0.1', kubernetesVersion: 'v1.31.0', liqoNamespace: 'liqo-system' },
  ]);
  assert.deepEqual(record.contexts[0], { name: 'kind-a', clusterId: 'a', server: 'https://127.0.0.1:6443', tlsServerName: 'a.local', caSha256: [CA_SHA256] });
  assert.equal(record.peerings.length, 2);
  assert.deepEqual(record.peerings[0], {
    consumer: { clusterId: 'a', context: 'kind-a' },
    provider: { clusterId: 'b', context: 'kind-b' },
    networking: true,
    gatewayType: 'NodePort',
    modules: { networking: true, authentication: true, offloading: true },
    resourceSlices: [{ name: 'b', namespace: 'liqo-tenant-b', class: 'default', resources: { cpu: '4', memory: '8Gi', pods: '110' } }],
  });
  assert.deepEqual(record.offloadings, [
    {
      clusterId: 'a',
      context: 'kind-a',
      namespace: 'demo',
      podOffloadingStrategy: 'Remote',
      namespaceMappingStrategy: 'DefaultName',
      clusterSelector: [[{ key: 'liqo.io/remote-cluster-id', operator: 'In', values: ['b'] }]],
    },
  ]);
});

test('healthy only when every context answered and every peering and offloading is healthy', () => {
  assert.equal(isHealthy(observe(threeClusters())), true);
  assert.equal(isHealthy(observe(threeClusters({ bHealth: 'Error' }))), false);
  assert.equal(isHealthy(observe(threeClusters({ offloadPhase: 'InProgress' }))), false);
  assert.equal(isHealthy(observe(threeClusters({ bUnreachable: true }))), false);
});

test('redaction: a record built from objects full of secrets holds none of them', () => {
  const secrets = {
    token: 'eyJhbGciOiJSUzI1NiJ9.tok3n-very-secret',
    key: '-----BEGIN EC PRIVATE KEY-----MHcCAQEEIKEYKEYKEY-----END EC PRIVATE KEY-----',
    password: 'hunter2-password-xyz',
    clientCert: 'Q0xJRU5UQ0VSVERBVEFjbGllbnQtY2VydA==',
    csr: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS1jc3I=',
    annotationToken: 'annot-bearer-token-123',
    wireguardKey: 'wg-private-key-AAAABBBBCCCC=',
  };
  const [a, b, c] = threeClusters();
  const leakyEntry = {
    ...a!.entry,
    token: secrets.token,
    user: { token: secrets.token, 'client-key-data': secrets.key, 'client-certificate-data': secrets.clientCert, password: secrets.password },
  };
  const fcWithSecrets = { ...foreignCluster('b', 'Provider'), metadata: { name: 'b', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': secrets.annotationToken } } };
  const sliceWithCsr = { ...slice('b', 'a', 'b', { cpu: '4' }), spec: { ...slice('b', 'a', 'b', { cpu: '4' }).spec, csr: secrets.csr }, metadata: { name: 'b', namespace: 'liqo-tenant-b', annotations: { token: secrets.token } } };
  const offWithSecrets = { ...offloading('demo', 'Remote', ['b']), metadata: { name: 'offloading', namespace: 'demo', annotations: { password: secrets.password } } };
  const leaky: ClusterFacts = {
    ...a!,
    entry: leakyEntry as ClusterFacts['entry'],
    snapshot: snapshot({
      foreignClusters: [fcWithSecrets, foreignCluster('c', 'Provider')],
      resourceSlices: [sliceWithCsr],
      offloadings: [offWithSecrets],
      configMaps: [{ metadata: { name: 'liqo-clusterid-configmap', namespace: 'liqo' }, data: { CLUSTER_ID: 'a', secret: secrets.wireguardKey } }],
      pods: [{ metadata: { name: 'p', namespace: 'demo', annotations: { key: secrets.key } } }],
    }),
  };
  const yaml = recordToYaml(observe([leaky, b!, c!]).record);
  for (const [name, value] of Object.entries(secrets)) assert.ok(!yaml.includes(value), `${name} leaked into the record`);
  assert.ok(!/token|password|client-key|client-certificate|csr/i.test(yaml.replace(/^#.*$/gm, '')), 'no credential field name in the record');
  assert.ok(yaml.includes('cpu: "4"'), 'the slice itself is recorded');
});

test('stable serialization: the same federation in any order gives the same bytes', () => {
  const facts = threeClusters();
  const expected = recordToYaml(observe(facts).record);
  const shuffled = [...facts].reverse().map((f) => ({
    ...f,
    ...(f.caSha256 ? { caSha256: [...f.caSha256].reverse() } : {}),
    snapshot: snapshot({
      foreignClusters: [...(f.snapshot?.foreignClusters ?? [])].reverse(),
      resourceSlices: [...(f.snapshot?.resourceSlices ?? [])].reverse(),
      offloadings: [...(f.snapshot?.offloadings ?? [])].reverse(),
    }),
  }));
  assert.equal(recordToYaml(observe(shuffled).record), expected);
  // Keys are sorted at every level, so a reviewer's diff never moves lines around.
  const keysInOrder = expected.split('\n').filter((l) => /^[a-z]/i.test(l)).map((l) => l.split(':')[0]);
  assert.deepEqual(keysInOrder, [...keysInOrder].sort());
});

test('a record reads back to the same intent; a wrong file is refused naming the file and the field', () => {
  const { record } = observe(threeClusters());
  const back = recordFromYaml(recordToYaml(record), 'fed.yaml');
  assert.deepEqual(back, record);
  assert.ok(sameIntent(back, { ...record, takenAt: '2030-01-01T00:00:00Z' }));
  assert.throws(() => recordFromYaml('kind: Pod\n', 'pod.yaml'), /pod\.yaml is not a federation record: kind is "Pod"/);
  const broken = recordToYaml(record).replace('clusterId: a\n', 'clusterIdx: a\n');
  assert.throws(() => recordFromYaml(broken, 'x.yaml'), /x\.yaml.*clusterId is missing/);
  assert.throws(() => recordFromYaml(': [', 'bad.yaml'), /bad\.yaml.*does not parse/);
});
