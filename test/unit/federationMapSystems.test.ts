// The federation map's links of the other systems (issue 22): Admiralty targets, KubeFed memberships and Istio remote
// secrets as edges of their own kind, told apart from Liqo peerings in the model, the view, the layout and the SVG;
// a far end in no kubeconfig is a dashed node of its server; a cluster without Liqo is drawn when it has such links.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFederationGraph, type ClusterInput } from '../../src/core/federation/graph.ts';
import { federations, mapView, INITIAL_VIEW_STATE } from '../../src/core/federation/mapView.ts';
import { layoutMap } from '../../src/core/federation/layout.ts';
import { renderMapSvg } from '../../src/core/federation/svg.ts';
import type { SystemsSnapshot, AdmiraltyView, KubeFedView, IstioView } from '../../src/core/systems/snapshot.ts';
import type { ContextEndpoint } from '../../src/core/systems/endpoint.ts';
import { foreignCluster, readySnapshot, reachable } from './federationGenerator.ts';
import { ClusterRows } from '../../src/core/tree/clusterRows.ts';
import { clusterRowKey, rowId } from '../../src/core/tree/rowKey.ts';
import type { TreeNodeView } from '../../src/core/tree/view.ts';

const MAIN_SERVER = 'https://127.0.0.1:6443';
const REMOTE_SERVER = 'https://127.0.0.1:7443';
/** where the ClusterTarget `edge` and Istio's `onprem` point: no context has it */
const NOWHERE = 'https://127.0.0.2:9';
const PROXY_UID = '7d1c-proxy-uid';

const endpoint = (context: string, server: string): ContextEndpoint => ({ context, server, caFingerprints: [] });

function withoutLiqo(context: string, server: string, systems?: SystemsSnapshot, state: ClusterInput['state'] = { kind: 'reachable', serverVersion: 'v1.34.4' }): ClusterInput {
  return {
    entry: { id: `/kube/config#${context}`, contextName: context },
    state,
    liqo: { presence: 'not-installed', unhealthyPods: [] },
    snapshot: readySnapshot({}),
    endpoint: endpoint(context, server),
    ...(systems ? { systems } : {}),
  };
}

function admiralty(): AdmiraltyView {
  return {
    targets: [
      { kind: 'Target', namespace: 'burst', name: 'remote', self: false, secret: { namespace: 'burst', name: 'remote', key: 'config' }, endpoint: { ok: true, endpoint: { server: `${REMOTE_SERVER}/`, caFingerprints: [] } } },
      { kind: 'ClusterTarget', name: 'edge', self: false, secret: { namespace: 'admiralty', name: 'edge', key: 'config' }, endpoint: { ok: true, endpoint: { server: NOWHERE, caFingerprints: [] } } },
      { kind: 'Target', namespace: 'burst', name: 'me', self: true },
    ],
    sources: [],
    virtualNodes: [],
    proxyPods: [{ namespace: 'burst', name: 'ml-job-6ymu-xvrv2', uid: PROXY_UID, phase: 'Running', ready: true, nodeName: 'admiralty-burst-remote-8a2b', target: { kind: 'Target', namespace: 'burst', name: 'remote' } }],
    delegatePods: [],
  };
}

const remoteAdmiralty = (delegated: boolean, phase = 'Running'): AdmiraltyView => ({
  targets: [],
  sources: [{ kind: 'Source', namespace: 'burst', name: 'main', identity: 'service account burst/main' }],
  virtualNodes: [],
  proxyPods: [],
  delegatePods: delegated ? [{ namespace: 'burst', name: 'ml-job-6ymu-xvrv2-p5bbl', uid: 'd-uid', phase, ready: phase === 'Running', parent: { uid: PROXY_UID, clusterName: 'main', namespace: 'burst', name: 'ml-job-6ymu-xvrv2' } }] : [],
});

const kubefed: KubeFedView = {
  members: [
    { name: 'main', apiEndpoint: MAIN_SERVER, ready: 'True', offline: false, disabledTLSValidations: [] },
    { name: 'remote', apiEndpoint: REMOTE_SERVER, ready: 'True', offline: false, disabledTLSValidations: [] },
  ],
  resources: [
    {
      kind: 'FederatedDeployment',
      namespace: 'burst',
      name: 'blob-storage',
      placement: { by: 'clusters', clusters: ['main', 'remote'] },
      overrides: [],
      propagation: { status: 'False', reason: 'CheckClusters' },
      clusters: [
        { cluster: 'main', status: '' },
        { cluster: 'remote', status: 'CreationFailed' },
      ],
    },
  ],
};

