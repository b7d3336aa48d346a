// "Why Is This Pod Failing?" and Stream Logs… on seed-002's Admiralty pods, against the real API servers: a proxy
// pod on main is followed to its delegate on remote (the context whose server and CA its Target's kubeconfig
// carries), both sides shown and the log read from the delegate; a delegate links back to its proxy; a delegate
// whose proxy's cluster (`lab`) is in no kubeconfig, and a proxy whose Target's cluster is in no kubeconfig, are
// named with the next step, quickly; a delegate's cluster answering nothing is named within the read bound; a
// delegate path answering 502 falls back to the proxy's API server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { ensureTestbed, type Testbed } from '../testbed/index.ts';
import * as s from '../testbed/scenarios/seed002.ts';
import { createClusterClient } from '../../src/infra/cluster/httpClusterClient.ts';
import type { ClusterClient } from '../../src/infra/cluster/clusterClient.ts';
import { ClusterDirectory, type ClusterHandle } from '../../src/infra/logs/clusterDirectory.ts';
import { gatherPodFacts } from '../../src/infra/diagnosis/gatherPodFacts.ts';
import { routesForPod } from '../../src/infra/logs/offloadedPodRoutes.ts';
import { streamPodLog } from '../../src/infra/logs/podLogStream.ts';
import { failureReport } from '../../src/core/diagnosis/failureReport.ts';
import { endpointOfContext, type ContextEndpoint } from '../../src/core/systems/endpoint.ts';
import { testbedContexts, type Contexts } from './support/contexts.ts';
import { collector } from './support/logCollector.ts';
import { FaultProxy } from './support/faultProxy.ts';

const FAST_BACKOFF = { initialMs: 200, maxMs: 2000 };
const ONE_SHOT = { follow: false, previous: false, timestamps: true };

