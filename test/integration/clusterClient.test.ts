// The ClusterClient against real test-bed API servers: one pooled HTTP/2 connection for many calls, watches that
// end at once on abort, server-side apply and delete of a ConfigMap (dry-run and real), and pod logs streamed with
// follow and sinceTime from kwok.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { appendPodLog, ensureTestbed } from '../testbed/index.ts';
import { createClusterClient } from '../../src/infra/cluster/httpClusterClient.ts';
import { KubeApiError, type ClusterClient } from '../../src/infra/cluster/clusterClient.ts';
import { testbedContexts, type Contexts } from './support/contexts.ts';
import { makeHarness } from './support/treeHarness.ts';

const CONSUMER = 'kind-mlops-platform';
const PROVIDER = 'cluster-b';
const LOG_NS = 'kubeflow-kind-mlops-platform';
const LOG_POD = 'training-worker-0';

let contexts: Contexts;
let client: ClusterClient;
let kubeconfig: string;

before(async () => {
  const tb = await ensureTestbed('seed-000');
  kubeconfig = tb.kubeconfig;
  contexts = await testbedContexts(tb.kubeconfig);
  client = createClusterClient(await contexts.resolve(CONSUMER), { timeoutMs: 5000 });
});

after(async () => {
  client.dispose();
  await contexts.dispose();
});

test('many gets and lists, sequential and parallel, share one HTTP/2 connection', async () => {
  const v = await client.version();
  assert.match(v.gitVersion, /^v1\.34\./);
  for (let i = 0; i < 10; i++) await client.get('/api/v1/namespaces/liqo');
  const lists = await Promise.all(
    Array.from({ length: 40 }, (_, i) => (i % 2 ? client.list('/api/v1/namespaces') : client.list('/apis/core.liqo.io/v1beta1/foreignclusters'))),
  );
  assert.ok(lists.every((l) => l.resourceVersion !== ''));
  assert.ok(lists[1]!.items.some((n) => (n as { metadata: { name: string } }).metadata.name === 'kubeflow'));
  assert.equal(client.openConnections, 1, 'one socket for 51 requests');
  console.log(`# openConnections after 51 requests: ${client.openConnections}`);
  const err = await client.get('/api/v1/namespaces/no-such-namespace').catch((e: unknown) => e);
  assert.ok(err instanceof KubeApiError);
  assert.equal(err.status, 404);
  assert.equal(err.message, 'namespaces "no-such-namespace" not found');
});

test('apply (dry-run, then real), watch events, delete (dry-run, then real) of a ConfigMap', async () => {
  const name = `client-${randomUUID().slice(0, 8)}`;
  const path = `/api/v1/namespaces/analytics/configmaps/${name}`;
  const cm = (v: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'analytics' }, data: { v } });
  const events: string[] = [];
  const watchAbort = new AbortController();
  let connected!: () => void;
  const isConnected = new Promise<void>((r) => (connected = r));
  const watching = client.watch(
    '/api/v1/namespaces/analytics/configmaps',
    { fieldSelector: `metadata.name=${name}` },
    { onEvent: (type, obj) => events.push(`${type} ${(obj as { data?: { v?: string } }).data?.v ?? ''}`.trim()), onConnected: connected },
    watchAbort.signal,
  );
  await isConnected;

  const dry = await client.apply<{ metadata: { name: string } }>(path, cm('1'), { fieldManager: 'liqo-vscode-test', dryRun: true });
  assert.equal(dry.metadata.name, name);
  assert.equal(((await client.get(path).catch((e: unknown) => e)) as KubeApiError).status, 404, 'dry-run created nothing');

  await client.apply(path, cm('1'), { fieldManager: 'liqo-vscode-test' });
  const updated = await client.apply<{ data: { v: string } }>(path, cm('2'), { fieldManager: 'liqo-vscode-test', force: true });
  assert.equal(updated.data.v, '2');
  await client.delete(path, { dryRun: true });
  assert.equal(((await client.get(path)) as { data: { v: string } }).data.v, '2', 'dry-run deleted nothing');
  await client.delete(path, { propagationPolicy: 'Background' });
  assert.equal(((await client.get(path).catch((e: unknown) => e)) as KubeApiError).status, 404);

  const deadline = Date.now() + 10_000;
  while (!events.includes('DELETED 2') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(events, ['ADDED 1', 'MODIFIED 2', 'DELETED 2']);

  const t0 = Date.now();
  watchAbort.abort();
  const err = await watching.catch((e: unknown) => e);
  assert.ok(err instanceof KubeApiError && err.code === 'ABORT_ERR', String(err));
  console.log(`# watch ended ${Date.now() - t0} ms after abort; openConnections ${client.openConnections}`);
  assert.equal(client.openConnections, 1, 'aborting a watch keeps the shared connection');
});