const istio = (running = true): IstioView => ({
  namespace: 'istio-system',
  istiod: [{ name: 'istiod', running, ready: running ? '1/1' : '0/1', version: '1.24.2' }],
  meshId: 'mesh1',
  network: 'network1',
  remoteSecrets: [
    { namespace: 'istio-system', name: 'istio-remote-secret-remote', clusters: [{ clusterName: 'remote', endpoint: { server: REMOTE_SERVER, caFingerprints: [] } }] },
    { namespace: 'istio-system', name: 'istio-remote-secret-onprem', clusters: [{ clusterName: 'onprem', endpoint: { server: NOWHERE, caFingerprints: [] } }] },
  ],
});

/** seed-002's shape: main and remote without Liqo, main sends with Admiralty, hosts KubeFed and Istio's primary. */
function seed002(opts: { delegated?: boolean; delegatePhase?: string; remoteState?: ClusterInput['state']; istiodRunning?: boolean } = {}): ClusterInput[] {
  const remoteSystems: SystemsSnapshot = { admiralty: remoteAdmiralty(opts.delegated ?? true, opts.delegatePhase) };
  return [
    withoutLiqo('main', MAIN_SERVER, { admiralty: admiralty(), kubefed, istio: istio(opts.istiodRunning ?? true) }),
    opts.remoteState && opts.remoteState.kind !== 'reachable'
      ? { entry: { id: '/kube/config#remote', contextName: 'remote' }, state: opts.remoteState, endpoint: endpoint('remote', REMOTE_SERVER) }
      : withoutLiqo('remote', REMOTE_SERVER, remoteSystems),
  ];
}

test('clusters without Liqo are drawn when other systems link them; each system draws its own link, a far end in no kubeconfig is one dashed node of its server', () => {
  const g = buildFederationGraph(seed002());
  assert.deepEqual(
    g.nodes.map((n) => [n.id, n.kind, n.label]),
    [
      ['context:/kube/config#main', 'cluster', 'main'],
      ['context:/kube/config#remote', 'cluster', 'remote'],
      ['server:https://127.0.0.2:9', 'unknownPeer', 'edge, onprem'],
    ],
  );
  assert.deepEqual(g.withoutLiqo, [], 'both are drawn: they have links');
  assert.deepEqual(g.edges, [], 'no Liqo peering');
  const main = 'context:/kube/config#main';
  const remote = 'context:/kube/config#remote';
  const nowhere = 'server:https://127.0.0.2:9';
  assert.deepEqual(
    g.links.map((l) => [l.id, l.health, l.summary]),
    [
      [`admiralty:${main}->${remote}`, 'healthy', '1 proxy → 1 delegate'],
      [`admiralty:${main}->${nowhere}`, 'unknown', 'no proxy pods'],
      [`istio:${main}->${remote}`, 'healthy', 'mesh mesh1'],
      [`istio:${main}->${nowhere}`, 'healthy', 'mesh mesh1'],
      [`kubefed:${main}->${remote}`, 'failed', 'Ready · 1 failing'],
    ],
    'a self Target and KubeFed host being its own member link nothing',
  );
  const adm = g.links.find((l) => l.id === `admiralty:${main}->${remote}`)!;
  assert.equal(adm.proxies, 1);
  assert.equal(adm.delegated, 1);
  assert.deepEqual(adm.explanation, ['Target burst/remote on main sends pods to context remote, which answers: proxy pod burst/ml-job-6ymu-xvrv2 (Running) runs as delegate ml-job-6ymu-xvrv2-p5bbl (Running).']);
  assert.equal(adm.entryId, '/kube/config#main');
  assert.match(adm.rowId!, /^cluster:%2Fkube%2Fconfig%23main\/admiralty\/target\/Target\/burst%2Fremote$/);
  const kf = g.links.find((l) => l.system === 'kubefed')!;
  assert.equal(kf.explanation[0], 'KubeFedCluster remote on main makes context remote, which answers a member: Ready. Not propagated there: FederatedDeployment burst/blob-storage (CreationFailed).');
  assert.match(kf.rowId!, /\/kubefed\/member\/remote$/);
  const mesh = g.links.find((l) => l.id === `istio:${main}->${nowhere}`)!;
  assert.equal(mesh.explanation[0], 'Istio on main (istiod 1.24.2 running, mesh mesh1, network network1) reads the API server of remote cluster onprem, https://127.0.0.2:9, in no kubeconfig, through remote secret istio-system/istio-remote-secret-onprem.');
  assert.match(mesh.rowId!, /\/istio\/remote-secret\/istio-system%2Fistio-remote-secret-onprem\/onprem$/);
});

