// Issue 20's live case in one run (Liqo's own controllers, v1.0.1 or v1.2.0, scenario `+federated`): the consumer
// peered with cluster-b and cluster-c, kubeflow (Remote, seed 000's pods) and analytics (LocalAndRemote) offloaded.
// The auto recorder takes the record by itself; then kubeflow is unoffloaded, analytics' strategy changed,
// cluster-c's ResourceSlice deleted and cluster-b unpeered; the drift is exactly those four; the plan back restores
// all of them through the product's runner; kubeflow's pods run on cluster-b's virtual node again and Liqo reflects
// them there; a second plan is empty. The record file and a saved file hold none of the test bed's secrets.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureTestbed, type ScenarioName, type Testbed } from '../../testbed/index.ts';
import { LIVE_CONSUMER as CONSUMER, LIVE_PROVIDER as PROVIDER, LIVE_PROVIDER_2 as PROVIDER_2, LIVE_SECOND_OFFLOADED_NS as ANALYTICS, LIVE_WORKLOAD, workloadPod } from '../../testbed/scenarios/live.ts';
import { kubectl, makeHarness, trackUnhandledRejections, type Harness } from './treeHarness.ts';
import { secretsOfTestbed } from './testbedSecrets.ts';
import type { FederationRecord } from '../../../src/core/federation/knownGood.ts';
import { federationDrift } from '../../../src/core/federation/drift.ts';
import { restorePlan } from '../../../src/core/federation/restorePlan.ts';
import { recordToYaml } from '../../../src/core/federation/recordYaml.ts';
import { gatherFacts } from '../../../src/infra/federation/gatherFacts.ts';
import { RecordRing } from '../../../src/infra/federation/recordRing.ts';
import { AutoRecorder } from '../../../src/infra/federation/autoRecorder.ts';
import { runRestorePlan } from '../../../src/infra/federation/restoreRunner.ts';
import { restoreClustersOf } from '../../../src/infra/federation/restoreClusters.ts';
import { writeAtomically } from '../../../src/infra/kubeconfig/atomicWrite.ts';
import { offloadNamespace, unoffloadNamespace } from '../../../src/infra/operations/offloading.ts';
import { unpeerClusters } from '../../../src/infra/operations/peering.ts';
import { applyObject, deleteObject } from '../../../src/infra/writes/applyObject.ts';
import { ProcessRunner } from '../../../src/infra/process/runner.ts';
import { LiqoctlRunner } from '../../../src/infra/liqoctl/liqoctlRunner.ts';
import { silentLogger } from '../../../src/infra/log.ts';
import { runRestoreTakingNextStep } from './restoreNextStep.ts';

const KUBEFLOW = 'kubeflow';

interface PodLite {
  metadata: { name: string };
  spec?: { nodeName?: string };
  status?: { phase?: string };
}

