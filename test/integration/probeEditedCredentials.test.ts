// The pre-save probe of an edited kubeconfig authenticates as the tree does: an exec-plugin user (a real plugin
// script printing the test bed's admin client certificate) connects before the edit is saved, and in a restricted
// workspace the plugin is not run and the probe says why.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { ensureTestbed } from '../testbed/index.ts';
import { ProcessRunner } from '../../src/infra/process/runner.ts';
import { probeEditedKubeconfig } from '../../src/infra/kubeconfig/probeEdited.ts';
import { renameContext } from '../../src/core/kubeconfig/edits.ts';
import { privateDir } from './support/programFixtures.ts';

type Fields = Record<string, unknown>;
let dir: string;
let remove: () => Promise<void>;
let text: string;
let counter: string;
const runner = new ProcessRunner({ trusted: true });

before(async () => {
  const tb = await ensureTestbed('seed-000');
  ({ dir, remove } = await privateDir('liqo-probe-plugin-'));
  const full = parse(await readFile(tb.kubeconfig, 'utf8')) as { clusters: { name: string; cluster: Fields }[]; users: { name: string; user: Fields }[]; contexts: { name: string; context: { cluster: string; user: string } }[] };
  const ctx = full.contexts.find((c) => c.name === tb.contexts[0])!;
  const cluster = full.clusters.find((c) => c.name === ctx.context.cluster)!.cluster;
  const admin = full.users.find((u) => u.name === ctx.context.user)!.user;
  const credential = {
    apiVersion: 'client.authentication.k8s.io/v1',
    kind: 'ExecCredential',
    status: {
      clientCertificateData: Buffer.from(String(admin['client-certificate-data']), 'base64').toString('utf8'),
      clientKeyData: Buffer.from(String(admin['client-key-data']), 'base64').toString('utf8'),
    },
  };
  await writeFile(path.join(dir, 'credential.json'), JSON.stringify(credential), { mode: 0o600 });
  counter = path.join(dir, 'runs');
  const plugin = path.join(dir, 'plugin');
  await writeFile(plugin, `#!/bin/sh\necho run >> '${counter}'\ncat '${path.join(dir, 'credential.json')}'\n`);
  await chmod(plugin, 0o700);
  text = stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster }],
    users: [{ name: 'u', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' } } }],
    contexts: [{ name: 'via-plugin', context: { cluster: 'c', user: 'u' } }],
  });
});

after(async () => {
  runner.dispose();
  await remove();
});

const runs = async (): Promise<number> => (await readFile(counter, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;

test('an edited exec-plugin context connects before saving: the plugin runs through the runner', async () => {
  const edited = renameContext(text, 'via-plugin', 'renamed').text;
  const before = await runs();
  const probe = await probeEditedKubeconfig(path.join(dir, 'kubeconfig'), edited, 'renamed', { timeoutMs: 10_000, programs: { runner, trusted: true } });
  assert.ok(probe.ok, JSON.stringify(probe));
  assert.equal((await runs()) - before, 1);
});

test('restricted workspace: the plugin is not run and the probe says so', async () => {
  const before = await runs();
  const probe = await probeEditedKubeconfig(path.join(dir, 'kubeconfig'), text, 'via-plugin', { timeoutMs: 10_000, programs: { runner, trusted: false } });
  assert.equal(probe.ok, false);
  assert.match(JSON.stringify(probe), /restricted/);
  assert.equal(await runs(), before);
});
