// Read-only contexts on the seed-000 test bed: every verb that writes to a cluster is refused on a context that
// matches liqo.readOnlyContexts, through the clients of the FederationModel's own sessions (the ones the commands
// use) and the liqoctl runner the extension builds with the same guard. Proof that nothing was written is the API
// server's own record: the test bed runs kube-apiserver with an audit log of every write verb (test/testbed/
// cluster.ts AUDIT_POLICY); the writes sent by this extension (user agent liqo-vscode) and by liqoctl are counted
// before and after each refused command, on both clusters. liqoctl is a wrapper script around the real binary that
// records each spawn: a refused command spawns none. A last test checks the counters do move when writes are allowed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { auditLogPath, ensureTestbed, type Testbed } from '../testbed/index.ts';
import { FederationModel } from '../../src/infra/federationModel.ts';
import { ProcessRunner } from '../../src/infra/process/runner.ts';
import { LiqoctlRunner } from '../../src/infra/liqoctl/liqoctlRunner.ts';
import { ReadOnlyRefusal } from '../../src/infra/writes/readOnlyGuard.ts';
import { applyObject, deleteObject } from '../../src/infra/writes/applyObject.ts';
import { peerClusters, unpeerClusters } from '../../src/infra/operations/peering.ts';
import { offloadNamespace, unoffloadNamespace } from '../../src/infra/operations/offloading.ts';
import { requestResources } from '../../src/infra/operations/requestResources.ts';
import { verifyOffloading } from '../../src/infra/operations/verifyOffloading.ts';
import { requireSuccess, targetArgs } from '../../src/core/liqoctl/command.ts';
import type { ClusterClient } from '../../src/infra/cluster/clusterClient.ts';
import type { ResolvedContext } from '../../src/core/kubeconfig/resolved.ts';

const CONSUMER = 'kind-mlops-platform';
const PROVIDER = 'cluster-b';

let tb: Testbed;
let model: FederationModel;
let liqoctl: LiqoctlRunner;
let programs: ProcessRunner;
let spawnDir: string;
let spawnLog: string;

interface Side {
  client: ClusterClient;
  resolved: ResolvedContext;
}

function side(context: string): Side {
  const entry = model.clusters.find((c) => c.contextName === context);
  const s = entry ? model.session(entry.id) : undefined;
  if (!s?.client || !s.resolvedContext) throw new Error(`${context} has no connected session`);
  return { client: s.client, resolved: s.resolvedContext };
}

/** Write requests this extension (liqo-vscode) and liqoctl sent, as the API server of `context` recorded them. */
function auditedWrites(context: string): number {
  const file = auditLogPath(context);
  if (!existsSync(file)) return 0;
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { userAgent?: string; verb?: string; stage?: string })
    .filter((e) => e.stage === 'ResponseComplete' && /^(liqo-vscode|liqoctl)/.test(e.userAgent ?? '')).length;
}

function spawns(): number {
  return existsSync(spawnLog) ? readFileSync(spawnLog, 'utf8').split('\n').filter(Boolean).length : 0;
}

/** Runs a command that must be refused, and shows that neither API server recorded a write and no liqoctl ran. */
async function refusedWithoutWrites(what: string, pattern: string, run: () => Promise<unknown>): Promise<void> {
  const before = { consumer: auditedWrites(CONSUMER), provider: auditedWrites(PROVIDER), spawns: spawns() };
  await assert.rejects(run(), (e: unknown) => {
    assert.ok(e instanceof ReadOnlyRefusal, `${what}: ${String(e)}`);
    assert.match(e.message, /liqo\.readOnlyContexts/, `${what}: names the setting`);
    assert.ok(e.message.includes(`"${pattern}"`), `${what}: names the pattern ${pattern}: ${e.message}`);
    assert.match(e.message, /To allow writes/, `${what}: says how to lift it`);
    return true;
  });
  // The audit log is written as requests complete: a write that slipped through would show within this wait.
  await sleep(1500);
  assert.deepEqual({ consumer: auditedWrites(CONSUMER), provider: auditedWrites(PROVIDER), spawns: spawns() }, before, `${what}: nothing written, no liqoctl`);
}

before(async () => {
  tb = await ensureTestbed('seed-000');
  spawnDir = mkdtempSync(path.join(os.tmpdir(), 'liqo-readonly-liqoctl-'));
  spawnLog = path.join(spawnDir, 'spawns');
  const wrapper = path.join(spawnDir, 'liqoctl');
  writeFileSync(wrapper, `#!/bin/sh\necho "$1" >> '${spawnLog}'\nexec '${tb.liqoctl}' "$@"\n`);
  chmodSync(wrapper, 0o700);
  const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
  model = new FederationModel({ sources: [{ path: tb.kubeconfig, origin: 'default' }], timeoutMs: 10_000, allowExec: false }, log);
  model.setVisible(true);
  await model.activate();
  // Sessions connect on their own once the view is active; wait for both clients.
  const end = Date.now() + 60_000;
  while (Date.now() < end) {
    try {
      side(CONSUMER);
      side(PROVIDER);
      break;
    } catch {
      await sleep(200);
    }
  }
  programs = new ProcessRunner({ trusted: true });
  liqoctl = new LiqoctlRunner(programs, () => wrapper, model.readOnly);
});

after(() => {
  model?.dispose();
  programs?.dispose();
  if (spawnDir) rmSync(spawnDir, { recursive: true, force: true });
});