describe('Admiralty proxy and delegate pods followed (seed-002)', () => {
  let tb: Testbed;
  let contexts: Contexts;
  let main: ClusterHandle;
  let remote: ClusterHandle;
  let endpoints: ContextEndpoint[];
  const clients: ClusterClient[] = [];
  const signal = () => AbortSignal.timeout(60_000);
  /** Every context of the kubeconfig, connected. */
  const both = () => new ClusterDirectory(() => [main, remote], () => endpoints);
  /** A kubeconfig without remote: main alone is known. */
  const mainOnly = () => new ClusterDirectory(() => [main], () => endpoints.filter((e) => e.context === s.MAIN));

  before(async () => {
    tb = await ensureTestbed('seed-002');
    contexts = await testbedContexts(tb.kubeconfig);
    const handle = async (context: string): Promise<ClusterHandle> => {
      const resolved = await contexts.resolve(context);
      const client = createClusterClient(resolved, { timeoutMs: 5000 });
      clients.push(client);
      return { context, client };
    };
    main = await handle(s.MAIN);
    remote = await handle(s.REMOTE);
    endpoints = await Promise.all([s.MAIN, s.REMOTE].map(async (c) => {
      const r = await contexts.resolve(c);
      return endpointOfContext(c, String(r.cluster.fields.server), r.cluster.fields['certificate-authority-data']);
    }));
  });

  after(async () => {
    for (const c of clients) c.dispose();
    await contexts?.dispose();
  });

  test("the proxy pod's report shows both sides, the delegate's events among them, and names the delegate's cluster", async () => {
    const reason = `TestbedEvent${randomUUID().slice(0, 8)}`;
    kubectlCreate(s.REMOTE, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { generateName: `${s.DELEGATE_POD}.`, namespace: s.BURST_NS },
      involvedObject: { kind: 'Pod', namespace: s.BURST_NS, name: s.DELEGATE_POD, apiVersion: 'v1' },
      reason,
      message: 'delegate pod event seen from the proxy pod',
      type: 'Normal',
      source: { component: 'kubelet', host: `${s.REMOTE}-worker` },
      lastTimestamp: new Date().toISOString(),
    });
    const input = await gatherPodFacts(both(), main, s.BURST_NS, s.PROXY_POD, signal());
    assert.equal(input.admiralty?.role, 'proxy');
    assert.equal(input.admiralty?.via, `Target ${s.BURST_NS}/${s.TARGET}`);
    assert.equal(input.admiralty?.other?.cluster, s.REMOTE);
    assert.equal(input.admiralty?.other?.pod?.metadata.name, s.DELEGATE_POD);
    assert.equal(input.admiralty?.missing, undefined);
    const r = failureReport(input);
    assert.equal(r.cause.kind, 'NoFailure');
    assert.equal(r.markdown.split('\n')[0], `No failure found: the proxy pod is Running, and its delegate ${md(s.DELEGATE_POD)} on ${s.REMOTE} is Running with no container reporting errors.`);
    assert.ok(r.markdown.includes(`## On ${s.MAIN} (Admiralty proxy pod, bound to Target ${s.BURST_NS}/${s.TARGET}: the real pod is its delegate on ${s.REMOTE})`), r.markdown);
    assert.ok(r.markdown.includes(`## On ${s.REMOTE} (delegate pod ${md(s.DELEGATE_POD)}: the real pod)`), r.markdown);
    assert.ok(r.markdown.includes(`### Admiralty virtual node ${md(s.VIRTUAL_NODE)}`), 'the proxy side names its Admiralty virtual node');
    // the event is the delegate's, in the delegate's section
    const delegateSection = r.markdown.slice(r.markdown.indexOf(`## On ${s.REMOTE}`));
    assert.match(delegateSection, new RegExp(`\\| Normal \\| ${reason} \\|`));
    assert.match(delegateSection, /- Ready: True/);
    assert.match(delegateSection, /- Node: remote-worker/);
  });

  test('the delegate pod\'s report links back to its proxy pod on main', async () => {
    const input = await gatherPodFacts(both(), remote, s.BURST_NS, s.DELEGATE_POD, signal());
    assert.equal(input.admiralty?.role, 'delegate');
    assert.equal(input.admiralty?.other?.cluster, s.MAIN);
    assert.equal(input.admiralty?.other?.pod?.metadata.name, s.PROXY_POD);
    const r = failureReport(input);
    assert.ok(r.markdown.includes(`## On ${s.REMOTE} (Admiralty delegate pod of proxy pod ${s.BURST_NS}/${md(s.PROXY_POD)} of cluster ${s.MAIN})`), r.markdown);
    assert.ok(r.markdown.includes(`## On ${s.MAIN} (proxy pod ${s.BURST_NS}/${md(s.PROXY_POD)}: the pod that was submitted)`), r.markdown);
  });

  test("a delegate sent by a cluster in no kubeconfig names that cluster and the next step", async () => {
    const started = Date.now();
    const input = await gatherPodFacts(both(), remote, s.BURST_NS, s.LAB_DELEGATE_POD, signal());
    assert.equal(input.admiralty?.role, 'delegate');
    assert.equal(input.admiralty?.other, undefined);
    assert.equal(input.admiralty?.missing?.kind, 'ProxyUnknown');
    const r = failureReport(input);
    assert.match(r.markdown, /## The proxy pod\n\nIts proxy pod burst\/etl-7k2q-x9c4d was sent by cluster lab, and no connected kubeconfig context holds a pod with its UID/);
    assert.match(r.markdown, /Import the kubeconfig of cluster lab \(Liqo: Add Kubeconfig File…\)/);
    assert.ok(Date.now() - started < 30_000, 'answered without waiting for anything');
  });

  test("a proxy pod whose Target's cluster is in no kubeconfig: the report says so by name with the next step, at once", async () => {
    const input = await gatherPodFacts(mainOnly(), main, s.BURST_NS, s.PROXY_POD, signal());
    assert.equal(input.admiralty?.role, 'proxy');
    assert.equal(input.admiralty?.other, undefined);
    assert.equal(input.admiralty?.missing?.kind, 'NoKubeconfig');
    const r = failureReport(input);
    const server = endpoints.find((e) => e.context === s.REMOTE)!.server;
    assert.equal(r.cause.kind, 'NoKubeconfig');
    assert.equal(
      r.markdown.split('\n')[0],
      md(`No failure is visible on ${s.MAIN}, where only the proxy pod runs; the delegate of proxy pod ${s.BURST_NS}/${s.PROXY_POD} runs on the cluster Target ${s.BURST_NS}/${s.TARGET} sends to (${server}), which is in no kubeconfig: its real state cannot be read from here.`),
    );
    assert.match(r.markdown, /Import that cluster's kubeconfig \(Liqo: Add Kubeconfig File…\)/);
  });

  test("the proxy pod's log is read from its delegate on remote, and the view is told so", async () => {
    const found = await routesForPod(both(), main, { context: s.MAIN, namespace: s.BURST_NS, pod: s.PROXY_POD }, signal());
    assert.deepEqual(found.delegate, { context: s.REMOTE, namespace: s.BURST_NS, pod: s.DELEGATE_POD });
    assert.deepEqual(found.routes.map((r) => `${r.target.context}/${r.target.namespace}/${r.target.pod}`), [`${s.REMOTE}/${s.BURST_NS}/${s.DELEGATE_POD}`, `${s.MAIN}/${s.BURST_NS}/${s.PROXY_POD}`]);
    const c = collector();
    const r = await streamPodLog({ routes: found.routes, options: ONE_SHOT, sink: c.sink, signal: signal(), backoff: FAST_BACKOFF });
    assert.equal(r.ended, 'complete');
    assert.equal(r.route.target.context, s.REMOTE);
    assert.ok(c.lines().some((l) => l.text.includes('Downloading MNIST')), 'the delegate\'s log');
    const notices = c.events.flatMap((e) => (e.kind === 'notice' ? [e.detail] : []));
    assert.equal(notices[0], `reading from the delegate pod ${s.BURST_NS}/${s.DELEGATE_POD} on ${s.REMOTE} (${s.PROXY_POD} is an Admiralty proxy pod with no container logs of its own; Target ${s.BURST_NS}/${s.TARGET})`);
  });

  test('with the delegate\'s cluster in no kubeconfig, the log says so and is read through main', async () => {
    const found = await routesForPod(mainOnly(), main, { context: s.MAIN, namespace: s.BURST_NS, pod: s.PROXY_POD }, signal());
    assert.equal(found.delegate, undefined);
    assert.deepEqual(found.routes.map((r) => r.target.context), [s.MAIN]);
    assert.match(found.note ?? '', /is an Admiralty proxy pod with no container logs of its own: the delegate of proxy pod burst\/ml-job-6ymu-xvrv2 runs on the cluster Target burst\/remote sends to \(https:\/\/127\.0\.0\.1:\d+\), which is in no kubeconfig/);
    assert.match(found.note ?? '', /Import that cluster's kubeconfig/);
    const c = collector();
    const r = await streamPodLog({ routes: found.routes, options: ONE_SHOT, sink: c.sink, signal: signal(), backoff: FAST_BACKOFF });
    assert.equal(r.ended, 'complete');
    assert.ok(c.lines().some((l) => l.text.includes('Downloading MNIST')));
  });

  test("a delegate path answering 502 falls back to the proxy's API server (Admiralty's virtual kubelet)", async () => {
    const found = await routesForPod(both(), main, { context: s.MAIN, namespace: s.BURST_NS, pod: s.PROXY_POD }, signal());
    const proxy = await FaultProxy.start(tb.kubeconfig, s.REMOTE, tb.stateDir);
    const broken = createClusterClient(await contexts.resolve(s.REMOTE, (cluster) => (cluster.server = proxy.url)), { timeoutMs: 5000 });
    try {
      proxy.set({ kind: 'status', code: 502 });
      const c = collector();
      const r = await streamPodLog({ routes: [{ ...found.routes[0]!, client: broken }, found.routes[1]!], options: ONE_SHOT, sink: c.sink, signal: signal(), backoff: FAST_BACKOFF });
      assert.equal(r.ended, 'complete');
      assert.equal(r.route.target.context, s.MAIN);
      assert.ok(c.lines().some((l) => l.text.includes('Downloading MNIST')));
      const notices = c.events.flatMap((e) => (e.kind === 'notice' ? [e.detail] : []));
      assert.ok(notices.some((n) => n.includes(`falling back to reading through ${s.MAIN}'s API server (Admiralty's virtual kubelet serves the delegate's log)`)), notices.join('\n'));
    } finally {
      broken.dispose();
      await proxy.close();
    }
  });

  test("a delegate's cluster that answers nothing (black-holed): the report names it within its read bound, not waiting for the client", async () => {
    const proxy = await FaultProxy.start(tb.kubeconfig, s.REMOTE, tb.stateDir);
    // the client would wait a minute: the follow's own bound (10 s a read) is what answers
    const silent = createClusterClient(await contexts.resolve(s.REMOTE, (cluster) => (cluster.server = proxy.url)), { timeoutMs: 60_000 });
    try {
      proxy.set({ kind: 'blackhole' });
      const dir = new ClusterDirectory(() => [main, { context: s.REMOTE, client: silent }], () => endpoints);
      const started = Date.now();
      const input = await gatherPodFacts(dir, main, s.BURST_NS, s.PROXY_POD, signal());
      const took = Date.now() - started;
      assert.equal(input.admiralty?.missing?.kind, 'DelegateUnread');
      assert.match(input.admiralty?.missing?.text ?? '', /^the delegate's cluster remote \(Target burst\/remote\) could not be read: /);
      assert.match(failureReport(input).markdown.split('\n')[0]!, /^No failure is visible on main, where only the proxy pod runs; the delegate's cluster remote/);
      assert.ok(took < 30_000, `answered in ${took} ms`);
    } finally {
      silent.dispose();
      await proxy.close();
    }
  });

  /** As the report escapes a name (Markdown). */
  function md(text: string): string {
    return text.replace(/[\\`*_{}[\]<>#|]/g, (c) => `\\${c}`);
  }

  function kubectlCreate(context: string, obj: object): void {
    execFileSync(tb.kubectl, ['--kubeconfig', tb.kubeconfig, '--context', context, 'create', '-f', '-'], { input: JSON.stringify(obj), stdio: ['pipe', 'pipe', 'pipe'] });
  }
});
