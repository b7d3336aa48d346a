// The Admiralty, KubeFed and Istio folders as core/tree builds them from SystemsSnapshots (pure): which folders exist,
// the links to contexts by server and CA, a proxy pod's delegate read from its Target's context, a delegate whose
// sending cluster is in no kubeconfig, and a 'systems' change reaching those folders through ClusterRows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterRowKey, rowId } from '../../src/core/tree/rowKey.ts';
import { ClusterRows } from '../../src/core/tree/clusterRows.ts';
import { clusterFolders } from '../../src/core/tree/clusterTree.ts';
import { emptySnapshot } from '../../src/core/liqo/snapshot.ts';
import type { ClusterTreeContext } from '../../src/core/tree/treeContext.ts';
import type { SystemsSnapshot } from '../../src/core/systems/snapshot.ts';
import type { SystemsPeer } from '../../src/core/tree/systemsContext.ts';
import type { TreeNodeView } from '../../src/core/tree/view.ts';

const MAIN = '/k#main';
const REMOTE = '/k#remote';
const target = { kind: 'Target' as const, namespace: 'burst', name: 'remote' };
const remoteServer = 'https://127.0.0.1:6443';

function peer(entryId: string, context: string, server: string, ca: string[], systems?: SystemsSnapshot, state: SystemsPeer['state'] = 'reachable'): SystemsPeer {
  return { entryId, endpoint: { context, server, caFingerprints: ca }, state, ...(systems ? { systems } : {}) };
}

const mainSystems: SystemsSnapshot = {
  admiralty: {
    targets: [{ ...target, self: false, secret: { namespace: 'burst', name: 'k', key: 'config' }, endpoint: { ok: true, endpoint: { server: 'https://127.0.0.1:6443/', caFingerprints: ['ca-remote'] } } }],
    sources: [],
    virtualNodes: [{ name: 'admiralty-burst-remote', target, ready: true }],
    proxyPods: [{ namespace: 'burst', name: 'job-x', uid: 'u1', phase: 'Running', ready: true, target }],
    delegatePods: [],
  },
};
const remoteSystems: SystemsSnapshot = {
  admiralty: {
    targets: [],
    sources: [{ kind: 'Source', namespace: 'burst', name: 'main', identity: 'service account burst/main' }],
    virtualNodes: [],
    proxyPods: [],
    delegatePods: [
      { namespace: 'burst', name: 'job-x-abc', uid: 'd1', phase: 'Pending', ready: false, parent: { uid: 'u1', clusterName: 'main', namespace: 'burst', name: 'job-x' } },
      { namespace: 'burst', name: 'etl-1', uid: 'd2', phase: 'Running', ready: true, parent: { uid: 'u9', clusterName: 'lab', namespace: 'burst', name: 'etl' } },
    ],
  },
  kubefed: { members: [], resources: [] },
};

function ctxOf(entryId: string, own: SystemsSnapshot | undefined, peers: SystemsPeer[]): ClusterTreeContext {
  return { base: clusterRowKey(entryId), entryId, snapshot: emptySnapshot(), contextsFor: () => [], ...(own ? { systems: { own, peers } } : {}) };
}

function rows(ctx: ClusterTreeContext): { at: (...labels: string[]) => TreeNodeView | undefined; under: (...labels: string[]) => string[] } {
  const r = new ClusterRows(ctx);
  const find = (labels: string[]): TreeNodeView | undefined => {
    let id = rowId(ctx.base);
    let found: TreeNodeView | undefined;
    for (const l of labels) {
      found = r.children(id)?.find((x) => x.label === l);
      if (!found) return undefined;
      id = found.id;
    }
    return found;
  };
  return { at: (...l) => find(l), under: (...l) => (r.children(l.length ? find(l)!.id : rowId(ctx.base)) ?? []).map((x) => x.label) };
}

test('no systems watched, or only a system\'s CRDs: no folder', () => {
  assert.deepEqual(clusterFolders(ctxOf(MAIN, undefined, [])).map((f) => f.key), ['peerings', 'virtual-nodes', 'offloaded', 'services', 'namespaces']);
  const onlyCrds: SystemsSnapshot = { admiralty: { targets: [], sources: [], virtualNodes: [], proxyPods: [], delegatePods: [] }, kubefed: { members: [], resources: [] } };
  assert.deepEqual(clusterFolders(ctxOf(MAIN, onlyCrds, [])).map((f) => f.key), ['peerings', 'virtual-nodes', 'offloaded', 'services', 'namespaces']);
});

test('a Target links to the context of the same server (trailing slash, port compared as dialled) and CA, and says whether it answers', () => {
  const peers = [peer(MAIN, 'main', 'https://127.0.0.1:7443', []), peer(REMOTE, 'remote', remoteServer, ['ca-remote'], remoteSystems, 'failed')];
  const t = rows(ctxOf(MAIN, mainSystems, peers)).at('Admiralty', 'Targets', 'Target burst/remote')!;
  assert.equal(t.description, '→ remote · does not answer');
  assert.deepEqual(t.command?.arguments, [REMOTE]);
  const otherCa = [peer(REMOTE, 'remote', remoteServer, ['another-ca'], remoteSystems)];
  const t2 = rows(ctxOf(MAIN, mainSystems, otherCa)).at('Admiralty', 'Targets', 'Target burst/remote')!;
  assert.equal(t2.description, 'server of context remote, but another CA');
  assert.equal(t2.command, undefined);
});

