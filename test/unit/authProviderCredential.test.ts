import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  authProviderCommand,
  jsonPathSteps,
  jwtExpiry,
  parseAuthProviderOutput,
  splitCmdArgs,
  storedAccessToken,
} from '../../src/core/credentials/authProviderCredential.ts';

test('cmd-args split like strings.Fields: whitespace only, no shell quoting or expansion', () => {
  assert.deepEqual(splitCmdArgs('  config config-helper\t--format=json \n'), ['config', 'config-helper', '--format=json']);
  assert.deepEqual(splitCmdArgs('a "b c" $HOME;rm'), ['a', '"b', 'c"', '$HOME;rm']);
  assert.deepEqual(splitCmdArgs(''), []);
});

test('gcp-style command with kubectl defaults for token-key and expiry-key', () => {
  assert.deepEqual(authProviderCommand({ 'cmd-path': '/bin/gcloud', 'cmd-args': 'config config-helper --format=json' }), {
    command: '/bin/gcloud',
    args: ['config', 'config-helper', '--format=json'],
    tokenKey: '{.access_token}',
    expiryKey: '{.token_expiry}',
  });
  assert.equal(authProviderCommand({ 'access-token': 'x' }), undefined);
});

test('token-key and expiry-key are read as kubectl JSONPath', () => {
  assert.deepEqual(jsonPathSteps('{.credential.access_token}'), ['credential', 'access_token']);
  assert.deepEqual(jsonPathSteps('{$.a[0]}'), ['a', 0]);
  assert.deepEqual(jsonPathSteps(".a['b.c']"), ['a', 'b.c']);
  assert.equal(jsonPathSteps('{.a[*]}'), undefined);
  assert.equal(jsonPathSteps('{}'), undefined);
  const cmd = { command: 'g', args: [], tokenKey: '{.credential.access_token}', expiryKey: '{.credential.token_expiry}' };
  const stdout = JSON.stringify({ credential: { access_token: 'ya29.x', token_expiry: '2030-05-06T07:08:09Z' } });
  assert.deepEqual(parseAuthProviderOutput(stdout, cmd), { ok: true, value: { token: 'ya29.x', expiresAt: new Date('2030-05-06T07:08:09Z') } });
  assert.deepEqual(parseAuthProviderOutput(JSON.stringify({ credential: { access_token: 'a' } }), cmd), { ok: true, value: { token: 'a', expiresAt: undefined } });
  const missing = parseAuthProviderOutput('{"other":1}', cmd);
  assert.match(missing.ok ? '' : missing.message, /without a token at \{\.credential\.access_token\}/);
  const notJson = parseAuthProviderOutput('ya29.sekrit', cmd);
  assert.equal(notJson.ok, false);
  assert.equal((notJson.ok ? '' : notJson.message).includes('sekrit'), false);
});

test('a stored access-token is used while its expiry (RFC 3339 or azure expires-on) is ahead, as client-node does', () => {
  const now = new Date('2030-01-01T00:00:00Z');
  assert.deepEqual(storedAccessToken({ 'access-token': 't', expiry: '2030-01-01T01:00:00Z' }, now), { token: 't', expiresAt: new Date('2030-01-01T01:00:00Z') });
  assert.equal(storedAccessToken({ 'access-token': 't', expiry: '2029-12-31T23:00:00Z' }, now), undefined);
  assert.deepEqual(storedAccessToken({ 'access-token': 't', 'expires-on': String(now.getTime() / 1000 + 60) }, now)?.expiresAt, new Date(now.getTime() + 60_000));
  assert.deepEqual(storedAccessToken({ 'access-token': 't' }, now), { token: 't', expiresAt: undefined });
  assert.equal(storedAccessToken({ 'access-token': 't', expiry: 'garbage' }, now), undefined);
  assert.equal(storedAccessToken({}, now), undefined);
});

test('an oidc id-token expiry comes from its exp claim', () => {
  const part = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  assert.deepEqual(jwtExpiry(`${part({ alg: 'none' })}.${part({ exp: 1900000000 })}.sig`), new Date(1900000000 * 1000));
  assert.equal(jwtExpiry(`${part({ alg: 'none' })}.${part({ sub: 'x' })}.sig`), undefined);
  assert.equal(jwtExpiry('opaque-token'), undefined);
  assert.equal(jwtExpiry('a.!!!.c'), undefined);
});
