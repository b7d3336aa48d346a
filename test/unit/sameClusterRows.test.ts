// Marks on cluster rows: two contexts that reach one cluster (same Liqo cluster ID, or same server and CA), and the
// lock of a read-only context (icon, description, tooltip with the reason, contextValue flag for the menus).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { caIdentityOf, sameClusterLinks, sameClusterText, serverKey } from '../../src/core/kubeconfig/sameCluster.ts';
import { clusterNode } from '../../src/core/tree/clusterNodes.ts';
import type { ClusterEntry } from '../../src/core/kubeconfig/clusters.ts';
import type { ResolvedContext } from '../../src/core/kubeconfig/resolved.ts';

const ctx = (entryId: string, server: string, ca?: string, clusterId?: string) => ({ entryId, contextName: entryId, server, ca, clusterId });

test('servers compare by scheme, host (any case) and port, the default port made explicit, no trailing slash', () => {
  assert.equal(serverKey('https://API.example.test/'), serverKey('https://api.example.test:443'));
  assert.notEqual(serverKey('https://127.0.0.1:6443'), serverKey('https://127.0.0.1:6444'));
  assert.equal(serverKey('  '), undefined);
});

test('same server and same CA: both rows learn the other; a different CA or port is another cluster', () => {
  const links = sameClusterLinks([ctx('a', 'https://127.0.0.1:6443', 'data:X'), ctx('b', 'https://127.0.0.1:6443/', 'data:X'), ctx('c', 'https://127.0.0.1:6443', 'data:Y'), ctx('d', 'https://127.0.0.1:7443', 'data:X')]);
  assert.deepEqual(links.get('a'), [{ entryId: 'b', contextName: 'b', why: 'server-and-ca' }]);
  assert.deepEqual(links.get('b'), [{ entryId: 'a', contextName: 'a', why: 'server-and-ca' }]);
  assert.equal(links.get('c'), undefined);
  assert.equal(links.get('d'), undefined);
});

test('same Liqo cluster ID through different addresses (a tunnel, a proxy): the same cluster, said once per pair', () => {
  const links = sameClusterLinks([ctx('a', 'https://127.0.0.1:6443', 'data:X', 'id-1'), ctx('b', 'https://127.0.0.2:16443', 'data:Z', 'id-1'), ctx('c', 'https://127.0.0.1:6443', 'data:X', 'id-1')]);
  assert.deepEqual(links.get('a')?.map((l) => [l.entryId, l.why]), [['b', 'cluster-id'], ['c', 'cluster-id']]);
  assert.equal(sameClusterText(links.get('a')!), 'same cluster as b +1');
  assert.equal(sameClusterLinks([ctx('a', 'https://127.0.0.1:1', undefined, 'id-1'), ctx('b', 'https://127.0.0.1:2', undefined, 'id-2')]).size, 0);
});

test('the CA as written: inline data without blanks, else the absolute file it names; none for the system CAs', () => {
  const resolved = (fields: Record<string, unknown>): ResolvedContext => ({ contextName: 'x', filePath: '/h/.kube/config', cluster: { name: 'c', fields, filePath: '/h/.kube/config', baseDir: '/h/.kube' }, user: { name: 'u', fields: {}, filePath: '/h/.kube/config', baseDir: '/h/.kube' } });
  assert.equal(caIdentityOf(resolved({ 'certificate-authority-data': 'AB CD\n' })), 'data:ABCD');
  assert.equal(caIdentityOf(resolved({ 'certificate-authority': 'ca.crt' })), 'file:/h/.kube/ca.crt');
  assert.equal(caIdentityOf(resolved({ 'certificate-authority': '/etc/k/ca.crt' })), 'file:/etc/k/ca.crt');
  assert.equal(caIdentityOf(resolved({})), undefined);
  assert.equal(caIdentityOf(undefined), undefined);
});

/** The tooltip's Markdown with its escapes undone (md() escapes `-`, `.`, `*`…). */
const plainText = (markdown: string | undefined) => (markdown ?? '').replace(/\\(.)/g, '$1');

const entry: ClusterEntry = { id: '/k#prod-eu', contextName: 'prod-eu', filePath: '/k', clusterName: 'c', userName: 'u', server: 'https://127.0.0.1:6443', auth: 'token', insecureSkipTlsVerify: false, nameIsDuplicated: false, isCurrentContext: false };

test('a read-only row: lock icon, "read-only" first in the description, the reason in the tooltip, +readOnly for the menus', () => {
  const row = clusterNode(entry, { kind: 'reachable', serverVersion: 'v1.31.0' }, ['/k'], undefined, { readOnlyBy: '*prod*' });
  assert.equal(row.icon?.id, 'lock');
  assert.match(row.description ?? '', /^read-only · /);
  assert.match(plainText(row.tooltip), /Read-only\*\*: it matches "\*prod\*" in liqo\.readOnlyContexts/);
  assert.match(row.contextValue, /\+readOnly\b/);
  const plain = clusterNode(entry, { kind: 'reachable', serverVersion: 'v1.31.0' }, ['/k']);
  assert.notEqual(plain.icon?.id, 'lock');
  assert.doesNotMatch(plain.contextValue, /readOnly/);
  assert.doesNotMatch(plain.description ?? '', /read-only/);
  // a failed cluster keeps its red icon (the description still says read-only)
  const failed = clusterNode(entry, { kind: 'failed', problem: { kind: 'refused', summary: 'refused', hint: 'h' } as never }, ['/k'], undefined, { readOnlyBy: 'prod-eu' });
  assert.equal(failed.icon?.id, 'vm-outline');
  assert.match(failed.description ?? '', /^read-only/);
});

test('a row that shares its cluster says with which context, in the description and the tooltip', () => {
  const row = clusterNode(entry, { kind: 'idle' }, ['/k'], undefined, { sameAs: [{ entryId: '/k#prod-admin', contextName: 'prod-admin', why: 'server-and-ca' }] });
  assert.match(row.description ?? '', /same cluster as prod-admin$/);
  assert.match(plainText(row.tooltip), /Same cluster as \*\*prod-admin\*\* \(same server and certificate authority\)/);
  assert.match(row.contextValue, /\+sameCluster\b/);
});
