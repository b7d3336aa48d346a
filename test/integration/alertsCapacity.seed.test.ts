// Issue 21 on the seed-000 federation: the GPU virtual node's requested-of-granted figures equal what the real
// `kubectl describe node` shows, and the alert transitions, fed from the real model as the extension feeds them
// (core/alerts/watched.ts over FederationModel.watchedClusters), raise one alert naming the provider when its API
// server stops and one recovery when it is back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureTestbed, startApiserver, stopApiserver, type Testbed } from '../testbed/index.ts';
import { makeHarness, kubectl, trackUnhandledRejections, type Harness } from './support/treeHarness.ts';
import { AlertTransitions, alertMessage, coalesce, DEFAULT_ALERT_RULES, type Alert } from '../../src/core/alerts/transitions.ts';
import { observeCluster } from '../../src/core/alerts/watched.ts';
import { federationGlance } from '../../src/core/alerts/summary.ts';
import { parseQuantity } from '../../src/core/capacity/quantity.ts';
import { capacityTooltip } from '../../src/core/capacity/capacity.ts';
import { md } from '../../src/core/tree/view.ts';

let tb: Testbed;
let h: Harness;
const rejections = trackUnhandledRejections();
const CONSUMER = 'kind-mlops-platform';
const PROVIDER = 'cluster-b';

before(async () => {
  tb = await ensureTestbed('seed-000');
  h = makeHarness([tb.kubeconfig], { timeoutMs: 3000 });
  await h.open();
  await h.until(() => Boolean(h.row(CONSUMER, 'Virtual Nodes', PROVIDER) && h.quiet()), 'the virtual node with its pods');
});

after(() => {
  h?.dispose();
  rejections.stop();
});

/** `kubectl describe node`: Allocatable and the "Allocated resources" requests, by resource name, as numbers. */
function describeFigures(text: string): { allocatable: Map<string, number>; requested: Map<string, number>; pods: number } {
  const allocatable = new Map<string, number>();
  const requested = new Map<string, number>();
  const alloc = /\nAllocatable:\n((?: {2}\S.*\n)+)/.exec(text)?.[1] ?? '';
  for (const m of alloc.matchAll(/^ {2}(\S+):\s+(\S+)$/gm)) allocatable.set(m[1]!, parseQuantity(m[2]!)!);
  const allocated = /Resource\s+Requests\s+Limits\n\s+-+\s+-+\s+-+\n((?: {2}\S.*\n)+)/.exec(text)?.[1] ?? '';
  for (const m of allocated.matchAll(/^ {2}(\S+)\s+(\S+)/gm)) requested.set(m[1]!, parseQuantity(m[2]!)!);
  const pods = Number(/Non-terminated Pods:\s+\((\d+) in total\)/.exec(text)?.[1]);
  return { allocatable, requested, pods };
}

test('the GPU virtual node: granted and requested per resource equal kubectl describe node', async () => {
  const d = describeFigures(await kubectl(tb.kubectl, tb.kubeconfig, CONSUMER, 'describe', 'node', PROVIDER));
  assert.ok(d.allocatable.get('nvidia.com/gpu'), 'the test bed grants GPUs');
  // What the row's hover adds (FederationTreeProvider.resolveTreeItem): the model's sums in capacityTooltip's words.
  const vn = h.row(CONSUMER, 'Virtual Nodes', PROVIDER)!;
  const capacity = h.model.virtualNodeCapacity(vn.key.scope === 'cluster' ? vn.key.entry : '', vn.label);
  const tooltip = capacityTooltip(capacity!, md).join('\n');
  const ours = new Map<string, { granted: number; requested: number }>();
  for (const m of tooltip.matchAll(/^ {2}- (\S+?): (\S+) granted, (\S+) requested$/gm)) ours.set(m[1]!.replace(/\\/g, ''), { granted: parseQuantity(m[2]!)!, requested: parseQuantity(m[3]!)! });
  assert.match(tooltip, /nvidia\\?\.com\/gpu: 4 granted, \d+ requested/);
  for (const r of ['cpu', 'memory', 'nvidia.com/gpu']) {
    assert.deepEqual(ours.get(r), { granted: d.allocatable.get(r), requested: d.requested.get(r) ?? 0 }, `${r}: ours ${JSON.stringify(ours.get(r))}\n${tooltip}`);
  }
  assert.deepEqual(ours.get('pods'), { granted: d.allocatable.get('pods'), requested: d.pods });
  // The peering's capacity (shown when its row is hovered) is its one virtual node's.
  const fc = h.row(CONSUMER, 'Peerings', PROVIDER)!;
  const peering = h.model.peeringCapacity(fc.resource!.entryId, fc.resource!.key);
  assert.deepEqual(peering?.lines.find((l) => l.resource === 'nvidia.com/gpu'), { resource: 'nvidia.com/gpu', granted: 4, requested: d.requested.get('nvidia.com/gpu') ?? 0 });
});

