// Federation operations (issue 11) on the live test bed, for one Liqo namespace (each operationsLive*.test.ts runs
// it): the product's own operation functions (src/infra/operations, the layer the commands call) against Liqo
// v1.0.1's real controllers, webhook and virtual kubelets, installed in `liqo` or (as Helm users do, seed 001) in
// `liqo-system` on every cluster, checked on both sides with kubectl and in the explorer's tree model. Where Liqo
// runs is found on each cluster as the commands find it (peerSideFacts), never assumed. Peer runs the real liqoctl
// through the product's runner; Offload, Request Resources and Verify Offloading write through the one write path
// and follow by watch. The live suite (liveSuite.ts) peers and offloads the same test bed: this suite starts by
// unpeering what an earlier run left, names its namespace uniquely, and waits for Liqo's convergence with `eventually`.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import { parse } from 'yaml';
import { ensureTestbed, type Testbed } from '../../testbed/index.ts';
import { LIVE_CONSUMER as CONSUMER, LIVE_PROVIDER as PROVIDER, LIVE_PROVIDER_2 as PROVIDER_2, liveName, workloadPod } from '../../testbed/scenarios/live.ts';
import { createClusterClient } from '../../../src/infra/cluster/httpClusterClient.ts';
import type { ClusterClient } from '../../../src/infra/cluster/clusterClient.ts';
import { ProcessRunner } from '../../../src/infra/process/runner.ts';
import { LiqoctlRunner } from '../../../src/infra/liqoctl/liqoctlRunner.ts';
import { withTempKubeconfigs } from '../../../src/infra/kubeconfig/tempKubeconfig.ts';
import { peerClusters, peerSideFacts, unpeerClusters, type PeeringSide } from '../../../src/infra/operations/peering.ts';
import { offloadNamespace, unoffloadNamespace } from '../../../src/infra/operations/offloading.ts';
import { requestResources, tenantNamespaceFor } from '../../../src/infra/operations/requestResources.ts';
import { verifyOffloading, type VerifyTarget } from '../../../src/infra/operations/verifyOffloading.ts';
import { deleteObject } from '../../../src/infra/writes/applyObject.ts';
import { followObject } from '../../../src/infra/operations/followObject.ts';
import { ClusterDirectory } from '../../../src/infra/logs/clusterDirectory.ts';
import { routesForPod } from '../../../src/infra/logs/offloadedPodRoutes.ts';
import { resourceSliceManifest, resourceSlicePath } from '../../../src/core/offloading/resourceSlice.ts';
import { PROBE_LABEL } from '../../../src/core/offloading/probePod.ts';
import { infoCommand } from '../../../src/core/liqoctl/info.ts';
import { versionCommand } from '../../../src/core/liqoctl/version.ts';
import { preflight } from '../../../src/core/peering/preflight.ts';
import { resolvedContext } from './resolvedContexts.ts';
import { dumpTree, kubectl, makeHarness, trackUnhandledRejections, type Harness } from './treeHarness.ts';
import { converges } from './converges.ts';

type Obj = { metadata: { name: string; namespace?: string; labels?: Record<string, string>; deletionTimestamp?: string }; spec?: Record<string, unknown>; status?: Record<string, unknown> };