test('pod logs stream with follow (new lines arrive) and sinceTime (older lines left out)', async () => {
  const provider = createClusterClient(await contexts.resolve(PROVIDER), { timeoutMs: 5000 });
  try {
    const path = `/api/v1/namespaces/${LOG_NS}/pods/${LOG_POD}/log`;
    const old = `old-${randomUUID()}`;
    appendPodLog(PROVIDER, LOG_NS, LOG_POD, old);
    await new Promise((r) => setTimeout(r, 1100));
    const since = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await new Promise((r) => setTimeout(r, 1100));
    const marker = `new-${randomUUID()}`;
    const abort = new AbortController();
    const s = await provider.stream(path, { follow: true, sinceTime: since, timestamps: true }, abort.signal);
    assert.equal(s.status, 200);
    setTimeout(() => appendPodLog(PROVIDER, LOG_NS, LOG_POD, marker), 300);
    let text = '';
    for await (const chunk of s.body) {
      text += Buffer.from(chunk).toString('utf8');
      if (text.includes(marker)) break; // leaving the loop ends the stream
    }
    assert.ok(text.includes(marker), 'a line appended after the stream opened arrived');
    assert.ok(!text.includes(old), 'sinceTime left the older line out');
    const first = /^(\S+) /.exec(text)?.[1];
    assert.ok(first && first >= since.slice(0, 19), `first timestamp ${first} is not before ${since}`);

    // A follow stream aborted while nothing is being read ends at once, and the connection stays.
    const abort2 = new AbortController();
    const s2 = await provider.stream(path, { follow: true }, abort2.signal);
    const it = s2.body[Symbol.asyncIterator]();
    await it.next();
    abort2.abort();
    const end = await it.next().then(
      (r) => (r.done ? 'done' : 'more'),
      (e: unknown) => (e as KubeApiError).code,
    );
    assert.ok(end === 'ABORT_ERR' || end === 'done', `after abort: ${end}`);
    assert.equal(provider.openConnections, 1);
    const missing = await provider.stream(`/api/v1/namespaces/${LOG_NS}/pods/no-such-pod/log`, {}, abort.signal).catch((e: unknown) => e);
    assert.equal((missing as KubeApiError).status, 404);
  } finally {
    provider.dispose();
  }
  const deadline = Date.now() + 2000;
  while (provider.openConnections > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(provider.openConnections, 0, 'dispose closed the connection');
});

test('the whole tree (every list and watch of both clusters) holds one connection per cluster', async () => {
  const h = makeHarness([kubeconfig]);
  try {
    await h.open();
    await h.until(() => h.model.clusters.length === 2 && h.quiet() && h.model.clusters.every((c) => h.model.session(c.id)?.state.kind === 'reachable'), 'the tree settled');
    const counts = h.model.clusters.map((c) => {
      const s = h.model.session(c.id)!;
      return { context: c.contextName, connections: s.openConnections, ...s.requestCounts };
    });
    console.log(`# connections per cluster: ${JSON.stringify(counts)}`);
    for (const c of counts) {
      assert.ok(c.watches >= 4, `${c.context} runs its watches`);
      assert.equal(c.connections, 1, `${c.context}: ${c.lists} lists and ${c.watches} watches on one connection`);
    }
  } finally {
    h.dispose();
  }
});

test('a rejected token: every one of many parallel requests is answered 401, none fails as a refused stream', async () => {
  // The API server closes an HTTP/2 connection after a request it cannot authenticate and refuses the streams then in
  // flight; sent again, they race on the next connection the same way. A slow machine showed it as a probe's
  // "Stream closed with error code NGHTTP2_REFUSED_STREAM" instead of "Credentials rejected".
  const good = await contexts.resolve(CONSUMER);
  const bad = createClusterClient({ ...good, user: { ...good.user, fields: { token: 'not-a-valid-token' } } }, { timeoutMs: 5000 });
  try {
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? bad.list('/api/v1/namespaces') : bad.version()).then(() => 'answered', (e: unknown) => e)));
    const statuses = results.map((r) => (r instanceof KubeApiError ? (r.status ?? `transport: ${r.message}`) : String(r)));
    assert.deepEqual([...new Set(statuses)], [401], `every request rejected as unauthenticated: ${statuses.join(', ')}`);
  } finally {
    bad.dispose();
  }
});
