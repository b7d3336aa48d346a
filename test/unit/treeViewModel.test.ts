// The pure parts of the tree's view-model: structured row keys, the view filter, the credential-plugin policy, and
// the mapping from per-object change events to the rows to refresh (checked against a full rebuild of the tree
// after every step of a sequence of changes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { childKey, clusterRowKey, fileRowKey, rowId } from '../../src/core/tree/rowKey.ts';
import { describeFilter, filterActive, NO_FILTER, showCluster, viewMessage, type ClusterFacts } from '../../src/core/tree/viewFilter.ts';
import { credentialGate, credentialPolicyOf } from '../../src/core/kubeconfig/credentialPolicy.ts';
import { ClusterRows, type ClusterDelta } from '../../src/core/tree/clusterRows.ts';
import { emptySnapshot, type ClusterSnapshot, type WatchedKind } from '../../src/core/liqo/snapshot.ts';
import { objectKey, type KubeObject } from '../../src/core/liqo/objects.ts';
import type { ClusterEntry } from '../../src/core/kubeconfig/clusters.ts';
import type { ClusterTreeContext } from '../../src/core/tree/treeContext.ts';
import type { TreeNodeView } from '../../src/core/tree/view.ts';
import { code, md } from '../../src/core/tree/view.ts';

test('row ids come from typed keys and never collide, whatever the names contain', () => {
  const arn = 'arn:aws:eks:eu-west-1:123456789012:cluster/prod';
  const a = rowId(childKey(clusterRowKey(`/home/me/.kube/config#${arn}`), 'namespaces', 'default'));
  // A context named like a path prefix of another, and a segment holding a slash, give different ids.
  const b = rowId(childKey(clusterRowKey('/home/me/.kube/config#arn:aws:eks:eu-west-1:123456789012:cluster'), 'prod', 'namespaces', 'default'));
  const c = rowId(childKey(clusterRowKey(`/home/me/.kube/config#${arn}`), 'namespaces/default'));
  assert.equal(new Set([a, b, c]).size, 3);
  assert.notEqual(rowId(fileRowKey('/x')), rowId(clusterRowKey('/x')));
  assert.ok(!a.slice('cluster:'.length).split('/')[0]!.includes('/'), 'the entry is one encoded segment');
});

test('Markdown escaping of remote strings: a backtick or a newline cannot end a code span', () => {
  assert.equal(code('https://127.0.0.9:6443'), '`https://127.0.0.9:6443`');
  assert.equal(code('https://x`](command:evil)`'), md('https://x`](command:evil)`'));
  assert.ok(!md('a\n# heading').includes('\n'), 'no new Markdown block from a remote string');
  assert.equal(md('[link](command:x)'), '\\[link\\]\\(command:x\\)');
});

const facts = (over: Partial<ClusterFacts> = {}): ClusterFacts => ({
  contextName: 'kind-prod',
  clusterName: 'kind-prod',
  userName: 'admin',
  server: 'https://127.0.0.1:6443',
  state: 'reachable',
  liqo: 'unknown',
  rememberedLiqo: false,
  ...over,
});

test('filter: text, Liqo clusters only, hide unreachable', () => {
  assert.equal(filterActive(NO_FILTER), false);
  assert.ok(showCluster(facts(), NO_FILTER));
  const liqoOnly = { ...NO_FILTER, liqoOnly: true };
  assert.ok(showCluster(facts({ liqo: 'installed' }), liqoOnly));
  assert.ok(!showCluster(facts({ liqo: 'not-installed', rememberedLiqo: true }), liqoOnly), 'known not to have Liqo now');
  assert.ok(showCluster(facts({ state: 'failed', rememberedLiqo: true }), liqoOnly), 'remembered Liqo cluster, unreachable now');
  assert.ok(!showCluster(facts({ state: 'failed' }), liqoOnly));
  const reachable = { ...NO_FILTER, hideUnreachable: true };
  assert.ok(!showCluster(facts({ state: 'failed' }), reachable));
  assert.ok(showCluster(facts({ state: 'deferred' }), reachable), 'not yet connected is not unreachable');
  assert.ok(showCluster(facts({ clusterId: 'cluster-b' }), { ...NO_FILTER, text: ' CLUSTER-B ' }));
  assert.ok(showCluster(facts(), { ...NO_FILTER, text: '6443' }));
  assert.ok(!showCluster(facts(), { ...NO_FILTER, text: 'staging' }));
  assert.equal(describeFilter({ text: 'prod', liqoOnly: true, hideUnreachable: true }), 'Liqo clusters · reachable · "prod"');
  assert.equal(viewMessage(NO_FILTER, 3, 3, 0), undefined);
  assert.equal(viewMessage(liqoOnly, 2, 203, 1), 'Filter Liqo clusters: 2 of 202 contexts shown. 1 hidden context (Show Hidden Contexts… brings them back).');
});

