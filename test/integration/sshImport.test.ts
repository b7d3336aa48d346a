// Issue 10 against a real sshd on loopback (started here: its own host key and authorized key in a temp folder):
// Import Kubeconfig over SSH fetches a test-bed cluster's kubeconfig written the way k3s writes it (everything
// named `default`, server https://127.0.0.1:<port>) from a "remote path" on a host at 127.0.0.2, renames it,
// points it at the host (a forwarder there reaches the API server on the same port, as a real node would serve it),
// sets tls-server-name because the certificate does not name 127.0.0.2, and the saved file connects with the
// product's ClusterClient, TLS verified. Every failure path ends with its message, no ssh left, no file changed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { ensureTestbed, type Testbed } from '../testbed/index.ts';
import { ProcessRunner } from '../../src/infra/process/runner.ts';
import { prepareSshImport, type SshImportRequest } from '../../src/infra/ssh/sshImport.ts';
import { SshError } from '../../src/infra/ssh/sshError.ts';
import { freeLocalPort } from '../../src/infra/ssh/sshTunnel.ts';
import { KubeconfigWriter, readSnapshot } from '../../src/infra/kubeconfig/writer.ts';
import { loadKubeconfigs } from '../../src/infra/kubeconfig/loadFiles.ts';
import { buildClusterList } from '../../src/core/kubeconfig/clusters.ts';
import { createClusterClient } from '../../src/infra/cluster/httpClusterClient.ts';
import { DEFAULT_REMOTE_PATHS } from '../../src/core/ssh/remoteKubeconfig.ts';
import { privateDir } from './support/programFixtures.ts';
import { startSshServer, processesWith, nonRootLoginUser, type SshServer } from './support/sshServer.ts';

let tb: Testbed;
let sshd: SshServer;
let dir: string;
let remove: () => Promise<void>;
let remoteFile: string;
let remoteText: string;
let apiPort: number;
let forwarder: net.Server;
const sockets = new Set<net.Socket>();
// Every line the runner logs, to prove the fetched kubeconfig (it holds a client key) never reaches a log.
const logged: string[] = [];
const collect = (m: string): void => void logged.push(m);
const runner = new ProcessRunner({ trusted: true, logger: { info: collect, warn: collect, error: collect } });
const HOST = '127.0.0.2';

before(async () => {
  tb = await ensureTestbed('seed-000');
  ({ dir, remove } = await privateDir('liqo-sshimport-'));
  sshd = await startSshServer(HOST);
  // The test bed's first context, rewritten as k3s writes its k3s.yaml.
  const kc = parse(await readFile(tb.kubeconfig, 'utf8')) as { clusters: { name: string; cluster: Record<string, string> }[]; users: { name: string; user: unknown }[]; contexts: { name: string; context: { cluster: string; user: string } }[] };
  const ctx = kc.contexts.find((c) => c.name === tb.contexts[0])!;
  const cluster = kc.clusters.find((c) => c.name === ctx.context.cluster)!.cluster;
  const user = kc.users.find((u) => u.name === ctx.context.user)!.user;
  apiPort = Number(new URL(cluster.server!).port);
  assert.equal(new URL(cluster.server!).hostname, '127.0.0.1');
  remoteText = `# k3s writes this file\n${stringify({ apiVersion: 'v1', clusters: [{ cluster, name: 'default' }], contexts: [{ context: { cluster: 'default', user: 'default' }, name: 'default' }], 'current-context': 'default', kind: 'Config', preferences: {}, users: [{ name: 'default', user }] })}`;
  remoteFile = path.join(dir, 'remote', 'k3s.yaml');
  await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(remoteFile)));
  await writeFile(remoteFile, remoteText, { mode: 0o600 });
  // The "remote host" serves its API server on its own address, as a k3s node does.
  forwarder = net.createServer((client) => {
    const upstream = net.connect({ host: '127.0.0.1', port: apiPort });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => forwarder.listen(apiPort, HOST, resolve));
});

after(async () => {
  runner.dispose();
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => forwarder?.close(resolve));
  await sshd?.stop();
  await remove?.();
});

const request = (over: Partial<SshImportRequest> = {}): SshImportRequest => ({
  target: { host: HOST, user: 'root', port: sshd.port },
  paths: [remoteFile],
  sudo: false,
  name: 'edge-1',
  client: sshd.client,
  timeoutMs: 20_000,
  ...over,
});

async function noSshLeft(): Promise<void> {
  assert.equal(runner.activeCount, 0);
  assert.deepEqual(await processesWith(path.join(sshd.dir, 'known_hosts')), []);
  assert.deepEqual(await processesWith(sshd.deniedKey), []);
}

