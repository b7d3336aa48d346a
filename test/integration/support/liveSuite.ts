// The live scenario's acceptance tests, for one Liqo release (each liveLiqo.<version>.test.ts runs it): Liqo's own
// controllers and virtual kubelets, driven by the real liqoctl, seen through the explorer's model and kubectl.
// Peer (with two providers), offload, a pod run remotely, its logs through the consumer, then unoffload and
// unpeer, each step checked on both sides and in the tree. The tests run in order and build on each other.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import { ensureTestbed, type Testbed } from '../../testbed/index.ts';
import { liqoctl, offload, peer, unoffload, unpeer } from '../../testbed/live/liqoctl.ts';
import { consumerObjects, providerObjects } from '../../testbed/scenarios/federation.ts';
import { DEFAULT_LIQO_VERSION, LIVE_CONSUMER as CONSUMER, LIVE_PROVIDER as PROVIDER, LIVE_PROVIDER_2 as PROVIDER_2, liveName, providerLogLine, workloadPod } from '../../testbed/scenarios/live.ts';
import { compareShapes, FIDELITY_KINDS, shapeOf, type FidelityKind, type LiqoObject } from './fidelity.ts';
import { dumpTree, kubectl, makeHarness, trackUnhandledRejections, type Harness } from './treeHarness.ts';
import { converges } from './converges.ts';

type Obj = { metadata: { name: string; namespace?: string; labels?: Record<string, string>; deletionTimestamp?: string }; spec?: Record<string, unknown>; status?: Record<string, unknown> };

