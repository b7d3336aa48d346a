// Pod watches against a real API server: once a cluster shows the pods of many namespaces, one cluster-wide pod
// watch replaces the per-namespace ones (one LIST and one watch instead of one of each per namespace), and the tree
// still gets exactly the pods of the namespaces it shows (seed-000: offloaded `kubeflow` on the consumer, its twin on
// the provider; `analytics`' pods stay out). The cache keeps only the fields rows read, and nothing else keeps the
// pods whole.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureTestbed } from '../testbed/index.ts';
import { ClusterWatches, WATCH_SPECS } from '../../src/infra/cluster/clusterWatches.ts';
import { createClusterClient } from '../../src/infra/cluster/httpClusterClient.ts';
import type { ClusterClient } from '../../src/infra/cluster/clusterClient.ts';
import { objectKey } from '../../src/core/liqo/objects.ts';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { testbedContexts, type Contexts } from './support/contexts.ts';

let contexts: Contexts;
const open: ClusterWatches[] = [];
const clients: ClusterClient[] = [];

before(async () => {
  const tb = await ensureTestbed('seed-000');
  contexts = await testbedContexts(tb.kubeconfig);
});

after(() => {
  for (const w of open) w.stop();
  for (const c of clients) c.dispose();
});

/** Full watches of one context until every watch has answered; resolves with them. `source` wraps the client. */
async function loaded(context: string, clusterWidePodsFrom?: number, source: (c: ClusterClient) => ClusterClient = (c) => c): Promise<ClusterWatches> {
  let settle: () => void = () => undefined;
  const settled = new Promise<void>((r) => (settle = r));
  const client = createClusterClient(await contexts.resolve(context), { timeoutMs: 5000 });
  clients.push(client);
  const w: ClusterWatches = new ClusterWatches(
    source(client),
    { changed: () => (w.settled ? settle() : undefined), transport: () => undefined },
    clusterWidePodsFrom === undefined ? {} : { clusterWidePodsFrom },
  );
  open.push(w);
  w.start('full');
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([settled, new Promise((_, rej) => (timer = setTimeout(() => rej(new Error(`${context}: watches did not settle in 20 s`)), 20_000)))]);
  clearTimeout(timer);
  return w;
}

const podKeys = (w: ClusterWatches): string[] => w.snapshot().pods.map(objectKey).sort();

for (const context of ['kind-mlops-platform', 'cluster-b']) {
  test(`${context}: a cluster-wide pod watch shows exactly the pods the per-namespace watches show`, async () => {
    const perNamespace = await loaded(context);
    const clusterWide = await loaded(context, 1);
    const expected = podKeys(perNamespace);
    assert.ok(expected.length > 0, 'the scenario shows pods on this cluster');
    assert.deepEqual(podKeys(clusterWide), expected);
    assert.ok(expected.every((k) => !k.startsWith('analytics/')), 'pods of a plain namespace are not shown');
    // every fixed kind once, plus one LIST of pods for the whole cluster
    const fixed = Object.keys(WATCH_SPECS).length;
    assert.equal(clusterWide.requestCounts.lists, fixed + 1);
    assert.ok(perNamespace.requestCounts.lists > fixed, 'per-namespace watches list each shown namespace');
    assert.deepEqual(clusterWide.podWatchPaths, ['/api/v1/pods']);
    assert.ok(perNamespace.podWatchPaths.every((p) => /^\/api\/v1\/namespaces\/[^/]+\/pods$/.test(p)) && perNamespace.podWatchPaths.length > 0);
    const anyPod = expected[0] as string;
    assert.equal(clusterWide.object('pods', anyPod)?.metadata.name, anyPod.split('/')[1]);
  });
}

test('the pod cache keeps only what rows read, and no LIST answer outlives its loading', async () => {
  // Each LIST answer's pods, held weakly: once the cache has taken what it keeps, nothing may hold them (they held a
  // whole 10,000-pod answer, ~40 MB, for as long as the watch ran).
  const answers: WeakRef<object>[] = [];
  const recording = (c: ClusterClient): ClusterClient =>
    Object.assign(Object.create(c) as ClusterClient, {
      list: async (...args: Parameters<ClusterClient['list']>) => {
        const r = await c.list(...args);
        if (args[0].endsWith('/pods')) answers.push(new WeakRef(r.items));
        return r;
      },
    });
  const w = await loaded('kind-mlops-platform', undefined, recording);
  const key = podKeys(w)[0] as string;
  const cached = w.object('pods', key) as { spec?: Record<string, unknown>; status?: Record<string, unknown> } | undefined;
  assert.ok(cached, 'a pod is cached');
  // Of the spec: where the pod runs, and what the scheduler counts (requests) for the capacity figures; nothing else.
  const specKeys = Object.keys(cached.spec ?? {});
  assert.ok(specKeys.includes('nodeName'), 'where the pod runs');
  assert.deepEqual(specKeys.filter((k) => !['nodeName', 'containers', 'initContainers', 'overhead'].includes(k)), [], 'of the spec only where the pod runs and its requests');
  for (const c of (cached.spec?.containers ?? []) as Record<string, unknown>[]) {
    assert.deepEqual(Object.keys(c).filter((k) => !['name', 'resources', 'restartPolicy'].includes(k)), [], 'a cached container keeps only its name, requests and restart policy');
    assert.deepEqual(Object.keys((c.resources ?? {}) as object).filter((k) => k !== 'requests'), [], 'no limits kept');
  }
  assert.equal(cached.status?.hostIP, undefined);
  assert.ok(answers.length > 0, 'pods were listed');
  // WeakRefs are kept alive until the end of the job that made them: collect on a later turn.
  await new Promise((r) => setImmediate(r));
  collectGarbage();
  assert.equal(answers.filter((a) => a.deref() !== undefined).length, 0, 'every LIST answer was collected');
  assert.ok(w.isRunning, 'while the watches run');
});

function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
