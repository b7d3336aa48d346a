// Edits of one file of a KUBECONFIG list, with the rest of the list in view (kubectl merges them: first definition of
// a name wins, a context may use another file's cluster and user, current-context from the first file that sets it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deleteContext, renameContext, followRenamedContext } from '../../src/core/kubeconfig/edits.ts';
import { outsideReferences, type ListFile } from '../../src/core/kubeconfig/listReferences.ts';
import { parseKubeconfig } from '../../src/core/kubeconfig/parse.ts';
import { KubeconfigEditError } from '../../src/core/kubeconfig/editError.ts';

const file = (path: string, text: string): ListFile & { text: string } => {
  const r = parseKubeconfig(text);
  assert.ok(r.ok);
  return { path, config: r.config, text };
};

// a.yaml holds the lab cluster and user; b.yaml's context "ops" uses them, and b.yaml sets current-context: lab.
const a = file(
  '/k/a.yaml',
  `apiVersion: v1
kind: Config
clusters:
- name: lab
  cluster:
    server: https://127.0.0.1:6443
contexts:
- name: lab
  context:
    cluster: lab
    user: lab
users:
- name: lab
  user:
    token: dG9r
`,
);
const b = file(
  '/k/b.yaml',
  `apiVersion: v1
kind: Config
current-context: lab
contexts:
- name: ops
  context:
    cluster: lab
    user: lab
    namespace: ops
`,
);
// c.yaml has a context whose cluster and user only a.yaml defines.
const c = file(
  '/k/c.yaml',
  `apiVersion: v1
kind: Config
contexts:
- name: borrowed
  context:
    cluster: lab
    user: lab
`,
);

test('Delete Context keeps a cluster and user another listed file\'s context uses, and says which', () => {
  const outside = outsideReferences([a, b], a.path);
  const r = deleteContext(a.text, 'lab', outside);
  const after = parseKubeconfig(r.text);
  assert.ok(after.ok);
  assert.deepEqual(after.config.clusters.map((x) => x.name), ['lab'], 'the cluster b.yaml\'s "ops" uses was deleted');
  assert.deepEqual(after.config.users.map((x) => x.name), ['lab']);
  assert.deepEqual(after.config.contexts, []);
  assert.ok(r.notes.some((n) => n.includes('cluster "lab" is kept') && n.includes('"ops" (/k/b.yaml)')), r.notes.join('\n'));
  assert.ok(r.notes.some((n) => n.includes('current-context in /k/b.yaml still names "lab"')));
  assert.ok(!r.edits.some((e) => /no other context uses it/.test(e.summary)));
});

test('Rename works for a context whose cluster and user another listed file defines; the names stay', () => {
  const outside = outsideReferences([a, c], c.path);
  const r = renameContext(c.text, 'borrowed', 'borrowed-2', outside);
  assert.equal(r.text, c.text.replace('- name: borrowed\n', '- name: borrowed-2\n'));
});

test('Rename keeps a cluster another file uses, refuses a name another file holds, and the current-context holder follows', () => {
  const outside = outsideReferences([a, b], a.path);
  const r = renameContext(a.text, 'lab', 'lab-main', outside);
  const after = parseKubeconfig(r.text);
  assert.ok(after.ok);
  assert.deepEqual(after.config.contexts.map((x) => [x.name, x.cluster, x.user]), [['lab-main', 'lab', 'lab']]);
  assert.deepEqual(after.config.clusters.map((x) => x.name), ['lab']);
  assert.equal(outside.currentContext?.file, b.path);
  assert.equal(followRenamedContext(b.text, 'lab', 'lab-main').text, b.text.replace('current-context: lab\n', 'current-context: lab-main\n'));
  assert.throws(
    () => renameContext(a.text, 'lab', 'ops', outside),
    (e: unknown) => e instanceof KubeconfigEditError && e.code === 'duplicate-name' && /another file of the KUBECONFIG list/.test(e.message),
  );
});

test('a cluster an earlier listed file defines is the one kubectl uses: a rename never renames the shadowed copy', () => {
  const early = file('/k/0.yaml', 'apiVersion: v1\nkind: Config\nclusters:\n- name: lab\n  cluster:\n    server: https://127.0.0.2:6443\n');
  const outside = outsideReferences([early, a], a.path);
  const r = renameContext(a.text, 'lab', 'lab-main', outside);
  const after = parseKubeconfig(r.text);
  assert.ok(after.ok);
  assert.deepEqual(after.config.clusters.map((x) => x.name), ['lab']);
  assert.deepEqual(after.config.users.map((x) => x.name), ['lab-main']);
});