const entry = (over: Partial<ClusterEntry> = {}): ClusterEntry => ({
  id: '/k#eks',
  contextName: 'eks',
  filePath: '/k',
  clusterName: 'c',
  userName: 'u',
  server: 'https://1.2.3.4',
  auth: 'exec',
  execCommand: 'aws',
  insecureSkipTlsVerify: false,
  nameIsDuplicated: false,
  isCurrentContext: false,
  ...over,
});

test('credential-plugin policy: onExpand waits for the user or a remembered Liqo cluster; always; never', () => {
  const closed = { opened: false, rememberedLiqo: false, allowExec: true };
  assert.deepEqual(credentialGate(entry(), 'onExpand', closed), { kind: 'defer', program: 'aws', policy: 'onExpand' });
  assert.deepEqual(credentialGate(entry(), 'onExpand', { ...closed, opened: true }), { kind: 'connect' });
  assert.deepEqual(credentialGate(entry(), 'onExpand', { ...closed, rememberedLiqo: true }), { kind: 'connect' });
  assert.deepEqual(credentialGate(entry(), 'always', closed), { kind: 'connect' });
  assert.deepEqual(credentialGate(entry(), 'never', { ...closed, opened: true }), { kind: 'defer', program: 'aws', policy: 'never' });
  assert.deepEqual(credentialGate(entry({ auth: 'token' }), 'never', closed), { kind: 'connect' }, 'no program, nothing to wait for');
  assert.deepEqual(credentialGate(entry({ auth: 'auth-provider', execCommand: 'gcloud' }), 'onExpand', closed), { kind: 'defer', program: 'gcloud', policy: 'onExpand' });
  assert.deepEqual(credentialGate(entry(), 'onExpand', { ...closed, allowExec: false }), { kind: 'connect' }, 'restricted: connecting only explains that nothing runs');
  assert.equal(credentialPolicyOf('sometimes'), 'onExpand');
});

// A small federation member: one virtual node, one offloaded namespace, pods on and off the virtual node.
const VN_NS = 'liqo-tenant-b';
function obj<T extends KubeObject>(o: T): T {
  return o;
}
function pod(ns: string, name: string, node: string, phase = 'Running'): KubeObject {
  return obj({ metadata: { name, namespace: ns }, spec: { nodeName: node }, status: { phase, conditions: [{ type: 'Ready', status: phase === 'Running' ? 'True' : 'False' }] } } as KubeObject);
}

interface World {
  namespaces: Map<string, KubeObject>;
  pods: Map<string, KubeObject>;
  foreignclusters: Map<string, KubeObject>;
  namespaceoffloadings: Map<string, KubeObject>;
  /** The virtual Node objects (absent: one Ready node vn-b of remote cluster b). */
  nodes?: Map<string, KubeObject>;
}

const vnNode = (remote: string, ready: string, heartbeat: string): KubeObject =>
  ({ metadata: { name: 'vn-b', labels: { 'liqo.io/type': 'virtual-node', 'liqo.io/remote-cluster-id': remote } }, status: { conditions: [{ type: 'Ready', status: ready, lastHeartbeatTime: heartbeat }] } }) as KubeObject;

function snapshotOf(w: World): ClusterSnapshot {
  const base = emptySnapshot();
  const ready = Object.fromEntries(Object.keys(base.kinds).map((k) => [k, { kind: 'ready' }])) as unknown as ClusterSnapshot['kinds'];
  return {
    ...base,
    kinds: ready,
    namespaces: [...w.namespaces.values()] as ClusterSnapshot['namespaces'],
    pods: [...w.pods.values()] as ClusterSnapshot['pods'],
    foreignClusters: [...w.foreignclusters.values()] as ClusterSnapshot['foreignClusters'],
    offloadings: [...w.namespaceoffloadings.values()] as ClusterSnapshot['offloadings'],
    virtualNodes: [{ metadata: { name: 'vn-b', namespace: VN_NS }, spec: { clusterID: 'b' } }] as ClusterSnapshot['virtualNodes'],
    nodes: [...(w.nodes?.values() ?? [vnNode('b', 'True', '')])] as ClusterSnapshot['nodes'],
  };
}

