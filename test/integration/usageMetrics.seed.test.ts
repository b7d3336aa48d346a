// Issue 21's usage on seed-000+metrics: metrics-server (a real process, built from its Go module) scrapes kwok's
// kubelet resource metrics and is served by each kube-apiserver as metrics.k8s.io. The model's usage (read through
// its own cluster client while the cluster rows are expanded) equals `kubectl top node` / `kubectl top pod` on the
// same clusters within one metrics window; an offloaded namespace's pods and requests per remote cluster equal
// `kubectl describe node` of its virtual node; a cluster whose metrics API goes away says so once.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureTestbed, type Testbed } from '../testbed/index.ts';
import { makeHarness, kubectl, trackUnhandledRejections, type Harness } from './support/treeHarness.ts';
import { topCpu, topMemory, type UsageState } from '../../src/core/metrics/usage.ts';
import { podUsageLines, virtualNodeUsageLines } from '../../src/core/metrics/usageText.ts';
import { namespaceCapacityTooltip } from '../../src/core/capacity/namespaceCapacity.ts';
import { parseQuantity } from '../../src/core/capacity/quantity.ts';

let tb: Testbed;
let h: Harness;
const rejections = trackUnhandledRejections();
const CONSUMER = 'kind-mlops-platform';
const PROVIDER = 'cluster-b';

const entryOf = (context: string): string => {
  const e = h.model.clusters.find((c) => c.contextName === context);
  assert.ok(e, `context ${context} in the model`);
  return e.id;
};
const available = (s: UsageState) => (s.kind === 'available' ? s : undefined);

before(async () => {
  tb = await ensureTestbed('seed-000+metrics');
  h = makeHarness([tb.kubeconfig], { timeoutMs: 3000 });
  await h.open();
  await h.until(() => Boolean(h.row(CONSUMER, 'Virtual Nodes', PROVIDER) && h.quiet()), 'the virtual node with its pods');
  // expanding the clusters (open) started the polls: wait for the first answer of each
  for (const c of [CONSUMER, PROVIDER]) await h.until(() => available(h.model.usageOf(entryOf(c))) !== undefined, `usage of ${c}`, 60_000);
});

after(() => {
  h?.dispose();
  rejections.stop();
});

/** `kubectl top` rows (no headers): name (namespace/name for pods) → [cpu, memory] as printed. */
function topRows(text: string, pods: boolean): Map<string, [string, string]> {
  const out = new Map<string, [string, string]>();
  for (const line of text.trim().split('\n').filter(Boolean)) {
    const f = line.trim().split(/\s+/);
    if (pods) out.set(`${f[0]}/${f[1]}`, [f[2]!, f[3]!]);
    // NAME CPU(cores) CPU(%) MEMORY(bytes) MEMORY(%); a node metrics-server has no complete figures for (no pod
    // running there) is printed as <unknown>, and is not in metrics.k8s.io's answer either
    else if (f[1] !== '<unknown>') out.set(f[0]!, [f[1]!, f[3]!]);
  }
  return out;
}

/**
 * Ours and kubectl's in the same metrics window: a poll, kubectl, a second poll; when both polls saw the same
 * timestamps, kubectl read the same scrape (metrics-server changes its figures only once per window).
 */
async function sameWindow(context: string): Promise<{ ours: NonNullable<ReturnType<typeof available>>; nodes: Map<string, [string, string]>; pods: Map<string, [string, string]> }> {
  const usage = h.model.usage.of(entryOf(context));
  const stamps = (s: UsageState) => JSON.stringify([...(available(s)?.snapshot.nodes ?? new Map())].map(([n, u]) => [n, u.timestamp]));
  for (let attempt = 0; attempt < 6; attempt++) {
    const before = await usage.poll();
    const [nodes, pods] = await Promise.all([
      kubectl(tb.kubectl, tb.kubeconfig, context, 'top', 'node', '--no-headers'),
      kubectl(tb.kubectl, tb.kubeconfig, context, 'top', 'pod', '-A', '--no-headers'),
    ]);
    const after = await usage.poll();
    const ours = available(after);
    if (ours && stamps(before) === stamps(after)) return { ours, nodes: topRows(nodes, false), pods: topRows(pods, true) };
  }
  throw new Error(`${context}: no two polls in the same metrics window in 6 attempts`);
}

