import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REDACTED, redactArgs, redactSecrets } from '../../src/core/secrets/redactText.ts';

const jwt = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZGVmYXVsdCJ9.c2lnbmF0dXJlLXBhcnQ';
const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\nabcdef\n-----END RSA PRIVATE KEY-----';

test('PEM blocks keep their label and lose their body, also when cut short', () => {
  const out = redactSecrets(`key:\n${pem}\ntrailing`);
  assert.equal(out.includes('MIIEpAIBAAKCAQEA7'), false);
  assert.match(out, /-----BEGIN RSA PRIVATE KEY----- <redacted> -----END RSA PRIVATE KEY-----\ntrailing/);
  const cut = redactSecrets('-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU');
  assert.equal(cut, '-----BEGIN CERTIFICATE----- <redacted>');
});

test('base64 PEM (kubeconfig *-data values), JWTs and prefixed tokens are redacted wherever they stand', () => {
  const b64 = Buffer.from(pem).toString('base64');
  assert.equal(redactSecrets(`data ${b64} end`), `data ${REDACTED} end`);
  assert.equal(redactSecrets(`got ${jwt}.`), `got ${REDACTED}.`);
  for (const token of [
    'k8s-aws-v1.aHR0cHM6Ly9zdHMuYW1hem9uYXdzLmNvbS8_QWN0aW9u',
    'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
    'hf_abcdefghijklmnopqrstuvwxyzABCD',
    'AKIAIOSFODNN7EXAMPLE',
    'ya29.a0AfH6SMBabcdefghijklmnopqrstuvwxyz',
    'abcdef.0123456789abcdef',
  ]) {
    assert.equal(redactSecrets(`x ${token} y`), `x ${REDACTED} y`, token);
  }
});

test('values named like secrets are redacted in YAML, JSON, env and flag forms; their names stay', () => {
  assert.equal(redactSecrets('token: abc123'), `token: ${REDACTED}`);
  assert.equal(redactSecrets('  client-key-data: QUJD'), `  client-key-data: ${REDACTED}`);
  assert.equal(redactSecrets('{"token":"s3cr3t","user":"bob"}'), `{"token":"${REDACTED}","user":"bob"}`);
  assert.equal(redactSecrets('{"clientKeyData": "a\\"b", "x": 1}'), `{"clientKeyData": "${REDACTED}", "x": 1}`);
  assert.equal(redactSecrets('AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG'), `AWS_SECRET_ACCESS_KEY=${REDACTED}`);
  assert.equal(redactSecrets("password = 'hunter2' ok"), `password = '${REDACTED}' ok`);
  assert.equal(redactSecrets('run --token=abc --namespace x'), `run --token=${REDACTED} --namespace x`);
  assert.equal(redactSecrets('run --client-secret abc --namespace x'), `run --client-secret ${REDACTED} --namespace x`);
  assert.equal(redactSecrets('Authorization: Bearer abc.def-ghi'), `Authorization: Bearer ${REDACTED}`);
  assert.equal(redactSecrets('postgres://app:pa55@db:5432/x'), `postgres://app:${REDACTED}@db:5432/x`);
});

test('what only looks like a secret name is kept: JSONPath keys, empty values, nested maps, plain prose', () => {
  assert.equal(redactSecrets('token-key: {.credential.access_token}'), 'token-key: {.credential.access_token}');
  assert.equal(redactSecrets('token: ""'), 'token: ""');
  assert.equal(redactSecrets('credentials:\n  name: x'), 'credentials:\n  name: x');
  const prose = 'error: You must be logged in to the server (Unauthorized); run liqoctl peer --help';
  assert.equal(redactSecrets(prose), prose);
  assert.equal(redactSecrets('Auth: Established\nAuthentication: Healthy'), 'Auth: Established\nAuthentication: Healthy');
  assert.equal(redactSecrets(''), '');
});

test('redaction is idempotent', () => {
  const once = redactSecrets(`token: abc ${jwt} ${pem} --password=x`);
  assert.equal(redactSecrets(once), once);
});

test('argv: the value after a secret-named flag is redacted, other arguments only by shape', () => {
  assert.deepEqual(redactArgs(['peer', '--token', 'abc', '--remote-kubeconfig', '/k', `--x=${jwt}`]), [
    'peer',
    '--token',
    REDACTED,
    '--remote-kubeconfig',
    '/k',
    `--x=${REDACTED}`,
  ]);
});
