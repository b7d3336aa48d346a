// Open SSH Tunnel to API Server… against a real sshd on loopback: `ssh -N -L` through the one ProcessRunner to a
// test-bed API server. The tunnel context (a copy of the cluster at the local end) serves lists through the product's
// ClusterClient until the tunnel is stopped; stopping, a dropped link and the window closing (the runner's dispose)
// each leave no ssh process; a drop is reported and the tunnel reopens on request; failures carry their message.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';
import { ensureTestbed, type Testbed } from '../testbed/index.ts';
import { ProcessRunner } from '../../src/infra/process/runner.ts';
import { SshTunnel, freeLocalPort, type TunnelState } from '../../src/infra/ssh/sshTunnel.ts';
import { SshError } from '../../src/infra/ssh/sshError.ts';
import { addTunnelContext, tunnelContextName } from '../../src/core/kubeconfig/tunnelContext.ts';
import { chooseTlsServerName } from '../../src/core/kubeconfig/tlsServerName.ts';
import { readCertificateNames } from '../../src/infra/cluster/serverCertificate.ts';
import { KubeconfigWriter, readSnapshot } from '../../src/infra/kubeconfig/writer.ts';
import { loadKubeconfigs } from '../../src/infra/kubeconfig/loadFiles.ts';
import { buildClusterList } from '../../src/core/kubeconfig/clusters.ts';
import { createClusterClient } from '../../src/infra/cluster/httpClusterClient.ts';
import { eventually, privateDir } from './support/programFixtures.ts';
import { startSshServer, processesWith, type SshServer } from './support/sshServer.ts';
import { testbedContexts, type Contexts } from './support/contexts.ts';

let tb: Testbed;
let sshd: SshServer;
let contexts: Contexts;
let dir: string;
let remove: () => Promise<void>;
let api: { host: string; port: number };
const runner = new ProcessRunner({ trusted: true, killGraceMs: 1000 });

before(async () => {
  tb = await ensureTestbed('seed-000');
  ({ dir, remove } = await privateDir('liqo-tunnel-'));
  sshd = await startSshServer('127.0.0.1');
  contexts = await testbedContexts(tb.kubeconfig);
  api = contexts.address(tb.contexts[0]!);
});

after(async () => {
  runner.dispose();
  await sshd?.stop();
  await contexts?.dispose();
  await remove?.();
});

const sshFor = (port: number): Promise<number[]> => processesWith(`127.0.0.1:${port}:`);

function tunnel(localPort: number, over: Partial<ConstructorParameters<typeof SshTunnel>[1]> = {}, r = runner): SshTunnel {
  return new SshTunnel(r, { target: { host: sshd.host, user: 'root', port: sshd.port }, client: sshd.client, localPort, remoteHost: api.host, remotePort: api.port, ...over });
}

/** The test bed's kubeconfig copy with a tunnel context written through the one writer. */
async function writeTunnelContext(localPort: number): Promise<{ file: string; name: string }> {
  const file = path.join(dir, `kubeconfig-${localPort}.yaml`);
  const writer = new KubeconfigWriter(path.join(dir, 'backups'));
  await writer.write(await readSnapshot(file), await readFile(tb.kubeconfig, 'utf8'), 'copy');
  const server = `https://127.0.0.1:${localPort}`;
  const names = await readCertificateNames(server, { timeoutMs: 10_000 });
  const choice = chooseTlsServerName('127.0.0.1', names, api.host);
  const name = tunnelContextName(tb.contexts[0]!);
  const snap = await readSnapshot(file);
  const edited = addTunnelContext(snap.text!, { from: tb.contexts[0]!, name, server, tlsServerName: choice.needed ? choice.name : undefined });
  await writer.write(snap, edited.text, 'tunnel context');
  return { file, name };
}

async function listThrough(file: string, name: string): Promise<number> {
  const list = buildClusterList(await loadKubeconfigs([{ path: file, origin: 'setting' }]));
  const entry = list.clusters.find((c) => c.contextName === name)!;
  const client = createClusterClient(list.resolved.get(entry.id)!, { timeoutMs: 5000 });
  try {
    return (await client.list('/api/v1/namespaces')).items.length;
  } finally {
    client.dispose();
  }
}

test('a tunnel serves lists through its context until stopped; stop leaves no ssh', async () => {
  const port = await freeLocalPort();
  const t = tunnel(port);
  const states: TunnelState['kind'][] = [];
  t.onDidChange((s) => states.push(s.kind));
  await t.open({ readyTimeoutMs: 15_000 });
  assert.equal(t.state.kind, 'open');
  assert.equal((await sshFor(port)).length, 1, 'one ssh process, found by its -L argument');
  const { file, name } = await writeTunnelContext(port);
  assert.ok((await listThrough(file, name)) > 0);
  assert.ok((await listThrough(file, name)) > 0, 'a second client through the same tunnel');
  await t.stop();
  assert.deepEqual(states, ['starting', 'open', 'stopped']);
  assert.deepEqual(await sshFor(port), []);
  assert.equal(runner.activeCount, 0);
  await assert.rejects(listThrough(file, name), 'nothing answers at the local end once stopped');
});