function ctxOf(w: World): ClusterTreeContext {
  return { base: clusterRowKey('/k#a'), entryId: '/k#a', snapshot: snapshotOf(w), contextsFor: () => [] };
}

/** Every row of a cluster (id → view) and every parent's child ids, by walking the rows' children. */
function flatten(rows: ClusterRows): { views: Map<string, TreeNodeView>; kids: Map<string, string> } {
  const views = new Map<string, TreeNodeView>();
  const kids = new Map<string, string>();
  const walk = (id: string): void => {
    const children = rows.children(id) ?? [];
    kids.set(id, children.map((c) => c.id).join('\n'));
    for (const c of children) {
      views.set(c.id, c);
      walk(c.id);
    }
  };
  walk(rowId(clusterRowKey('/k#a')));
  return { views, kids };
}

test('a pod status change refreshes exactly the rows of that pod, nothing else', () => {
  const w: World = {
    namespaces: new Map([['ml', { metadata: { name: 'ml' } }]]),
    pods: new Map([
      ['ml/a', pod('ml', 'a', 'vn-b')],
      ['ml/b', pod('ml', 'b', 'vn-b')],
    ]),
    foreignclusters: new Map(),
    namespaceoffloadings: new Map([['ml/offloading', { metadata: { name: 'offloading', namespace: 'ml' }, status: { offloadingPhase: 'Ready' } }]]),
  };
  const rows = new ClusterRows(ctxOf(w));
  w.pods.set('ml/a', pod('ml', 'a', 'vn-b', 'Failed'));
  const u = rows.update(ctxOf(w), new Map([['pods', new Set(['ml/a'])]]));
  const cluster = clusterRowKey('/k#a');
  assert.deepEqual([...u.refresh].sort(), [rowId(childKey(cluster, 'offloaded', 'ml', 'pod', 'ml', 'a')), rowId(childKey(cluster, 'virtual-nodes', 'vn-b', 'pod', 'ml', 'a'))].sort());
  assert.deepEqual(u.gone, []);
  // Deleting it: the parents' lists of children change, and its rows are gone.
  w.pods.delete('ml/a');
  const d = rows.update(ctxOf(w), new Map([['pods', new Set(['ml/a'])]]));
  assert.deepEqual([...d.refresh].sort(), [rowId(childKey(cluster, 'offloaded', 'ml')), rowId(childKey(cluster, 'virtual-nodes', 'vn-b'))].sort());
  assert.equal(d.gone.length, 2);
  // A kind the cluster's folders do not use changes nothing.
  assert.deepEqual(rows.update(ctxOf(w), new Map([['liqoPods', 'all']])), { refresh: [], gone: [] });
});