test('import over ssh: renamed, pointed at the host with tls-server-name, saved 0600, connects with TLS verified', async () => {
  const prepared = await prepareSshImport(runner, request());
  assert.equal(prepared.remotePath, remoteFile);
  assert.equal(prepared.fetched, remoteText, 'fetched byte for byte');
  assert.deepEqual(prepared.draft.contexts, ['edge-1']);
  const kc = parse(prepared.draft.text) as { clusters: { name: string; cluster: Record<string, string> }[]; 'current-context': string };
  assert.equal(kc.clusters[0]!.name, 'edge-1');
  assert.equal(kc.clusters[0]!.cluster.server, `https://${HOST}:${apiPort}`);
  assert.equal(kc.clusters[0]!.cluster['tls-server-name'], '127.0.0.1', 'the certificate names 127.0.0.1, not the host');
  assert.ok(!prepared.draft.text.includes('insecure-skip-tls-verify'));
  assert.ok(prepared.draft.text.startsWith('# k3s writes this file\n'), 'comments kept');

  const target = path.join(dir, 'saved', 'edge-1.yaml');
  await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(target)));
  const writer = new KubeconfigWriter(path.join(dir, 'backups'));
  await writer.write(await readSnapshot(target), prepared.draft.text, 'import');
  assert.equal((await stat(target)).mode & 0o777, 0o600);

  const list = buildClusterList(await loadKubeconfigs([{ path: target, origin: 'setting' }]));
  const entry = list.clusters.find((c) => c.contextName === 'edge-1')!;
  const client = createClusterClient(list.resolved.get(entry.id)!, { timeoutMs: 10_000 });
  try {
    const namespaces = await client.list('/api/v1/namespaces');
    assert.ok(namespaces.items.some((n) => (n as { metadata: { name: string } }).metadata.name === 'kube-system'));
  } finally {
    client.dispose();
  }
  await noSshLeft();
  assert.ok(logged.some((l) => l.startsWith('Running ')), 'the runner logged the ssh run');
  const key = String((parse(remoteText) as { users: { user: Record<string, string> }[] }).users[0]!.user['client-key-data']);
  for (const l of logged) assert.ok(!l.includes(key.slice(0, 40)) && !l.includes('client-key-data'), `a log line holds the kubeconfig: ${l.slice(0, 80)}`);
});

test('import over ssh: the fallback list is tried in order and the first existing path wins', async () => {
  const paths = [path.join(dir, 'remote', 'etc-rancher-k3s-missing.yaml'), path.join(dir, 'remote', 'k0s-admin-missing.conf'), remoteFile];
  const prepared = await prepareSshImport(runner, request({ paths }));
  assert.equal(prepared.remotePath, remoteFile);
  // And with sudo (root's sudo needs no password), the same file.
  const withSudo = await prepareSshImport(runner, request({ paths, sudo: true }));
  assert.equal(withSudo.fetched, remoteText);
  await noSshLeft();
});

async function failsWith(req: SshImportRequest, kind: string, message: RegExp): Promise<void> {
  const before = await readFile(remoteFile, 'utf8');
  await assert.rejects(prepareSshImport(runner, req), (err: unknown) => {
    assert.ok(err instanceof SshError, String(err));
    assert.equal(err.kind, kind, err.message);
    assert.match(err.message, message);
    assert.ok(!err.message.includes('client-key-data'), 'no kubeconfig text in the message');
    return true;
  });
  assert.equal(await readFile(remoteFile, 'utf8'), before);
  await noSshLeft();
}

test('failure: nothing listens on the port → unreachable, naming host and port', async () => {
  const port = await freeLocalPort();
  await failsWith(request({ target: { host: '127.0.0.1', user: 'root', port } }), 'unreachable', new RegExp(`127\\.0\\.0\\.1:${port}.*sshd listens on port ${port}`));
});

test('failure: a key the host does not accept → denied, with ssh-copy-id as the next step', async () => {
  await failsWith(request({ client: { ...sshd.client, identityFile: sshd.deniedKey } }), 'denied', /refused your key.*ssh-copy-id -p \d+ root@127\.0\.0\.2/);
});

test('failure: an unknown host key is refused, with how to trust it', async () => {
  await failsWith(request({ client: { ...sshd.client, knownHostsFile: sshd.emptyKnownHosts } }), 'unknown-host-key', new RegExp(`ssh-keyscan -p ${sshd.port} 127\\.0\\.0\\.2 >> ~/\\.ssh/known_hosts`));
  assert.equal(await readFile(sshd.emptyKnownHosts, 'utf8'), '', 'the host key was not accepted silently');
});

test('failure: no file at any path → remote file missing, listing the paths tried', async () => {
  const paths = [path.join(dir, 'nope-1.yaml'), path.join(dir, 'nope-2.yaml')];
  await failsWith(request({ paths }), 'remote-file-missing', /No kubeconfig at .*nope-1\.yaml, .*nope-2\.yaml on 127\.0\.0\.2/);
});

test('failure: the default paths on a host without k3s, k0s or a kubeconfig for the user', async (t) => {
  // root's ~/.kube/config on this machine is not ours to create or remove: only run when it is absent.
  const home = await stat(path.join(process.env.HOME ?? '/root', '.kube', 'config')).then(() => true, () => false);
  const k3s = await stat('/etc/rancher/k3s/k3s.yaml').then(() => true, () => false);
  if (home || k3s) return t.skip('this machine has a kubeconfig at one of the default paths');
  await failsWith(request({ paths: DEFAULT_REMOTE_PATHS }), 'remote-file-missing', /\/etc\/rancher\/k3s\/k3s\.yaml, \/var\/lib\/k0s\/pki\/admin\.conf, ~\/\.kube\/config/);
});

test('failure: sudo asking a non-root user for a password is an error, not a hang', async (t) => {
  const user = await nonRootLoginUser();
  if (!user) return t.skip('no non-root login account on this machine (the unit test classifies real sudo -n output)');
  await failsWith(request({ target: { host: HOST, user, port: sshd.port }, sudo: true }), 'sudo-password', /asks .* for a password.*sudo -n/);
});