test('a provider API server stopping raises one alert naming it, within the connection timeout plus the hold time; restarting raises one recovery', async (t) => {
  const transitions = new AlertTransitions();
  const alerts: Alert[] = [];
  const look = (): boolean => {
    const updates = h.model.watchedClusters().map((c) => ({ entryId: c.entryId, contextName: c.contextName, ...observeCluster(c) }));
    alerts.push(...transitions.update(Date.now(), updates));
    return true;
  };
  look();
  assert.equal(alerts.length, 0, 'nothing on the first look');
  assert.equal(federationGlance(h.model.watchedClusters().flatMap((c) => observeCluster(c).observations)).failing.length, 0);
  await stopApiserver(PROVIDER);
  const stoppedAt = Date.now();
  try {
    await h.until(() => look() && alerts.length > 0, 'the failure alert', 60_000);
    const elapsed = Date.now() - stoppedAt;
    t.diagnostic(`failure alert ${elapsed} ms after the API server stopped`);
    // Unreachable shows after the connection timeout (3 s here) or a watch error; announced after the 10 s hold.
    assert.ok(elapsed < 3_000 + DEFAULT_ALERT_RULES.failAfterMs + 15_000, `took ${elapsed} ms`);
    const groups = coalesce(alerts);
    assert.equal(groups.length, 1, JSON.stringify(alerts.map((a) => a.observation.what)));
    assert.equal(groups[0]!.type, 'failing');
    assert.equal(groups[0]!.contextName, PROVIDER);
    assert.match(alertMessage(groups[0]!), /^Liqo: Cluster cluster-b is failing — unreachable: /);
    const glance = federationGlance(h.model.watchedClusters().flatMap((c) => observeCluster(c).observations));
    assert.deepEqual(glance.failing.map((o) => o.what), ['Cluster cluster-b']);
    // The row the notification's "Show" reveals exists.
    assert.ok(h.model.prepareReveal(alerts[0]!.observation.rowPath));
  } finally {
    await startApiserver(PROVIDER);
  }
  alerts.length = 0;
  const restartedAt = Date.now();
  await h.until(() => look() && alerts.some((a) => a.type === 'recovered'), 'the recovery notice', 90_000);
  t.diagnostic(`recovery notice ${Date.now() - restartedAt} ms after the API server restarted`);
  // A few more looks: nothing else comes.
  for (let i = 0; i < 4; i++) {
    await new Promise((r) => setTimeout(r, 500));
    look();
  }
  assert.deepEqual(alerts.map((a) => [a.type, a.observation.what]), [['recovered', 'Cluster cluster-b']]);
});

test('a peering turning to Error through the API: one alert naming the peering and why, one recovery after it is restored; muted, nothing', async (t) => {
  const run = async (muted: boolean): Promise<Alert[]> => {
    const transitions = new AlertTransitions();
    const alerts: Alert[] = [];
    const look = (): boolean => {
      const updates = h.model.watchedClusters().map((c) => ({ entryId: c.entryId, contextName: c.contextName, ...observeCluster(c) }));
      alerts.push(...transitions.update(Date.now(), updates, (name) => muted && name === CONSUMER));
      return true;
    };
    look();
    const patch = JSON.stringify({ status: { modules: { networking: { enabled: true, conditions: [{ type: 'NetworkConnectionStatus', status: 'Error', reason: 'ConnectionError', message: 'handshake did not complete', lastTransitionTime: new Date().toISOString() }] } } } });
    const before = await kubectl(tb.kubectl, tb.kubeconfig, CONSUMER, 'get', 'foreignclusters', PROVIDER, '-o', 'json');
    await kubectl(tb.kubectl, tb.kubeconfig, CONSUMER, 'patch', 'foreignclusters', PROVIDER, '--subresource=status', '--type=merge', '-p', patch);
    const brokenAt = Date.now();
    try {
      await h.until(() => look() && /^liqo:peering\+failed\+linked\b/.test(h.row(CONSUMER, 'Peerings', PROVIDER)?.contextValue ?? '') && Date.now() - brokenAt > DEFAULT_ALERT_RULES.failAfterMs + 1_000, 'peering failing past the hold time', 30_000);
      look();
    } finally {
      const orig = JSON.parse(before) as { status: unknown };
      await kubectl(tb.kubectl, tb.kubeconfig, CONSUMER, 'patch', 'foreignclusters', PROVIDER, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: orig.status }));
    }
    const restoredAt = Date.now();
    await h.until(() => look() && /^liqo:peering\+healthy\+linked\b/.test(h.row(CONSUMER, 'Peerings', PROVIDER)?.contextValue ?? '') && Date.now() - restoredAt > DEFAULT_ALERT_RULES.recoverAfterMs + 1_000, 'peering healthy past the hold time', 30_000);
    look();
    return alerts;
  };
  const alerts = await run(false);
  t.diagnostic(alerts.map((a) => alertMessage(coalesce([a])[0]!)).join('\n'));
  assert.deepEqual(alerts.map((a) => [a.type, a.observation.contextName, a.observation.what]), [
    ['failing', CONSUMER, 'Peering with cluster-b'],
    ['recovered', CONSUMER, 'Peering with cluster-b'],
  ]);
  assert.equal(alertMessage(coalesce([alerts[0]!])[0]!), 'Liqo: Peering with cluster-b on kind-mlops-platform is failing — Network connection: the WireGuard tunnel between the gateways is down (between the two gateways).');
  assert.deepEqual(await run(true), [], 'muted: nothing');
});
