// Issue 23, force unpeer, on the live test bed with Liqo v1.2.0 (Liqo's own controllers, the real liqoctl v1.2.0):
// the provider's API server is stopped for good, Unpeer…'s decision offers the forced unpeer with its warning, the
// product's operation runs `liqoctl force unpeer`, and the consumer is clean as liqoctl documents it ("Mark the
// ForeignCluster as permanently unreachable, clean up local resources associated with the peering, remove tenant
// namespaces"): no tenant namespace, VirtualNode, virtual Node, ResourceSlice or Identity for the provider, no pod
// left on the virtual node, and the tree shows the peering gone. The test bed is torn down afterwards: its peering
// is gone and its provider down, so the next suite builds it again.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureTestbed, stopApiserver, teardownTestbed, type Testbed } from '../testbed/index.ts';
import { LIVE_CONSUMER as CONSUMER, LIVE_PROVIDER as PROVIDER } from '../testbed/scenarios/live.ts';
import { makeHarness, trackUnhandledRejections, type Harness } from './support/treeHarness.ts';
import { forceUnpeerDecision, PERMANENTLY_UNREACHABLE_ANNOTATION } from '../../src/core/peering/forceUnpeer.ts';
import { versionCommand } from '../../src/core/liqoctl/version.ts';
import { forceUnpeer, readForceUnpeerFacts, unansweredBecause } from '../../src/infra/operations/forceUnpeer.ts';
import { ProcessRunner } from '../../src/infra/process/runner.ts';
import { LiqoctlRunner } from '../../src/infra/liqoctl/liqoctlRunner.ts';
import type { ForeignCluster } from '../../src/core/liqo/objects.ts';

let tb: Testbed;
let h: Harness;
const rejections = trackUnhandledRejections();
const session = (context: string) => h.model.session(h.model.clusters.find((e) => e.contextName === context)!.id);

before(async () => {
  tb = await ensureTestbed('live@v1.2.0+peered');
  h = makeHarness([tb.kubeconfig], { timeoutMs: 120_000 });
  await h.open();
  await h.until(() => {
    const s = session(CONSUMER)?.snapshot;
    return Boolean(h.model.settled && h.quiet() && s?.offloadings[0]?.status?.offloadingPhase === 'Ready' && s.virtualNodes.some((v) => v.spec?.clusterID === PROVIDER));
  }, 'the live federation peered and kubeflow Ready');
});

after(async () => {
  h?.dispose();
  rejections.stop();
  await teardownTestbed();
});

