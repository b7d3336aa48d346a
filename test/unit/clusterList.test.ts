// Discovery end to end on real files in a temp folder: folders, duplicates across files, malformed and missing files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { kubeconfigSources } from '../../src/core/kubeconfig/sources.ts';
import { buildClusterList, fileLabel } from '../../src/core/kubeconfig/clusters.ts';
import { loadKubeconfigs } from '../../src/infra/kubeconfig/loadFiles.ts';

const kubeconfig = (ctx: string, server: string, current = ctx): string => `apiVersion: v1
kind: Config
current-context: ${current}
clusters:
- name: ${ctx}-cluster
  cluster: {server: '${server}'}
contexts:
- name: ${ctx}
  context: {cluster: ${ctx}-cluster, user: ${ctx}-user}
users:
- name: ${ctx}-user
  user: {token: secret-${ctx}}
`;

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'liqo-unit-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('every context of every file becomes a cluster; the same name in two files is told apart', () =>
  withDir(async (dir) => {
    await mkdir(path.join(dir, 'vm'));
    await mkdir(path.join(dir, 'extra'));
    await writeFile(path.join(dir, 'config'), kubeconfig('kind-mlops', 'https://127.0.0.1:6443'));
    await writeFile(path.join(dir, 'vm', 'k3s.yaml'), kubeconfig('default', 'https://127.0.0.7:6443'));
    await writeFile(path.join(dir, 'extra', 'k3s.yaml'), kubeconfig('default', 'https://127.0.0.12:6443'));
    await writeFile(path.join(dir, 'extra', 'notes.md'), '# not a kubeconfig');
    const sources = kubeconfigSources({
      kubeconfigEnv: path.join(dir, 'config'),
      homeDir: dir,
      delimiter: ':',
      settingEntries: [path.join(dir, 'vm', 'k3s.yaml'), path.join(dir, 'extra')],
    });
    const files = await loadKubeconfigs(sources);
    assert.deepEqual(files.map((f) => path.relative(dir, f.path)), ['config', 'vm/k3s.yaml', 'extra/k3s.yaml']);
    const list = buildClusterList(files);
    assert.deepEqual(list.problems, []);
    assert.deepEqual(
      list.clusters.map((c) => [c.contextName, path.relative(dir, c.filePath), c.server, c.nameIsDuplicated, c.auth]),
      [
        ['kind-mlops', 'config', 'https://127.0.0.1:6443', false, 'token'],
        ['default', 'vm/k3s.yaml', 'https://127.0.0.7:6443', true, 'token'],
        ['default', 'extra/k3s.yaml', 'https://127.0.0.12:6443', true, 'token'],
      ],
    );
    assert.equal(new Set(list.clusters.map((c) => c.id)).size, 3, 'ids are unique');
    const paths = files.map((f) => f.path);
    assert.equal(fileLabel(list.clusters[1]!.filePath, paths), 'vm/k3s.yaml');
    assert.equal(fileLabel(list.clusters[0]!.filePath, paths), 'config');
    assert.doesNotMatch(JSON.stringify(list), /secret-/, 'no token in the model');
  }));

test('a malformed file is one problem naming file and line; the other files still load', () =>
  withDir(async (dir) => {
    await writeFile(path.join(dir, 'good.yaml'), kubeconfig('good', 'https://127.0.0.1:6443'));
    await writeFile(path.join(dir, 'bad.yaml'), 'apiVersion: v1\nclusters:\n- name: x\n  cluster: {server: "https://x\ncontexts: []\n');
    const files = await loadKubeconfigs(kubeconfigSources({ kubeconfigEnv: `${dir}/bad.yaml:${dir}/good.yaml`, homeDir: dir, delimiter: ':', settingEntries: [] }));
    const list = buildClusterList(files);
    assert.deepEqual(list.clusters.map((c) => c.contextName), ['good']);
    assert.equal(list.problems.length, 1);
    const p = list.problems[0]!;
    assert.equal(p.filePath, path.join(dir, 'bad.yaml'));
    assert.ok(p.line !== undefined && p.line >= 4, `line ${p.line}`);
  }));

test('a missing KUBECONFIG entry or default file is skipped like kubectl does; a missing setting entry is reported', () =>
  withDir(async (dir) => {
    const files = await loadKubeconfigs(
      kubeconfigSources({ kubeconfigEnv: `${dir}/nope.yaml`, homeDir: dir, delimiter: ':', settingEntries: [`${dir}/also-nope.yaml`] }),
    );
    const list = buildClusterList(files);
    assert.deepEqual(list.clusters, []);
    assert.deepEqual(list.problems.map((p) => [path.basename(p.filePath), p.message]), [['also-nope.yaml', 'file or folder not found']]);
  }));

test('a context pointing at an undefined cluster is kept, with the reason', () =>
  withDir(async (dir) => {
    await writeFile(path.join(dir, 'c'), 'contexts:\n- name: orphan\n  context: {cluster: gone, user: u}\nusers:\n- name: u\n  user: {}\n');
    const list = buildClusterList(await loadKubeconfigs([{ path: path.join(dir, 'c'), origin: 'KUBECONFIG' }]));
    assert.equal(list.clusters[0]?.configError, 'context "orphan" refers to cluster "gone", which this file does not define');
  }));

test('the same context name twice in one file gets distinct ids', () =>
  withDir(async (dir) => {
    const text = `clusters:\n- name: c\n  cluster: {server: https://a}\nusers:\n- name: u\n  user: {}\ncontexts:\n- name: dup\n  context: {cluster: c, user: u}\n- name: dup\n  context: {cluster: c, user: u}\n`;
    await writeFile(path.join(dir, 'c'), text);
    const list = buildClusterList(await loadKubeconfigs([{ path: path.join(dir, 'c'), origin: 'KUBECONFIG' }]));
    assert.equal(list.clusters.length, 2);
    assert.notEqual(list.clusters[0]?.id, list.clusters[1]?.id);
    assert.equal(list.clusters[0]?.nameIsDuplicated, true);
    // kubectl would connect both as the first one: the second is an error row, the first works as usual.
    assert.equal(list.clusters[0]?.configError, undefined);
    assert.equal(list.clusters[1]?.configError, 'duplicate context "dup": this file defines it more than once, and kubectl uses only the first');
  }));
