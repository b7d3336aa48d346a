import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  execClusterInfo,
  execInfoJson,
  parseExecConfig,
  parseExecCredential,
  resolveCommandPath,
} from '../../src/core/credentials/execCredential.ts';

const V1 = 'client.authentication.k8s.io/v1';
const V1BETA1 = 'client.authentication.k8s.io/v1beta1';

test('an exec entry is read with kubectl defaults: v1beta1 defaults to IfAvailable, v1 requires interactiveMode', () => {
  const beta = parseExecConfig({ command: 'aws', args: ['eks', 'get-token'], apiVersion: V1BETA1, env: [{ name: 'AWS_PROFILE', value: 'p' }] }, 'exec');
  assert.deepEqual(beta, {
    ok: true,
    value: { command: 'aws', args: ['eks', 'get-token'], env: [{ name: 'AWS_PROFILE', value: 'p' }], apiVersion: V1BETA1, interactiveMode: 'IfAvailable', provideClusterInfo: false, installHint: undefined },
  });
  const v1 = parseExecConfig({ command: 'kubelogin', apiVersion: V1 }, 'user "u" exec');
  assert.equal(v1.ok, false);
  assert.match(!v1.ok ? v1.message : '', /user "u" exec\.interactiveMode is required/);
  const ok = parseExecConfig({ command: 'k', apiVersion: V1, interactiveMode: 'Never', provideClusterInfo: true, installHint: 'brew install k' }, 'exec');
  assert.equal(ok.ok && ok.value.provideClusterInfo, true);
  assert.equal(ok.ok && ok.value.installHint, 'brew install k');
});

test('bad exec entries are named field by field, without echoing values', () => {
  const msg = (raw: unknown): string => {
    const r = parseExecConfig(raw, 'exec');
    return r.ok ? '' : r.message;
  };
  assert.match(msg(null), /exec must be a map/);
  assert.match(msg({ apiVersion: V1 }), /exec\.command is missing/);
  assert.match(msg({ command: 'x', apiVersion: V1, interactiveMode: 'Never', args: 'a b' }), /exec\.args must be a list/);
  assert.match(msg({ command: 'x', apiVersion: V1, interactiveMode: 'Never', env: [{ name: 'K', value: 3 }] }), /exec\.env\[0\]/);
  assert.match(msg({ command: 'x', apiVersion: 'client.authentication.k8s.io/v1alpha1' }), /no longer supported/);
  assert.match(msg({ command: 'x', apiVersion: 'v9' }), /apiVersion must be one of/);
  assert.match(msg({ command: 'x', apiVersion: V1, interactiveMode: 'Sometimes' }), /interactiveMode must be/);
  const secretEnv = msg({ command: 'x', apiVersion: V1, interactiveMode: 'Never', env: [{ name: 'TOKEN', value: 'sekrit' }, { name: '' }] });
  assert.equal(secretEnv.includes('sekrit'), false);
});

test('command paths resolve like kubectl: relative with a slash against the kubeconfig folder, bare names via PATH', () => {
  assert.equal(resolveCommandPath('./bin/plugin', '/home/u/.kube'), '/home/u/.kube/bin/plugin');
  assert.equal(resolveCommandPath('bin/plugin', '/home/u/.kube'), '/home/u/.kube/bin/plugin');
  assert.equal(resolveCommandPath('../tools/p', '/home/u/.kube'), '/home/u/tools/p');
  assert.equal(resolveCommandPath('aws', '/home/u/.kube'), 'aws');
  assert.equal(resolveCommandPath('/usr/local/bin/aws', '/home/u/.kube'), '/usr/local/bin/aws');
});

test('KUBERNETES_EXEC_INFO is never interactive and carries the cluster only when asked', () => {
  assert.deepEqual(JSON.parse(execInfoJson(V1)), { kind: 'ExecCredential', apiVersion: V1, spec: { interactive: false } });
  const cluster = execClusterInfo(
    {
      server: 'https://127.0.0.9:6443',
      'tls-server-name': 'api',
      'certificate-authority': 'ca.crt',
      'proxy-url': 'http://proxy:3128',
      extensions: [{ name: 'client.authentication.k8s.io/exec', extension: { audience: 'a' } }, { name: 'other', extension: 1 }],
    },
    'Q0EK',
  );
  assert.deepEqual(JSON.parse(execInfoJson(V1BETA1, cluster)), {
    kind: 'ExecCredential',
    apiVersion: V1BETA1,
    spec: {
      interactive: false,
      cluster: { server: 'https://127.0.0.9:6443', 'tls-server-name': 'api', 'certificate-authority-data': 'Q0EK', 'proxy-url': 'http://proxy:3128', config: { audience: 'a' } },
    },
  });
  // Inline CA data wins over a file read.
  assert.equal(execClusterInfo({ server: 's', 'certificate-authority-data': 'SU5MSU5F' }, 'RklMRQ==')['certificate-authority-data'], 'SU5MSU5F');
});

test('ExecCredential output: token or certificate pair, expiry as RFC 3339, version must match', () => {
  const out = (status: unknown, apiVersion = V1): string => JSON.stringify({ kind: 'ExecCredential', apiVersion, status });
  const tok = parseExecCredential(out({ token: 't', expirationTimestamp: '2030-01-02T03:04:05Z' }), V1);
  assert.deepEqual(tok, { ok: true, value: { token: 't', clientCertificatePem: undefined, clientKeyPem: undefined, expiresAt: new Date('2030-01-02T03:04:05Z') } });
  const cert = parseExecCredential(out({ clientCertificateData: 'C', clientKeyData: 'K' }, V1BETA1), V1BETA1);
  assert.deepEqual(cert, { ok: true, value: { token: undefined, clientCertificatePem: 'C', clientKeyPem: 'K', expiresAt: undefined } });
  const fails: [string, RegExp][] = [
    ['', /printed nothing/],
    ['not json sekrit', /not JSON/],
    ['[]', /not an ExecCredential object/],
    [JSON.stringify({ kind: 'Other', apiVersion: V1, status: { token: 't' } }), /kind is not ExecCredential/],
    [out({ token: 't' }, V1BETA1), /apiVersion client\.authentication\.k8s\.io\/v1beta1, but the kubeconfig asks for client\.authentication\.k8s\.io\/v1/],
    [JSON.stringify({ kind: 'ExecCredential', apiVersion: V1 }), /without a status/],
    [out({ clientCertificateData: 'C' }), /both are needed/],
    [out({}), /neither a token nor a client certificate/],
    [out({ token: 't', expirationTimestamp: 'tomorrow' }), /not an RFC 3339 time/],
  ];
  for (const [stdout, re] of fails) {
    const r = parseExecCredential(stdout, V1);
    assert.equal(r.ok, false, stdout);
    assert.match(r.ok ? '' : r.message, re);
    assert.equal((r.ok ? '' : r.message).includes('sekrit'), false);
  }
});
