// A cluster that was never reached, re-probed in the background (with its watches started alongside each probe):
// its log says why it cannot be reached once, and never that it "lost the API server" it never had. Real sockets on
// loopback: a port where nothing listens, and one that accepts and never answers.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { FederationModel } from '../../src/infra/federationModel.ts';
import '../../src/infra/cluster/clusterSession.ts';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

async function kubeconfigFor(port: number): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'liqo-unreached-'));
  dirs.push(dir);
  const file = path.join(dir, 'config');
  const kc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: `https://127.0.0.1:${port}` } }],
    users: [{ name: 'u', user: { token: 'not-a-real-token' } }],
    contexts: [{ name: 'never-reached', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'never-reached',
  };
  await writeFile(file, stringify(kc), { mode: 0o600 });
  return file;
}

async function reprobedFor(file: string, ms: number): Promise<string[]> {
  const logs: string[] = [];
  const log = { info: (m: string) => logs.push(`I ${m}`), warn: (m: string) => logs.push(`W ${m}`), error: (m: string) => logs.push(`E ${m}`) };
  const model = new FederationModel(
    { sources: [{ path: file, origin: 'setting' }], timeoutMs: 500, allowExec: false, backoff: { baseMs: 100, maxMs: 400 }, reprobe: { baseMs: 100, maxMs: 300 } },
    log,
  );
  try {
    await model.activate();
    // Expanded, as a user opening it: the watches are wanted, and start with each probe.
    for (const r of model.roots()) model.children(r.id);
    await new Promise((r) => setTimeout(r, ms));
    return logs;
  } finally {
    model.dispose();
  }
}

for (const [what, start] of [
  [
    'nothing listens (connection refused)',
    async () => {
      const s = createServer();
      const port = await listen(s);
      await new Promise<void>((r) => s.close(() => r()));
      return { port, close: () => Promise.resolve() };
    },
  ],
  [
    'the port accepts and never answers',
    async () => {
      const held: Socket[] = [];
      const s = createServer((c) => {
        c.on('error', () => undefined);
        held.push(c);
      });
      const port = await listen(s);
      return { port, close: () => new Promise<void>((r) => { for (const c of held) c.destroy(); s.close(() => r()); }) };
    },
  ],
] as const) {
  test(`a never-reached cluster (${what}) re-probed in the background logs its problem once and loses nothing`, async () => {
    const server = await start();
    try {
      const logs = await reprobedFor(await kubeconfigFor(server.port), 4000);
      const lost = logs.filter((l) => l.includes('lost the API server'));
      const problems = logs.filter((l) => l.startsWith('W never-reached:'));
      assert.deepEqual(lost, [], `claims to have lost a server it never reached:\n${logs.join('\n')}`);
      assert.equal(problems.length, 1, `the problem logged once:\n${logs.join('\n')}`);
    } finally {
      await server.close();
    }
  });
}