test('link health in plain words: no delegate yet is pending, a failed delegate or a far cluster that does not answer fails, istiod down fails', () => {
  const link = (g: ReturnType<typeof buildFederationGraph>, system: string) => g.links.find((l) => l.system === system && l.to === 'context:/kube/config#remote')!;
  const waiting = link(buildFederationGraph(seed002({ delegated: false })), 'admiralty');
  assert.equal(waiting.health, 'pending');
  assert.equal(waiting.summary, '1 proxy → 0 delegates');
  assert.match(waiting.explanation[0]!, /proxy pod burst\/ml-job-6ymu-xvrv2 \(Running\) has no delegate there yet\.$/);
  const failed = link(buildFederationGraph(seed002({ delegatePhase: 'Failed' })), 'admiralty');
  assert.equal(failed.health, 'failed');
  assert.equal(failed.summary, '1 proxy → 1 delegate, 1 failed');
  const down = buildFederationGraph(seed002({ remoteState: { kind: 'failed', problem: { kind: 'refused', summary: 'connection refused', hint: 'Is the API server running?' } } as ClusterInput['state'] }));
  assert.equal(link(down, 'admiralty').health, 'failed');
  assert.match(link(down, 'admiralty').explanation[0]!, /context remote, which does not answer/);
  assert.equal(down.nodes.find((n) => n.id === 'context:/kube/config#remote')?.health, 'failed', 'the far cluster drawn with its problem');
  assert.equal(link(buildFederationGraph(seed002({ istiodRunning: false })), 'istio').health, 'failed');
});

test('a cluster without Liqo and without links stays out; a Liqo cluster keeps its node id when another system points at its context', () => {
  const lonely = withoutLiqo('lonely', 'https://127.0.0.1:8443');
  const g1 = buildFederationGraph([lonely]);
  assert.deepEqual(g1.nodes, []);
  assert.deepEqual(g1.withoutLiqo.map((c) => c.contextName), ['lonely']);
  const liqoRemote: ClusterInput = { ...reachable('remote', 'remote-id', readySnapshot({})), endpoint: endpoint('remote', REMOTE_SERVER) };
  const g2 = buildFederationGraph([seed002()[0]!, liqoRemote, lonely]);
  assert.ok(g2.links.some((l) => l.system === 'admiralty' && l.to === 'cluster:remote-id'));
  assert.deepEqual(g2.withoutLiqo.map((c) => c.contextName), ['lonely']);
});

test('a Liqo peering and an Admiralty link between the same clusters are two edges, laid out apart and drawn in their own style with a legend', () => {
  const cons: ClusterInput = { ...reachable('consumer', 'cons', readySnapshot({ foreignClusters: [foreignCluster('prov', 'Provider')] })), endpoint: endpoint('consumer', MAIN_SERVER), systems: { admiralty: admiralty() } };
  const prov: ClusterInput = { ...reachable('provider', 'prov', readySnapshot({ foreignClusters: [foreignCluster('cons', 'Consumer')] })), endpoint: endpoint('provider', REMOTE_SERVER), systems: { admiralty: remoteAdmiralty(true) } };
  const g = buildFederationGraph([cons, prov]);
  assert.deepEqual(g.edges.map((e) => e.id), ['cluster:cons->cluster:prov']);
  const view = mapView(g, INITIAL_VIEW_STATE);
  const between = view.edges.filter((e) => e.from === 'cluster:cons' && e.to === 'cluster:prov');
  assert.deepEqual(between.map((e) => [e.kind, e.id]), [
    ['peering', 'cluster:cons->cluster:prov'],
    ['admiralty', 'admiralty:cluster:cons->cluster:prov'],
  ]);
  const layout = layoutMap(view);
  const [peering, link] = between.map((e) => layout.edges.find((p) => p.edge.id === e.id)!);
  assert.ok(peering && link);
  assert.notDeepEqual(peering.labelBox, link.labelBox, 'each edge has its own route and label');
  assert.equal(link.label, 'Admiralty ✓\n1 proxy → 1 delegate');
  const svg = renderMapSvg(layout);
  const drawn = /<g class="edge link link-admiralty h-healthy" data-id="admiralty:cluster:cons-&gt;cluster:prov" data-kind="link" data-system="admiralty" data-row="([^"]+)" data-entry="\/kube\/config#consumer" tabindex="0" role="button" aria-label="([^"]+)">/.exec(svg);
  assert.ok(drawn, svg);
  assert.match(drawn[1]!, /\/admiralty\/target\/Target\/burst%2Fremote$/);
  assert.equal(drawn[2], 'Admiralty link: consumer sends pods to provider: healthy. Target burst/remote on consumer sends pods to context provider, which answers: proxy pod burst/ml-job-6ymu-xvrv2 (Running) runs as delegate ml-job-6ymu-xvrv2-p5bbl (Running).');
  assert.match(svg, /<g class="edge h-healthy" data-id="cluster:cons-&gt;cluster:prov" data-kind="edge"/, 'the peering is drawn as before');
  assert.match(svg, /<g class="legend" role="note" aria-label="Legend: solid line, Liqo peering \(consumer → provider\); dashed line, Admiralty target \(source → target cluster\)">/);
  assert.match(svg, /aria-label="Liqo federation map: 3 nodes, 1 peerings, 2 links of other systems"/);
});

