// Issue 2 against a real API server: a kubeconfig set with one reachable context, one unreachable address and one
// malformed file shows each as described, within the timeout; real TLS and auth failures are explained.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { ensureTestbed, type Testbed } from '../testbed/index.ts';
import { makeHarness, trackUnhandledRejections } from './support/treeHarness.ts';

interface Kc {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { name: string; user: Record<string, unknown> }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
  'current-context'?: string;
}

let tb: Testbed;
let dir: string;
let full: Kc;
const rejections = trackUnhandledRejections();

before(async () => {
  tb = await ensureTestbed('seed-000');
  dir = await mkdtemp(path.join(tmpdir(), 'liqo-int-'));
  full = parse(await readFile(tb.kubeconfig, 'utf8')) as Kc;
});

after(async () => {
  rejections.stop();
  await rm(dir, { recursive: true, force: true });
});

/** A kubeconfig with one context of the test bed, renamed, with its cluster entry edited. */
function single(contextName: string, from: string, edit: (cluster: Record<string, unknown>, user: Record<string, unknown>) => void): string {
  const ctx = full.contexts.find((c) => c.name === from)!;
  const cluster = structuredClone(full.clusters.find((c) => c.name === ctx.context.cluster)!.cluster);
  const user = structuredClone(full.users.find((u) => u.name === ctx.context.user)!.user);
  edit(cluster, user);
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: contextName, cluster }],
    users: [{ name: contextName, user }],
    contexts: [{ name: contextName, context: { cluster: contextName, user: contextName } }],
    'current-context': contextName,
  });
}

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

test('reachable, unreachable and malformed kubeconfigs each show as described, within the timeout', async () => {
  const port = await closedPort();
  await writeFile(path.join(dir, 'a-reachable.yaml'), single('mlops', 'kind-mlops-platform', () => undefined));
  await writeFile(path.join(dir, 'b-unreachable.yaml'), single('gpu-vm', 'cluster-b', (c) => (c.server = `https://127.0.0.1:${port}`)));
  await writeFile(path.join(dir, 'c-malformed.yaml'), 'apiVersion: v1\nclusters:\n- name: x\n  cluster:\n    server: https://127.0.0.61:6443\n   certificate-authority-data: AAAA\n');
  const before = await readFile(path.join(dir, 'a-reachable.yaml'), 'utf8');
  const h = makeHarness([dir], { timeoutMs: 3000 });
  try {
    await h.open();
    const ms = await h.until(() => h.model.roots().every((r) => !/connecting/.test(r.description ?? '')), 'all three settled', 3000 + 2000);
    const rows = h.model.roots();
    assert.deepEqual(
      rows.map((r) => [r.label, r.contextValue.replace('+liqo', '')]),
      [
        ['c-malformed.yaml', 'liqo:kubeconfigError'],
        ['mlops', 'liqo:cluster+reachable'],
        ['gpu-vm', 'liqo:cluster+error'],
      ],
    );
    assert.match(rows[0]!.description ?? '', /^line 6: /);
    assert.match(rows[0]!.tooltip ?? '', /c-malformed\.yaml/);
    await h.until(() => /^kind-mlops-platform · Liqo v1\.0\.1/.test(h.row('mlops')?.description ?? ''), 'Liqo info on the reachable cluster');
    assert.equal(rows[2]!.description, `Connection refused by 127.0.0.1:${port}`);
    const [err] = h.children('gpu-vm');
    assert.equal(err?.command?.command, 'liqo.cluster.retry');
    assert.match(err?.tooltip ?? '', /tunnel/);
    assert.equal(await readFile(path.join(dir, 'a-reachable.yaml'), 'utf8'), before, 'the kubeconfig was not written');
    console.log(`# three kubeconfigs settled in ${ms} ms (timeout 3000 ms)`);
  } finally {
    h.dispose();
  }
});

test('real TLS and credential failures against the API server are explained', async () => {
  const sub = await mkdtemp(path.join(dir, 'tls-'));
  const providerCa = full.clusters.find((c) => c.name === full.contexts.find((x) => x.name === 'cluster-b')!.context.cluster)!.cluster['certificate-authority-data'];
  await writeFile(path.join(sub, 'name.yaml'), single('wrong-name', 'kind-mlops-platform', (c) => (c['tls-server-name'] = 'api.other-cluster.example')));
  await writeFile(path.join(sub, 'ca.yaml'), single('wrong-ca', 'kind-mlops-platform', (c) => (c['certificate-authority-data'] = providerCa)));
  await writeFile(
    path.join(sub, 'token.yaml'),
    single('bad-token', 'kind-mlops-platform', (_c, u) => {
      for (const k of Object.keys(u)) delete u[k];
      u.token = 'not-a-valid-token';
    }),
  );
  const h = makeHarness([sub], { timeoutMs: 4000 });
  try {
    await h.open();
    await h.until(() => h.model.roots().length === 3 && h.model.roots().every((r) => r.contextValue.includes('+error')), 'three failures');
    const byLabel = new Map(h.model.roots().map((r) => [r.label, r]));
    assert.match(byLabel.get('wrong-name')?.description ?? '', /^Certificate not valid for /);
    assert.equal(h.children('wrong-name')[0]?.contextValue, 'liqo:clusterError+tls-name-mismatch');
    assert.equal(h.children('wrong-ca')[0]?.contextValue, 'liqo:clusterError+tls-unknown-authority');
    // bad-token and wrong-name reach one server with one CA: the row may add "· same cluster as wrong-name"
    assert.match(byLabel.get('bad-token')?.description ?? '', /^Credentials rejected \(401 Unauthorized\)( · same cluster as wrong-name)?$/);
    const text = JSON.stringify(h.model.roots()) + h.logs.join('\n');
    assert.doesNotMatch(text, /not-a-valid-token/, 'the token never reaches a row or the log');
  } finally {
    h.dispose();
  }
});

test('no unhandled promise rejection happened', () => {
  assert.deepEqual(rejections.seen, []);
});
