// Issue 22 on seed-002: the Admiralty, KubeFed and Istio folders of the tree model, built from each cluster's
// watches (infra/systems) and linked across contexts: a proxy pod with its delegate on the Target's cluster, a
// delegate whose cluster is in no kubeconfig named only, Istio remote secrets matched by server and CA or not at all.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureTestbed, type Testbed } from '../testbed/index.ts';
import * as s from '../testbed/scenarios/seed002.ts';
import { dumpTree, kubectl, makeHarness, trackUnhandledRejections, type Harness } from './support/treeHarness.ts';
import { REVEAL_PEER_COMMAND } from '../../src/core/tree/peeringNodes.ts';

let tb: Testbed;
let h: Harness;
const rejections = trackUnhandledRejections();
const { MAIN, REMOTE } = s;
const proxyLabel = `${s.BURST_NS}/${s.PROXY_POD}`;

before(async () => {
  tb = await ensureTestbed('seed-002');
  h = makeHarness([tb.kubeconfig], { collapseGraceMs: 300 });
  await h.open();
  // On a fresh test bed kwok marks the pods running a moment after they are written: wait for the settled states.
  await h.until(
    () =>
      h.row(MAIN, 'Admiralty', 'Proxy Pods', proxyLabel)?.description === `proxy Running · ready · ⇄ ${REMOTE}: ${s.DELEGATE_POD} Running · ready` &&
      Boolean(h.row(REMOTE, 'Admiralty', 'Delegate Pods', `${s.BURST_NS}/${s.LAB_DELEGATE_POD}`)?.description?.startsWith('Running · ready')) &&
      Boolean(h.row(MAIN, 'Istio') && h.row(MAIN, 'KubeFed')) &&
      h.quiet(),
    'the proxy pod linked to its running delegate, every system folder shown',
    60_000,
  );
});

after(() => {
  h?.dispose();
  rejections.stop();
});

const labels = (rows: { label: string }[]): string[] => rows.map((r) => r.label);
const entryOf = (context: string): string => h.model.roots().find((r) => r.label === context)!.key.scope === 'cluster' ? (h.model.roots().find((r) => r.label === context)!.key as { entry: string }).entry : '';

test('each cluster shows only the systems it has, in order, between Liqo\'s folders and Namespaces', () => {
  assert.deepEqual(labels(h.children(MAIN)), ['Peerings', 'Virtual Nodes', 'Offloaded Namespaces', 'Services', 'Admiralty', 'KubeFed', 'Istio', 'Namespaces']);
  // remote has KubeFed's CRDs (a member) but nothing of KubeFed in it, and no istiod: no empty folders
  assert.deepEqual(labels(h.children(REMOTE)), ['Peerings', 'Virtual Nodes', 'Offloaded Namespaces', 'Services', 'Admiralty', 'Namespaces']);
});

test('Admiralty on main: Targets with their context and whether it answers, virtual nodes, proxy → delegate', () => {
  assert.deepEqual(labels(h.children(MAIN, 'Admiralty')), ['Targets', 'Virtual Nodes', 'Proxy Pods']);
  const target = h.row(MAIN, 'Admiralty', 'Targets', `Target ${s.BURST_NS}/${s.TARGET}`)!;
  assert.equal(target.description, `→ ${REMOTE} · answers`);
  assert.deepEqual(target.command, { command: REVEAL_PEER_COMMAND, title: 'Go to Target Cluster', arguments: [entryOf(REMOTE)] });
  const edge = h.row(MAIN, 'Admiralty', 'Targets', `ClusterTarget ${s.EDGE_TARGET}`)!;
  assert.match(edge.description!, /^https:\/\/127\.0\.0\.1:\d+ · in no kubeconfig$/);
  assert.equal(edge.command, undefined);
  assert.deepEqual(labels(h.children(MAIN, 'Admiralty', 'Virtual Nodes')), [s.VIRTUAL_NODE, s.EDGE_VIRTUAL_NODE]);
  assert.equal(h.row(MAIN, 'Admiralty', 'Virtual Nodes', s.VIRTUAL_NODE)!.description, `Ready · Target ${s.BURST_NS}/${s.TARGET}`);
  const proxy = h.row(MAIN, 'Admiralty', 'Proxy Pods', proxyLabel)!;
  // both states side by side: the proxy's here, the delegate's on the Target's cluster
  assert.equal(proxy.description, `proxy Running · ready · ⇄ ${REMOTE}: ${s.DELEGATE_POD} Running · ready`);
  assert.equal(proxy.contextValue, 'liqo:admiraltyProxyPod+delegated');
  const [delegate, ...more] = h.children(MAIN, 'Admiralty', 'Proxy Pods', proxyLabel);
  assert.equal(more.length, 0);
  assert.equal(delegate!.label, `${s.BURST_NS}/${s.DELEGATE_POD}`);
  assert.match(delegate!.description!, new RegExp(`^Running · ready · on ${REMOTE} \\(node `));
  assert.deepEqual(delegate!.command?.arguments, [entryOf(REMOTE)]);
});

