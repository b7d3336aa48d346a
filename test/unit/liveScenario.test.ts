// Pure parts of the live test bed: the scenario names the CLI composes, and the comparison the fidelity test makes
// between forged and live Liqo objects.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { liveName, parseLiveName } from '../testbed/scenarios/live.ts';
import { compareShapes, shapeOf } from '../integration/support/fidelity.ts';

test('live scenario names round-trip through their options', () => {
  for (const name of ['live', 'live+peered', 'live@v1.2.0', 'live@v1.2.0+peered', 'live@liqo-system', 'live@v1.2.0@liqo-system+peered', 'live+federated', 'live@v1.2.0+federated']) {
    const o = parseLiveName(name);
    assert.ok(o, name);
    assert.equal(liveName(o), name);
  }
  assert.deepEqual(parseLiveName('live'), { peered: false, liqoVersion: 'v1.0.1' });
  // Liqo's namespace, as Helm users pick it; the default one names the plain scenario
  assert.deepEqual(parseLiveName('live@liqo-system+peered'), { peered: true, liqoVersion: 'v1.0.1', liqoNamespace: 'liqo-system' });
  assert.deepEqual(parseLiveName('live@liqo'), { peered: false, liqoVersion: 'v1.0.1' });
  // +federated is +peered and more (a second peering and offloaded namespace)
  assert.deepEqual(parseLiveName('live@v1.2.0+federated'), { peered: true, federated: true, liqoVersion: 'v1.2.0' });
  assert.equal(parseLiveName('live+peered+federated'), undefined, 'one of the two');
  assert.equal(liveName({ peered: false, liqoVersion: 'v1.0.1', liqoNamespace: 'liqo' }), 'live');
  assert.equal(parseLiveName('live@Liqo_System'), undefined, 'not a namespace name');
  assert.equal(parseLiveName('live@liqo-system@v1.2.0'), undefined, 'the version comes first');
  assert.equal(parseLiveName('seed-000'), undefined);
  assert.throws(() => parseLiveName('live@v9.9.9'), /Liqo v9\.9\.9 is not built by the test bed: use one of v1\.0\.1, v1\.2\.0/);
});

test('shapes compare label and annotation keys and condition types, in every place Liqo keeps conditions', () => {
  const live = shapeOf([
    {
      metadata: { labels: { 'liqo.io/remote-cluster-id': 'b' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
      status: { modules: { authentication: { conditions: [{ type: 'AuthIdentityControlPlaneStatus' }] } }, conditions: [{ type: 'APIServerStatus' }] },
    },
  ]);
  const forged = shapeOf([
    {
      metadata: { labels: { 'liqo.io/remote-cluster-id': 'x', extra: 'y' } },
      status: { modules: { networking: { conditions: [{ type: 'NetworkConnectionStatus' }] } }, conditions: [{ type: 'APIServerStatus' }] },
    },
  ]);
  assert.deepEqual(compareShapes('ForeignCluster', forged, live), [
    'ForeignCluster labels only forged: extra',
    'ForeignCluster conditions only live: AuthIdentityControlPlaneStatus',
  ]);
  // the networking conditions live cannot show are not differences for a ForeignCluster, but are for other kinds
  assert.deepEqual(compareShapes('VirtualNode', shapeOf([{ metadata: {}, status: { conditions: [{ type: 'NetworkX' }] } }]), shapeOf([{ metadata: {} }])), [
    'VirtualNode conditions only forged: NetworkX',
  ]);
  const perCluster = shapeOf([{ metadata: {}, status: { remoteNamespacesConditions: { b: [{ type: 'Ready' }, { type: 'OffloadingRequired' }] } } }]);
  assert.deepEqual([...perCluster.conditions].sort(), ['OffloadingRequired', 'Ready']);
});
