// Reveal in YAML's document: where its object is read from (the collection and the name to narrow it to), and what
// the document says while the object is there, gone, unreadable or its cluster not connected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { objectLocation, withTypeMeta } from '../../src/core/liqo/objectLocation.ts';
import { followedObjectText } from '../../src/core/liqo/objectYaml.ts';

test('an object is read from its kind\'s collection, in its namespace when its key names one', () => {
  assert.deepEqual(objectLocation('pods', 'kubeflow/pipelines-ui'), { collection: '/api/v1/namespaces/kubeflow/pods', name: 'pipelines-ui', key: 'kubeflow/pipelines-ui', apiVersion: 'v1', kind: 'Pod' });
  assert.deepEqual(objectLocation('liqoPods', 'liqo/liqo-controller-manager-0'), { collection: '/api/v1/namespaces/liqo/pods', name: 'liqo-controller-manager-0', key: 'liqo/liqo-controller-manager-0', apiVersion: 'v1', kind: 'Pod' });
  assert.deepEqual(objectLocation('liqoDeployments', 'liqo/cm'), { collection: '/apis/apps/v1/namespaces/liqo/deployments', name: 'cm', key: 'liqo/cm', apiVersion: 'apps/v1', kind: 'Deployment' });
  assert.equal(objectLocation('virtualnodes', 't/vn')?.apiVersion, 'offloading.liqo.io/v1beta1');
  assert.equal(objectLocation('virtualNodeNodes', 'cluster-b')?.collection, '/api/v1/nodes');
  assert.equal(objectLocation('namespaces', 'kubeflow')?.collection, '/api/v1/namespaces');
  assert.equal(objectLocation('foreignclusters', 'cluster-b')?.collection, '/apis/core.liqo.io/v1beta1/foreignclusters');
  assert.equal(objectLocation('virtualnodes', 'liqo-tenant-b/cluster-b')?.collection, '/apis/offloading.liqo.io/v1beta1/namespaces/liqo-tenant-b/virtualnodes');
  assert.equal(objectLocation('namespaceoffloadings', 'kubeflow/offloading')?.collection, '/apis/offloading.liqo.io/v1beta1/namespaces/kubeflow/namespaceoffloadings');
  assert.equal(objectLocation('shadowpods', 'ns/p')?.collection, '/apis/offloading.liqo.io/v1beta1/namespaces/ns/shadowpods');
  assert.equal(objectLocation('resourceslices', 'ns/rs')?.collection, '/apis/authentication.liqo.io/v1beta1/namespaces/ns/resourceslices');
  assert.equal(objectLocation('tenants', 'ns/t')?.collection, '/apis/authentication.liqo.io/v1beta1/namespaces/ns/tenants');
  assert.equal(objectLocation('clusterIdConfigMaps', 'liqo/liqo-clusterid-configmap')?.collection, '/api/v1/namespaces/liqo/configmaps');
  assert.equal(objectLocation('liqoDeployments', 'liqo/liqo-controller-manager')?.collection, '/apis/apps/v1/namespaces/liqo/deployments');
});

test('a LIST item of a built-in kind gets its apiVersion and kind, first; an object that has them is kept', () => {
  const at = objectLocation('pods', 'ns/p')!;
  const item = { metadata: { name: 'p', namespace: 'ns' }, spec: {} };
  assert.deepEqual(Object.keys(withTypeMeta(item, at)), ['apiVersion', 'kind', 'metadata', 'spec']);
  assert.deepEqual(withTypeMeta(item, at), { apiVersion: 'v1', kind: 'Pod', ...item });
  const typed = { apiVersion: 'offloading.liqo.io/v1beta1', kind: 'VirtualNode', metadata: { name: 'vn' } };
  assert.equal(withTypeMeta(typed, at), typed);
});

test('a key or kind that names no object has no location', () => {
  assert.equal(objectLocation('secrets', 'ns/s'), undefined, 'not a kind the tree shows');
  assert.equal(objectLocation('pods', ''), undefined);
  assert.equal(objectLocation('pods', 'ns/'), undefined);
  assert.equal(objectLocation('pods', '/p'), undefined);
  assert.equal(objectLocation('pods', 'ns/a/b'), undefined);
});

test('the document: the object redacted, or one comment saying why it is not there', () => {
  const object = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', annotations: { hook: 'https://bot:pw-123@hooks.example.com/x' } }, spec: { containers: [{ name: 'c', env: [{ name: 'API_TOKEN', value: 'tkn-1' }] }] } };
  const yaml = followedObjectText({ kind: 'present', object }, 'ns/p', 'ctx');
  assert.match(yaml, /^kind: Pod$/m);
  assert.match(yaml, /hook: https:\/\/bot:<redacted>@hooks\.example\.com\/x/);
  assert.doesNotMatch(yaml, /pw-123|tkn-1/);
  assert.equal(followedObjectText({ kind: 'gone' }, 'ns/p', 'ctx'), '# ns/p is no longer in ctx (deleted).\n');
  assert.equal(followedObjectText({ kind: 'loading' }, 'ns/p', 'ctx'), '# Reading ns/p from ctx…\n');
  assert.equal(followedObjectText({ kind: 'unreadable', message: 'HTTP 403: pods "p" is forbidden.' }, 'ns/p', 'ctx'), '# ns/p could not be read from ctx: HTTP 403: pods "p" is forbidden. It is read again by itself; this document updates when it is.\n');
  assert.match(followedObjectText({ kind: 'disconnected' }, 'ns/p', 'ctx'), /^# ctx is not connected: expand it in the Liqo view/);
});