test('Admiralty on remote: Sources, and delegates linked to the proxy\'s context or, in no kubeconfig, named only', () => {
  assert.deepEqual(labels(h.children(REMOTE, 'Admiralty')), ['Sources', 'Delegate Pods']);
  assert.deepEqual(labels(h.children(REMOTE, 'Admiralty', 'Sources')), [`Source ${s.BURST_NS}/${s.LAB}`, `Source ${s.BURST_NS}/${MAIN}`]);
  const ours = h.row(REMOTE, 'Admiralty', 'Delegate Pods', `${s.BURST_NS}/${s.DELEGATE_POD}`)!;
  assert.equal(ours.description, `Running · ready · ⇄ ${MAIN}: ${proxyLabel}`);
  assert.deepEqual(ours.command?.arguments, [entryOf(MAIN)]);
  const lab = h.row(REMOTE, 'Admiralty', 'Delegate Pods', `${s.BURST_NS}/${s.LAB_DELEGATE_POD}`)!;
  assert.match(lab.description!, new RegExp(`from ${s.LAB} \\(in no kubeconfig\\)`));
  assert.equal(lab.command, undefined);
  assert.equal(lab.contextValue, 'liqo:admiraltyDelegate');
});

test('KubeFed on main: members with readiness linked to contexts, blob-storage with placement, override and the failing cluster', () => {
  const members = h.children(MAIN, 'KubeFed', 'Member Clusters');
  assert.deepEqual(members.map((m) => [m.label, m.description?.replace(/ · v[\d.]+/, '')]), [
    [MAIN, `Ready · ⇄ ${MAIN}`],
    [REMOTE, `Ready · ⇄ ${REMOTE}`],
  ]);
  const res = h.row(MAIN, 'KubeFed', 'Federated Resources', `FederatedDeployment ${s.BURST_NS}/blob-storage`)!;
  assert.equal(res.contextValue, 'liqo:kubefedResource+failing');
  assert.match(res.description!, new RegExp(`^on ${MAIN}, ${REMOTE} · not propagated .* · failing on ${REMOTE}$`));
  const rows = h.children(MAIN, 'KubeFed', 'Federated Resources', res.label).map((r) => [r.label, r.description]);
  assert.deepEqual(rows, [
    ['Placement', `on ${MAIN}, ${REMOTE}`],
    [`Override on ${REMOTE}`, 'replace /spec/replicas'],
    [MAIN, 'propagated'],
    [REMOTE, 'failing: CreationFailed'],
  ]);
});

test('Istio on main: istiod and its version, mesh ID, network, remote secrets matched to a context or to none; no credential anywhere', () => {
  const rows = h.children(MAIN, 'Istio').map((r) => [r.label, r.description]);
  assert.deepEqual(rows.slice(0, 3), [
    ['istiod', 'running · 1.24.2 · revision default · 1/1 ready'],
    ['Mesh ID', 'mesh1'],
    ['Network', 'network1'],
  ]);
  const remote = h.row(MAIN, 'Istio', s.ISTIO_REMOTE_SECRET, REMOTE)!;
  assert.equal(remote.description, `⇄ ${REMOTE} · answers`);
  assert.deepEqual(remote.command?.arguments, [entryOf(REMOTE)]);
  const onprem = h.row(MAIN, 'Istio', s.ISTIO_ONPREM_SECRET, 'onprem')!;
  assert.equal(onprem.description, 'matches no context');
  assert.equal(onprem.command, undefined);
  const tree = dumpTree(h.model) + JSON.stringify(h.children(MAIN, 'Istio').flatMap((r) => [r, ...h.children(MAIN, 'Istio', r.label)]));
  assert.ok(!tree.includes(s.ISTIO_READER_TOKEN), 'the remote secret\'s token reached a row');
});

// Last: it removes and restores a pod on remote. The proxy's row on main reads remote's watched delegates, so a
// change on one cluster must rebuild the other cluster's Admiralty folder.
test('a delegate going and coming back on remote changes the proxy pod\'s row on main', async () => {
  const pod = JSON.parse(await kubectl(tb.kubectl, tb.kubeconfig, REMOTE, '-n', s.BURST_NS, 'get', 'pod', s.DELEGATE_POD, '-o', 'json')) as { metadata: Record<string, unknown>; status?: unknown };
  await kubectl(tb.kubectl, tb.kubeconfig, REMOTE, '-n', s.BURST_NS, 'delete', 'pod', s.DELEGATE_POD, '--grace-period=0', '--force', '--wait=false');
  await h.until(() => h.row(MAIN, 'Admiralty', 'Proxy Pods', proxyLabel)?.description === `proxy Running · ready · no delegate on ${REMOTE} yet`, 'the proxy row to lose its delegate');
  assert.equal(h.row(MAIN, 'Admiralty', 'Proxy Pods', proxyLabel)!.collapsible, 'none');
  const { uid: _uid, resourceVersion: _rv, creationTimestamp: _ct, deletionTimestamp: _dt, deletionGracePeriodSeconds: _dg, managedFields: _mf, ...metadata } = pod.metadata;
  const { writeFile, mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = await mkdtemp(join(tmpdir(), 'delegate-'));
  try {
    await writeFile(join(dir, 'pod.json'), JSON.stringify({ ...pod, metadata, status: undefined }));
    await kubectl(tb.kubectl, tb.kubeconfig, REMOTE, 'create', '-f', join(dir, 'pod.json'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await h.until(() => Boolean(h.row(MAIN, 'Admiralty', 'Proxy Pods', proxyLabel)?.description?.includes(`⇄ ${REMOTE}: ${s.DELEGATE_POD}`)), 'the proxy row to find its delegate again');
});
