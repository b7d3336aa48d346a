// Following an Admiralty pod to its other half, the pure parts: what a pod is to Admiralty (seed-002's forged proxy
// and delegate pods, shaped as Admiralty v0.17.0 writes them), which context a proxy's Target reaches or why none
// (by name, with the next step), which listed pod is the delegate (also over generated lists), the report's two
// sides and cause, and the tree rows offering the pod commands on proxy and delegate pods.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { admiraltyRole, chooseDelegate, delegateContext, noDelegate, targetPath } from '../../src/core/systems/admiraltyFollow.ts';
import { decodeTarget, delegateSelector, type AdmiraltyTargetObject } from '../../src/core/systems/admiralty.ts';
import { endpointOfKubeconfig, type ContextEndpoint } from '../../src/core/systems/endpoint.ts';
import { failureReport } from '../../src/core/diagnosis/failureReport.ts';
import type { PodDiagnosisInput, PodFacts, PodSide } from '../../src/core/diagnosis/podFacts.ts';
import type { Node, Pod } from '../../src/core/liqo/objects.ts';
import * as adm from '../testbed/scenarios/forge/admiralty.ts';
import { mainObjects, BURST_NS, DELEGATE_POD, MAIN, PROXY_POD, VIRTUAL_NODE } from '../testbed/scenarios/seed002.ts';
import { ClusterRows } from '../../src/core/tree/clusterRows.ts';
import { clusterRowKey, rowId } from '../../src/core/tree/rowKey.ts';
import { emptySnapshot } from '../../src/core/liqo/snapshot.ts';
import type { ClusterTreeContext } from '../../src/core/tree/treeContext.ts';
import type { SystemsSnapshot } from '../../src/core/systems/snapshot.ts';
import type { TreeNodeView } from '../../src/core/tree/view.ts';
import { mulberry32 } from './seededRandom.ts';

const REMOTE_SERVER = 'https://127.0.0.1:7443';
const kubeconfig = (server: string) =>
  stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'c', cluster: { server } }], contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }], 'current-context': 'c', users: [{ name: 'u', user: { token: 't' } }] });
const env = { kubeconfigFor: () => kubeconfig(REMOTE_SERVER), unreachableUrl: 'https://127.0.0.1:9' };
const contexts: ContextEndpoint[] = [
  { context: 'main', server: 'https://127.0.0.1:6443', caFingerprints: [] },
  { context: 'remote', server: `${REMOTE_SERVER}/`, caFingerprints: [] },
];
const proxyRef = { namespace: BURST_NS, name: PROXY_POD };
const remoteTarget = () => {
  const t = decodeTarget(adm.target(BURST_NS, 'remote', 'remote') as unknown as AdmiraltyTargetObject, 'Target');
  return { ...t, endpoint: endpointOfKubeconfig(kubeconfig(REMOTE_SERVER)) };
};

test("seed-002's forged pods: the proxy pod leads to its Target through its virtual node; the delegate names its proxy", () => {
  const objs = mainObjects(env);
  const proxy = { ...(objs.find((o) => o.kind === 'Pod') as unknown as Pod), metadata: { ...(objs.find((o) => o.kind === 'Pod') as unknown as Pod).metadata, uid: 'proxy-uid' } };
  const node = objs.find((o) => o.kind === 'Node' && o.metadata.name === VIRTUAL_NODE) as unknown as Node;
  assert.deepEqual(admiraltyRole(proxy, node), { kind: 'proxy', uid: 'proxy-uid', target: { kind: 'Target', namespace: BURST_NS, name: 'remote' } });
  // not bound yet (no node): a proxy still, with no target
  assert.deepEqual(admiraltyRole(proxy, undefined), { kind: 'proxy', uid: 'proxy-uid' });
  const d: adm.Delegate = { name: DELEGATE_POD, namespace: BURST_NS, labels: adm.delegateLabels({ app: 'ml-job' }, 'proxy-uid', MAIN), parentName: PROXY_POD, parentNamespace: BURST_NS, spec: { namespace: BURST_NS, name: DELEGATE_POD, nodeName: 'remote-worker', image: 'x' } };
  const delegate = adm.delegatePod(d, 'chaperon-uid') as unknown as Pod;
  assert.deepEqual(admiraltyRole(delegate, undefined), { kind: 'delegate', parent: { uid: 'proxy-uid', clusterName: MAIN, namespace: BURST_NS, name: PROXY_POD } });
  assert.equal(admiraltyRole({ metadata: { name: 'plain', labels: { app: 'x' } }, spec: {} } as Pod, undefined), undefined);
  // the delegate is found by the label Admiralty lists it with
  assert.equal(chooseDelegate([delegate], 'proxy-uid'), delegate);
  assert.equal(delegateSelector('proxy-uid'), 'multicluster.admiralty.io/parent-uid=proxy-uid');
  assert.equal(targetPath({ kind: 'Target', namespace: BURST_NS, name: 'remote' }), '/apis/multicluster.admiralty.io/v1alpha1/namespaces/burst/targets/remote');
  assert.equal(targetPath({ kind: 'ClusterTarget', name: 'edge' }), '/apis/multicluster.admiralty.io/v1alpha1/clustertargets/edge');
});