/** The suite on `live` (Liqo in `liqo`), or on `live@<liqoNamespace>` (Liqo in that namespace on every cluster). */
export function operationsSuite(liqoNamespace = 'liqo'): void {
  describe(`federation operations on live Liqo (installed in ${liqoNamespace})`, () => {
    let tb: Testbed;
    let h: Harness;
    let consumer: ClusterClient;
    let provider: ClusterClient;
    let consumerSide: PeeringSide;
    let providerSide: PeeringSide;
    let provider2Side: PeeringSide;
    let liqoctl: LiqoctlRunner;
    const runner = new ProcessRunner({ trusted: true });
    const rejections = trackUnhandledRejections();
    const ns = `ops-live-${Date.now().toString(36)}`;
    const twin = `${ns}-${CONSUMER}`;
    const liqoctlLines: string[] = [];
    const k = (context: string, ...args: string[]) => kubectl(tb.kubectl, tb.kubeconfig, context, ...args);
    const getList = async (context: string, ...args: string[]) => (JSON.parse(await k(context, 'get', ...args, '-o', 'json')) as { items: Obj[] }).items;
    const eventually = (what: string, fn: () => Promise<boolean | string>, timeoutMs = 90_000) => converges(what, fn, timeoutMs);
    const consumesFrom = async (p: string) => (await getList(CONSUMER, 'foreignclusters.core.liqo.io')).some((fc) => fc.metadata.name === p && fc.status?.role === 'Provider');
    const target = (): VerifyTarget => ({
      context: CONSUMER,
      client: consumer,
      namespace: ns,
      providerFor: async (clusterId) => (clusterId === PROVIDER ? { context: PROVIDER, client: provider } : undefined),
    });

    before(async () => {
      tb = await ensureTestbed(liveName({ peered: false, liqoVersion: 'v1.0.1', liqoNamespace }) as `live${string}`);
      const [cr, pr, p2r] = await Promise.all([resolvedContext(tb.kubeconfig, CONSUMER), resolvedContext(tb.kubeconfig, PROVIDER), resolvedContext(tb.kubeconfig, PROVIDER_2)]);
      consumer = createClusterClient(cr, { timeoutMs: 15_000 });
      provider = createClusterClient(pr, { timeoutMs: 15_000 });
      // each side's Liqo namespace as Peer Clusters… finds it (checked in the first test)
      const provider2 = createClusterClient(p2r, { timeoutMs: 15_000 });
      const [cf, pf, p2f] = await Promise.all([peerSideFacts(CONSUMER, consumer), peerSideFacts(PROVIDER, provider), peerSideFacts(PROVIDER_2, provider2)]).finally(() => provider2.dispose());
      consumerSide = { resolved: cr, liqoNamespace: cf.facts.liqoNamespace };
      providerSide = { resolved: pr, liqoNamespace: pf.facts.liqoNamespace };
      provider2Side = { resolved: p2r, liqoNamespace: p2f.facts.liqoNamespace };
      liqoctl = new LiqoctlRunner(runner, () => tb.liqoctl);
      // a clean start: an earlier run (or the live suite stopped midway) may have left the peering in place
      if (await consumesFrom(PROVIDER)) await unpeerClusters(liqoctl, consumerSide, providerSide, { timeoutMs: 300_000 });
      if (await consumesFrom(PROVIDER_2)) await unpeerClusters(liqoctl, consumerSide, provider2Side, { timeoutMs: 300_000 });
      h = makeHarness([tb.kubeconfig], { collapseGraceMs: 300, timeoutMs: 20_000 });
      await h.open();
      await h.until(() => Boolean(h.row(CONSUMER)?.description?.includes('Liqo v1.0.1') && h.quiet()), 'the consumer row with Liqo', 90_000);
    });

    after(async () => {
      h?.dispose();
      consumer?.dispose();
      provider?.dispose();
      rejections.stop();
      runner.dispose();
      if (tb) await k(CONSUMER, 'delete', 'namespace', ns, '--wait=false', '--ignore-not-found').catch(() => undefined);
    });

    test('following by watch: a state reached later settles it; Cancel and the time limit stop it with the last state seen', async () => {
      const name = `${ns}-follow`;
      const seen = followObject(consumer, '/api/v1/namespaces', name, (o) => ((o as Obj | undefined)?.metadata.labels?.['ops-live'] === 'yes' ? 'labelled' : undefined), { timeoutMs: 60_000 });
      await k(CONSUMER, 'create', 'namespace', name);
      await k(CONSUMER, 'label', 'namespace', name, 'ops-live=yes');
      assert.deepEqual(await seen, { settled: true, value: 'labelled' });
      const abort = new AbortController();
      const cancelled = followObject(consumer, '/api/v1/namespaces', name, () => undefined, { signal: abort.signal });
      setTimeout(() => abort.abort(), 300);
      const c = await cancelled;
      assert.equal(c.settled, false);
      assert.equal(!c.settled && c.reason, 'aborted');
      assert.equal(!c.settled && (c.last as Obj).metadata.name, name);
      const timed = await followObject(consumer, '/api/v1/namespaces', name, () => undefined, { timeoutMs: 500 });
      assert.equal(!timed.settled && timed.reason, 'timedOut');
      await k(CONSUMER, 'delete', 'namespace', name, '--wait=false');
      const gone = await followObject(consumer, '/api/v1/namespaces', name, (o) => (o === undefined ? 'gone' : undefined), { timeoutMs: 60_000 });
      assert.deepEqual(gone, { settled: true, value: 'gone' });
    });

    test(`where Liqo runs: found in ${liqoNamespace} on every cluster; the pre-flight passes; liqoctl info -o json through the runner`, async () => {
      for (const side of [consumerSide, providerSide, provider2Side]) assert.equal(side.liqoNamespace, liqoNamespace, side.resolved.contextName);
      const [cf, pf] = await Promise.all([peerSideFacts(CONSUMER, consumer), peerSideFacts(PROVIDER, provider)]);
      assert.deepEqual([cf.facts.clusterId, cf.facts.liqoVersion, pf.facts.clusterId, pf.facts.liqoVersion], [CONSUMER, 'v1.0.1', PROVIDER, 'v1.0.1']);
      const { client: liqoctlVersion } = await liqoctl.run(versionCommand());
      assert.deepEqual(preflight(cf.facts, pf.facts, liqoctlVersion), [], 'both on this host, same Liqo, distinct IDs: nothing to say');
      // liqoctl looks for Liqo where it is told to (--namespace when not `liqo`): its info names the cluster and release
      const info = await withTempKubeconfigs([consumerSide.resolved], ([kc]) => liqoctl.run(infoCommand({ kubeconfig: kc!.path, context: kc!.contextName, liqoNamespace: consumerSide.liqoNamespace })));
      assert.equal(info.clusterId, CONSUMER);
      assert.equal(info.version, 'v1.0.1');
      assert.match((h.row(CONSUMER)?.tooltip ?? '').replaceAll('\\', ''), new RegExp(`Liqo namespace: ${liqoNamespace}`));
    });

    test('before peering: Request Resources and Verify Offloading refuse with what to do next', async () => {
      await assert.rejects(tenantNamespaceFor(consumer, PROVIDER), /no peering with cluster cluster-b: peer the clusters first|not a provider of .* \(its role is \w+\): peer the clusters first/);
      await assert.rejects(verifyOffloading({ ...target(), namespace: 'default' }), /has no virtual node: peer it with a provider first/);
      assert.deepEqual(await getList(CONSUMER, 'pods', '-n', 'default', '-l', `${PROBE_LABEL}=true`), [], 'no probe was created');
    });

    test('Peer Clusters runs the real liqoctl peer to completion; the tree follows the peering as it forms', async () => {
      await peerClusters(liqoctl, consumerSide, providerSide, { networkingDisabled: true }, { onLine: (l) => liqoctlLines.push(l), timeoutMs: 600_000 });
      assert.ok(liqoctlLines.length > 0, 'liqoctl output streamed');
      assert.ok(await consumesFrom(PROVIDER));
      await h.until(() => h.row(CONSUMER, 'Peerings', PROVIDER)?.description?.startsWith('Provider') ?? false, 'the peering in the tree', 60_000);
      await h.until(() => h.row(CONSUMER, 'Virtual Nodes', PROVIDER)?.description?.startsWith('Ready') ?? false, 'virtual node Ready in the tree', 90_000);
      await h.until(() => h.row(PROVIDER, 'Peerings', CONSUMER)?.description?.startsWith('Consumer') ?? false, 'the provider sees its consumer', 60_000);
      // no secret reached the lines the product would log
      assert.ok(!liqoctlLines.some((l) => /BEGIN (RSA |EC )?PRIVATE KEY|client-key-data/.test(l)), liqoctlLines.join('\n'));
    });

    test('Offload creates the NamespaceOffloading, follows it by watch to Ready, and the tree follows', async () => {
      await k(CONSUMER, 'create', 'namespace', ns);
      const phases: string[] = [];
      const r = await offloadNamespace(consumer, ns, { podOffloadingStrategy: 'Remote', namespaceMappingStrategy: 'DefaultName', clusterSelector: [[{ key: 'liqo.io/remote-cluster-id', operator: 'In', values: [PROVIDER] }]] }, {
        onProgress: (m) => phases.push(m),
        timeoutMs: 180_000,
      });
      assert.equal(r.outcome, 'ready', `${JSON.stringify(r)} after ${phases.join(' → ')}`);
      assert.equal(r.progress.remoteNamespaceName, twin);
      assert.ok(phases.includes('creating the NamespaceOffloading'));
      await h.until(() => h.row(CONSUMER, 'Offloaded Namespaces', ns)?.description?.startsWith('Ready') ?? false, 'offloaded namespace Ready in the tree', 60_000);
      await eventually(`twin namespace on ${PROVIDER}`, async () => (await getList(PROVIDER, 'namespaces')).some((n) => n.metadata.name === twin));
    });

    test('Offload whose cluster selector matches no peered cluster ends with Liqo’s phase and reason, not a wait', async () => {
      const lonely = `${ns}-nowhere`;
      await k(CONSUMER, 'create', 'namespace', lonely);
      try {
        const r = await offloadNamespace(consumer, lonely, { podOffloadingStrategy: 'Remote', namespaceMappingStrategy: 'DefaultName', clusterSelector: [[{ key: 'topology.region', operator: 'In', values: ['nowhere'] }]] }, { timeoutMs: 120_000 });
        assert.equal(r.outcome, 'failed', JSON.stringify(r));
        assert.equal(r.progress.phase, 'NoClusterSelected');
        assert.ok(r.progress.reasons.length > 0);
        assert.deepEqual(await unoffloadNamespace(consumer, lonely, { timeoutMs: 120_000 }), { gone: true });
      } finally {
        await k(CONSUMER, 'delete', 'namespace', lonely, '--wait=false', '--ignore-not-found');
      }
    });

    test('a pod in the offloaded namespace runs on the virtual node, as a ShadowPod and a pod on the provider', async () => {
      const pod = workloadPod(ns, 'worker', 'docker.io/library/busybox:1.36', 'main', { app: 'worker' }, false);
      await execa(tb.kubectl, ['--kubeconfig', tb.kubeconfig, '--context', CONSUMER, 'create', '-f', '-'], { input: JSON.stringify(pod) });
      await eventually('the pod Running on the virtual node', async () => {
        const p = JSON.parse(await k(CONSUMER, 'get', 'pod', 'worker', '-n', ns, '-o', 'json')) as Obj;
        const nodeName = (p.spec as { nodeName?: string }).nodeName;
        return (nodeName === PROVIDER && p.status?.phase === 'Running') || `on ${String(nodeName)}, ${String(p.status?.phase)}`;
      });
      assert.deepEqual((await getList(PROVIDER, 'shadowpods.offloading.liqo.io', '-n', twin)).map((s) => s.metadata.name), ['worker']);
      const remote = JSON.parse(await k(PROVIDER, 'get', 'pod', 'worker', '-n', twin, '-o', 'json')) as Obj;
      assert.equal(remote.metadata.labels?.['liqo.io/managed-by'], 'shadowpod');
      await h.until(() => h.children(CONSUMER, 'Virtual Nodes', PROVIDER).some((r) => r.label.includes('worker')), 'the pod under its virtual node in the tree', 60_000);
      // its logs can also be read straight from the provider: the directory finds cluster-b by its Liqo cluster ID
      const handles = [
        { context: CONSUMER, client: consumer },
        { context: PROVIDER, client: provider },
      ];
      const routes = await routesForPod(new ClusterDirectory(() => handles), handles[0]!, { context: CONSUMER, namespace: ns, pod: 'worker' }, AbortSignal.timeout(30_000));
      assert.equal(routes.note, undefined);
      assert.deepEqual(routes.routes.map((r) => `${r.target.context}/${r.target.namespace}`), [`${CONSUMER}/${ns}`, `${PROVIDER}/${twin}`]);
    });

    test('Verify Offloading: the probe lands on the virtual node, shows on the provider, streams its log and is gone afterwards', async () => {
      const lines: string[] = [];
      const progress: string[] = [];
      const report = await verifyOffloading(target(), { onLogLine: (l) => lines.push(l), onProgress: (m) => progress.push(m), logSeconds: 8, suffix: `ok${Date.now().toString(36)}` });
      assert.equal(report.placement.nodeName, PROVIDER, `${report.findings.join(' ')} / ${progress.join(' → ')}`);
      assert.equal(report.placement.onVirtualNode, true);
      assert.equal(report.placement.phase, 'Running');
      assert.equal(report.remote?.shadowPod, true, report.findings.join(' '));
      assert.equal(report.remote?.namespace, twin);
      assert.equal(report.remote?.podPhase, 'Running');
      assert.ok(report.logLines > 0 && lines.length > 0, `log lines: ${lines.join('\n')}`);
      assert.equal(report.deleted, true);
      assert.equal(report.ok, true, report.findings.join(' '));
      assert.equal(report.cancelled, false);
      assert.deepEqual(await getList(CONSUMER, 'pods', '-n', ns, '-l', `${PROBE_LABEL}=true`), []);
      await eventually('the probe gone on the provider', async () => !(await getList(PROVIDER, 'pods', '-n', twin)).some((p) => p.metadata.name === report.podName));
      await eventually('its ShadowPod gone', async () => !(await getList(PROVIDER, 'shadowpods.offloading.liqo.io', '-n', twin)).some((p) => p.metadata.name === report.podName));
    });

    test('Verify Offloading cancelled while the probe starts: the probe is still deleted, on both sides', async () => {
      const abort = new AbortController();
      const report = await verifyOffloading(target(), {
        signal: abort.signal,
        suffix: `cancel${Date.now().toString(36)}`,
        // cancel as soon as the probe exists on the consumer
        onProgress: (m) => {
          if (m.startsWith('probe ')) abort.abort();
        },
      });
      assert.equal(report.cancelled, true);
      assert.equal(report.ok, false);
      assert.equal(report.deleted, true, report.findings.join(' '));
      assert.deepEqual((await getList(CONSUMER, 'pods', '-n', ns)).filter((p) => p.metadata.name === report.podName), []);
      await eventually('no probe on the provider', async () => !(await getList(PROVIDER, 'pods', '-n', twin)).some((p) => p.metadata.name === report.podName));
    });

    test('Request Resources: the ResourceSlice equals liqoctl create resourceslice -o yaml (plus a GPU), and the provider accepts it', async () => {
      const tenantNamespace = await tenantNamespaceFor(consumer, PROVIDER);
      const name = `ops-extra-${Date.now().toString(36)}`;
      const base = { name, tenantNamespace, providerClusterId: PROVIDER, resources: { cpu: '1', memory: '1Gi', pods: '5' } };
      const { stdout } = await execa(tb.liqoctl, ['create', 'resourceslice', name, `--kubeconfig=${tb.kubeconfig}`, `--context=${CONSUMER}`, `--liqo-namespace=${liqoNamespace}`, `--remote-cluster-id=${PROVIDER}`, '--cpu=1', '--memory=1Gi', '--pods=5', '-o', 'yaml']);
      const theirs = parse(stdout) as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
      const ours = resourceSliceManifest(base) as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
      const meta = (m: Record<string, unknown>) => ({ name: m.name, namespace: m.namespace, labels: m.labels, annotations: m.annotations });
      assert.deepEqual(meta(ours.metadata), meta(theirs.metadata), stdout);
      assert.deepEqual(ours.spec, theirs.spec, stdout);
      const seen: string[] = [];
      try {
        const r = await requestResources(consumer, { ...base, resources: { ...base.resources, 'nvidia.com/gpu': '1' } }, { onProgress: (m) => seen.push(m), timeoutMs: 120_000 });
        assert.equal(r.outcome, 'accepted', `${r.detail} after ${seen.join(' → ')}`);
        const onProvider = await getList(PROVIDER, 'resourceslices.authentication.liqo.io', '-A');
        const replica = onProvider.find((s) => s.metadata.name === name);
        assert.ok(replica, `replicated to ${PROVIDER}`);
        assert.equal((replica.spec as { resources?: Record<string, string> }).resources?.['nvidia.com/gpu'], '1');
        await h.until(() => h.children(CONSUMER, 'Virtual Nodes').some((row) => row.label === name), 'the slice’s virtual node in the tree', 90_000);
      } finally {
        await deleteObject(consumer, resourceSlicePath(tenantNamespace, name));
      }
      await eventually('the slice’s virtual node gone', async () => !(await getList(CONSUMER, 'virtualnodes.offloading.liqo.io', '-A')).some((v) => v.metadata.name === name));
    });

    test('Unoffload removes the NamespaceOffloading and the twin namespace; the tree follows', async () => {
      await k(CONSUMER, 'delete', 'pod', 'worker', '-n', ns, '--wait=true', '--timeout=60s');
      const r = await unoffloadNamespace(consumer, ns, { timeoutMs: 180_000 });
      assert.deepEqual(r, { gone: true });
      await eventually(`twin namespace gone on ${PROVIDER}`, async () => !(await getList(PROVIDER, 'namespaces')).some((n) => n.metadata.name === twin && !n.metadata.deletionTimestamp));
      await h.until(() => !h.row(CONSUMER, 'Offloaded Namespaces', ns), 'offloaded namespace gone from the tree', 60_000);
    });

    test('Unpeer removes the peering on both sides; the tree follows', async () => {
      await unpeerClusters(liqoctl, consumerSide, providerSide, { timeoutMs: 300_000 });
      await eventually('the consumer no longer consumes', async () => !(await consumesFrom(PROVIDER)));
      await eventually(`virtual node ${PROVIDER} gone`, async () => !(await getList(CONSUMER, 'nodes', '-l', 'liqo.io/type=virtual-node')).some((n) => n.metadata.name === PROVIDER));
      await eventually(`Tenant gone on ${PROVIDER}`, async () => (await getList(PROVIDER, 'tenants.authentication.liqo.io', '-A')).length === 0);
      await eventually(`ResourceSlices gone on ${PROVIDER}`, async () => (await getList(PROVIDER, 'resourceslices.authentication.liqo.io', '-A')).length === 0);
      await h.until(() => !h.row(CONSUMER, 'Virtual Nodes', PROVIDER), 'virtual node gone from the tree', 60_000);
      await h.until(() => !h.row(PROVIDER, 'Consumers', CONSUMER), 'the consumer gone from the provider tree', 60_000);
      assert.ok(!dumpTree(h.model).includes(`${PROVIDER} [Provider`), dumpTree(h.model));
    });

    test('no unhandled promise rejection happened', () => {
      assert.deepEqual(rejections.seen, []);
    });
  });
}