test('a proxy pod shows its delegate from the Target context\'s systems, or why it cannot', () => {
  const linked = rows(ctxOf(MAIN, mainSystems, [peer(REMOTE, 'remote', remoteServer, ['ca-remote'], remoteSystems)]));
  assert.equal(linked.at('Admiralty', 'Proxy Pods', 'burst/job-x')!.description, 'proxy Running · ready · ⇄ remote: job-x-abc Pending');
  assert.deepEqual(linked.under('Admiralty', 'Proxy Pods', 'burst/job-x'), ['burst/job-x-abc']);
  const unwatched = rows(ctxOf(MAIN, mainSystems, [peer(REMOTE, 'remote', remoteServer, ['ca-remote'], undefined, 'connecting')]));
  assert.equal(unwatched.at('Admiralty', 'Proxy Pods', 'burst/job-x')!.description, 'proxy Running · ready · delegate on remote: not known (not connected yet)');
  const nowhere = rows(ctxOf(MAIN, mainSystems, []));
  assert.match(nowhere.at('Admiralty', 'Proxy Pods', 'burst/job-x')!.description!, /delegate on Target burst\/remote: https:\/\/127\.0\.0\.1:6443\/ · in no kubeconfig$/);
  assert.equal(nowhere.at('Admiralty', 'Proxy Pods', 'burst/job-x')!.collapsible, 'none');
});

test('a delegate links to the context holding its proxy pod (by UID); one from a cluster in no kubeconfig is named only', () => {
  const r = rows(ctxOf(REMOTE, remoteSystems, [peer(MAIN, 'main', 'https://127.0.0.1:7443', [], mainSystems), peer(REMOTE, 'remote', remoteServer, [])]));
  assert.deepEqual(r.under(), ['Peerings', 'Virtual Nodes', 'Offloaded Namespaces', 'Services', 'Admiralty', 'Namespaces']);
  const ours = r.at('Admiralty', 'Delegate Pods', 'burst/job-x-abc')!;
  assert.equal(ours.description, 'Pending · ⇄ main: burst/job-x');
  assert.deepEqual(ours.command?.arguments, [MAIN]);
  const lab = r.at('Admiralty', 'Delegate Pods', 'burst/etl-1')!;
  assert.equal(lab.description, 'Running · ready · from lab (in no kubeconfig): burst/etl');
  assert.equal(lab.command, undefined);
});

test('KubeFed: the failing cluster says why; Istio: a remote secret matching no context says so; names are escaped in tooltips', () => {
  const own: SystemsSnapshot = {
    kubefed: {
      members: [{ name: 'edge', apiEndpoint: 'https://127.0.0.9:1', ready: 'False', offline: true, reason: 'ClusterNotReachable', message: 'cluster is not reachable', disabledTLSValidations: [] }],
      resources: [{ kind: 'FederatedDeployment', namespace: 'ns', name: 'app_1', placement: { by: 'clusters', clusters: ['edge'] }, overrides: [], propagation: { status: 'False', reason: 'CheckClusters' }, clusters: [{ cluster: 'edge', status: 'ClusterNotReady' }] }],
    },
    istio: { namespace: 'istio-system', istiod: [{ name: 'istiod', running: false, ready: '0/1' }], remoteSecrets: [{ namespace: 'istio-system', name: 'istio-remote-secret-x', clusters: [{ clusterName: 'x', endpoint: { server: 'https://127.0.0.8:443', caFingerprints: [] } }] }] },
  };
  const r = rows(ctxOf(MAIN, own, [peer(MAIN, 'main', 'https://127.0.0.1:7443', [])]));
  assert.deepEqual(r.under(), ['Peerings', 'Virtual Nodes', 'Offloaded Namespaces', 'Services', 'KubeFed', 'Istio', 'Namespaces']);
  assert.equal(r.at('KubeFed', 'Member Clusters', 'edge')!.description, 'Offline · ClusterNotReachable: cluster is not reachable · in no kubeconfig');
  assert.equal(r.at('KubeFed', 'Federated Resources', 'FederatedDeployment ns/app_1', 'edge')!.description, 'failing: ClusterNotReady');
  assert.match(r.at('KubeFed', 'Federated Resources', 'FederatedDeployment ns/app_1')!.tooltip!, /app\\_1/);
  assert.equal(r.at('Istio', 'istiod')!.description, 'not running · 0/1 ready');
  assert.equal(r.at('Istio', 'Mesh ID')!.description, 'not set (mesh config has no meshId)');
  assert.equal(r.at('Istio', 'istio-remote-secret-x', 'x')!.description, 'matches no context');
});

test("a 'systems' change rebuilds the system folders, and a system appearing adds its folder", () => {
  const peers = [peer(REMOTE, 'remote', remoteServer, ['ca-remote'], remoteSystems)];
  const r = new ClusterRows(ctxOf(MAIN, { istio: { namespace: 'istio-system', istiod: [], remoteSecrets: [] } }, peers));
  const u = r.update(ctxOf(MAIN, mainSystems, peers), new Map([['systems', 'all']]));
  assert.deepEqual(u.refresh, [rowId(clusterRowKey(MAIN))]);
  assert.ok(r.children(rowId(clusterRowKey(MAIN)))!.some((x) => x.label === 'Admiralty'));
  const remoteNoDelegate: SystemsSnapshot = { admiralty: { ...remoteSystems.admiralty!, delegatePods: [] } };
  const u2 = r.update(ctxOf(MAIN, mainSystems, [peer(REMOTE, 'remote', remoteServer, ['ca-remote'], remoteNoDelegate)]), new Map([['systems', 'all']]));
  const folder = r.children(rowId(clusterRowKey(MAIN)))!.find((x) => x.label === 'Admiralty')!;
  assert.deepEqual(u2.refresh, [folder.id]);
  // a Liqo change leaves the system folders as they are
  assert.deepEqual(r.update(ctxOf(MAIN, mainSystems, peers), new Map([['namespaces', new Set(['x'])]])).refresh.filter((id) => id.includes('admiralty')), []);
});
