import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandHome, isKubeconfigCandidate, kubeconfigSources } from '../../src/core/kubeconfig/sources.ts';

const home = '/home/ada';

test('KUBECONFIG path list is split on the platform delimiter, in order, without empty entries', () => {
  const s = kubeconfigSources({ kubeconfigEnv: '/a/one.yaml::/b/two.yaml:', homeDir: home, delimiter: ':', settingEntries: [] });
  assert.deepEqual(s, [
    { path: '/a/one.yaml', origin: 'KUBECONFIG' },
    { path: '/b/two.yaml', origin: 'KUBECONFIG' },
  ]);
});

test('Windows delimiter is honoured when given', () => {
  const s = kubeconfigSources({ kubeconfigEnv: '/a/one.yaml;/b/two.yaml', homeDir: home, delimiter: ';', settingEntries: [] });
  assert.deepEqual(s.map((x) => x.path), ['/a/one.yaml', '/b/two.yaml']);
});

test('without KUBECONFIG the default ~/.kube/config is read', () => {
  for (const env of [undefined, '', '  ']) {
    const s = kubeconfigSources({ kubeconfigEnv: env, homeDir: home, delimiter: ':', settingEntries: [] });
    assert.deepEqual(s, [{ path: '/home/ada/.kube/config', origin: 'default' }]);
  }
});

test('liqo.kubeconfigs entries follow, with ~ expanded, relative paths resolved and duplicates dropped', () => {
  const s = kubeconfigSources({
    kubeconfigEnv: '/a/one.yaml',
    homeDir: home,
    delimiter: ':',
    settingEntries: ['~/clusters', 'rel/k3s.yaml', '/a/one.yaml', '~/clusters/', ''],
    baseDir: '/work/ws',
  });
  assert.deepEqual(s, [
    { path: '/a/one.yaml', origin: 'KUBECONFIG' },
    { path: '/home/ada/clusters', origin: 'setting' },
    { path: '/work/ws/rel/k3s.yaml', origin: 'setting' },
  ]);
});

test('relative setting entries resolve against home when no workspace is open', () => {
  const s = kubeconfigSources({ kubeconfigEnv: undefined, homeDir: home, delimiter: ':', settingEntries: ['kube/b.yaml'] });
  assert.equal(s[1]?.path, '/home/ada/kube/b.yaml');
});

test('expandHome only expands a leading ~', () => {
  assert.equal(expandHome('~', home), home);
  assert.equal(expandHome('~/x', home), '/home/ada/x');
  assert.equal(expandHome('/tmp/~x', home), '/tmp/~x');
  assert.equal(expandHome('~other/x', home), '~other/x');
});

test('folder entries take kubeconfig-looking files only', () => {
  assert.equal(isKubeconfigCandidate('config'), true);
  assert.equal(isKubeconfigCandidate('k3s.yaml'), true);
  assert.equal(isKubeconfigCandidate('gpu.yml'), true);
  assert.equal(isKubeconfigCandidate('.swp'), false);
  assert.equal(isKubeconfigCandidate('.config.yaml.swp'), false);
  assert.equal(isKubeconfigCandidate('notes.md'), false);
  assert.equal(isKubeconfigCandidate('id_rsa.pub'), false);
});