test('after every change the cached rows equal a full rebuild, and every row that changed is refreshed', () => {
  const w: World = { namespaces: new Map(), pods: new Map(), foreignclusters: new Map(), namespaceoffloadings: new Map(), nodes: new Map([['vn-b', vnNode('b', 'True', 't0')]]) };
  for (const ns of ['default', 'ml', 'web']) w.namespaces.set(ns, { metadata: { name: ns } });
  w.namespaceoffloadings.set('ml/offloading', { metadata: { name: 'offloading', namespace: 'ml' }, status: { offloadingPhase: 'Ready' } } as KubeObject);
  const fc = (status: string): KubeObject => ({ metadata: { name: 'b' }, spec: { clusterID: 'b' }, status: { role: 'Provider', modules: { networking: { enabled: true, conditions: [{ type: 'NetworkConnectionStatus', status }] } } } }) as KubeObject;
  w.foreignclusters.set('b', fc('Established'));
  let rows = new ClusterRows(ctxOf(w));
  // A deterministic pseudo-random sequence of watch events.
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return Math.floor(seed / 65536) % n;
  };
  const nodes = ['vn-b', 'worker-1'];
  const phases = ['Running', 'Pending', 'Failed'];
  for (let step = 0; step < 300; step++) {
    const before = flatten(rows);
    const delta = new Map<WatchedKind, Set<string>>();
    const touch = (kind: WatchedKind, o: KubeObject): void => {
      const set = delta.get(kind) ?? new Set<string>();
      set.add(objectKey(o));
      delta.set(kind, set);
    };
    const events = 1 + rnd(3);
    for (let e = 0; e < events; e++) {
      const what = rnd(10);
      const nsNames = [...w.namespaces.keys()];
      if (what < 6) {
        // pod added, modified (phase or node) or deleted
        const ns = nsNames[rnd(nsNames.length)]!;
        const p = pod(ns, `p${rnd(6)}`, nodes[rnd(2)]!, phases[rnd(3)]);
        const key = objectKey(p);
        if (w.pods.has(key) && rnd(3) === 0) w.pods.delete(key);
        else w.pods.set(key, p);
        touch('pods', p);
      } else if (what === 6) {
        const n = { metadata: { name: `ns${rnd(4)}` } };
        if (w.namespaces.has(n.metadata.name)) w.namespaces.delete(n.metadata.name);
        else w.namespaces.set(n.metadata.name, n);
        touch('namespaces', n);
      } else if (what === 7) {
        const o = { metadata: { name: 'offloading', namespace: nsNames[rnd(nsNames.length)]! }, status: { offloadingPhase: phases[rnd(3)] === 'Failed' ? 'SomeFailed' : 'Ready' } } as KubeObject;
        const key = objectKey(o);
        if (w.namespaceoffloadings.has(key) && rnd(2) === 0) w.namespaceoffloadings.delete(key);
        else w.namespaceoffloadings.set(key, o);
        touch('namespaceoffloadings', o);
      } else if (what === 8 && rnd(2) === 0) {
        // the virtual node's Node: mostly a status heartbeat, sometimes NotReady or another remote cluster ID
        const n = vnNode(rnd(5) === 0 ? 'c' : 'b', rnd(4) === 0 ? 'False' : 'True', `t${step}`);
        w.nodes!.set('vn-b', n);
        touch('virtualNodeNodes', n);
      } else {
        const f = fc(['Established', 'Error', 'Pending'][rnd(3)]!);
        w.foreignclusters.set('b', f);
        touch('foreignclusters', f);
      }
    }
    const u = rows.update(ctxOf(w), delta as ClusterDelta);
    const after = flatten(rows);
    const full = flatten(new ClusterRows(ctxOf(w)));
    assert.deepEqual(after.views, full.views, `step ${step}: the cached rows are the rows a full rebuild gives`);
    // Every row whose view or list of children changed is refreshed, itself or through an ancestor.
    const refreshed = new Set(u.refresh);
    const covered = (id: string): boolean => {
      for (let at: string | undefined = id; at !== undefined; at = rows.parentOf(at)) if (refreshed.has(at)) return true;
      return refreshed.has(rowId(clusterRowKey('/k#a')));
    };
    for (const [id, view] of after.views) {
      const old = before.views.get(id);
      if (old && JSON.stringify(old) !== JSON.stringify(view)) assert.ok(covered(id), `step ${step}: ${id} changed but was not refreshed (${JSON.stringify(u.refresh)})`);
      if (old && before.kids.get(id) !== after.kids.get(id)) assert.ok(covered(id), `step ${step}: children of ${id} changed but it was not refreshed`);
    }
    for (const id of before.views.keys()) if (!after.views.has(id)) assert.ok(u.gone.includes(id), `step ${step}: ${id} vanished but is not reported gone`);
    if (step % 50 === 49) rows = new ClusterRows(ctxOf(w)); // a reconnect starts from a fresh build
  }
});

test('a virtual node with no pods says so instead of expanding to nothing; the row goes when a pod lands and comes back when it leaves', () => {
  const w: World = { namespaces: new Map([['ml', { metadata: { name: 'ml' } }]]), pods: new Map(), foreignclusters: new Map(), namespaceoffloadings: new Map() };
  const vnId = rowId(childKey(clusterRowKey('/k#a'), 'virtual-nodes', 'vn-b'));
  const labels = (rows: ClusterRows) => (rows.children(vnId) ?? []).map((r) => r.label);
  const rows = new ClusterRows(ctxOf(w));
  flatten(rows);
  assert.deepEqual(labels(rows), ['No pods on this virtual node']);
  assert.equal(rows.children(vnId)![0]!.collapsible, 'none');
  w.pods.set('ml/a', pod('ml', 'a', 'vn-b'));
  rows.update(ctxOf(w), new Map([['pods', new Set(['ml/a'])]]));
  assert.deepEqual(labels(rows), ['a']);
  w.pods.delete('ml/a');
  rows.update(ctxOf(w), new Map([['pods', new Set(['ml/a'])]]));
  assert.deepEqual(labels(rows), ['No pods on this virtual node']);
  // NotReady: the problem row, and still the note that nothing runs there
  w.nodes = new Map([['vn-b', vnNode('b', 'False', 't1')]]);
  const notReady = new ClusterRows(ctxOf(w));
  flatten(notReady);
  assert.deepEqual(labels(notReady), ['NotReady', 'No pods on this virtual node']);
});
