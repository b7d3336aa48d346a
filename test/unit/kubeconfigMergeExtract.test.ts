// Merge and extract on real-world shapes: collisions are planned before anything is written, each resolved as
// chosen; the target's existing bytes stay as they were; an extracted file is self-contained.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { planMerge, merge, collisionKey, askResolutions, type MergeCollision, type CollisionResolution } from '../../src/core/kubeconfig/merge.ts';
import { extractContext, fileReferences } from '../../src/core/kubeconfig/extract.ts';
import { KubeconfigEditError } from '../../src/core/kubeconfig/editError.ts';
import { k3sDefault, kind, k0sAdmin, handKept } from './kubeconfigShapes.ts';

type Cfg = { contexts: { name: string; context: { cluster: string; user: string } }[]; clusters: { name: string; cluster: Record<string, unknown> }[]; users: { name: string; user: Record<string, unknown> }[]; 'current-context'?: string };

/** Answers Merge Into's questions as a user taking every proposed rename would, recording what was asked. */
async function mergeAsUi(target: string, source: string, answer: (c: MergeCollision) => CollisionResolution | undefined = (c) => ({ action: 'rename', to: c.proposedName })) {
  const asked: string[] = [];
  const resolutions = await askResolutions(planMerge(target, source), async (c) => {
    asked.push(collisionKey(c.kind, c.name));
    return answer(c);
  });
  assert.ok(resolutions, 'no question cancelled');
  return { asked, result: merge(target, source, resolutions) };
}

test('merging two k3s files: collisions listed first with proposed names; the context is asked about since its cluster differs', async () => {
  const other = k3sDefault.replace('127.0.0.1:6443', '127.0.0.1:7443');
  const plan = planMerge(k3sDefault, other);
  assert.deepEqual(
    plan.map((c) => [c.kind, c.name, c.identical, c.proposedName]),
    [
      ['cluster', 'default', false, 'default-2'],
      ['user', 'default', true, 'default-2'],
      ['context', 'default', false, 'default-2'],
    ],
  );
  const { asked, result: r } = await mergeAsUi(k3sDefault, other, (c) => ({ action: 'rename', to: c.kind === 'context' || c.kind === 'cluster' ? 'edge-2' : c.proposedName }));
  assert.deepEqual(asked, ['cluster/default', 'context/default'], 'the identical user is not asked about');
  assert.ok(r.text.startsWith(k3sDefault.slice(0, k3sDefault.indexOf('contexts:'))), 'existing clusters untouched, new one appended after them');
  const cfg = parse(r.text) as Cfg;
  assert.deepEqual(cfg.contexts.map((c) => [c.name, c.context.cluster, c.context.user]), [['default', 'default', 'default'], ['edge-2', 'edge-2', 'default']]);
  assert.deepEqual(cfg.clusters.map((c) => [c.name, c.cluster.server]), [['default', 'https://127.0.0.1:6443'], ['edge-2', 'https://127.0.0.1:7443']]);
  assert.equal(cfg.users.length, 1, 'identical user kept once');
  assert.equal(cfg['current-context'], 'default');
});

test('a second k3s cluster (same names, other server and credentials) is reachable after Merge Into: its context is added and uses its renamed cluster and user', async () => {
  const second = k3sDefault.replace('127.0.0.1:6443', '127.0.0.2:6443').replace('client-key-data: LS0t', 'client-key-data: S0VZLTI');
  const { asked, result } = await mergeAsUi(k3sDefault, second);
  assert.deepEqual(asked, ['cluster/default', 'user/default', 'context/default']);
  const cfg = parse(result.text) as Cfg;
  assert.deepEqual(cfg.contexts.map((c) => [c.name, c.context.cluster, c.context.user]), [['default', 'default', 'default'], ['default-2', 'default-2', 'default-2']]);
  assert.equal(cfg.clusters.find((c) => c.name === 'default-2')?.cluster.server, 'https://127.0.0.2:6443');
  assert.match(String(cfg.users.find((u) => u.name === 'default-2')?.user['client-key-data']), /^S0VZLTI/);
  assert.deepEqual(result.notes, []);
});

test('merging a file into itself (or an identical one) asks nothing and changes nothing', async () => {
  for (const shape of [k3sDefault, kind, k0sAdmin]) {
    const { asked, result } = await mergeAsUi(shape, shape);
    assert.deepEqual(asked, []);
    assert.equal(result.text, shape);
  }
});

test('keeping the target\'s context while renaming the incoming cluster says the added cluster is unused', async () => {
  const second = k3sDefault.replace('127.0.0.1:6443', '127.0.0.2:6443');
  const { result } = await mergeAsUi(k3sDefault, second, (c) => (c.kind === 'context' ? { action: 'keep-target' } : { action: 'rename', to: c.proposedName }));
  assert.deepEqual(result.notes, ['cluster "default-2" is added, but no context added by this merge uses it']);
});

test('a cancelled question cancels the merge', async () => {
  const second = k3sDefault.replace('127.0.0.1:6443', '127.0.0.2:6443');
  assert.equal(await askResolutions(planMerge(k3sDefault, second), async () => undefined), undefined);
});

