import { test } from 'node:test';
import assert from 'node:assert/strict';
import { credentialProgramName, credentialProgramOf } from '../../src/core/credentials/credentialProgram.ts';

test('every way a kubeconfig user names a program is found', () => {
  assert.deepEqual(credentialProgramOf({ exec: { command: 'aws', args: ['eks', 'get-token'], apiVersion: 'client.authentication.k8s.io/v1' } }), {
    source: 'exec',
    command: 'aws',
  });
  assert.deepEqual(credentialProgramOf({ 'auth-provider': { name: 'gcp', config: { 'cmd-path': '/usr/bin/gcloud', 'cmd-args': 'config config-helper' } } }), {
    source: 'auth-provider cmd-path',
    command: '/usr/bin/gcloud',
  });
  assert.deepEqual(credentialProgramOf({ 'auth-provider': { name: 'custom', config: { exec: { command: './bin/login' } } } }), {
    source: 'auth-provider config.exec',
    command: './bin/login',
  });
  // client-node's own objects spell the key authProvider.
  assert.deepEqual(credentialProgramOf({ authProvider: { name: 'x', config: { exec: { command: 'p' } } } }), { source: 'auth-provider config.exec', command: 'p' });
});

test('an entry that would try to run a program counts even without a command', () => {
  assert.deepEqual(credentialProgramOf({ exec: {} }), { source: 'exec', command: undefined });
  assert.deepEqual(credentialProgramOf({ 'auth-provider': { name: 'exec' } }), { source: 'auth-provider config.exec', command: undefined });
  assert.equal(credentialProgramName({ source: 'exec' }), 'exec (no command)');
  assert.equal(credentialProgramName({ source: 'exec', command: 'kubelogin' }), 'kubelogin');
});

test('users that run nothing: tokens, certificates, oidc, azure with a stored token, empty cmd-path', () => {
  assert.equal(credentialProgramOf({ token: 'x' }), undefined);
  assert.equal(credentialProgramOf({ 'client-certificate': 'c.pem', 'client-key': 'k.pem' }), undefined);
  assert.equal(credentialProgramOf({ 'auth-provider': { name: 'oidc', config: { 'id-token': 'x', 'idp-issuer-url': 'https://i' } } }), undefined);
  assert.equal(credentialProgramOf({ 'auth-provider': { name: 'azure', config: { 'access-token': 'x' } } }), undefined);
  assert.equal(credentialProgramOf({ 'auth-provider': { name: 'gcp', config: { 'cmd-path': '  ' } } }), undefined);
  assert.equal(credentialProgramOf({}), undefined);
  assert.equal(credentialProgramOf(undefined), undefined);
});