for (const context of [CONSUMER, PROVIDER]) {
  test(`${context}: node and pod usage equal kubectl top within one metrics window`, async () => {
    const { ours, nodes, pods } = await sameWindow(context);
    assert.ok(nodes.size > 0 && pods.size > 0, 'kubectl top reports nodes and pods');
    const ourNodes = new Map([...ours.snapshot.nodes].map(([n, u]) => [n, [topCpu(u.cpu), topMemory(u.memory)]]));
    const ourPods = new Map([...ours.snapshot.pods].map(([k, u]) => [k, [topCpu(u.cpu), topMemory(u.memory)]]));
    assert.deepEqual(Object.fromEntries(ourNodes), Object.fromEntries(nodes));
    assert.deepEqual(Object.fromEntries(ourPods), Object.fromEntries(pods));
    // the scenario's simulated usage shows through: a training worker uses 1500m and 6Gi (kwok's ResourceUsage)
    const worker = ours.snapshot.pods.get(`${context === CONSUMER ? 'kubeflow' : 'kubeflow-kind-mlops-platform'}/training-worker-0`);
    assert.ok(worker, 'training-worker-0 reported');
    assert.ok(Math.abs(worker.cpu - 1.5) < 0.05, `cpu ${worker.cpu}`);
    assert.equal(topMemory(worker.memory), '6144Mi');
    // polled at the metrics' own window (metrics-server --metric-resolution=15s on the test bed)
    assert.ok(worker.windowSeconds >= 10 && worker.windowSeconds <= 30, `window ${worker.windowSeconds}`);
  });
}

test('the virtual node: its kubelet\'s node figures and its offloaded pods summed, as the hover shows them', async () => {
  const { ours, nodes } = await sameWindow(CONSUMER);
  const entry = entryOf(CONSUMER);
  const snapshot = h.model.session(entry)?.snapshot;
  const podKeys = (snapshot?.pods ?? []).filter((p) => p.spec?.nodeName === PROVIDER).map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
  const lines = virtualNodeUsageLines(ours, CONSUMER, snapshot?.nodes.find((n) => n.metadata.name === PROVIDER), PROVIDER, podKeys);
  const [cpu, memory] = nodes.get(PROVIDER) ?? [];
  assert.ok(cpu && memory, 'kubectl top node lists the virtual node');
  const top = await kubectl(tb.kubectl, tb.kubeconfig, CONSUMER, 'top', 'node', PROVIDER, '--no-headers');
  const [, , cpuPct, , memPct] = top.trim().split(/\s+/);
  const text = lines.join('\n');
  // kubectl may have read the next window: compare the percentages only when the figures are the same
  if (top.includes(` ${cpu} `)) assert.match(text, new RegExp(`CPU: ${cpu} \\(${cpuPct?.replace('%', '')}% of allocatable\\)`), text);
  if (top.includes(` ${memory} `)) assert.match(text, new RegExp(`Memory: ${memory} \\(${memPct?.replace('%', '')}% of allocatable\\)`), text);
  assert.match(text, /Its pods \(3 of 4 reported\), summed:/, 'the failed pod has no usage');
  const pod = podUsageLines(ours, CONSUMER, 'kubeflow/inference-server', true).join('\n');
  assert.match(pod, /CPU: 3[45]\dm/);
  assert.match(pod, /Memory: 2048Mi/);
});

