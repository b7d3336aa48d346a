// kubectl's merged-config semantics on real-world kubeconfig shapes: KUBECONFIG files are one config (first
// definition wins, contexts may use another file's cluster or user), setting files each stand alone, a repeated
// context in one file is reported, and what a session compares to decide whether to reconnect.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseKubeconfig } from '../../src/core/kubeconfig/parse.ts';
import { buildClusterList, type LoadedFile } from '../../src/core/kubeconfig/clusters.ts';
import { sameResolvedContext } from '../../src/core/kubeconfig/resolve.ts';
import type { SourceOrigin } from '../../src/core/kubeconfig/sources.ts';

function file(path: string, origin: SourceOrigin, text: string): LoadedFile {
  const r = parseKubeconfig(text);
  if (!r.ok) throw new Error(r.error.message);
  return { path, origin, state: { kind: 'ok', config: r.config } };
}

// An EKS kubeconfig as `aws eks update-kubeconfig` writes it (ARN names with slashes and colons, exec plugin).
const eks = `apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTg==
    server: https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com
  name: arn:aws:eks:eu-west-1:123456789012:cluster/prod
contexts:
- context:
    cluster: arn:aws:eks:eu-west-1:123456789012:cluster/prod
    user: arn:aws:eks:eu-west-1:123456789012:cluster/prod
  name: arn:aws:eks:eu-west-1:123456789012:cluster/prod
current-context: arn:aws:eks:eu-west-1:123456789012:cluster/prod
users:
- name: arn:aws:eks:eu-west-1:123456789012:cluster/prod
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: [--region, eu-west-1, eks, get-token, --cluster-name, prod]
`;

// A kind cluster, and a second file that only adds a context using kind's cluster with an OIDC user of its own.
const kind = `apiVersion: v1
kind: Config
clusters:
- name: kind-dev
  cluster: {server: 'https://127.0.0.1:41234', certificate-authority-data: QUFB}
users:
- name: kind-dev
  user: {client-certificate-data: QkJC, client-key-data: Q0ND}
contexts:
- name: kind-dev
  context: {cluster: kind-dev, user: kind-dev}
- name: prod
  context: {cluster: kind-dev, user: kind-dev, namespace: shadowing-attempt}
current-context: kind-dev
`;
const extra = `apiVersion: v1
kind: Config
current-context: dev-oidc
users:
- name: kind-dev
  user: {token: shadowed-token}
- name: oidc
  user: {token: oidc-token}
clusters:
- name: kind-dev
  cluster: {server: 'https://127.0.99.99:6443'}
contexts:
- name: dev-oidc
  context: {cluster: kind-dev, user: oidc, namespace: team-a}
- name: kind-dev
  context: {cluster: kind-dev, user: oidc}
`;

test('KUBECONFIG files are one config: first definition wins and a context may use another file\'s cluster', () => {
  const list = buildClusterList([file('/h/.kube/kind', 'KUBECONFIG', kind), file('/h/.kube/extra', 'KUBECONFIG', extra)]);
  assert.deepEqual(
    list.clusters.map((c) => [c.contextName, c.filePath, c.server, c.auth, c.isCurrentContext, c.nameIsDuplicated]),
    [
      ['kind-dev', '/h/.kube/kind', 'https://127.0.0.1:41234', 'client-certificate', true, false],
      ['prod', '/h/.kube/kind', 'https://127.0.0.1:41234', 'client-certificate', false, false],
      // kind's cluster entry wins over extra's redefinition; extra's user "oidc" is its own; extra's kind-dev
      // context is shadowed by kind's and is no row; current-context comes from the first file that sets it.
      ['dev-oidc', '/h/.kube/extra', 'https://127.0.0.1:41234', 'token', false, false],
    ],
  );
  const devOidc = list.resolved.get(list.clusters[2]!.id)!;
  assert.equal(devOidc.cluster.filePath, '/h/.kube/kind');
  assert.equal(devOidc.cluster.baseDir, '/h/.kube');
  assert.equal(devOidc.user.filePath, '/h/.kube/extra');
  assert.equal(devOidc.user.fields.token, 'oidc-token');
  assert.equal(devOidc.namespace, 'team-a');
  // kind-dev's user is kind's, not extra's token user of the same name.
  assert.equal(list.resolved.get(list.clusters[0]!.id)!.user.fields['client-certificate-data'], 'QkJC');
  assert.doesNotMatch(JSON.stringify(list), /oidc-token|QkJC|shadowed-token/, 'no secret in the serialised list');
});