test("a proxy's Target reaches a context by server and CA, or the answer names the cluster and the next step", () => {
  const connected = () => true;
  assert.deepEqual(delegateContext(proxyRef, remoteTarget(), contexts, 'main', connected), { kind: 'context', context: 'remote' });
  const none = delegateContext(proxyRef, remoteTarget(), contexts.filter((c) => c.context === 'main'), 'main', connected);
  assert.equal(none.kind, 'problem');
  if (none.kind !== 'problem') return;
  assert.equal(none.problem.kind, 'NoKubeconfig');
  assert.equal(none.problem.text, `the delegate of proxy pod burst/${PROXY_POD} runs on the cluster Target burst/remote sends to (${REMOTE_SERVER}), which is in no kubeconfig: its real state cannot be read from here`);
  assert.match(none.problem.checks[0]!, /^Import that cluster's kubeconfig \(Liqo: Add Kubeconfig File…\)/);
  const unconnected = delegateContext(proxyRef, remoteTarget(), contexts, 'main', (c) => c === 'main');
  assert.equal(unconnected.kind === 'problem' && unconnected.problem.kind, 'NotConnected');
  assert.match(unconnected.kind === 'problem' ? unconnected.problem.checks[0]! : '', /Expand remote in the Liqo view/);
  const otherCa = delegateContext(proxyRef, { ...remoteTarget(), endpoint: { ok: true, endpoint: { server: REMOTE_SERVER, caFingerprints: ['a'] } } }, [{ ...contexts[1]!, caFingerprints: ['b'] }], 'main', connected);
  assert.equal(otherCa.kind === 'problem' && otherCa.problem.kind, 'CaDiffers');
  const self = decodeTarget({ metadata: { name: 'here', namespace: BURST_NS }, spec: { self: true } }, 'Target');
  assert.deepEqual(delegateContext(proxyRef, self, contexts, 'main', connected), { kind: 'context', context: 'main' });
  const unread = delegateContext(proxyRef, { ref: { kind: 'Target', namespace: BURST_NS, name: 'remote' }, unread: 'HTTP 403: forbidden' }, contexts, 'main', connected);
  assert.match(unread.kind === 'problem' ? unread.problem.text : '', /Target burst\/remote that proxy pod burst\/ml-job-6ymu-xvrv2 is bound to could not be read on main \(HTTP 403: forbidden\)/);
  const badSecret = delegateContext(proxyRef, { ...remoteTarget(), endpoint: { ok: false, problem: 'its Secret burst/remote has no key config' } }, contexts, 'main', connected);
  assert.equal(badSecret.kind === 'problem' && badSecret.problem.text, 'Target burst/remote on main: its Secret burst/remote has no key config');
});

test('the delegate chosen: one carrying the UID, not being deleted, the newest (generated lists)', () => {
  const seed = Number(process.env.PROPERTY_SEED ?? Date.now() % 1_000_000);
  const rnd = mulberry32(seed);
  for (let i = 0; i < 300; i++) {
    const started = Date.now();
    const pods = Array.from({ length: Math.floor(rnd() * 6) }, (_, j) => ({
      metadata: {
        name: `p${j}`,
        labels: (rnd() < 0.6 ? { 'multicluster.admiralty.io/parent-uid': rnd() < 0.7 ? 'u' : 'other' } : {}) as Record<string, string>,
        creationTimestamp: `2026-01-0${1 + Math.floor(rnd() * 9)}T00:00:0${j}Z`,
        ...(rnd() < 0.3 ? { deletionTimestamp: '2026-02-01T00:00:00Z' } : {}),
      },
    }));
    const got = chooseDelegate(pods, 'u');
    const mine = pods.filter((p) => p.metadata.labels['multicluster.admiralty.io/parent-uid'] === 'u');
    const at = `seed ${seed}, case ${i}: ${JSON.stringify(pods)}`;
    if (mine.length === 0) assert.equal(got, undefined, at);
    else {
      assert.ok(got && mine.includes(got), at);
      const live = mine.filter((p) => !('deletionTimestamp' in p.metadata));
      if (live.length) {
        assert.ok(!('deletionTimestamp' in got.metadata), at);
        assert.ok(live.every((p) => p.metadata.creationTimestamp <= got.metadata.creationTimestamp), at);
      }
    }
    assert.ok(Date.now() - started < 1000, `case ${i} ran in bounded time (${at})`);
  }
});

const running = (name: string, ns = BURST_NS): PodFacts => ({
  metadata: { name, namespace: ns },
  spec: { nodeName: 'n', containers: [{ name: 'train', resources: { limits: { memory: '4Gi' } } }] },
  status: { phase: 'Running', containerStatuses: [{ name: 'train', ready: true, restartCount: 0, state: { running: { startedAt: 't' } } }] },
});
const side = (cluster: string, pod: PodFacts | undefined, events: PodSide['events'] = []): PodSide => ({ cluster, pod, events, logs: [] });

test("a proxy pod's report: the delegate's failure is the cause, named with its cluster; both sides shown", () => {
  const oom: PodFacts = {
    ...running(DELEGATE_POD),
    status: { phase: 'Running', containerStatuses: [{ name: 'train', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }] },
  };
  const input: PodDiagnosisInput = {
    local: side('main', running(PROXY_POD)),
    admiralty: { role: 'proxy', via: 'Target burst/remote', other: side('remote', oom, [{ type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container' }]) },
  };
  const r = failureReport(input);
  assert.equal(r.cause.kind, 'OOMKilled');
  assert.equal(r.markdown.split('\n')[0], 'Container train was last killed for running out of memory (OOMKilled, exit code 137): it used more than its memory limit of 4Gi on remote.');
  const mainAt = r.markdown.indexOf('## On main (Admiralty proxy pod, bound to Target burst/remote: the real pod is its delegate on remote)');
  const remoteAt = r.markdown.indexOf('## On remote (delegate pod ml-job-6ymu-xvrv2-p5bbl: the real pod)');
  assert.ok(mainAt > 0 && remoteAt > mainAt, r.markdown);
  assert.match(r.markdown.slice(remoteAt), /\| Warning \| BackOff \|/);
});

test('a proxy whose delegate is not reached: the reason is the answer, its next step listed once; a delegate names its proxy', () => {
  const missing = noDelegate({ namespace: BURST_NS, name: PROXY_POD, uid: 'u' }, 'remote');
  const r = failureReport({ local: side('main', running(PROXY_POD)), admiralty: { role: 'proxy', via: 'Target burst/remote', missing } });
  assert.equal(r.cause.kind, 'NoDelegate');
  assert.equal(r.markdown.split('\n')[0], `No failure is visible on main, where only the proxy pod runs; Admiralty has no delegate of proxy pod burst/${PROXY_POD} on remote: no pod in namespace burst there carries multicluster.admiralty.io/parent-uid=u.`.replace(/[\\`*_{}[\]<>#|]/g, (c) => `\\${c}`));
  assert.equal(r.title, `Proxy pod burst/${PROXY_POD}: its delegate cannot be seen`);
  assert.equal(r.markdown.split('Check the PodChaperon').length, 2, 'the next step is listed once');
  assert.match(r.markdown, /## The delegate pod\n\nAdmiralty has no delegate/);
  // a failure on the proxy side still comes first
  const pending: PodFacts = { ...running(PROXY_POD), status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', message: '0/3 nodes are available' }] } };
  const unschedulable = failureReport({ local: side('main', pending), admiralty: { role: 'proxy', via: 'Target burst/remote', missing } });
  assert.equal(unschedulable.cause.kind, 'Unschedulable');
  assert.equal(unschedulable.title, `Why is pod burst/${PROXY_POD} failing?`);
  const d = failureReport({ local: side('remote', running(DELEGATE_POD)), admiralty: { role: 'delegate', via: `proxy pod burst/${PROXY_POD} of cluster main`, other: side('main', running(PROXY_POD)) } });
  assert.equal(d.cause.kind, 'NoFailure');
  assert.ok(d.markdown.includes('## On remote (Admiralty delegate pod of proxy pod burst/ml-job-6ymu-xvrv2 of cluster main)'), d.markdown);
  assert.ok(d.markdown.includes('## On main (proxy pod burst/ml-job-6ymu-xvrv2: the pod that was submitted)'), d.markdown);
});

// ---- the tree rows and package.json menus (`viewItem =~ /re/` as VS Code evaluates it) ----
const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { contributes: { menus: Record<string, { command: string; when?: string }[]> } };
function offeredOn(command: string, contextValue: string): boolean {
  return manifest.contributes.menus['view/item/context']!.filter((m) => m.command === command).some((m) => {
    const re = /viewItem =~ \/(.*?)\/(?= |$)/.exec(m.when ?? '');
    return re !== null && new RegExp(re[1]!).test(contextValue);
  });
}

test('proxy and delegate rows carry their pod (on the cluster it is in) and offer Why Is This Pod Failing? and Stream Logs…', () => {
  const target = { kind: 'Target' as const, namespace: BURST_NS, name: 'remote' };
  const main: SystemsSnapshot = {
    admiralty: {
      targets: [{ ...target, self: false, secret: { namespace: BURST_NS, name: 'remote', key: 'config' }, endpoint: { ok: true, endpoint: { server: REMOTE_SERVER, caFingerprints: [] } } }],
      sources: [],
      virtualNodes: [],
      proxyPods: [{ namespace: BURST_NS, name: PROXY_POD, uid: 'u', phase: 'Running', ready: true, target }],
      delegatePods: [],
    },
  };
  const remote: SystemsSnapshot = {
    admiralty: { targets: [], sources: [], virtualNodes: [], proxyPods: [], delegatePods: [{ namespace: BURST_NS, name: DELEGATE_POD, uid: 'd', phase: 'Running', ready: true, parent: { uid: 'u', clusterName: 'main', namespace: BURST_NS, name: PROXY_POD } }] },
  };
  const peers = [
    { entryId: '/k#main', endpoint: contexts[0]!, state: 'reachable' as const, systems: main },
    { entryId: '/k#remote', endpoint: contexts[1]!, state: 'reachable' as const, systems: remote },
  ];
  const ctx = (entryId: string, own: SystemsSnapshot): ClusterTreeContext => ({ base: clusterRowKey(entryId), entryId, snapshot: emptySnapshot(), contextsFor: () => [], systems: { own, peers } });
  const at = (c: ClusterTreeContext, ...labels: string[]): TreeNodeView => {
    const r = new ClusterRows(c);
    let id = rowId(c.base);
    let found: TreeNodeView | undefined;
    for (const l of labels) {
      found = r.children(id)?.find((x) => x.label === l);
      assert.ok(found, `row ${labels.join(' > ')}`);
      id = found.id;
    }
    return found!;
  };
  const proxy = at(ctx('/k#main', main), 'Admiralty', 'Proxy Pods', `${BURST_NS}/${PROXY_POD}`);
  assert.deepEqual(proxy.resource, { entryId: '/k#main', kind: 'pods', key: `${BURST_NS}/${PROXY_POD}` });
  const child = at(ctx('/k#main', main), 'Admiralty', 'Proxy Pods', `${BURST_NS}/${PROXY_POD}`, `${BURST_NS}/${DELEGATE_POD}`);
  assert.deepEqual(child.resource, { entryId: '/k#remote', kind: 'pods', key: `${BURST_NS}/${DELEGATE_POD}` }, "the delegate below a proxy row is remote's pod");
  const delegate = at(ctx('/k#remote', remote), 'Admiralty', 'Delegate Pods', `${BURST_NS}/${DELEGATE_POD}`);
  assert.deepEqual(delegate.resource, { entryId: '/k#remote', kind: 'pods', key: `${BURST_NS}/${DELEGATE_POD}` });
  for (const row of [proxy, child, delegate]) {
    for (const command of ['liqo.pod.whyFailing', 'liqo.pod.streamLogs']) assert.ok(offeredOn(command, row.contextValue), `${command} on ${row.contextValue}`);
  }
  assert.equal(offeredOn('liqo.pod.whyFailing', 'liqo:admiraltyTarget+linked'), false);
});
