// Issue 18 against a real sshd on loopback: a kubeconfig fetched over SSH is the remote host's choice, so nothing in
// it may run on this machine before the user has seen the diff and saved. The file served here names an exec plugin
// (a marker program that leaves a file when run): everything Import Kubeconfig over SSH does before its "Save?"
// question (fetch, draft, certificate read, pre-save probe) leaves no marker; the saved file's connection does run
// it, which proves the marker would have shown a run. A tokenFile naming a local file is not sent anywhere either.
// No test bed is needed: the plugin runs (or not) before any API server is asked anything.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { ProcessRunner } from '../../src/infra/process/runner.ts';
import { prepareSshImport } from '../../src/infra/ssh/sshImport.ts';
import { probeImportBeforeSave } from '../../src/infra/ssh/importProbe.ts';
import { probeEditedKubeconfig } from '../../src/infra/kubeconfig/probeEdited.ts';
import { KubeconfigWriter, readSnapshot } from '../../src/infra/kubeconfig/writer.ts';
import { privateDir, shScript } from './support/programFixtures.ts';
import { startSshServer, processesWith, type SshServer } from './support/sshServer.ts';

let sshd: SshServer;
let dir: string;
let remove: () => Promise<void>;
let trap: net.Server;
let trapPort: number;
let accepted = 0;
const runner = new ProcessRunner({ trusted: true, logger: { info: () => {}, warn: () => {}, error: () => {} } });
const HOST = '127.0.0.2';

before(async () => {
  ({ dir, remove } = await privateDir('liqo-sshexec-'));
  sshd = await startSshServer(HOST);
  // The imported servers (127.0.0.1, pointed at the host by the import) end here: every connection is counted.
  trap = net.createServer((s) => {
    accepted++;
    s.destroy();
  });
  await new Promise<void>((resolve) => trap.listen(0, HOST, resolve));
  trapPort = (trap.address() as net.AddressInfo).port;
});

after(async () => {
  runner.dispose();
  await new Promise((resolve) => trap?.close(resolve));
  await sshd?.stop();
  await remove?.();
});

async function serve(name: string, user: Record<string, unknown>): Promise<string> {
  const file = path.join(dir, 'remote', name);
  await mkdir(path.dirname(file), { recursive: true });
  const text = stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'default', cluster: { server: `https://127.0.0.1:${trapPort}` } }],
    users: [{ name: 'default', user }],
    contexts: [{ name: 'default', context: { cluster: 'default', user: 'default' } }],
    'current-context': 'default',
  });
  await writeFile(file, text, { mode: 0o600 });
  return file;
}

const fetchDraft = (remotePath: string, name: string) =>
  prepareSshImport(runner, { target: { host: HOST, user: 'root', port: sshd.port }, paths: [remotePath], sudo: false, name, client: sshd.client, timeoutMs: 20_000 });

test('an imported exec plugin runs nothing before the save (marker program), and runs once the file is saved', async () => {
  const marker = path.join(dir, 'exec-ran');
  const plugin = await shScript(
    path.join(dir, 'bin', 'remote-chosen-plugin'),
    `echo ran >> '${marker}'\necho '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"marker-token"}}'`,
  );
  const remotePath = await serve('exec.yaml', { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: plugin, args: ['get-token'] } });
  const prepared = await fetchDraft(remotePath, 'edge-exec');
  assert.deepEqual(prepared.draft.contexts, ['edge-exec']);
  assert.ok(prepared.draft.text.includes(plugin), 'the diff shows the command');
  const target = path.join(dir, 'saved', 'edge-exec.yaml');
  await mkdir(path.dirname(target), { recursive: true });

  // What the command does before its "Save?" question, with the runner that runs plugins for the view.
  const probes = await probeImportBeforeSave(target, prepared.draft.text, prepared.draft.contexts, { timeoutMs: 8000 });
  assert.equal(existsSync(marker), false, 'the exec plugin of the imported file ran before the save');
  assert.equal(probes.length, 1);
  const probe = probes[0]!;
  assert.equal(probe.kind, 'not-probed');
  assert.ok(probe.kind === 'not-probed' && probe.reason.includes(`run ${plugin} on this machine`), JSON.stringify(probe));
  assert.equal(existsSync(target), false, 'nothing saved');

  // The user saved: connecting with the saved file runs the plugin, as for any kubeconfig (the marker works).
  await new KubeconfigWriter(path.join(dir, 'backups')).write(await readSnapshot(target), prepared.draft.text, 'import');
  await probeEditedKubeconfig(target, prepared.draft.text, 'edge-exec', { timeoutMs: 8000, programs: { runner, trusted: true } });
  assert.equal(existsSync(marker), true, 'after the save the plugin runs');
  assert.deepEqual(await processesWith(path.join(sshd.dir, 'known_hosts')), []);
});

test('an imported tokenFile naming a local file is not sent to the imported server before the save', async () => {
  const local = path.join(dir, 'local-token');
  await writeFile(local, 'local-secret', { mode: 0o600 });
  const remotePath = await serve('tokenfile.yaml', { tokenFile: local });
  const prepared = await fetchDraft(remotePath, 'edge-file');
  const before = accepted;
  const probes = await probeImportBeforeSave(path.join(dir, 'saved', 'edge-file.yaml'), prepared.draft.text, prepared.draft.contexts, { timeoutMs: 5000 });
  assert.equal(probes[0]!.kind, 'not-probed');
  assert.ok(probes[0]!.kind === 'not-probed' && probes[0]!.reason.includes(`tokenFile ${local}`));
  assert.equal(accepted, before, 'the imported server was contacted with a local credential');
});

test('an imported file with its credentials inline is probed before the save', async () => {
  const remotePath = await serve('inline.yaml', { token: 'inline-token' });
  const prepared = await fetchDraft(remotePath, 'edge-inline');
  const before = accepted;
  const probes = await probeImportBeforeSave(path.join(dir, 'saved', 'edge-inline.yaml'), prepared.draft.text, prepared.draft.contexts, { timeoutMs: 5000 });
  assert.equal(probes[0]!.kind, 'probed');
  assert.ok(probes[0]!.kind === 'probed' && !probes[0]!.result.ok, 'the trap server answers nothing');
  assert.ok(accepted > before, 'the probe reached the server');
});

test('an imported oidc user (a stored id-token, no program) is probed before the save with that token', async () => {
  // A token that does not expire (no exp claim): the stored-token provider hands it over, nothing runs.
  const jwt = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"ada"}').toString('base64url')}.sig`;
  const remotePath = await serve('oidc.yaml', { 'auth-provider': { name: 'oidc', config: { 'id-token': jwt, 'client-id': 'k8s' } } });
  const prepared = await fetchDraft(remotePath, 'edge-oidc');
  const before = accepted;
  const probes = await probeImportBeforeSave(path.join(dir, 'saved', 'edge-oidc.yaml'), prepared.draft.text, prepared.draft.contexts, { timeoutMs: 5000 });
  assert.equal(probes[0]!.kind, 'probed');
  assert.ok(probes[0]!.kind === 'probed' && probes[0]!.result.ok === false && probes[0]!.result.failure.code !== 'EXEC_FAILED', JSON.stringify(probes[0]));
  assert.ok(accepted > before, 'the probe reached the server');
});
