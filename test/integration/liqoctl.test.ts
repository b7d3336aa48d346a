// The real liqoctl v1.0.1 on the forged seed-000 test bed, through the one ProcessRunner: our NamespaceOffloading is
// liqoctl's own for every strategy combination (with and without a selector), `info -o json` is parsed, and every
// failure (missing binary, unreachable remote, cancel mid-run) ends with a clear message, no process and no
// temporary kubeconfig left; a context name with spaces and quotes stays one argument.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as net from 'node:net';
import * as os from 'node:os';
import { parse } from 'yaml';
import { ensureTestbed, type Testbed } from '../testbed/index.ts';
import { ProcessRunner } from '../../src/infra/process/runner.ts';
import { LiqoctlRunError, LiqoctlRunner } from '../../src/infra/liqoctl/liqoctlRunner.ts';
import { withTempKubeconfigs } from '../../src/infra/kubeconfig/tempKubeconfig.ts';
import { offloadManifestCommand } from '../../src/core/liqoctl/offload.ts';
import { infoCommand } from '../../src/core/liqoctl/info.ts';
import { peerCommand } from '../../src/core/liqoctl/peer.ts';
import { versionCommand } from '../../src/core/liqoctl/version.ts';
import { namespaceOffloadingManifest, NAMESPACE_MAPPING_STRATEGIES, POD_OFFLOADING_STRATEGIES, type OffloadingChoices } from '../../src/core/offloading/namespaceOffloading.ts';
import type { SelectorTerm } from '../../src/core/offloading/clusterSelector.ts';
import { resolvedContext, withServer } from './support/resolvedContexts.ts';
import { within } from './support/programFixtures.ts';
import type { ResolvedContext } from '../../src/core/kubeconfig/resolved.ts';

let tb: Testbed;
let consumer: ResolvedContext;
let provider: ResolvedContext;
const lines: string[] = [];
const runner = new ProcessRunner({ trusted: true });
let liqoctl: LiqoctlRunner;

/**
 * Notes the private folder a withTempKubeconfigs call made, from inside the call, so that a test checks the folder its
 * own run made: listing the whole temp directory also saw other runs' folders (two CI runs at once failed that way).
 */
