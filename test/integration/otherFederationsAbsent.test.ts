// Where Admiralty, KubeFed and Istio are absent (seed-000: Liqo only), a cluster shows none of them and their
// watches cost three discovery requests that succeed (two CRDs by name, istiod by label): no request fails and no
// other watch opens. Installing Admiralty's marker CRD (the pinned one) makes it appear; removing it, vanish.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ensureTestbed, type Testbed } from '../testbed/index.ts';
import { createClusterClient } from '../../src/infra/cluster/httpClusterClient.ts';
import type { ClusterClient } from '../../src/infra/cluster/clusterClient.ts';
import { SystemsWatches } from '../../src/infra/systems/systemsWatches.ts';
import { testbedContexts, type Contexts } from './support/contexts.ts';
import { kubectl, makeHarness } from './support/treeHarness.ts';
import { valueOf as until } from './support/converges.ts';

const CLUSTER = 'kind-mlops-platform';
const ADMIRALTY_TARGET_CRD = path.join(import.meta.dirname, '..', 'testbed', 'crds', 'admiralty', 'target.yaml');

let tb: Testbed;
let contexts: Contexts;
let client: ClusterClient;
let w: SystemsWatches;

before(async () => {
  tb = await ensureTestbed('seed-000');
  contexts = await testbedContexts(tb.kubeconfig);
  client = createClusterClient(await contexts.resolve(CLUSTER), { timeoutMs: 5000 });
  w = new SystemsWatches(client, () => undefined, { backoff: { baseMs: 200, maxMs: 2000 } });
  w.start();
});

after(async () => {
  w?.stop();
  client?.dispose();
  await contexts?.dispose();
  await kubectl(tb.kubectl, tb.kubeconfig, CLUSTER, 'delete', '--ignore-not-found', '-f', ADMIRALTY_TARGET_CRD);
});

test('no system: an empty snapshot, three discovery watches, no failed request', async () => {
  await until('discovery to answer', () => (w.settled ? true : undefined));
  // a little longer: a failing watch would retry (and show as a problem) within this time
  await new Promise((r) => setTimeout(r, 1500));
  assert.deepEqual(w.snapshot(), {});
  assert.deepEqual(w.watchedPaths, ['/apis/apiextensions.k8s.io/v1/customresourcedefinitions', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', '/apis/apps/v1/deployments']);
  assert.deepEqual(w.problems, []);
  assert.ok(w.requests <= 6, `one LIST and one WATCH per discovery watch, got ${w.requests}`);
});

test("Admiralty's CRD installed: Admiralty appears (nothing in it yet); removed: it vanishes again", async () => {
  await kubectl(tb.kubectl, tb.kubeconfig, CLUSTER, 'apply', '--server-side', '-f', ADMIRALTY_TARGET_CRD);
  await kubectl(tb.kubectl, tb.kubeconfig, CLUSTER, 'wait', '--for=condition=Established', '--timeout=60s', 'crd/targets.multicluster.admiralty.io');
  const adm = await until('Admiralty to appear', () => w.snapshot().admiralty);
  assert.deepEqual(adm.targets, []);
  assert.ok(w.watchedPaths.includes('/apis/multicluster.admiralty.io/v1alpha1/targets'));
  await kubectl(tb.kubectl, tb.kubeconfig, CLUSTER, 'delete', '--wait=true', '-f', ADMIRALTY_TARGET_CRD);
  await until('Admiralty to vanish', () => (w.snapshot().admiralty === undefined && w.watchedPaths.length === 3 ? true : undefined));
});

test('the tree model shows no Admiralty, KubeFed or Istio folder under any seed-000 cluster', async () => {
  const h = makeHarness([tb.kubeconfig], { collapseGraceMs: 300 });
  try {
    await h.open();
    await h.until(() => h.model.roots().length > 0 && h.model.roots().every((r) => h.children(r.label).some((c) => c.label === 'Namespaces')) && h.quiet(), 'every cluster watched');
    for (const r of h.model.roots()) {
      const folders = h.children(r.label).map((c) => c.label);
      assert.deepEqual(folders.filter((l) => ['Admiralty', 'KubeFed', 'Istio'].includes(l)), [], `${r.label}: ${folders.join(', ')}`);
    }
  } finally {
    h.dispose();
  }
});
