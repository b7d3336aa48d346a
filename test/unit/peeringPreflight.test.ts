// Peer Clusters…'s pre-flight: reachability, Liqo on both, versions, distinct IDs, and whether the consumer can
// reach the provider's API server at the address it will be given.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressKind, preflight, providerAddressFinding } from '../../src/core/peering/preflight.ts';

const side = (contextName: string, server: string, extra: object = {}) => ({ contextName, server, liqoVersion: 'v1.0.1', clusterId: contextName, liqoNamespace: 'liqo', ...extra });

test('address kinds', () => {
  assert.deepEqual(['127.0.0.1', 'localhost', '[::1]', '10.1.2.3', '172.20.0.1', '192.168.1.5', '100.64.0.1', '8.8.8.8', 'api.example.com'].map(addressKind), [
    'loopback', 'loopback', 'loopback', 'private', 'private', 'private', 'private', 'public', 'name',
  ]);
});

test('provider address: loopback is fine only when both are local; private across networks warns', () => {
  assert.equal(providerAddressFinding('https://127.0.0.1:6443', 'https://127.0.0.1:7443'), undefined);
  const loop = providerAddressFinding('https://203.0.113.7:6443', 'https://127.0.0.1:6443');
  assert.equal(loop?.severity, 'warning');
  assert.equal(loop?.offersRewrite, true);
  assert.match(loop?.message ?? '', /loopback/);
  assert.equal(providerAddressFinding('https://api.example.com', 'https://10.0.0.4:6443')?.offersRewrite, true);
  assert.equal(providerAddressFinding('https://192.168.1.10:6443', 'https://10.0.0.4:6443')?.severity, 'warning');
  assert.equal(providerAddressFinding('https://10.1.0.10:6443', 'https://10.0.0.4:6443'), undefined);
  assert.equal(providerAddressFinding('https://10.1.0.10:6443', 'https://api.example.com'), undefined);
  assert.equal(providerAddressFinding('not a url', 'https://a')?.severity, 'error');
});

test('pre-flight errors and warnings', () => {
  assert.deepEqual(preflight(side('a', 'https://127.0.0.1:1'), side('b', 'https://127.0.0.1:2'), 'v1.0.1'), []);
  const msgs = (f: ReturnType<typeof preflight>) => f.map((x) => `${x.severity}: ${x.message}`);
  assert.match(msgs(preflight(side('a', 'https://127.0.0.1:1', { unreachable: 'connection refused' }), side('b', 'https://127.0.0.1:2'), undefined)).join('\n'), /error: The consumer a .* does not answer: connection refused/);
  assert.match(msgs(preflight(side('a', 'https://127.0.0.1:1'), side('b', 'https://127.0.0.1:2', { liqoVersion: undefined }), undefined)).join('\n'), /error: Liqo is not installed on the provider b/);
  assert.match(msgs(preflight(side('a', 'https://127.0.0.1:1', { clusterId: 'x' }), side('b', 'https://127.0.0.1:2', { clusterId: 'x' }), undefined)).join('\n'), /error: Both clusters have the cluster ID "x"/);
  assert.match(msgs(preflight(side('a', 'https://127.0.0.1:1'), side('a', 'https://127.0.0.1:1'), undefined)).join('\n'), /same context/);
  const micro = msgs(preflight(side('a', 'https://127.0.0.1:1'), side('b', 'https://127.0.0.1:2', { liqoVersion: 'v1.0.0' }), 'v1.0.1'));
  assert.ok(micro.some((m) => /^warning: liqoctl is v1\.0\.1 but b runs Liqo v1\.0\.0/.test(m)));
  assert.ok(micro.some((m) => /^warning: a runs Liqo v1\.0\.1 and b runs v1\.0\.0/.test(m)));
  assert.ok(msgs(preflight(side('a', 'https://127.0.0.1:1'), side('b', 'https://127.0.0.1:2'), 'v1.2.0')).every((m) => m.startsWith('error: liqoctl is v1.2.0')));
});
