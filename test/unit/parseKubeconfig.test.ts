import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseKubeconfig } from '../../src/core/kubeconfig/parse.ts';

const valid = `apiVersion: v1
kind: Config
current-context: kind-a
clusters:
- name: kind-a
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority-data: AAAA
- name: k3s
  cluster:
    server: https://127.0.0.7:6443
    tls-server-name: 127.0.0.5
contexts:
- name: kind-a
  context: {cluster: kind-a, user: kind-a, namespace: ml}
- name: default
  context: {cluster: k3s, user: k3s-admin}
users:
- name: kind-a
  user:
    client-certificate-data: QUJD
    client-key-data: REVG
- name: k3s-admin
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: aws
      args: [eks, get-token]
`;

test('a valid kubeconfig yields contexts, clusters and users without secret values', () => {
  const r = parseKubeconfig(valid);
  assert.ok(r.ok);
  assert.equal(r.config.currentContext, 'kind-a');
  assert.deepEqual(r.config.contexts, [
    { name: 'kind-a', cluster: 'kind-a', user: 'kind-a', namespace: 'ml' },
    { name: 'default', cluster: 'k3s', user: 'k3s-admin' },
  ]);
  assert.deepEqual(r.config.clusters[1], { name: 'k3s', server: 'https://127.0.0.7:6443', insecureSkipTlsVerify: false, hasCertificateAuthority: false, tlsServerName: '127.0.0.5' });
  assert.deepEqual(r.config.users, [
    { name: 'kind-a', auth: 'client-certificate' },
    { name: 'k3s-admin', auth: 'exec', execCommand: 'aws' },
  ]);
  assert.doesNotMatch(JSON.stringify(r), /QUJD|REVG|AAAA/);
});

test('a YAML syntax error reports its line', () => {
  const r = parseKubeconfig('apiVersion: v1\nclusters:\n- name: a\n  cluster:\n    server: [unclosed\ncontexts: []\n');
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.ok(r.error.line !== undefined && r.error.line >= 5, `line ${r.error.line}`);
  assert.match(r.error.message, /flow|collection|expected|Missing|Unexpected/i);
});

test('a bad tab indentation is a syntax error with a line', () => {
  const r = parseKubeconfig('apiVersion: v1\ncontexts:\n\t- name: x\n');
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.error.line, 3);
});

test('structural errors name the key and its line', () => {
  const r = parseKubeconfig('apiVersion: v1\nkind: Config\ncontexts: yes-please\n');
  assert.deepEqual(r, { ok: false, error: { message: '"contexts" must be a list', line: 3 } });
  const r2 = parseKubeconfig('apiVersion: v1\nclusters:\n- cluster: {server: https://x}\n');
  assert.deepEqual(r2, { ok: false, error: { message: 'every entry of "clusters" needs a name and a cluster', line: 3 } });
});

test('a scalar document is not a kubeconfig', () => {
  const r = parseKubeconfig('just some text\n');
  assert.equal(r.ok, false);
});

test('an empty file is a kubeconfig with no contexts', () => {
  const r = parseKubeconfig('');
  assert.deepEqual(r, { ok: true, config: { contexts: [], clusters: [], users: [], raw: { clusters: new Map(), users: new Map() } } });
});

test('auth kinds are recognised', () => {
  const r = parseKubeconfig(`users:
- {name: t, user: {token: abc}}
- {name: b, user: {username: u, password: p}}
- {name: o, user: {auth-provider: {name: oidc}}}
- {name: n, user: {}}
`);
  assert.ok(r.ok);
  assert.deepEqual(r.config.users.map((u) => u.auth), ['token', 'basic', 'auth-provider', 'none']);
});