test('an unresolved collision is refused; overwrite replaces the entry in place', () => {
  const other = k3sDefault.replace('127.0.0.1:6443', '127.9.9.9:6443');
  assert.throws(() => merge(k3sDefault, other, new Map()), (e: unknown) => e instanceof KubeconfigEditError && e.code === 'unresolved-collision' && /cluster named "default"/.test(e.message));
  const r = merge(k3sDefault, other, new Map([[collisionKey('cluster', 'default'), { action: 'overwrite' }], [collisionKey('context', 'default'), { action: 'keep-target' }]]));
  assert.equal(r.text.replace(/- cluster:\n(?: {4}.*\n)+ {2}name: default\n/, 'X\n'), k3sDefault.replace(/- cluster:\n(?: {4}.*\n)+ {2}name: default\n/, 'X\n'));
  assert.equal((parse(r.text) as Cfg).clusters[0]!.cluster.server, 'https://127.9.9.9:6443');
});

test('merging kind into a hand-kept file appends in its indentation and keeps every existing byte', () => {
  const r = merge(handKept, kind, new Map());
  let rest = r.text;
  for (const e of r.edits) assert.equal(e.start, e.end, 'only insertions');
  for (const e of [...r.edits].reverse()) rest = rest.slice(0, e.start) + rest.slice(e.start + e.text.length);
  const insertedBefore = (i: number): number => r.edits.slice(0, i).reduce((n, e) => n + e.text.length, 0);
  let reconstructed = r.text;
  r.edits.forEach((e, i) => {
    const at = e.start + insertedBefore(i);
    reconstructed = reconstructed.slice(0, at) + '\u0000'.repeat(e.text.length) + reconstructed.slice(at + e.text.length);
  });
  assert.equal(reconstructed.replace(/\u0000/g, ''), handKept);
  assert.match(r.text, /\n {2}- cluster:\n {6}certificate-authority-data: LS0t/);
  const cfg = parse(r.text) as Cfg;
  assert.deepEqual(cfg.contexts.map((c) => c.name), ['lab', 'lab-readonly', 'edge', 'kind-mlops-platform', 'kind-cluster-b']);
});

test('merging into an empty file and into empty lists creates block lists', () => {
  for (const target of ['', 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts:\nusers: null\n']) {
    const r = merge(target, k0sAdmin, new Map());
    const cfg = parse(r.text) as Cfg;
    assert.deepEqual([cfg.clusters.length, cfg.contexts.length, cfg.users.length], [1, 1, 1], target);
    assert.ok(!r.text.includes('[{'), 'block style');
  }
});

test('a broken file to merge is named as such', () => {
  assert.throws(() => planMerge(kind, 'contexts:\n- name: x\n  context: {cluster: nowhere}\n'), (e: unknown) => e instanceof KubeconfigEditError && /^In the file to merge: .*no cluster named "nowhere"/.test(e.message));
});

test('extract embeds referenced certificate and token files and selects the context', () => {
  const withFiles = `apiVersion: v1
clusters:
- name: lab
  cluster: {server: https://127.0.0.5:6443, certificate-authority: ca.crt}
contexts:
- name: lab
  context: {cluster: lab, user: admin, namespace: liqo}
- name: other
  context: {cluster: lab, user: admin}
current-context: other
users:
- name: admin
  user: {client-certificate: /pki/admin.crt, client-key: /pki/admin.key, tokenFile: tok}
`;
  assert.deepEqual(fileReferences(withFiles, 'lab').map((f) => `${f.kind}.${f.field}=${f.path}`), ['cluster.certificate-authority=ca.crt', 'user.client-certificate=/pki/admin.crt', 'user.client-key=/pki/admin.key', 'user.tokenFile=tok']);
  const files = new Map([['ca.crt', 'Q0E='], ['/pki/admin.crt', 'Q0VSVA=='], ['/pki/admin.key', 'S0VZ'], ['tok', btoa('abc\n')]]);
  const x = extractContext(withFiles, 'lab', files);
  assert.deepEqual(parse(x.text), {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'lab',
    clusters: [{ name: 'lab', cluster: { server: 'https://127.0.0.5:6443', 'certificate-authority-data': 'Q0E=' } }],
    contexts: [{ name: 'lab', context: { cluster: 'lab', user: 'admin', namespace: 'liqo' } }],
    users: [{ name: 'admin', user: { 'client-certificate-data': 'Q0VSVA==', 'client-key-data': 'S0VZ', token: 'abc' } }],
  });
  assert.throws(() => extractContext(withFiles, 'lab', new Map()), (e: unknown) => e instanceof KubeconfigEditError && e.code === 'missing-file-content' && /ca\.crt/.test(e.message));
});

test('extract of an alias-sharing hand-kept context resolves the aliases into plain data', () => {
  const x = extractContext(handKept, 'edge', new Map());
  const cfg = parse(x.text) as Cfg;
  assert.equal(cfg.clusters[0]!.cluster['certificate-authority-data'], 'Q0EtTEFC');
  assert.equal(cfg.users[0]!.user['client-key-data'], 'S0VZ');
});
