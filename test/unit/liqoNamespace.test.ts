import { test } from 'node:test';
import assert from 'node:assert/strict';
import { locateLiqoNamespace } from '../../src/core/liqo/liqoNamespace.ts';
import { emptySnapshot, liqoInfo } from '../../src/core/liqo/snapshot.ts';
import type { ConfigMap, Deployment } from '../../src/core/liqo/objects.ts';

const cm = (namespace: string, id: string): ConfigMap => ({
  metadata: { name: 'liqo-clusterid-configmap', namespace, labels: { 'app.kubernetes.io/name': 'clusterid-configmap' } },
  data: { CLUSTER_ID: id },
});
const manager = (namespace: string, tag: string): Deployment => ({
  metadata: { name: 'liqo-controller-manager', namespace },
  spec: { template: { spec: { containers: [{ name: 'controller-manager', image: `ghcr.io/liqotech/liqo-controller-manager:${tag}` }] } } },
});

test('Liqo is found where Helm put it, not only in `liqo`', () => {
  assert.equal(locateLiqoNamespace([cm('liqo-system', 'a')], [manager('liqo-system', 'v1.0.1')]), 'liqo-system');
  assert.equal(locateLiqoNamespace([cm('liqo', 'a')], [manager('liqo', 'v1.0.1')]), 'liqo');
  assert.equal(locateLiqoNamespace([], []), undefined);
  // Either object alone is enough (the other may be forbidden or not yet listed).
  assert.equal(locateLiqoNamespace([cm('platform-liqo', 'a')], []), 'platform-liqo');
  assert.equal(locateLiqoNamespace([], [manager('liqo-system', 'v1.0.1')]), 'liqo-system');
});

test('a leftover cluster-ID ConfigMap elsewhere does not win over the namespace that runs the controller-manager', () => {
  assert.equal(locateLiqoNamespace([cm('liqo', 'old'), cm('liqo-system', 'new')], [manager('liqo-system', 'v1.0.1')]), 'liqo-system');
  // An empty ConfigMap (no CLUSTER_ID) says nothing.
  assert.equal(locateLiqoNamespace([{ metadata: { name: 'liqo-clusterid-configmap', namespace: 'x' } }], []), undefined);
  // Two full installs: the default namespace first, so the choice does not flip between relists.
  assert.equal(locateLiqoNamespace([cm('zeta', 'z'), cm('liqo', 'l')], [manager('zeta', 'v1'), manager('liqo', 'v1')]), 'liqo');
  assert.equal(locateLiqoNamespace([cm('b', 'b'), cm('a', 'a')], [manager('b', 'v1'), manager('a', 'v1')]), 'a');
});

test('cluster ID and version are read from the located namespace only', () => {
  const s = emptySnapshot();
  const snap = {
    ...s,
    kinds: { ...s.kinds, foreignclusters: { kind: 'ready' as const } },
    liqoLocation: { namespace: 'liqo-system' },
    configMaps: [cm('liqo', 'stale-id'), cm('liqo-system', 'real-id')],
    liqoDeployments: [manager('liqo', 'v0.10.3'), manager('liqo-system', 'v1.0.1')],
  };
  const info = liqoInfo(snap);
  assert.equal(info.clusterId, 'real-id');
  assert.equal(info.version, 'v1.0.1');
  assert.equal(info.namespace, 'liqo-system');
  assert.equal(info.limitedBy, undefined);
  const limited = liqoInfo({ ...snap, liqoLocation: { namespace: 'liqo', limitedBy: 'this user may not list configmaps cluster-wide (403)' } });
  assert.equal(limited.clusterId, 'stale-id');
  assert.match(limited.limitedBy ?? '', /403/);
});