test('the SVG styles each system apart: KubeFed dotted, Istio dash-dot, Admiralty dashed; every system in the legend', () => {
  const svg = renderMapSvg(layoutMap(mapView(buildFederationGraph(seed002()), INITIAL_VIEW_STATE)), {
    background: '#fff',
    foreground: '#000',
    muted: '#666',
    nodeFill: '#eee',
    border: '#ccc',
    healthy: '#0a0',
    pending: '#aa0',
    failed: '#a00',
    unknown: '#888',
    match: '#00f',
    fontFamily: 'sans-serif',
  });
  assert.match(svg, /\.link-admiralty \.line,\.legend-line\.link-admiralty\{stroke-dasharray:7 4\}/);
  assert.match(svg, /\.link-kubefed \.line,\.legend-line\.link-kubefed\{stroke-dasharray:2 4\}/);
  assert.match(svg, /\.link-istio \.line,\.legend-line\.link-istio\{stroke-dasharray:10 3 2 3\}/);
  for (const k of ['admiralty', 'kubefed', 'istio']) assert.match(svg, new RegExp(`<g class="legend-item" data-legend="${k}">`));
  assert.doesNotMatch(svg, /data-legend="peering"/, 'no peering, no peering legend');
  assert.match(svg, /<g class="node unknownPeer[^"]*" data-id="server:https:\/\/127\.0\.0\.2:9"[^>]*aria-label="Cluster edge, onprem at https:\/\/127\.0\.0\.2:9: in no kubeconfig; add its kubeconfig to see it\."[^>]*>.*?class="box dashed"/);
  assert.match(svg, /<g class="edge link link-kubefed h-failed"[^>]*aria-label="KubeFed link: main federates to member remote: failing\. KubeFedCluster remote on main/);
  assert.match(svg, /<g class="edge link link-istio h-healthy"[^>]*aria-label="Istio link: main reads the remote cluster remote: healthy\. Istio on main/);
});

test('links join clusters into one federation; folded, they merge per system and never into a peering', () => {
  const g = buildFederationGraph(seed002());
  const groups = federations(g);
  assert.equal(new Set(groups.values()).size, 1, 'main, remote and the unknown server are one federation through their links');
  const folded = mapView(g, { query: '', folds: { [groups.get('context:/kube/config#main')!]: true } });
  assert.deepEqual(folded.edges, [], 'links inside a folded federation are not drawn');
  const search = mapView(g, { query: 'kubefed', folds: {} });
  assert.deepEqual(search.edges.filter((e) => e.match).map((e) => e.kind), ['kubefed']);
});

test("each link names the tree row it stands for: the Target, the member cluster, the remote secret's cluster", () => {
  const inputs = seed002();
  const main = inputs[0]!;
  const peers = inputs.map((i) => ({ entryId: i.entry.id, endpoint: i.endpoint!, state: 'reachable' as const, ...(i.systems ? { systems: i.systems } : {}) }));
  const rows = new ClusterRows({ base: clusterRowKey(main.entry.id), entryId: main.entry.id, snapshot: readySnapshot({}), contextsFor: () => [], systems: { own: main.systems!, peers } });
  const byId = new Map<string, TreeNodeView>();
  const walk = (id: string): void => {
    for (const r of rows.children(id) ?? []) {
      byId.set(r.id, r);
      walk(r.id);
    }
  };
  walk(rowId(clusterRowKey(main.entry.id)));
  const g = buildFederationGraph(inputs);
  assert.deepEqual(
    g.links.map((l) => [l.system, byId.get(l.rowId!)?.label]),
    [
      ['admiralty', 'Target burst/remote'],
      ['admiralty', 'ClusterTarget edge'],
      ['istio', 'remote'],
      ['istio', 'onprem'],
      ['kubefed', 'remote'],
    ],
  );
});