function noteDir(made: string[], file: { path: string } | undefined): void {
  assert.ok(file, 'a temporary kubeconfig was written');
  made.push(path.dirname(file.path));
}
const removed = (made: readonly string[]): void => {
  assert.equal(made.length, 1, 'one temporary folder was made');
  assert.ok(made[0]!.startsWith(path.join(os.tmpdir(), 'liqo-vscode-kubeconfig-')), made[0]);
  assert.equal(existsSync(made[0]!), false, `${made[0]} was removed`);
};
/** Processes whose command line names a path under one of our temporary kubeconfig folders. */
async function liqoctlProcessesUsing(dir: string): Promise<number[]> {
  const found: number[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes(dir)) found.push(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

before(async () => {
  tb = await ensureTestbed('seed-000');
  consumer = await resolvedContext(tb.kubeconfig, 'kind-mlops-platform');
  provider = await resolvedContext(tb.kubeconfig, 'cluster-b');
  liqoctl = new LiqoctlRunner(runner, () => tb.liqoctl);
});
after(() => runner.dispose());

const selectors: ReadonlyArray<readonly SelectorTerm[]> = [
  [],
  [[{ key: 'topology.region', operator: 'In', values: ['center'] }, { key: 'gdpr-approved', operator: 'In', values: ['true'] }]],
  [[{ key: 'topology.region', operator: 'In', values: ['north', 'center'] }, { key: 'staging', operator: 'DoesNotExist' }], [{ key: 'nvidia.com/gpu.present', operator: 'Exists' }, { key: 'env', operator: 'NotIn', values: ['dev'] }]],
];

test("our NamespaceOffloading equals liqoctl's `offload namespace -o yaml` for every combination", async () => {
  await withTempKubeconfigs([consumer], async ([k]) => {
    const target = { kubeconfig: k!.path, context: k!.contextName };
    let compared = 0;
    for (const pod of POD_OFFLOADING_STRATEGIES) {
      for (const mapping of NAMESPACE_MAPPING_STRATEGIES) {
        for (const clusterSelector of selectors) {
          const choices: OffloadingChoices = { podOffloadingStrategy: pod, namespaceMappingStrategy: mapping, clusterSelector, ...(mapping === 'SelectedName' ? { remoteNamespaceName: 'kubeflow-far' } : {}) };
          const yaml = await liqoctl.run(offloadManifestCommand(target, 'kubeflow', choices));
          const theirs = parse(yaml.replace(/\n---\n?$/, '\n')) as Record<string, unknown> & { metadata: Record<string, unknown> };
          // Go's zero values, which the API server fills in on create: not part of what anyone chose.
          assert.equal(theirs.metadata.creationTimestamp, null);
          delete theirs.metadata.creationTimestamp;
          assert.deepEqual(theirs.status, {});
          delete theirs.status;
          assert.deepEqual(namespaceOffloadingManifest('kubeflow', choices), theirs, `${pod}/${mapping}/${JSON.stringify(clusterSelector)}`);
          compared++;
        }
      }
    }
    assert.equal(compared, 27);
  });
});

test('liqoctl info -o json through the runner, parsed; the output streams line by line', async () => {
  lines.length = 0;
  const info = await withTempKubeconfigs([consumer], ([k]) => liqoctl.run(infoCommand({ kubeconfig: k!.path, context: k!.contextName }), { onLine: (l) => lines.push(l) }));
  assert.equal(info.clusterId, 'kind-mlops-platform');
  assert.equal(info.version, 'v1.0.1');
  assert.deepEqual(info.peers.map((p) => [p.clusterId, p.role]), [['cluster-b', 'Provider']]);
  assert.ok(lines.some((l) => l.includes('"clusterID": "kind-mlops-platform"')));
  const { client } = await liqoctl.run(versionCommand());
  assert.equal(client, 'v1.0.1');
});

test('a context name with spaces and quotes reaches liqoctl as one argument', async () => {
  const odd = await resolvedContext(tb.kubeconfig, 'cluster-b', `cluster "b" o'neil -n liqo`);
  const info = await withTempKubeconfigs([odd], ([k]) => liqoctl.run(infoCommand({ kubeconfig: k!.path, context: k!.contextName })));
  assert.equal(info.clusterId, 'cluster-b');
});

test('a missing binary: a message that says how to get liqoctl; nothing left behind', async () => {
  const made: string[] = [];
  const missing = new LiqoctlRunner(runner, () => '/nonexistent/liqoctl');
  await assert.rejects(
    withTempKubeconfigs([consumer], ([k]) => {
      noteDir(made, k);
      return missing.run(infoCommand({ kubeconfig: k!.path }));
    }),
    (e: unknown) => e instanceof LiqoctlRunError && e.reason === 'NOT_FOUND' && /liqo\.liqoctlPath/.test(e.message) && /download/.test(e.message),
  );
  removed(made);
});

test('an unreachable remote: liqoctl peer fails with its reason; no temp kubeconfig left', async () => {
  const made: string[] = [];
  const closed = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
  const dead = withServer(provider, `https://127.0.0.1:${closed}`);
  await assert.rejects(
    within(
      withTempKubeconfigs([consumer, dead], ([c, p]) => {
        noteDir(made, c);
        return liqoctl.run(peerCommand({ consumer: { kubeconfig: c!.path, context: c!.contextName }, provider: { kubeconfig: p!.path, context: p!.contextName }, timeout: '20s' }));
      }),
      60_000,
      'peer to a closed port',
    ),
    (e: unknown) => e instanceof LiqoctlRunError && e.reason === 'FAILED' && new RegExp(`127\\.0\\.0\\.1:${closed}|connection refused`).test(e.message),
  );
  removed(made);
});

test('cancelled mid-run (a remote that never answers): liqoctl ends, no process and no temp file remain', async () => {
  const sockets = new Set<net.Socket>();
  const hole = net.createServer((s) => sockets.add(s));
  await new Promise<void>((r) => hole.listen(0, '127.0.0.1', r));
  const abort = new AbortController();
  // liqoctl is cancelled and the black hole closed however the test ends: left open, the hole kept the test file's
  // process alive after a failed assertion (a CI run hung).
  try {
    const port = (hole.address() as net.AddressInfo).port;
    const silent = withServer(provider, `https://127.0.0.1:${port}`);
    const made: string[] = [];
    const run = withTempKubeconfigs([consumer, silent], async ([c, p]) => {
      noteDir(made, c);
      return liqoctl.run(peerCommand({ consumer: { kubeconfig: c!.path, context: c!.contextName }, provider: { kubeconfig: p!.path, context: p!.contextName } }), { signal: abort.signal });
    });
    // Cancel once liqoctl is connected to the black hole (it is then waiting on the remote).
    const end = Date.now() + 30_000;
    while (sockets.size === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    assert.ok(sockets.size > 0, 'liqoctl reached the silent remote');
    const dir = made[0]!;
    assert.ok((await liqoctlProcessesUsing(dir)).length > 0, 'liqoctl runs with our kubeconfig');
    abort.abort();
    await assert.rejects(within(run, 15_000, 'cancelled peer'), (e: unknown) => e instanceof LiqoctlRunError && e.reason === 'CANCELLED' && /cancelled/.test(e.message));
    assert.deepEqual(await liqoctlProcessesUsing(dir), []);
    removed(made);
  } finally {
    abort.abort();
    for (const s of sockets) s.destroy();
    hole.close();
  }
});
