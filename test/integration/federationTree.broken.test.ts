// Issue 4 on the `broken` federation: each fault Liqo users meet appears at the right row, explained; and a user
// without permission on one kind sees "no permission" there while the rest of the tree works.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { ensureTestbed, type Testbed } from '../testbed/index.ts';
import { makeHarness, kubectl, trackUnhandledRejections, type Harness } from './support/treeHarness.ts';

const run = promisify(execFile);
const CONSUMER = 'kind-mlops-platform';
let tb: Testbed;
let h: Harness;
const rejections = trackUnhandledRejections();

before(async () => {
  tb = await ensureTestbed('broken');
  h = makeHarness([tb.kubeconfig]);
  await h.open();
  await h.until(
    () => h.quiet() && h.model.roots().every((r) => /Liqo v1\.0\.1/.test(r.description ?? '')),
    'the broken federation loaded',
  );
});

after(() => {
  h?.dispose();
  rejections.stop();
});

test('network connection Error is explained at the peering with cluster-b', () => {
  const fc = h.row(CONSUMER, 'Peerings', 'cluster-b')!;
  assert.equal(fc.description, 'Provider · failing · ⇄ cluster-b');
  assert.equal(fc.collapsible, 'expanded', 'a failing peering opens by itself');
  const net = h.row(CONSUMER, 'Peerings', 'cluster-b', 'Networking')!;
  assert.equal(net.contextValue, 'liqo:peeringModule+networking+failed');
  const conn = h.children(CONSUMER, 'Peerings', 'cluster-b', 'Networking').find((r) => r.label === 'Network connection')!;
  assert.equal(conn.description, 'Error: the WireGuard tunnel between the gateways is down');
  assert.match(conn.tooltip ?? '', /\*\*Check next:\*\* .*UDP port/);
});

test('authentication Pending and the unreachable peer API server are explained at cluster-c', () => {
  const fc = h.row(CONSUMER, 'Peerings', 'cluster-c')!;
  assert.equal(fc.description, 'Provider · failing · no kubeconfig context');
  assert.equal(fc.contextValue, 'liqo:peering+failed+provider');
  const id = h.children(CONSUMER, 'Peerings', 'cluster-c', 'Authentication')[0]!;
  assert.equal(id.description, 'Pending: waiting for the provider to sign the identity (certificate) for this cluster');
  const api = h.children(CONSUMER, 'Peerings', 'cluster-c').find((r) => r.label === 'Remote API server')!;
  assert.match(api.description ?? '', /^Error: the peer's API server does not answer from this cluster/);
  assert.match(api.tooltip ?? '', /reachable from this cluster's nodes/);
});

test('the NotReady virtual node says so, and its pods are marked remote unavailable', () => {
  const vn = h.row(CONSUMER, 'Virtual Nodes', 'cluster-c')!;
  assert.match(vn.description ?? '', /^NotReady · .* → cluster-c$/);
  assert.equal(vn.contextValue, 'liqo:virtualNode+failed');
  const [problem, ...pods] = h.children(CONSUMER, 'Virtual Nodes', 'cluster-c');
  assert.equal(problem?.label, 'NotReady');
  assert.match(problem?.tooltip ?? '', /virtual-kubelet/);
  assert.ok(pods.some((p) => /remote unavailable/.test(p.description ?? '')));
});

test('the NamespaceOffloading SomeFailed shows the per-cluster reason', () => {
  const ns = h.row(CONSUMER, 'Offloaded Namespaces', 'kubeflow')!;
  assert.equal(ns.description, 'SomeFailed · LocalAndRemote → kubeflow-kind-mlops-platform');
  assert.equal(ns.contextValue, 'liqo:offloadedNamespace+SomeFailed');
  assert.match(ns.tooltip ?? '', /could not be created on some clusters/);
  const rows = h.children(CONSUMER, 'Offloaded Namespaces', 'kubeflow');
  const ok = rows.find((r) => r.label === 'cluster-b')!;
  const bad = rows.find((r) => r.label === 'cluster-c')!;
  assert.equal(ok.contextValue, 'liqo:remoteNamespace+healthy');
  assert.equal(bad.contextValue, 'liqo:remoteNamespace+failed');
  assert.match(bad.description ?? '', /^Failed · CreationLoopBackOff/);
});

test('a user without permission on ForeignClusters sees "no permission" there; the rest still works', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'liqo-rbac-'));
  try {
    const pki = path.join(tb.stateDir, 'clusters', CONSUMER, 'pki');
    const key = path.join(dir, 'viewer.key');
    const csr = path.join(dir, 'viewer.csr');
    const crt = path.join(dir, 'viewer.crt');
    await run('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', csr, '-subj', '/CN=liqo-viewer/O=liqo-viewers']);
    await run('openssl', ['x509', '-req', '-in', csr, '-CA', path.join(pki, 'ca.crt'), '-CAkey', path.join(pki, 'ca.key'), '-CAcreateserial', '-out', crt, '-days', '1']);
    const role = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'liqo-viewer-test' },
      rules: [
        { apiGroups: ['', 'apps', 'offloading.liqo.io', 'authentication.liqo.io', 'apiextensions.k8s.io'], resources: ['*'], verbs: ['get', 'list', 'watch'] },
      ],
    };
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'liqo-viewer-test' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'liqo-viewer-test' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'liqo-viewer' }],
    };
    await writeFile(path.join(dir, 'rbac.yaml'), stringify(role) + '---\n' + stringify(binding));
    await kubectl(tb.kubectl, tb.kubeconfig, CONSUMER, 'apply', '-f', path.join(dir, 'rbac.yaml'));
    const full = parse(await readFile(tb.kubeconfig, 'utf8')) as { clusters: { name: string; cluster: unknown }[]; contexts: { name: string; context: { cluster: string } }[] };
    const clusterName = full.contexts.find((c) => c.name === CONSUMER)!.context.cluster;
    const kc = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'viewer', cluster: full.clusters.find((c) => c.name === clusterName)!.cluster }],
      users: [{ name: 'viewer', user: { 'client-certificate': crt, 'client-key': key } }],
      contexts: [{ name: 'viewer@mlops', context: { cluster: 'viewer', user: 'viewer' } }],
    };
    await writeFile(path.join(dir, 'viewer.kubeconfig'), stringify(kc), { mode: 0o600 });
    const v = makeHarness([path.join(dir, 'viewer.kubeconfig')]);
    try {
      await v.open();
      await v.until(() => v.model.settled && (v.row('viewer@mlops')?.contextValue.includes('+liqo') ?? false), 'viewer tree');
      const forbidden = v.children('viewer@mlops', 'Peerings');
      assert.equal(forbidden[0]?.label, 'No permission to list foreignclusters.core.liqo.io');
      assert.equal(forbidden[0]?.contextValue, 'liqo:kindError+forbidden');
      assert.equal(v.row('viewer@mlops', 'Peerings')?.description, '0 · problem');
      assert.ok(v.row('viewer@mlops', 'Virtual Nodes', 'cluster-b'), 'virtual nodes still listed');
      assert.ok(v.row('viewer@mlops', 'Offloaded Namespaces', 'kubeflow'), 'offloaded namespaces still listed');
    } finally {
      v.dispose();
      await kubectl(tb.kubectl, tb.kubeconfig, CONSUMER, 'delete', '-f', path.join(dir, 'rbac.yaml'), '--ignore-not-found');
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('no unhandled promise rejection happened', () => {
  assert.deepEqual(rejections.seen, []);
});
