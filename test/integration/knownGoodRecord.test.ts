// Issue 20 on the seed-000 test bed: the known-good record taken from the real model (real API servers, the test
// bed's Liqo objects) captures the peering, slice, offloading, versions and connection facts, holds none of the
// test bed's secrets (every Secret's data, every kubeconfig credential), and is stored by itself once, in the ring.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { ensureTestbed, type Testbed } from '../testbed/index.ts';
import { makeHarness, trackUnhandledRejections, type Harness } from './support/treeHarness.ts';
import { federationsOf, isHealthy, observeFederation } from '../../src/core/federation/knownGood.ts';
import { recordToYaml } from '../../src/core/federation/recordYaml.ts';
import { gatherFacts } from '../../src/infra/federation/gatherFacts.ts';
import { RecordRing } from '../../src/infra/federation/recordRing.ts';
import { AutoRecorder } from '../../src/infra/federation/autoRecorder.ts';
import { silentLogger } from '../../src/infra/log.ts';
import { secretsOfTestbed } from './support/testbedSecrets.ts';

const run = promisify(execFile);
let tb: Testbed;
let h: Harness;
const rejections = trackUnhandledRejections();
const CONSUMER = 'kind-mlops-platform';
const PROVIDER = 'cluster-b';

before(async () => {
  tb = await ensureTestbed('seed-000');
  h = makeHarness([tb.kubeconfig]);
  await h.open();
  await h.until(() => h.model.settled && h.quiet() && h.model.clusters.every((e) => h.model.session(e.id)?.clusterId), 'both clusters watched with their cluster IDs');
});

after(() => {
  h?.dispose();
  rejections.stop();
});

const testbedSecrets = () => secretsOfTestbed(tb);

test('the record of the real federation: peering, slice, offloading, versions and connection facts', async () => {
  const facts = await gatherFacts(h.model);
  const groups = federationsOf(facts).filter((g) => g.length > 1);
  assert.deepEqual(groups, [[PROVIDER, CONSUMER].sort()]);
  const observed = observeFederation(facts, groups[0]!, new Date().toISOString());
  assert.equal(isHealthy(observed), true, JSON.stringify([...observed.peeringHealth, ...observed.offloadingPhase]));
  const r = observed.record;
  assert.deepEqual(r.peerings.map((p) => [p.consumer.clusterId, p.consumer.context, p.provider.clusterId, p.provider.context, p.networking]), [[CONSUMER, CONSUMER, PROVIDER, PROVIDER, true]]);
  assert.ok(r.peerings[0]!.resourceSlices.length >= 1, 'the accepted ResourceSlice is recorded');
  assert.equal(r.offloadings[0]?.namespace, 'kubeflow');
  assert.equal(r.offloadings[0]?.podOffloadingStrategy, 'LocalAndRemote');
  for (const c of r.clusters) {
    assert.match(c.kubernetesVersion ?? '', /^v1\.34\.\d+/, 'Kubernetes down to the micro version');
    assert.equal(c.liqoVersion, 'v1.0.1');
    assert.equal(c.liqoNamespace, 'liqo');
  }
  // The CA fingerprint is openssl's for the CA the kubeconfig embeds.
  const kc = parse(await readFile(tb.kubeconfig, 'utf8')) as { clusters: { name: string; cluster: Record<string, string> }[]; contexts: { name: string; context: { cluster: string } }[] };
  const ctx = kc.contexts.find((c) => c.name === CONSUMER)!;
  const ca = Buffer.from(kc.clusters.find((c) => c.name === ctx.context.cluster)!.cluster['certificate-authority-data']!, 'base64');
  const dir = await mkdtemp(path.join(tmpdir(), 'kg-ca-'));
  try {
    const caFile = path.join(dir, 'ca.crt');
    await (await import('node:fs/promises')).writeFile(caFile, ca);
    const { stdout } = await run('openssl', ['x509', '-in', caFile, '-noout', '-fingerprint', '-sha256']);
    assert.deepEqual(r.contexts.find((c) => c.name === CONSUMER)?.caSha256, [stdout.trim().replace(/^.*=/, '')]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('no secret of the test bed reaches the record', async () => {
  const facts = await gatherFacts(h.model);
  const yaml = recordToYaml(observeFederation(facts, federationsOf(facts).find((g) => g.length > 1)!, 'now').record);
  const secrets = await testbedSecrets();
  assert.ok(secrets.length > 3, `the test bed has secrets to look for (${secrets.length})`);
  const kc = parse(await readFile(tb.kubeconfig, 'utf8')) as { users: { user: Record<string, string> }[] };
  assert.ok(secrets.includes(kc.users[0]!.user['client-key-data']!), 'the kubeconfig client keys are among them');
  // The check itself finds a secret that is there.
  assert.ok(secrets.some((x) => `${yaml}${secrets[0]}`.includes(x)));
  for (const s of secrets) assert.ok(!yaml.includes(s), `a test bed secret (${s.slice(0, 6)}…) is in the record`);
});

test('the recorder stores a healthy federation by itself, once', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'kg-ring-'));
  const recorder = new AutoRecorder(h.model, new RecordRing(dir), silentLogger, 60_000);
  try {
    await recorder.recordNow();
    await recorder.recordNow();
    const files = await readdir(dir);
    assert.equal(files.length, 1, files.join(', '));
    const text = await readFile(path.join(dir, files[0]!), 'utf8');
    for (const s of await testbedSecrets()) assert.ok(!text.includes(s), 'no secret in the stored record');
  } finally {
    recorder.dispose();
    await rm(dir, { recursive: true, force: true });
  }
});