export function knownGoodOneRunSuite(scenario: ScenarioName, liqoVersion: string): void {
  let tb: Testbed;
  let h: Harness;
  let dir: string;
  let reference: FederationRecord;
  let recordFile: string;
  const rejections = trackUnhandledRejections();
  const sessionOf = (context: string) => h.model.session(h.model.clusters.find((e) => e.contextName === context)!.id)!;
  const consumer = () => sessionOf(CONSUMER);
  const phaseOf = (ns: string) => consumer().snapshot?.offloadings.find((o) => o.metadata.namespace === ns)?.status?.offloadingPhase;
  const k = (context: string, ...args: string[]) => kubectl(tb.kubectl, tb.kubeconfig, context, ...args);
  const liqoctl = () => new LiqoctlRunner(new ProcessRunner({ trusted: true }), () => tb.liqoctl);

  before(async () => {
    tb = await ensureTestbed(scenario);
    dir = await mkdtemp(path.join(tmpdir(), 'liqo-kg-onerun-'));
    h = makeHarness([tb.kubeconfig], { timeoutMs: 120_000 });
    await h.open();
    await h.until(
      () => Boolean(h.model.settled && h.quiet() && phaseOf(KUBEFLOW) === 'Ready' && phaseOf(ANALYTICS) === 'Ready' && consumer().snapshot?.resourceSlices.length === 2 && h.model.clusters.every((e) => h.model.session(e.id)?.clusterId)),
      'the live federation peered with two providers, kubeflow and analytics Ready',
      180_000,
    );
  });

  after(async () => {
    h?.dispose();
    rejections.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('the auto recorder records the healthy federation by itself: two peerings, their slices, two offloadings', async () => {
    const ring = new RecordRing(path.join(dir, 'federation-records'));
    const recorder = new AutoRecorder(h.model, ring, silentLogger, 200);
    try {
      // Phases Ready and slices listed do not yet mean every peering condition is healthy (on a loaded machine the
      // virtual kubelets and the peerings' conditions settle later): the recorder records once the federation is
      // healthy, as it does in the product on the model's next change; look again until it has, for up to 2 min.
      let stored = await ring.latest();
      for (const deadline = Date.now() + 120_000; !stored && Date.now() < deadline; stored = await ring.latest()) {
        await recorder.recordNow();
        if (!(await ring.latest())) await sleep(2_000);
      }
      assert.ok(stored, 'a record was written');
      reference = stored.record;
      recordFile = stored.file;
    } finally {
      // Stopped before the federation is broken: a state that is still healthy half-way (kubeflow unoffloaded,
      // the rest Ready) would be recorded too, and this test compares with the record of the whole federation.
      recorder.dispose();
    }
    const peerings = reference.peerings.map((p) => [p.consumer.context, p.provider.context, p.resourceSlices.map((x) => x.name).join()]).sort();
    assert.deepEqual(peerings, [[CONSUMER, PROVIDER, PROVIDER], [CONSUMER, PROVIDER_2, PROVIDER_2]]);
    assert.deepEqual(reference.offloadings.map((o) => [o.namespace, o.podOffloadingStrategy]).sort(), [[ANALYTICS, 'LocalAndRemote'], [KUBEFLOW, 'Remote']]);
    for (const c of reference.clusters) assert.equal(c.liqoVersion, liqoVersion, `${c.clusterId} runs the Liqo release under test`);
  });

  test('the stored record and a saved file hold none of the test bed\'s secrets (Liqo\'s keys, tokens, identities, client certificates)', async () => {
    const saved = path.join(dir, 'federation-state.yaml');
    await writeAtomically(saved, recordToYaml(reference), 0o644);
    const secrets = await secretsOfTestbed(tb);
    assert.ok(secrets.length > 10, `the live test bed has secrets to look for (${secrets.length})`);
    for (const file of [recordFile, saved]) {
      const text = await readFile(file, 'utf8');
      assert.ok(secrets.some((x) => `${text}${secrets[0]}`.includes(x)), 'the check finds a secret that is there');
      for (const s of secrets) assert.ok(!text.includes(s), `a test bed secret (${s.slice(0, 6)}…) is in ${path.basename(file)}`);
    }
  });

  test('in one run: unoffload, a strategy changed, a slice deleted and an unpeer; the drift lists exactly those four', async () => {
    const client = consumer().client!;
    assert.equal((await unoffloadNamespace(client, KUBEFLOW, { timeoutMs: 120_000 })).gone, true);
    // Liqo reads a NamespaceOffloading's strategy when it is created: a user changes it by offloading again.
    assert.equal((await unoffloadNamespace(client, ANALYTICS, { timeoutMs: 120_000 })).gone, true);
    const re = await offloadNamespace(client, ANALYTICS, { podOffloadingStrategy: 'Remote', namespaceMappingStrategy: 'DefaultName', clusterSelector: [] }, { timeoutMs: 120_000 });
    assert.equal(re.outcome, 'ready', JSON.stringify(re));
    const cSlice = reference.peerings.find((p) => p.provider.context === PROVIDER_2)!.resourceSlices[0]!;
    await deleteObject(client, `/apis/authentication.liqo.io/v1beta1/namespaces/${cSlice.namespace}/resourceslices/${cSlice.name}`);
    await unpeerClusters(liqoctl(), { resolved: consumer().resolvedContext! }, { resolved: sessionOf(PROVIDER).resolvedContext! }, { timeoutMs: 180_000 });
    await h.until(() => {
      const s = consumer().snapshot;
      return Boolean(s && s.resourceSlices.length === 0 && s.virtualNodes.length === 0 && phaseOf(KUBEFLOW) === undefined && s.offloadings.find((o) => o.metadata.namespace === ANALYTICS)?.spec?.podOffloadingStrategy === 'Remote');
    }, 'the model sees both slices and virtual nodes gone, kubeflow unoffloaded, analytics Remote', 120_000);
    const items = federationDrift(reference, await gatherFacts(h.model));
    const cId = reference.peerings.find((p) => p.provider.context === PROVIDER_2)!.provider.clusterId;
    const bId = reference.peerings.find((p) => p.provider.context === PROVIDER)!.provider.clusterId;
    assert.deepEqual(
      items.map((i) => i.kind).sort(),
      ['namespace-not-offloaded', 'offloading-changed', 'peering-gone', 'slice-removed'],
      items.map((i) => `${i.kind}: ${i.text}`).join('\n'),
    );
    const text = (kind: string) => items.find((i) => i.kind === kind)!.text;
    assert.match(text('namespace-not-offloaded'), /Namespace kubeflow is no longer offloaded/);
    assert.match(text('offloading-changed'), /Namespace analytics: pod offloading strategy is Remote \(was LocalAndRemote\)/);
    assert.match(text('slice-removed'), new RegExp(`ResourceSlice ${cSlice.namespace}/${cSlice.name} .*was removed`));
    assert.match(text('peering-gone'), new RegExp(`peering of .* with ${bId} \\(provider\\) is gone`));
    assert.ok(!text('peering-gone').includes(cId));
  });

  test('Return to Last Known Working State restores all four; kubeflow\'s pods run on the virtual node again; a second run changes nothing', async () => {
    const plan = restorePlan({ reference, facts: await gatherFacts(h.model), kubeconfigOf: () => tb.kubeconfig });
    assert.deepEqual(plan.steps.map((s) => s.kind), ['peer', 'resourceSlice', 'resourceSlice', 'namespaceOffloading', 'namespaceOffloading'], plan.steps.map((s) => s.title).join('\n'));
    const progress: string[] = [];
    const outcome = await runRestoreTakingNextStep(
      plan,
      (p) => runRestorePlan(p, restoreClustersOf(h.model), liqoctl(), { stepTimeoutMs: 120_000, onProgress: (i, m) => progress.push(`${i}: ${m}`) }),
      async () => restorePlan({ reference, facts: await gatherFacts(h.model), kubeconfigOf: () => tb.kubeconfig }),
      CONSUMER,
      liqoVersion,
    );
    assert.equal(outcome.last.stopped, undefined, `${JSON.stringify(outcome.last)}\n${progress.join('\n')}`);
    // Every change is restored once, in the plan's order (over two runs when the replicator had to be restarted).
    assert.deepEqual(outcome.done.map((d) => d.step.kind), ['peer', 'resourceSlice', 'resourceSlice', 'namespaceOffloading', 'namespaceOffloading']);
    // Each slice step ended with its virtual node running, so no offloading met NoClusterSelected.
    for (const d of outcome.done.filter((x) => x.step.kind === 'resourceSlice')) assert.match(d.report.detail, /virtual node \S+ running$/);
    for (const d of outcome.done.filter((x) => x.step.kind === 'namespaceOffloading')) assert.match(d.report.detail, /^Ready/);

    await h.until(() => phaseOf(KUBEFLOW) === 'Ready' && phaseOf(ANALYTICS) === 'Ready' && consumer().snapshot?.resourceSlices.length === 2 && consumer().snapshot?.virtualNodes.length === 2, 'the model sees the federation back', 120_000);
    const facts = await gatherFacts(h.model);
    assert.deepEqual(federationDrift(reference, facts), []);
    const second = restorePlan({ reference, facts, kubeconfigOf: () => tb.kubeconfig });
    assert.deepEqual(second.steps, [], 'a second run changes nothing');
    const again = await runRestorePlan(second, restoreClustersOf(h.model), liqoctl(), { stepTimeoutMs: 60_000 });
    assert.deepEqual(again, { reports: [] });

    // Liqo aborted kubeflow's bare pods at the unoffload (OffloadingAborted); their owner (here the test, as seed
    // 000's pods have no controller) creates them again, and the restored offloading sends them to the provider.
    const aborted = JSON.parse(await k(CONSUMER, 'get', 'pods', '-n', KUBEFLOW, '-o', 'json')) as { items: PodLite[] };
    assert.ok(aborted.items.every((p) => p.status?.phase !== 'Running'), 'no kubeflow pod survived the unoffload running');
    await k(CONSUMER, 'delete', 'pods', '-n', KUBEFLOW, '--all', '--wait=true');
    for (const w of LIVE_WORKLOAD) await applyObject(consumer().client!, `/api/v1/namespaces/${KUBEFLOW}/pods/${w.name}`, workloadPod(KUBEFLOW, w.name, w.image, w.container, { app: w.app }, w.gpu));
    const names = LIVE_WORKLOAD.map((w) => w.name).sort();
    const virtualNodes = (JSON.parse(await k(CONSUMER, 'get', 'nodes', '-l', 'liqo.io/type=virtual-node', '-o', 'json')) as { items: PodLite[] }).items.map((n) => n.metadata.name);
    assert.ok(virtualNodes.includes(PROVIDER), `cluster-b's virtual node is back (${virtualNodes.join(', ')})`);
    let pods: PodLite[] = [];
    for (const deadline = Date.now() + 120_000; ; await sleep(1000)) {
      pods = (JSON.parse(await k(CONSUMER, 'get', 'pods', '-n', KUBEFLOW, '-o', 'json')) as { items: PodLite[] }).items;
      if (pods.length === names.length && pods.every((p) => p.status?.phase === 'Running')) break;
      if (Date.now() > deadline) assert.fail(`kubeflow pods not Running: ${JSON.stringify(pods.map((p) => [p.metadata.name, p.spec?.nodeName, p.status?.phase]))}`);
    }
    // The GPU workers fit only cluster-b's virtual node; every pod is on a virtual node, none on the consumer's own.
    for (const p of pods) assert.ok(virtualNodes.includes(p.spec?.nodeName ?? ''), `${p.metadata.name} runs on ${p.spec?.nodeName}`);
    assert.deepEqual(pods.filter((p) => p.metadata.name.startsWith('training-worker')).map((p) => p.spec?.nodeName), [PROVIDER, PROVIDER]);
    // Liqo's reflection: the provider runs each pod of the consumer's kubeflow in the remote namespace.
    const remoteNs: string | undefined = consumer().snapshot?.offloadings.find((o) => o.metadata.namespace === KUBEFLOW)?.status?.remoteNamespaceName;
    assert.ok(remoteNs, 'the offloading names its remote namespace');
    const onProvider = new Set<string>();
    for (const p of pods.filter((x) => x.spec?.nodeName === PROVIDER)) onProvider.add(p.metadata.name);
    for (const deadline = Date.now() + 60_000; ; await sleep(1000)) {
      const remote: PodLite[] = (JSON.parse(await k(PROVIDER, 'get', 'pods', '-n', remoteNs, '-o', 'json')) as { items: PodLite[] }).items;
      const running = new Set<string>(remote.filter((p: PodLite) => p.status?.phase === 'Running').map((p: PodLite) => p.metadata.name));
      if ([...onProvider].every((n) => running.has(n))) break;
      if (Date.now() > deadline) assert.fail(`not reflected on ${PROVIDER}/${remoteNs}: ${[...onProvider].filter((n) => !running.has(n)).join(', ')}`);
    }
  });

  test('no unhandled promise rejection happened', () => {
    assert.deepEqual(rejections.seen, []);
  });
}