test('files of the liqo.kubeconfigs setting stand alone: the same names there are separate clusters', () => {
  const list = buildClusterList([file('/h/.kube/config', 'default', kind), file('/h/k3s/a.yaml', 'setting', extra), file('/h/eks.yaml', 'setting', eks)]);
  assert.deepEqual(
    list.clusters.map((c) => [c.contextName, c.filePath, c.server, c.nameIsDuplicated, c.isCurrentContext]),
    [
      ['kind-dev', '/h/.kube/config', 'https://127.0.0.1:41234', true, true],
      ['prod', '/h/.kube/config', 'https://127.0.0.1:41234', false, false],
      ['dev-oidc', '/h/k3s/a.yaml', 'https://127.0.99.99:6443', false, true],
      ['kind-dev', '/h/k3s/a.yaml', 'https://127.0.99.99:6443', true, false],
      ['arn:aws:eks:eu-west-1:123456789012:cluster/prod', '/h/eks.yaml', 'https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com', false, true],
    ],
  );
  const eksEntry = list.clusters[4]!;
  assert.equal(eksEntry.auth, 'exec');
  assert.equal(eksEntry.execCommand, 'aws');
  assert.equal(eksEntry.id, '/h/eks.yaml#arn:aws:eks:eu-west-1:123456789012:cluster/prod', 'ids are file path + context name, as before');
  assert.deepEqual((list.resolved.get(eksEntry.id)!.user.fields.exec as { args: string[] }).args.slice(0, 2), ['--region', 'eu-west-1']);
});

test('a cluster or user no file of KUBECONFIG defines is named in the error; a lone file says "this file"', () => {
  const a = `contexts:\n- name: x\n  context: {cluster: nowhere, user: u}\nusers:\n- name: u\n  user: {}\n`;
  const b = `clusters:\n- name: c\n  cluster: {server: https://c}\ncontexts:\n- name: y\n  context: {cluster: c, user: ghost}\n`;
  const merged = buildClusterList([file('/k/a', 'KUBECONFIG', a), file('/k/b', 'KUBECONFIG', b)]);
  assert.deepEqual(
    merged.clusters.map((c) => c.configError),
    ['context "x" refers to cluster "nowhere", which no file in KUBECONFIG defines', 'context "y" refers to user "ghost", which no file in KUBECONFIG defines'],
  );
  assert.equal(merged.resolved.size, 0, 'unusable contexts have no resolution');
  const alone = buildClusterList([file('/k/a', 'setting', a)]);
  assert.equal(alone.clusters[0]?.configError, 'context "x" refers to cluster "nowhere", which this file does not define');
});

test('the same context name twice in one file: the first connects, the second is a duplicate error', () => {
  const text = `clusters:\n- name: c\n  cluster: {server: https://a}\n- name: d\n  cluster: {server: https://b}\nusers:\n- name: u\n  user: {}\ncontexts:\n- name: dup\n  context: {cluster: c, user: u}\n- name: dup\n  context: {cluster: d, user: u}\n`;
  const list = buildClusterList([file('/k/c', 'KUBECONFIG', text)]);
  assert.equal(list.clusters.length, 2);
  assert.equal(list.clusters[0]?.configError, undefined);
  assert.match(list.clusters[1]?.configError ?? '', /this file defines it more than once/);
  assert.deepEqual([...list.resolved.keys()], [list.clusters[0]!.id]);
  assert.equal(list.resolved.get(list.clusters[0]!.id)!.cluster.fields.server, 'https://a');
});

test('a context without a user resolves to an anonymous user; a malformed file stays a problem row', () => {
  const anon = `clusters:\n- name: c\n  cluster: {server: https://a}\ncontexts:\n- name: anon\n  context: {cluster: c}\n`;
  const list = buildClusterList([file('/k/anon', 'KUBECONFIG', anon), { path: '/k/bad', origin: 'KUBECONFIG', state: { kind: 'malformed', error: { message: 'bad', line: 3 } } }]);
  assert.deepEqual(list.problems.map((p) => [p.filePath, p.line]), [['/k/bad', 3]]);
  const r = list.resolved.get(list.clusters[0]!.id)!;
  assert.deepEqual(r.user, { name: '', fields: {}, filePath: '/k/anon', baseDir: '/k' });
});

test('a session reconnects only when its own resolution changed, not on current-context or another context', () => {
  const before = buildClusterList([file('/k/kind', 'KUBECONFIG', kind)]);
  const switched = buildClusterList([file('/k/kind', 'KUBECONFIG', kind.replace('current-context: kind-dev', 'current-context: prod'))]);
  const renamedOther = buildClusterList([file('/k/kind', 'KUBECONFIG', kind.replace('namespace: shadowing-attempt', 'namespace: other'))]);
  const newCa = buildClusterList([file('/k/kind', 'KUBECONFIG', kind.replace('certificate-authority-data: QUFB', 'certificate-authority-data: RERE'))]);
  const id = before.clusters[0]!.id;
  assert.ok(sameResolvedContext(before.resolved.get(id), switched.resolved.get(id)));
  assert.ok(sameResolvedContext(before.resolved.get(id), renamedOther.resolved.get(id)));
  assert.ok(!sameResolvedContext(before.resolved.get(id), newCa.resolved.get(id)));
  assert.ok(!sameResolvedContext(before.resolved.get(before.clusters[1]!.id), renamedOther.resolved.get(before.clusters[1]!.id)), 'prod itself changed');
});