test('the offloaded namespace: pods and requests on the remote cluster equal kubectl describe node of its virtual node', async () => {
  const text = await kubectl(tb.kubectl, tb.kubeconfig, CONSUMER, 'describe', 'node', PROVIDER);
  const allocated = /Resource\s+Requests\s+Limits\n\s+-+\s+-+\s+-+\n((?: {2}\S.*\n)+)/.exec(text)?.[1] ?? '';
  const requested = new Map([...allocated.matchAll(/^ {2}(\S+)\s+(\S+)/gm)].map((m) => [m[1]!, parseQuantity(m[2]!)!]));
  const pods = Number(/Non-terminated Pods:\s+\((\d+) in total\)/.exec(text)?.[1]);
  const c = h.model.offloadedNamespaceCapacity(entryOf(CONSUMER), 'kubeflow');
  assert.ok(c, 'pods are watched');
  const remote = c.groups.find((g) => g.kind === 'remote' && g.where === PROVIDER);
  assert.ok(remote, namespaceCapacityTooltip(c).join('\n'));
  // every pod on the virtual node is in kubeflow in this scenario, so the namespace's share is the node's total
  assert.equal(remote.pods, pods);
  for (const r of ['cpu', 'memory', 'nvidia.com/gpu']) assert.equal(remote.requests.get(r) ?? 0, requested.get(r) ?? 0, r);
  assert.deepEqual(namespaceCapacityTooltip(c), [
    '- remote cluster cluster-b: 3 pods (and 1 finished), requesting cpu 5, memory 20Gi, nvidia.com/gpu 2',
    '- this cluster: 1 pod, requesting nothing',
  ]);
});

test('a cluster whose metrics API goes away: "no metrics API on <context>" said once, capacity still shown; back when it returns', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'usage-'));
  const saved = path.join(dir, 'apiservice.json');
  const entry = entryOf(PROVIDER);
  const providerRow = h.row(PROVIDER);
  assert.ok(providerRow);
  fs.writeFileSync(saved, await kubectl(tb.kubectl, tb.kubeconfig, PROVIDER, 'get', 'apiservice', 'v1beta1.metrics.k8s.io', '-o', 'json'));
  try {
    await kubectl(tb.kubectl, tb.kubeconfig, PROVIDER, 'delete', 'apiservice', 'v1beta1.metrics.k8s.io');
    const usage = h.model.usage.of(entry);
    let state: UsageState = usage.state;
    for (let i = 0; i < 40 && state.kind !== 'absent'; i++) {
      state = await usage.poll();
      if (state.kind !== 'absent') await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal(state.kind, 'absent', JSON.stringify(state));
    assert.equal(usage.polling, false, 'no more polls while the API is absent');
    // collapsing and expanding asks again (once), and it is still absent: said once only
    h.model.collapsed(providerRow.id);
    h.model.expanded(providerRow.id);
    await h.until(() => h.model.usageOf(entry).kind === 'absent' && !usage.polling, 'the second answer');
    const told = h.logs.filter((l) => l.includes(`no metrics API on ${PROVIDER}: showing capacity only`));
    assert.equal(told.length, 1, h.logs.join('\n'));
    assert.match(podUsageLines(h.model.usageOf(entry), PROVIDER, 'kubeflow-kind-mlops-platform/inference-server', false).join('\n'), /No metrics API on cluster-b: showing capacity only \(metrics\.k8s\.io is not served/);
    assert.ok(h.model.usageOf(entryOf(CONSUMER)).kind === 'available', 'the other cluster keeps its usage');
  } finally {
    const obj = JSON.parse(fs.readFileSync(saved, 'utf8')) as { metadata: Record<string, unknown> };
    obj.metadata = { name: 'v1beta1.metrics.k8s.io', labels: obj.metadata.labels };
    fs.writeFileSync(saved, JSON.stringify(obj));
    await kubectl(tb.kubectl, tb.kubeconfig, PROVIDER, 'apply', '-f', saved);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  // "Returns" is when the aggregator serves it again: an APIService just applied answers 503 until it is Available, and
  // an expand in that moment is answered "absent" again (asked once per expand, as above).
  await kubectl(tb.kubectl, tb.kubeconfig, PROVIDER, 'wait', '--for=condition=Available', 'apiservice/v1beta1.metrics.k8s.io', '--timeout=90s');
  h.model.collapsed(providerRow.id);
  h.model.expanded(providerRow.id);
  await h.until(() => h.model.usageOf(entry).kind === 'available', 'usage again once the APIService is back', 60_000);
});