export function liveSuite(version: string): void {
  describe(`live Liqo ${version}`, () => {
    let tb: Testbed;
    let h: Harness;
    const rejections = trackUnhandledRejections();
    // a name of its own: the test bed outlives a run, and Liqo may still be finalizing an earlier run's namespace
    const ns = `live-offload-${Date.now().toString(36)}`;
    const twin = `${ns}-${CONSUMER}`;
    const k = (context: string, ...args: string[]) => kubectl(tb.kubectl, tb.kubeconfig, context, ...args);
    const getList = async (context: string, ...args: string[]) => (JSON.parse(await k(context, 'get', ...args, '-o', 'json')) as { items: Obj[] }).items;
    const t = () => ({ binDir: tb.binDir, kubeconfig: tb.kubeconfig });
    const eventually = (what: string, fn: () => Promise<boolean | string>, timeoutMs = 60_000) => converges(what, fn, timeoutMs);

    before(async () => {
      tb = await ensureTestbed(liveName({ peered: false, liqoVersion: version }) as `live${string}`);
      // generous: Liqo's controllers, three clusters and their virtual kubelets share 2 cores with other work
      h = makeHarness([tb.kubeconfig], { collapseGraceMs: 300, timeoutMs: 20_000 });
      await h.open();
      await h.until(() => Boolean(h.row(CONSUMER)?.description?.includes(`Liqo ${version}`) && h.quiet()), `the consumer row with Liqo ${version}`, 90_000);
    });

    after(() => {
      h?.dispose();
      rejections.stop();
    });

    test('liqo is installed by the chart and runs, with no virtual node yet', async () => {
      // health unknown, and why: Liqo runs as processes here (controller-manager scaled to 0), no Liqo pods to judge
      assert.equal(h.row(CONSUMER)?.description, `${CONSUMER} · Liqo ${version} · health unknown (no Liqo pods in liqo: controller-manager scaled to 0)`);
      assert.deepEqual(await getList(CONSUMER, 'virtualnodes.offloading.liqo.io', '-A'), []);
      const info = JSON.parse((await liqoctl(t(), CONSUMER, ['info', '-o', 'json'])).stdout) as { local?: { clusterID?: string; version?: string } };
      assert.equal(info.local?.clusterID, CONSUMER);
      assert.equal(info.local?.version, version);
    });

    test('liqoctl peer completes with two providers; the tree shows the peerings and the virtual nodes Ready', async () => {
      const t0 = Date.now();
      await peer(t(), CONSUMER, PROVIDER);
      console.log(`# liqoctl peer ${PROVIDER} (${version}) took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      await peer(t(), CONSUMER, PROVIDER_2);
      for (const p of [PROVIDER, PROVIDER_2]) {
        await h.until(() => h.row(CONSUMER, 'Virtual Nodes', p)?.description?.startsWith('Ready') ?? false, `virtual node ${p} Ready in the tree`, 60_000);
        const fc = h.row(CONSUMER, 'Peerings', p);
        assert.ok(fc, dumpTree(h.model));
        assert.match(fc.description ?? '', new RegExp(`^Provider · .* · ⇄ ${p}$`));
        assert.match(h.row(CONSUMER, 'Virtual Nodes', p)?.tooltip ?? '', /ResourceSlice: .*Authentication Accepted.*Resources Accepted|ResourceSlice: .*Resources Accepted.*Authentication Accepted/);
        await h.until(() => h.row(p, 'Peerings', CONSUMER)?.description?.startsWith('Consumer') ?? false, `${p} sees its consumer`, 60_000);
      }
      // cluster-b offers seed 000's GPUs and labels: they reach the virtual node through the ResourceSlice
      const vn = h.row(CONSUMER, 'Virtual Nodes', PROVIDER)!;
      assert.match(vn.description ?? '', /4 GPU/);
      assert.match(vn.tooltip ?? '', /topology\.region=center/);
      const node = JSON.parse(await k(CONSUMER, 'get', 'node', PROVIDER, '-o', 'json')) as Obj;
      assert.equal(node.metadata.labels?.['liqo.io/type'], 'virtual-node');
      assert.equal(node.metadata.labels?.['liqo.io/remote-cluster-id'], PROVIDER);
    });

    test('liqoctl info agrees: both providers, authentication and offloading healthy, networking disabled', async () => {
      const { stdout } = await liqoctl(t(), CONSUMER, ['info', 'peer', PROVIDER, PROVIDER_2, '-o', 'json']);
      type PeerInfo = {
        info?: { role?: string };
        authentication?: { status?: string; resourceSlices?: { accepted?: boolean }[] };
        offloading?: { status?: string; virtualNodes?: { name: string; status?: string }[] };
        network?: { status?: string };
      };
      const peers = JSON.parse(stdout) as Record<string, PeerInfo>;
      for (const p of [PROVIDER, PROVIDER_2]) {
        const info = peers[p];
        assert.ok(info, `liqoctl info peer lists ${p}: ${stdout.slice(0, 400)}`);
        assert.equal(info.info?.role, 'Provider');
        assert.equal(info.authentication?.status, 'Healthy');
        assert.deepEqual(info.authentication?.resourceSlices?.map((r) => r.accepted), [true]);
        assert.equal(info.offloading?.status, 'Healthy');
        assert.deepEqual(info.offloading?.virtualNodes?.map((v) => [v.name, v.status]), [[p, 'Healthy']]);
        assert.equal(info.network?.status, 'Disabled');
        // and the tree says the same
        assert.match(h.row(CONSUMER, 'Peerings', p)?.description ?? '', /^Provider · /);
      }
    });

    test('liqoctl offload namespace reaches Ready; a pod created there runs on the virtual node, as a ShadowPod and a pod on the provider', async () => {
      await k(CONSUMER, 'create', 'namespace', ns);
      await offload(t(), CONSUMER, ns);
      await eventually('NamespaceOffloading Ready', async () => {
        const [o] = await getList(CONSUMER, 'namespaceoffloadings.offloading.liqo.io', '-n', ns);
        return o?.status?.offloadingPhase === 'Ready' || `phase ${String(o?.status?.offloadingPhase)}`;
      });
      await h.until(() => h.row(CONSUMER, 'Offloaded Namespaces', ns)?.description?.startsWith('Ready') ?? false, 'offloaded namespace Ready in the tree', 60_000);
      // the Remote strategy: only the virtual nodes (the webhook adds their toleration and affinity)
      const pod = workloadPod(ns, 'trainer', 'docker.io/kubeflow/pytorch-bert:2.3.1', 'pytorch', { app: 'trainer' }, false);
      await execa(tb.kubectl, ['--kubeconfig', tb.kubeconfig, '--context', CONSUMER, 'create', '-f', '-'], { input: JSON.stringify(pod) });
      await eventually('the pod Running on a virtual node', async () => {
        const p = JSON.parse(await k(CONSUMER, 'get', 'pod', 'trainer', '-n', ns, '-o', 'json')) as Obj;
        const nodeName = (p.spec as { nodeName?: string }).nodeName;
        return ((nodeName === PROVIDER || nodeName === PROVIDER_2) && p.status?.phase === 'Running') || `on ${String(nodeName)}, ${String(p.status?.phase)}`;
      });
      const nodeName = ((JSON.parse(await k(CONSUMER, 'get', 'pod', 'trainer', '-n', ns, '-o', 'json')) as Obj).spec as { nodeName: string }).nodeName;
      const shadow = await getList(nodeName, 'shadowpods.offloading.liqo.io', '-n', twin);
      assert.deepEqual(shadow.map((s) => s.metadata.name), ['trainer']);
      const remote = JSON.parse(await k(nodeName, 'get', 'pod', 'trainer', '-n', twin, '-o', 'json')) as Obj;
      assert.equal(remote.metadata.labels?.['liqo.io/managed-by'], 'shadowpod');
      await h.until(() => h.children(CONSUMER, 'Virtual Nodes', nodeName).some((r) => r.label.includes('trainer')), 'the pod under its virtual node in the tree', 60_000);
      await h.until(() => Boolean(h.row(nodeName, 'Consumers', CONSUMER, twin)), 'the twin namespace under the consumer on the provider', 60_000);
    });

    test('kubectl logs through the consumer returns the provider’s lines (virtual kubelet → provider → kwok)', async () => {
      const p = JSON.parse(await k(CONSUMER, 'get', 'pod', 'trainer', '-n', ns, '-o', 'json')) as Obj;
      const provider = (p.spec as { nodeName: string }).nodeName;
      const logs = await k(CONSUMER, 'logs', 'trainer', '-n', ns);
      assert.ok(logs.includes(providerLogLine(provider, 1)), `the provider's history: ${logs}`);
      assert.match(logs, new RegExp(`${provider}: step \\d+ served by ${provider}'s kwok`));
    });

    test('fidelity: the forged scenarios carry the labels, annotations and condition types Liqo produces here', { skip: version !== DEFAULT_LIQO_VERSION && 'the forged scenarios model the default release' }, async () => {
      // every kind exists now: peerings, virtual nodes, an offloaded namespace with a running pod
      const addresses = { url: (c: string) => `https://${c}.invalid:6443`, kubeconfigFor: () => '', unreachableUrl: 'https://unreachable.invalid:6443' };
      const forged = [...consumerObjects(addresses, false), ...consumerObjects(addresses, true), ...providerObjects(addresses)] as (LiqoObject & { kind: string })[];
      const problems: string[] = [];
      for (const [kind, resource] of Object.entries(FIDELITY_KINDS) as [FidelityKind, string][]) {
        const live = (await Promise.all([CONSUMER, PROVIDER, PROVIDER_2].map((c) => getList(c, resource, '-A')))).flat() as LiqoObject[];
        assert.ok(live.length > 0, `live has ${kind} objects to compare with`);
        problems.push(...compareShapes(kind, shapeOf(forged.filter((o) => o.kind === kind)), shapeOf(live)));
      }
      assert.deepEqual(problems, []);
    });

    test('unoffload cleans up both sides, and the tree follows', async () => {
      await k(CONSUMER, 'delete', 'pod', 'trainer', '-n', ns, '--wait=true', '--timeout=60s');
      await unoffload(t(), CONSUMER, ns);
      await eventually('NamespaceOffloading gone', async () => (await getList(CONSUMER, 'namespaceoffloadings.offloading.liqo.io', '-n', ns)).length === 0);
      for (const p of [PROVIDER, PROVIDER_2]) {
        await eventually(`twin namespace gone on ${p}`, async () => !(await getList(p, 'namespaces')).some((n) => n.metadata.name === twin && !n.metadata.deletionTimestamp));
      }
      await h.until(() => !h.row(CONSUMER, 'Offloaded Namespaces', ns), 'offloaded namespace gone from the tree', 60_000);
      await k(CONSUMER, 'delete', 'namespace', ns, '--wait=false');
    });

    test('unpeer cleans up both sides: peering, virtual node and its virtual kubelet, tenant; the tree follows', async () => {
      for (const p of [PROVIDER, PROVIDER_2]) await unpeer(t(), CONSUMER, p);
      await eventually('virtual nodes gone on the consumer', async () => (await getList(CONSUMER, 'nodes', '-l', 'liqo.io/type=virtual-node')).length === 0);
      await eventually('VirtualNodes gone', async () => (await getList(CONSUMER, 'virtualnodes.offloading.liqo.io', '-A')).length === 0);
      await eventually('virtual-kubelet processes stopped', async () => !(await k(CONSUMER, 'get', 'deployments', '-A', '-l', 'offloading.liqo.io/component=virtual-kubelet', '-o', 'name')).trim());
      // What made the consumer consume is gone: its Identities and ResourceSlices for the providers. (Liqo keeps the
      // ForeignCluster; v1.0.1 sets its role back to Unknown at once, v1.2.0 sometimes only at its next resync,
      // 10 h by default, because no watched object is left to trigger a reconcile: not something to wait for here.)
      await eventually('the consumer no longer consumes', async () => (await getList(CONSUMER, 'identities.authentication.liqo.io', '-A')).length === 0 && (await getList(CONSUMER, 'resourceslices.authentication.liqo.io', '-A')).length === 0);
      for (const p of [PROVIDER, PROVIDER_2]) {
        await eventually(`Tenant gone on ${p}`, async () => (await getList(p, 'tenants.authentication.liqo.io', '-A')).length === 0);
        await eventually(`ResourceSlice gone on ${p}`, async () => (await getList(p, 'resourceslices.authentication.liqo.io', '-A')).length === 0);
      }
      await h.until(() => !h.row(CONSUMER, 'Virtual Nodes', PROVIDER) && !h.row(CONSUMER, 'Virtual Nodes', PROVIDER_2), 'virtual nodes gone from the tree', 60_000);
      await h.until(() => !h.row(PROVIDER, 'Consumers', CONSUMER), 'the consumer gone from the provider tree', 60_000);
    });

    test('no unhandled promise rejection happened', () => {
      assert.deepEqual(rejections.seen, []);
    });
  });
}