test('the test bed records our writes in its audit log (the counter this suite trusts moves when writes are allowed)', async () => {
  model.setReadOnlyContexts([]);
  const { client } = side(CONSUMER);
  const before = auditedWrites(CONSUMER);
  const cmPath = '/api/v1/namespaces/default/configmaps/readonly-audit-probe';
  await applyObject(client, cmPath, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'readonly-audit-probe', namespace: 'default' }, data: { a: '1' } });
  await deleteObject(client, cmPath);
  const end = Date.now() + 10_000;
  while (auditedWrites(CONSUMER) < before + 4 && Date.now() < end) await sleep(200);
  // dry-run apply, apply, dry-run delete, delete
  assert.equal(auditedWrites(CONSUMER) - before, 4);
  // and the wrapper records a spawn
  const s = spawns();
  await liqoctl.run({ args: ['version', '--client'], title: 'version', parse: () => undefined });
  assert.equal(spawns(), s + 1);
});

test('Peer: refused when the consumer is read-only, and when only the provider is', async () => {
  const c = side(CONSUMER);
  const p = side(PROVIDER);
  model.setReadOnlyContexts(['*mlops*']);
  await refusedWithoutWrites('Peer (read-only consumer)', '*mlops*', () => peerClusters(liqoctl, { resolved: c.resolved }, { resolved: p.resolved }, { networkingDisabled: true }));
  model.setReadOnlyContexts(['cluster-?']);
  await refusedWithoutWrites('Peer (read-only provider)', 'cluster-?', () => peerClusters(liqoctl, { resolved: c.resolved }, { resolved: p.resolved }, { networkingDisabled: true }));
});

test('Unpeer: refused on either side', async () => {
  const c = side(CONSUMER);
  const p = side(PROVIDER);
  model.setReadOnlyContexts([CONSUMER]);
  await refusedWithoutWrites('Unpeer (read-only consumer)', CONSUMER, () => unpeerClusters(liqoctl, { resolved: c.resolved }, { resolved: p.resolved }));
  model.setReadOnlyContexts(['CLUSTER-*']);
  await refusedWithoutWrites('Unpeer (read-only provider)', 'CLUSTER-*', () => unpeerClusters(liqoctl, { resolved: c.resolved }, { resolved: p.resolved }));
});

test('Offload and Unoffload: the NamespaceOffloading is neither applied (not even as a dry run) nor deleted', async () => {
  model.setReadOnlyContexts(['*prod*', 'kind-*']);
  const { client } = side(CONSUMER);
  await refusedWithoutWrites('Offload', 'kind-*', () => offloadNamespace(client, 'analytics', { podOffloadingStrategy: 'LocalAndRemote', namespaceMappingStrategy: 'DefaultName', clusterSelector: [] }, { timeoutMs: 5_000 }));
  await refusedWithoutWrites('Unoffload', 'kind-*', () => unoffloadNamespace(client, 'kubeflow', { timeoutMs: 5_000 }));
  // kubeflow is still offloaded
  await client.get('/apis/offloading.liqo.io/v1beta1/namespaces/kubeflow/namespaceoffloadings/offloading');
});

test('Install Liqo: liqoctl install is not spawned on a read-only context', async () => {
  model.setReadOnlyContexts(['*platform']);
  const { resolved } = side(CONSUMER);
  await refusedWithoutWrites('Install', '*platform', () =>
    liqoctl.runOn([resolved], ([k]) => ({ args: ['install', 'kind', '--cluster-id', 'ro-test', ...targetArgs({ kubeconfig: k!.path, context: k!.contextName })], title: 'install', parse: requireSuccess })),
  );
});

test('Request Resources: no ResourceSlice is written', async () => {
  model.setReadOnlyContexts([CONSUMER]);
  const { client } = side(CONSUMER);
  const fcs = (await client.list('/apis/core.liqo.io/v1beta1/foreignclusters', {})).items as { spec?: { clusterID?: string }; status?: { tenantNamespace?: { local?: string } } }[];
  const fc = fcs.find((f) => f.status?.tenantNamespace?.local);
  assert.ok(fc, 'seed-000 has a peering with a tenant namespace');
  await refusedWithoutWrites('Request Resources', CONSUMER, () =>
    requestResources(client, { name: 'ro-slice', tenantNamespace: fc.status!.tenantNamespace!.local!, providerClusterId: fc.spec?.clusterID ?? '', resources: { cpu: '1' } }, { timeoutMs: 5_000 }),
  );
});

test('Verify Offloading: the probe pod is not created', async () => {
  model.setReadOnlyContexts([CONSUMER]);
  const c = side(CONSUMER);
  const p = side(PROVIDER);
  await refusedWithoutWrites('Verify Offloading', CONSUMER, async () => {
    const report = await verifyOffloading({ context: CONSUMER, client: c.client, namespace: 'kubeflow', providerFor: async () => ({ context: PROVIDER, client: p.client }) }, { startTimeoutMs: 5_000, logSeconds: 1 });
    // A verify that turned the refusal into a finding would also have written nothing; it must still be refused.
    throw new Error(`verify ran: ${JSON.stringify(report)}`);
  });
});

test('reads still work on a read-only context, and another context stays writable', async () => {
  model.setReadOnlyContexts([CONSUMER]);
  const c = side(CONSUMER);
  assert.ok((await c.client.list('/api/v1/namespaces', {})).items.length > 0);
  const p = side(PROVIDER);
  const cmPath = '/api/v1/namespaces/default/configmaps/readonly-other-side';
  const before = auditedWrites(PROVIDER);
  await applyObject(p.client, cmPath, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'readonly-other-side', namespace: 'default' } });
  await deleteObject(p.client, cmPath);
  const end = Date.now() + 10_000;
  while (auditedWrites(PROVIDER) < before + 4 && Date.now() < end) await sleep(200);
  assert.equal(auditedWrites(PROVIDER) - before, 4);
  model.setReadOnlyContexts([]);
});