test('a dropped link is reported with its reason, leaves no ssh, and the tunnel reopens on request', async () => {
  const port = await freeLocalPort();
  const t = tunnel(port);
  await t.open({ readyTimeoutMs: 15_000 });
  await sshd.dropSessions();
  assert.ok(await eventually(() => t.state.kind === 'dropped', 10_000), `state ${t.state.kind}`);
  assert.match((t.state as { message: string }).message, /127\.0\.0\.1/);
  assert.ok(await eventually(async () => (await sshFor(port)).length === 0, 5000));
  await t.open({ readyTimeoutMs: 15_000 });
  const { file, name } = await writeTunnelContext(port);
  assert.ok((await listThrough(file, name)) > 0);
  await t.stop();
  assert.deepEqual(await sshFor(port), []);
});

test('through a jump host (-J, as in seed 004): lists work, and stop ends both ssh processes', async () => {
  const port = await freeLocalPort();
  const jump = `root@${sshd.host}:${sshd.port}`;
  // The jump host by address, the target by name: ssh refuses a jump to the very same destination.
  const t = tunnel(port, { target: { host: 'localhost', user: 'root', port: sshd.port, jump }, client: { configFile: sshd.configFile } });
  await t.open({ readyTimeoutMs: 15_000 });
  // The ssh to the target, and the one it starts for the jump (ssh -W), both name the config file.
  assert.ok(await eventually(async () => (await processesWith(sshd.configFile)).length >= 2, 5000), 'two ssh processes: target and jump');
  const { file, name } = await writeTunnelContext(port);
  assert.ok((await listThrough(file, name)) > 0);
  await t.stop();
  assert.ok(await eventually(async () => (await processesWith(sshd.configFile)).length === 0, 5000), 'the jump ssh ended with the tunnel');
});

test('the tunnel dies with the window: the runner disposed kills its process group', async () => {
  const own = new ProcessRunner({ trusted: true, killGraceMs: 1000 });
  const port = await freeLocalPort();
  const t = tunnel(port, {}, own);
  await t.open({ readyTimeoutMs: 15_000 });
  assert.equal((await sshFor(port)).length, 1);
  own.dispose();
  assert.ok(await eventually(async () => (await sshFor(port)).length === 0, 5000));
  await t.stop();
});

async function failsWith(t: SshTunnel, kind: string, message: RegExp): Promise<void> {
  await assert.rejects(t.open({ readyTimeoutMs: 15_000 }), (err: unknown) => {
    assert.ok(err instanceof SshError, String(err));
    assert.equal(err.kind, kind, err.message);
    assert.match(err.message, message);
    return true;
  });
  assert.equal(t.state.kind, 'stopped');
  assert.deepEqual(await sshFor(t.spec.localPort), []);
  assert.equal(runner.activeCount, 0);
}

test('failure: a local port already in use is refused before ssh starts, with a message naming the port', async () => {
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const port = (holder.address() as net.AddressInfo).port;
  try {
    await failsWith(tunnel(port), 'local-port-busy', new RegExp(`local port ${port} is in use`));
  } finally {
    await new Promise((resolve) => holder.close(resolve));
  }
});

test('failure: unknown host key, denied key and unreachable sshd each stop the tunnel with their message', async () => {
  await failsWith(tunnel(await freeLocalPort(), { client: { ...sshd.client, knownHostsFile: sshd.emptyKnownHosts } }), 'unknown-host-key', /ssh-keyscan/);
  await failsWith(tunnel(await freeLocalPort(), { client: { ...sshd.client, identityFile: sshd.deniedKey } }), 'denied', /refused your key/);
  const dead = await freeLocalPort();
  await failsWith(tunnel(await freeLocalPort(), { target: { host: '127.0.0.1', user: 'root', port: dead } }), 'unreachable', new RegExp(`127\\.0\\.0\\.1:${dead}`));
});

test('an API server the ssh host cannot reach: the tunnel opens, connections through it fail, and ssh says why', async () => {
  const port = await freeLocalPort();
  const dead = await freeLocalPort();
  const t = tunnel(port, { remotePort: dead });
  await t.open({ readyTimeoutMs: 15_000 });
  assert.ok(await eventually(() => t.forwardProblem() !== undefined, 5000), 'the readiness connection was refused on the far side');
  assert.match(t.forwardProblem()!, new RegExp(`could not open the forwarded connection to 127\\.0\\.0\\.1:${dead}.*AllowTcpForwarding`));
  await t.stop();
  assert.deepEqual(await sshFor(port), []);
});

test('restricted workspace: the runner refuses before ssh starts', async () => {
  const restricted = new ProcessRunner({ trusted: false });
  const port = await freeLocalPort();
  await assert.rejects(tunnel(port, {}, restricted).open({ readyTimeoutMs: 5000 }), (err: unknown) => err instanceof SshError && err.kind === 'blocked' && /restricted/.test(err.message));
  assert.deepEqual(await sshFor(port), []);
});
