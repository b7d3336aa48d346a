// A real exec credential plugin (a shell script that counts its runs and prints an ExecCredential with the test
// bed's admin client certificate) in front of a real API server: the whole tree of a cluster (probe, every LIST and
// WATCH) runs the plugin once, its client certificate is presented over the one HTTP/2 connection, and a restricted
// workspace runs nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { ensureTestbed } from '../testbed/index.ts';
import { FederationModel } from '../../src/infra/federationModel.ts';

const CONSUMER = 'kind-mlops-platform';
type Fields = Record<string, unknown>;

let dir: string;
let kubeconfig: string;
let counter: string;

before(async () => {
  const tb = await ensureTestbed('seed-000');
  const full = parse(await readFile(tb.kubeconfig, 'utf8')) as { clusters: { name: string; cluster: Fields }[]; users: { name: string; user: Fields }[] };
  const cluster = full.clusters.find((c) => c.name === CONSUMER)!.cluster;
  const admin = full.users.find((u) => u.name === CONSUMER)!.user;
  dir = await mkdtemp(path.join(tmpdir(), 'liqo-plugin-'));
  counter = path.join(dir, 'runs');
  const credential = {
    apiVersion: 'client.authentication.k8s.io/v1',
    kind: 'ExecCredential',
    status: {
      clientCertificateData: Buffer.from(String(admin['client-certificate-data']), 'base64').toString('utf8'),
      clientKeyData: Buffer.from(String(admin['client-key-data']), 'base64').toString('utf8'),
    },
  };
  await writeFile(path.join(dir, 'credential.json'), JSON.stringify(credential), { mode: 0o600 });
  const plugin = path.join(dir, 'counting-plugin');
  await writeFile(plugin, `#!/bin/sh\necho run >> '${counter}'\ncat '${path.join(dir, 'credential.json')}'\n`);
  await chmod(plugin, 0o700);
  kubeconfig = path.join(dir, 'kubeconfig');
  await writeFile(
    kubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster }],
      users: [{ name: 'u', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' } } }],
      contexts: [{ name: 'via-plugin', context: { cluster: 'c', user: 'u' } }],
    }),
    { mode: 0o600 },
  );
});

after(() => rm(dir, { recursive: true, force: true }));

async function runs(): Promise<number> {
  return (await readFile(counter, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;
}

function model(allowExec: boolean): FederationModel {
  const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
  return new FederationModel({ sources: [{ path: kubeconfig, origin: 'setting' }], timeoutMs: 5000, allowExec, backoff: { baseMs: 200, maxMs: 2000 } }, silent);
}

async function until(pred: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('the whole tree of a plugin user runs the plugin once and uses its client certificate on one connection', async () => {
  const m = model(true);
  try {
    await m.activate();
    for (const r of m.roots()) m.children(r.id);
    const session = (): ReturnType<FederationModel['session']> => m.session(m.clusters[0]!.id);
    await until(() => session()?.state.kind === 'reachable' && m.settled, 'the cluster connected and its watches answered');
    const liqo = session()!.liqo;
    assert.equal(liqo?.clusterId, CONSUMER, 'LISTs as the admin of the plugin\'s certificate see Liqo');
    const { lists, watches } = session()!.requestCounts;
    assert.equal(await runs(), 1, `one plugin run for the probe, ${lists} LISTs and ${watches} WATCHes`);
    assert.equal(session()!.openConnections, 1);
  } finally {
    m.dispose();
  }
});

test('a restricted workspace runs no plugin, and says so', async () => {
  const before = await runs();
  const m = model(false);
  try {
    await m.activate();
    await until(() => m.roots()[0]?.contextValue.includes('+error') ?? false, 'the row failed');
    assert.match(m.roots()[0]?.description ?? '', /is not run in a restricted workspace/);
    assert.equal(await runs(), before, 'the plugin did not run');
  } finally {
    m.dispose();
  }
});
