// Which kubeconfig files of VS Code Kubernetes Tools' settings are offered to the Liqo view, and when again.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isNews, kubeconfigsToConsider, kubernetesToolsKubeconfigs, updatedRecords, type ToolsFileRecord } from '../../src/core/kubeconfig/kubernetesTools.ts';

const ctx = { homeDir: '/home/ana', baseDir: '/work/proj' };

describe('Kubernetes Tools kubeconfigs', () => {
  test('the nested object Kubernetes Tools writes: kubeconfig first, then the known ones, each once, ~ and variables expanded', () => {
    const section = {
      'vs-kubernetes.kubeconfig': '~/.kube/dev',
      'vs-kubernetes.knownKubeconfigs': ['${userHome}/.kube/prod', '/home/ana/.kube/dev', '${workspaceFolder}/kc.yaml', 'rel/kc', 42, ''],
      'vs-kubernetes.namespace': 'default',
    };
    assert.deepEqual(kubernetesToolsKubeconfigs(section, ctx), ['/home/ana/.kube/dev', '/home/ana/.kube/prod', '/work/proj/kc.yaml', '/work/proj/rel/kc']);
  });

  test('dotted keys as VS Code nests them, and settings that are absent or not ours in shape', () => {
    assert.deepEqual(kubernetesToolsKubeconfigs({ kubeconfig: '/a', knownKubeconfigs: ['/b'] }, ctx), ['/a', '/b']);
    assert.deepEqual(kubernetesToolsKubeconfigs(undefined, ctx), []);
    assert.deepEqual(kubernetesToolsKubeconfigs('x', ctx), []);
    assert.deepEqual(kubernetesToolsKubeconfigs({ 'vs-kubernetes.knownKubeconfigs': '/not-a-list' }, ctx), []);
    assert.deepEqual(kubernetesToolsKubeconfigs({ 'vs-kubernetes.kubeconfig': '/a' }, { homeDir: '/home/ana' }), ['/a']);
  });

  test('files the view reads already, and files offered before, are not considered; named-as-broken ones are again', () => {
    const records: ToolsFileRecord[] = [
      { path: '/offered', outcome: 'offered' },
      { path: '/was-missing', outcome: 'missing' },
    ];
    assert.deepEqual(kubeconfigsToConsider(['/read', '/offered', '/was-missing', '/new'], ['/read'], records), ['/was-missing', '/new']);
  });

  test('a broken file is named once per outcome; records keep the latest outcome per file', () => {
    const records: ToolsFileRecord[] = [{ path: '/f', outcome: 'missing' }];
    assert.equal(isNews({ path: '/f', outcome: 'missing' }, records), false);
    assert.equal(isNews({ path: '/f', outcome: 'malformed' }, records), true);
    assert.equal(isNews({ path: '/g', outcome: 'missing' }, records), true);
    assert.deepEqual(updatedRecords(records, [{ path: '/f', outcome: 'offered' }, { path: '/g', outcome: 'unreadable' }]), [
      { path: '/f', outcome: 'offered' },
      { path: '/g', outcome: 'unreadable' },
    ]);
  });
});
