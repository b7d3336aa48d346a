// The other federation systems' watches (infra/systems/systemsWatches.ts) against seed-002's real API servers: what
// each cluster shows of Admiralty, KubeFed and Istio, the links to kubeconfig contexts (by server and CA), that
// credentials never reach the cache, and that discovery follows a system appearing and vanishing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { ensureTestbed, type Testbed } from '../testbed/index.ts';
import * as s from '../testbed/scenarios/seed002.ts';
import { createClusterClient } from '../../src/infra/cluster/httpClusterClient.ts';
import type { ClusterClient } from '../../src/infra/cluster/clusterClient.ts';
import { SystemsWatches } from '../../src/infra/systems/systemsWatches.ts';
import type { SystemsSnapshot } from '../../src/core/systems/snapshot.ts';
import { matchEndpoint, type ContextEndpoint } from '../../src/core/systems/endpoint.ts';
import { caDataFingerprints } from '../../src/core/federation/caFingerprint.ts';
import { testbedContexts, type Contexts } from './support/contexts.ts';
import { kubectl } from './support/treeHarness.ts';
import { valueOf as until } from './support/converges.ts';

const BACKOFF = { baseMs: 200, maxMs: 2000 };

describe('other federation systems on seed-002', () => {
  let tb: Testbed;
  let contexts: Contexts;
  const clients: ClusterClient[] = [];
  const watches: SystemsWatches[] = [];
  let endpoints: ContextEndpoint[];

  const watch = async (context: string): Promise<SystemsWatches> => {
    const client = createClusterClient(await contexts.resolve(context), { timeoutMs: 5000 });
    clients.push(client);
    const w = new SystemsWatches(client, () => undefined, { backoff: BACKOFF });
    watches.push(w);
    w.start();
    return w;
  };
  const settled = (w: SystemsWatches, ready: (snap: SystemsSnapshot) => boolean) => until('the watches to settle', () => (w.settled && ready(w.snapshot()) ? w.snapshot() : undefined));

  before(async () => {
    tb = await ensureTestbed('seed-002');
    contexts = await testbedContexts(tb.kubeconfig);
    const kc = parse(await readFile(tb.kubeconfig, 'utf8')) as { clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[]; contexts: { name: string; context: { cluster: string } }[] };
    endpoints = kc.contexts.map((c) => {
      const cl = kc.clusters.find((x) => x.name === c.context.cluster)!.cluster;
      return { context: c.name, server: cl.server, caFingerprints: caDataFingerprints(cl['certificate-authority-data']) };
    });
  });

  after(async () => {
    for (const w of watches) w.stop();
    for (const c of clients) c.dispose();
    await contexts?.dispose();
  });

  test('main: Admiralty targets linked to their contexts, the proxy pod with its target, KubeFed, Istio', async () => {
    const w = await watch(s.MAIN);
    const snap = await settled(w, (x) => (x.admiralty?.targets.length ?? 0) === 2 && x.admiralty!.targets.every((t) => t.endpoint !== undefined) && x.istio?.meshId !== undefined && (x.kubefed?.resources.length ?? 0) === 1);
    const adm = snap.admiralty!;
    const remoteTarget = adm.targets.find((t) => t.kind === 'Target')!;
    assert.ok(remoteTarget.endpoint?.ok);
    assert.deepEqual(matchEndpoint(remoteTarget.endpoint.endpoint, endpoints), { kind: 'context', context: s.REMOTE });
    const edge = adm.targets.find((t) => t.kind === 'ClusterTarget')!;
    assert.ok(edge.endpoint?.ok);
    assert.deepEqual(matchEndpoint(edge.endpoint.endpoint, endpoints), { kind: 'none' }, 'the edge target reaches a server no context has');
    assert.deepEqual(adm.virtualNodes.map((n) => n.name).sort(), [s.EDGE_VIRTUAL_NODE, s.VIRTUAL_NODE].sort());
    assert.deepEqual(adm.proxyPods.map((p) => [p.name, p.target]), [[s.PROXY_POD, { kind: 'Target', namespace: s.BURST_NS, name: s.TARGET }]]);
    assert.equal(adm.delegatePods.length, 0);

    const kf = snap.kubefed!;
    assert.deepEqual(kf.members.map((m) => [m.name, m.ready]), [[s.MAIN, 'True'], [s.REMOTE, 'True']]);
    assert.deepEqual(kf.resources[0]?.clusters, [{ cluster: s.MAIN, status: '' }, { cluster: s.REMOTE, status: 'CreationFailed' }]);

    const istio = snap.istio!;
    assert.equal(istio.namespace, 'istio-system');
    assert.deepEqual(istio.istiod.map((d) => [d.running, d.version]), [[true, '1.24.2']]);
    assert.equal(istio.meshId, 'mesh1');
    assert.equal(istio.network, 'network1');
    const byName = new Map(istio.remoteSecrets.map((r) => [r.name, r]));
    const rc = byName.get(s.ISTIO_REMOTE_SECRET)?.clusters[0];
    assert.ok(rc && 'endpoint' in rc);
    assert.deepEqual(matchEndpoint(rc.endpoint, endpoints), { kind: 'context', context: s.REMOTE });
    const onprem = byName.get(s.ISTIO_ONPREM_SECRET)?.clusters[0];
    assert.ok(onprem && 'endpoint' in onprem);
    assert.deepEqual(matchEndpoint(onprem.endpoint, endpoints), { kind: 'none' });
    assert.doesNotMatch(JSON.stringify(snap), new RegExp(s.ISTIO_READER_TOKEN.split('.').pop()!), 'no token in what is cached');
    assert.doesNotMatch(JSON.stringify(snap), /client-key-data|BEGIN RSA|BEGIN EC PRIVATE|BEGIN PRIVATE/);
    // A CRD's storage can still answer 429 "(re)initializing" just after the scenario is written: the watch retries
    // (Retry-After 1 s) and its problem clears by itself.
    await until('no watch problem left on main', () => (w.problems.length === 0 ? true : undefined)).catch(() => undefined);
    assert.deepEqual(w.problems, []);
  });

  test('remote: Sources and delegate pods with their parents; no istiod, so no Istio and no Istio watches', async () => {
    const w = await watch(s.REMOTE);
    const snap = await settled(w, (x) => (x.admiralty?.delegatePods.length ?? 0) === 2 && (x.admiralty?.sources.length ?? 0) === 2);
    const adm = snap.admiralty!;
    assert.deepEqual(adm.sources.map((x) => [x.name, x.identity]).sort(), [[s.LAB, `service account ${s.BURST_NS}/${s.LAB}`], [s.MAIN, `service account ${s.BURST_NS}/${s.MAIN}`]]);
    const byName = new Map(adm.delegatePods.map((p) => [p.name, p]));
    const proxyUid = JSON.parse(await kubectl(tb.kubectl, tb.kubeconfig, s.MAIN, 'get', 'pod', '-n', s.BURST_NS, s.PROXY_POD, '-o', 'json')).metadata.uid as string;
    assert.deepEqual(byName.get(s.DELEGATE_POD)?.parent, { uid: proxyUid, clusterName: s.MAIN, namespace: s.BURST_NS, name: s.PROXY_POD });
    assert.equal(byName.get(s.LAB_DELEGATE_POD)?.parent.clusterName, s.LAB);
    assert.equal(byName.get(s.DELEGATE_POD)?.phase, 'Running');
    assert.equal(snap.istio, undefined);
    assert.ok(!w.watchedPaths.some((p) => p.includes('/secrets') || p.includes('configmaps')), `no Istio watches: ${w.watchedPaths.join(', ')}`);
    assert.deepEqual(adm.targets, []);
  });

  test('discovery follows istiod appearing and going away', async () => {
    const w = watches[1] ?? (await watch(s.REMOTE));
    // in an existing namespace: remote runs no controller-manager, so a namespace would never finish deleting
    const ns = s.BURST_NS;
    try {
      await kubectl(tb.kubectl, tb.kubeconfig, s.REMOTE, 'create', 'deployment', 'istiod', '-n', ns, '--image=docker.io/istio/pilot:1.25.0', '--replicas=0');
      await kubectl(tb.kubectl, tb.kubeconfig, s.REMOTE, 'label', 'deployment', 'istiod', '-n', ns, 'app=istiod', '--overwrite');
      const snap = await until('Istio to appear', () => (w.snapshot().istio ? w.snapshot() : undefined));
      assert.equal(snap.istio?.namespace, ns);
      assert.equal(snap.istio?.istiod[0]?.running, false, 'no replica: not running');
      assert.ok(w.watchedPaths.includes(`/api/v1/namespaces/${ns}/secrets`));
    } finally {
      await kubectl(tb.kubectl, tb.kubeconfig, s.REMOTE, 'delete', 'deployment', 'istiod', '-n', ns, '--ignore-not-found');
    }
    await until('Istio to vanish', () => (w.snapshot().istio === undefined && !w.watchedPaths.some((p) => p.includes('/secrets')) ? true : undefined));
  });
});
