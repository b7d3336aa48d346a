// Edits of files that share values through YAML anchors, aliases and merge keys: an edit changes exactly the entry it
// names. An alias that would follow the change keeps its old value (written out in its place, and listed among the
// edits); an entry that is itself an alias gets its own copy. Checked on the data both before and after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { rewriteServer, deleteContext, renameContext } from '../../src/core/kubeconfig/edits.ts';
import { handKept } from './kubeconfigShapes.ts';

type Cfg = { clusters: { name: string; cluster: Record<string, unknown> }[]; users: { name: string; user: Record<string, unknown> }[]; contexts: { name: string }[] };
const read = (text: string): Cfg => parse(text, { merge: true }) as Cfg;
const servers = (text: string): Record<string, unknown> => Object.fromEntries(read(text).clusters.map((c) => [c.name, c.cluster.server]));

const shared = `apiVersion: v1
clusters:
- name: a
  cluster: &shared
    server: https://127.0.0.1:6443
    certificate-authority-data: Q0E=
- name: b
  cluster: *shared
- name: c
  cluster:
    server: &srv https://127.0.0.2:6443
- name: d
  cluster: {server: *srv}
- name: e
  cluster:
    <<: *shared
    insecure-skip-tls-verify: false
contexts:
- {name: a, context: {cluster: a, user: u}}
- {name: b, context: {cluster: b, user: u}}
- {name: c, context: {cluster: c, user: u}}
- {name: d, context: {cluster: d, user: u}}
- {name: e, context: {cluster: e, user: u}}
users:
- name: u
  user: {token: dG9r}
`;
const before = servers(shared);

test('Rewrite Server of the cluster holding an anchor changes only that cluster; the aliases keep their value and are listed', () => {
  const r = rewriteServer(shared, 'a', { server: 'https://127.0.0.9:6443' });
  assert.deepEqual(servers(r.text), { ...before, a: 'https://127.0.0.9:6443' });
  assert.deepEqual(r.edits.map((e) => e.summary), [
    'cluster "a": server set to https://127.0.0.9:6443',
    'cluster "b" keeps its value: *shared written out there, as the anchor &shared changes',
    'cluster "e" keeps its value: *shared written out there, as the anchor &shared changes',
  ]);
  assert.equal(read(r.text).clusters[1]!.cluster['certificate-authority-data'], 'Q0E=');
});

test('two clusters sharing one anchor (no merge key): the edit no longer changes both', () => {
  const two = shared.slice(0, shared.indexOf('- name: c')) + 'contexts:\n- {name: a, context: {cluster: a, user: u}}\n- {name: b, context: {cluster: b, user: u}}\nusers:\n- name: u\n  user: {token: dG9r}\n';
  const r = rewriteServer(two, 'a', { server: 'https://127.0.0.9:6443' });
  assert.deepEqual(servers(r.text), { a: 'https://127.0.0.9:6443', b: 'https://127.0.0.1:6443' });
  assert.equal(r.edits.length, 2, 'both changes are listed');
  const viaB = rewriteServer(two, 'b', { server: 'https://127.0.0.8:6443', tlsServerName: 'kubernetes' });
  assert.deepEqual(servers(viaB.text), { a: 'https://127.0.0.1:6443', b: 'https://127.0.0.8:6443' });
  assert.equal(read(viaB.text).clusters[1]!.cluster['tls-server-name'], 'kubernetes');
  assert.match(viaB.edits[0]!.summary, /no longer follows \*shared/);
});

test('an anchored scalar: the alias elsewhere keeps the old address', () => {
  const r = rewriteServer(shared, 'c', { server: 'https://127.0.0.9:6443' });
  assert.deepEqual(servers(r.text), { ...before, c: 'https://127.0.0.9:6443' });
  const viaD = rewriteServer(shared, 'd', { server: 'https://127.0.0.7:6443' });
  assert.deepEqual(servers(viaD.text), { ...before, d: 'https://127.0.0.7:6443' });
  assert.equal(viaD.edits.length, 1);
});

test('a merge key: the explicit server overrides the merged one, for that cluster only', () => {
  const r = rewriteServer(shared, 'e', { server: 'https://127.0.0.6:6443' });
  assert.deepEqual(servers(r.text), { ...before, e: 'https://127.0.0.6:6443' });
});

test('the hand-kept file: deleting a context whose user holds an anchor keeps the aliasing user intact', () => {
  const r = deleteContext(handKept, 'lab');
  const cfg = read(r.text);
  assert.deepEqual(cfg.users.map((u) => u.name), ['viewer', 'edge']);
  assert.deepEqual(cfg.users[1]!.user, { 'client-certificate-data': 'Q0VSVA==', 'client-key-data': 'S0VZ' });
  assert.ok(r.edits.some((e) => e.summary === 'user "edge" keeps its value: *adminuser written out there, as the anchor &adminuser changes'));
});

test('renaming works where a name is an anchor that a reference aliases', () => {
  const named = 'clusters:\n- name: &cn lab\n  cluster: {server: https://127.0.0.1:6443}\ncontexts:\n- name: lab\n  context: {cluster: *cn, user: u}\nusers:\n- {name: u, user: {token: dG9r}}\n';
  const r = renameContext(named, 'lab', 'lab2');
  const cfg = parse(r.text) as { clusters: { name: string }[]; contexts: { name: string; context: { cluster: string } }[] };
  assert.deepEqual([cfg.clusters[0]!.name, cfg.contexts[0]!.name, cfg.contexts[0]!.context.cluster], ['lab2', 'lab2', 'lab2']);
});
