// The seed-002 test bed against its real API servers: the pinned Admiralty and KubeFed CRDs are served, and the
// forged objects carry the links Admiralty's controllers write (proxy pod ↔ delegate pod by parent-uid,
// parent-name and parent-namespace), KubeFed's per-cluster status, and Istio's remote secrets.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { execa } from 'execa';
import { ensureTestbed, type Testbed } from '../testbed/index.ts';
import * as s from '../testbed/scenarios/seed002.ts';

type Item = { kind: string; metadata: { name: string; namespace?: string; uid: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: Record<string, unknown>; [k: string]: unknown };

describe('test bed (seed-002)', () => {
  let tb: Testbed;
  const kubectl = (context: string, ...args: string[]) => execa(tb.kubectl, ['--kubeconfig', tb.kubeconfig, '--context', context, ...args], { stdin: 'ignore' });
  const getJson = async <T = Item>(context: string, ...args: string[]) => JSON.parse((await kubectl(context, 'get', ...args, '-o', 'json')).stdout) as T;

  before(async () => {
    tb = await ensureTestbed('seed-002');
  });

  test('the pinned CRDs are served on both clusters', async () => {
    for (const ctx of [s.MAIN, s.REMOTE]) {
      const { stdout } = await kubectl(ctx, 'api-resources', '-o', 'name');
      for (const r of ['targets.multicluster.admiralty.io', 'clustertargets.multicluster.admiralty.io', 'sources.multicluster.admiralty.io', 'podchaperons.multicluster.admiralty.io', 'kubefedclusters.core.kubefed.io', 'federateddeployments.types.kubefed.io']) {
        assert.ok(stdout.split('\n').includes(r), `${r} on ${ctx}`);
      }
    }
  });

  test("the proxy pod's delegate on remote points back at it", async () => {
    const proxy = await getJson(s.MAIN, 'pod', '-n', s.BURST_NS, s.PROXY_POD);
    assert.equal(proxy.spec?.schedulerName, 'admiralty-proxy');
    assert.equal(proxy.spec?.nodeName, s.VIRTUAL_NODE);
    assert.ok(proxy.metadata.annotations?.['multicluster.admiralty.io/sourcepod-manifest']?.includes(s.ML_JOB));
    const delegates = await getJson<{ items: Item[] }>(s.REMOTE, 'pods', '-n', s.BURST_NS, '-l', `multicluster.admiralty.io/parent-uid=${proxy.metadata.uid}`);
    assert.deepEqual(delegates.items.map((p) => p.metadata.name), [s.DELEGATE_POD]);
    const d = delegates.items[0] as Item;
    assert.equal(d.metadata.labels?.['multicluster.admiralty.io/parent-cluster-name'], s.MAIN);
    assert.equal(d.metadata.annotations?.['multicluster.admiralty.io/parent-name'], s.PROXY_POD);
    assert.equal(d.metadata.labels?.['multicluster.admiralty.io/job-name'], s.ML_JOB);
    const node = await getJson(s.MAIN, 'node', s.VIRTUAL_NODE);
    assert.equal(node.metadata.labels?.['multicluster.admiralty.io/target-name'], s.TARGET);
  });

  test('the proxy pod streams the delegate pod\'s log', async () => {
    const { stdout } = await kubectl(s.MAIN, 'logs', '-n', s.BURST_NS, s.PROXY_POD);
    assert.match(stdout, /Downloading MNIST/);
  });

  test('KubeFed: both members Ready, blob-storage failing on remote only', async () => {
    const fd = await getJson<{ status: { clusters: { name: string; status?: string }[] } }>(s.MAIN, 'federateddeployment', '-n', s.BURST_NS, 'blob-storage');
    assert.deepEqual(fd.status.clusters, [{ name: s.MAIN }, { name: s.REMOTE, status: 'CreationFailed' }]);
  });

  test('Istio: remote secrets labelled for istiod, one per cluster name', async () => {
    const list = await getJson<{ items: Item[] }>(s.MAIN, 'secrets', '-n', 'istio-system', '-l', 'istio/multiCluster=true');
    assert.deepEqual(list.items.map((i) => i.metadata.name).sort(), [s.ISTIO_ONPREM_SECRET, s.ISTIO_REMOTE_SECRET]);
  });
});