test('provider gone for good: the forced unpeer is offered, runs through liqoctl v1.2.0, and the consumer is clean', async () => {
  const consumer = session(CONSUMER)!;
  const client = consumer.client!;
  const providerClient = session(PROVIDER)!.client!;
  assert.equal(await unansweredBecause(providerClient), undefined, 'the provider answers before it is stopped');
  const podsOnVirtualNode = async () => (await client.list('/api/v1/pods', { fieldSelector: `spec.nodeName=${PROVIDER}` })).items.length;
  assert.ok((await podsOnVirtualNode()) > 0, 'kubeflow has pods on the virtual node');

  await stopApiserver(PROVIDER);
  const stoppedAt = Date.now();
  const problem = await unansweredBecause(providerClient, 5_000);
  assert.ok(problem, 'the stopped provider does not answer');

  const liqoctl = new LiqoctlRunner(new ProcessRunner({ trusted: true }), () => tb.liqoctl);
  const liqoctlVersion = (await liqoctl.run(versionCommand())).client;
  assert.equal(liqoctlVersion, 'v1.2.0');

  // Liqo's own API-server check has to see the provider gone too (IsDead is false while APIServerStatus is Established).
  const context = { consumerContext: CONSUMER, consumer: client, providerClusterId: PROVIDER, providerContext: PROVIDER, providerProblem: problem, liqoctlVersion };
  let facts = await readForceUnpeerFacts(context);
  while (facts.apiServerStatus === 'Established' && Date.now() - stoppedAt < 120_000) {
    assert.equal(forceUnpeerDecision(facts).kind, 'still-answering');
    await new Promise((r) => setTimeout(r, 2_000));
    facts = await readForceUnpeerFacts(context);
  }
  const noticedMs = Date.now() - stoppedAt;
  const decision = forceUnpeerDecision(facts);
  assert.equal(decision.kind, 'force', JSON.stringify(decision));
  if (decision.kind !== 'force') return;
  assert.equal(facts.consumerLiqoVersion, 'v1.2.0');
  assert.deepEqual(facts.offloadedNamespaces, ['kubeflow']);
  assert.deepEqual(facts.virtualNodes, [PROVIDER]);
  assert.match(decision.warning, /deletes the tenant namespace liqo-tenant-cluster-b/);
  assert.match(decision.warning, /remote namespace kubeflow-kind-mlops-platform/);
  assert.match(decision.warning, /kubectl --context cluster-b delete namespaces -l liqo\.io\/remote-cluster-id=kind-mlops-platform/);

  const lines: string[] = [];
  const started = Date.now();
  await forceUnpeer(liqoctl, { resolved: consumer.resolvedContext! }, PROVIDER, { timeoutMs: 180_000, onLine: (l) => lines.push(l) });
  const forceMs = Date.now() - started;
  assert.ok(lines.some((l) => /Force unpeer executed successfully/.test(l)), lines.join('\n'));

  // What liqoctl documents, read from the consumer's API server.
  const fcs = (await client.list('/apis/core.liqo.io/v1beta1/foreignclusters')).items as ForeignCluster[];
  const fc = fcs.find((f) => f.spec?.clusterID === PROVIDER);
  assert.ok(!fc || fc.metadata.annotations?.[PERMANENTLY_UNREACHABLE_ANNOTATION] === 'true', 'the ForeignCluster, if kept, is marked permanently unreachable');
  const namespaces = (await client.list('/api/v1/namespaces')).items.map((n) => (n as { metadata: { name: string } }).metadata.name);
  assert.ok(!namespaces.includes('liqo-tenant-cluster-b'), namespaces.join(', '));
  const forProvider = async (path: string, field: (o: { spec?: Record<string, unknown> }) => unknown) =>
    ((await client.list(path)).items as { spec?: Record<string, unknown> }[]).filter((o) => field(o) === PROVIDER).length;
  assert.equal(await forProvider('/apis/offloading.liqo.io/v1beta1/virtualnodes', (o) => o.spec?.clusterID), 0);
  assert.equal(await forProvider('/apis/authentication.liqo.io/v1beta1/resourceslices', (o) => o.spec?.providerClusterID), 0);
  assert.equal(await forProvider('/apis/authentication.liqo.io/v1beta1/identities', (o) => o.spec?.clusterID), 0);
  const nodes = (await client.list('/api/v1/nodes', { labelSelector: `liqo.io/remote-cluster-id=${PROVIDER}` })).items;
  assert.equal(nodes.length, 0, 'the virtual Node is gone');
  assert.equal(await podsOnVirtualNode(), 0, 'no pod is left bound to the virtual node');

  // The model and the tree: no peering with the provider (a kept ForeignCluster reads as what an unpeer leaves).
  const tookMs = await h.until(() => {
    const s = session(CONSUMER)?.snapshot;
    const row = h.row(CONSUMER, 'Peerings', PROVIDER);
    return Boolean(s && s.virtualNodes.length === 0 && s.resourceSlices.length === 0 && (fc ? /^not peered/.test(row?.description ?? '') : !row));
  }, 'the tree shows the peering gone', 60_000);
  const offloading = session(CONSUMER)!.snapshot!.offloadings.find((o) => o.metadata.namespace === 'kubeflow');
  process.stdout.write(`${JSON.stringify({ bench: 'forceUnpeer.live.v1.2.0', liqoNoticedProviderGoneMs: noticedMs, forceUnpeerMs: forceMs, treeCaughtUpMs: tookMs, foreignClusterKept: Boolean(fc), kubeflowPhase: offloading?.status?.offloadingPhase, kubeflowRemoteConditions: Object.keys(offloading?.status?.remoteNamespacesConditions ?? {}) })}\n`);
});
