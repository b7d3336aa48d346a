// Open Service in Browser's forward when the cluster is reached through an SSH tunnel (Open SSH Tunnel to API
// Server…: a real sshd on loopback, `ssh -N -L` to cluster-b's API server, a tunnel context written to a kubeconfig
// copy): the forward goes through the tunnel context's client, random payloads come back byte for byte, and when
// the SSH link drops and the tunnel is reopened, a new connection through the same local port goes through again.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { ensureTestbed, type Testbed } from '../testbed/index.ts';
import { ProcessRunner } from '../../src/infra/process/runner.ts';
import { SshTunnel, freeLocalPort } from '../../src/infra/ssh/sshTunnel.ts';
import { addTunnelContext, tunnelContextName } from '../../src/core/kubeconfig/tunnelContext.ts';
import { chooseTlsServerName } from '../../src/core/kubeconfig/tlsServerName.ts';
import { readCertificateNames } from '../../src/infra/cluster/serverCertificate.ts';
import { KubeconfigWriter, readSnapshot } from '../../src/infra/kubeconfig/writer.ts';
import { loadKubeconfigs } from '../../src/infra/kubeconfig/loadFiles.ts';
import { buildClusterList } from '../../src/core/kubeconfig/clusters.ts';
import { createClusterClient } from '../../src/infra/cluster/httpClusterClient.ts';
import type { ClusterClient } from '../../src/infra/cluster/clusterClient.ts';
import { ServicePortForward } from '../../src/infra/cluster/servicePortForward.ts';
import { eventually, privateDir } from './support/programFixtures.ts';
import { startSshServer, type SshServer } from './support/sshServer.ts';
import { testbedContexts, type Contexts } from './support/contexts.ts';
import { roundTrip, startEchoService, type EchoService } from './support/echoService.ts';

const CONTEXT = 'cluster-b';
const NS = `forward-ssh-${Date.now().toString(36)}`;

let tb: Testbed;
let sshd: SshServer;
let contexts: Contexts;
let dir: string;
let remove: () => Promise<void>;
let direct: ClusterClient;
let echo: EchoService;
const runner = new ProcessRunner({ trusted: true, killGraceMs: 1000 });

before(async () => {
  tb = await ensureTestbed('seed-000');
  ({ dir, remove } = await privateDir('liqo-forward-ssh-'));
  sshd = await startSshServer('127.0.0.1');
  contexts = await testbedContexts(tb.kubeconfig);
  direct = createClusterClient(await contexts.resolve(CONTEXT), { timeoutMs: 5000 });
  echo = await startEchoService(direct, 'cluster-b-worker', NS);
  await echo.addPod('echo-1');
});

after(async () => {
  await echo?.dispose();
  direct?.dispose();
  runner.dispose();
  await sshd?.stop();
  await contexts?.dispose();
  await remove?.();
});

/** The tunnel context to cluster-b in a kubeconfig copy, written as the product writes it; its client. */
async function tunnelClient(localPort: number): Promise<ClusterClient> {
  const file = path.join(dir, 'kubeconfig.yaml');
  const writer = new KubeconfigWriter(path.join(dir, 'backups'));
  await writer.write(await readSnapshot(file), await readFile(tb.kubeconfig, 'utf8'), 'copy');
  const server = `https://127.0.0.1:${localPort}`;
  const api = contexts.address(CONTEXT);
  const choice = chooseTlsServerName('127.0.0.1', await readCertificateNames(server, { timeoutMs: 10_000 }), api.host);
  const name = tunnelContextName(CONTEXT);
  const snap = await readSnapshot(file);
  await writer.write(snap, addTunnelContext(snap.text!, { from: CONTEXT, name, server, tlsServerName: choice.needed ? choice.name : undefined }).text, 'tunnel context');
  const list = buildClusterList(await loadKubeconfigs([{ path: file, origin: 'setting' }]));
  const entry = list.clusters.find((c) => c.contextName === name)!;
  return createClusterClient(list.resolved.get(entry.id)!, { timeoutMs: 5000 });
}

test('through an SSH tunnel context: bytes echoed, and again after the SSH link drops and the tunnel reopens', async () => {
  const api = contexts.address(CONTEXT);
  const localPort = await freeLocalPort();
  const tunnel = new SshTunnel(runner, { target: { host: sshd.host, user: 'root', port: sshd.port }, client: sshd.client, localPort, remoteHost: api.host, remotePort: api.port });
  await tunnel.open({ readyTimeoutMs: 15_000 });
  const client = await tunnelClient(localPort);
  const forward = new ServicePortForward({ client: () => client, namespace: NS, service: 'echo', port: 80, reconnect: { initialMs: 100, maxMs: 1000 }, connectDeadlineMs: 60_000 });
  try {
    const port = await forward.start();
    const before = echo.connections();
    // kwok serves a pod's port-forward only once it has read the PortForward object; after the API server restart of
    // the file before, its watch takes a while to resume, and until then every connection is reset (seen in full
    // runs), or closed before a byte came back (also seen in a full run). A browser simply connects again; so does
    // this test, for up to 60 s. A connection that echoes only part of the bytes still fails at once.
    const deadline = Date.now() + 60_000;
    const refusedByKwok = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ECONNRESET' || (e instanceof assert.AssertionError && e.actual === 0);
    for (;;) {
      try {
        await roundTrip(port, 150_000, 'through the tunnel');
        break;
      } catch (e) {
        if (Date.now() > deadline || !refusedByKwok(e)) throw e;
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
    assert.ok(echo.connections() - before >= 1, 'the connection reached the echo server');
    await sshd.dropSessions();
    assert.ok(await eventually(() => tunnel.state.kind === 'dropped', 10_000), `tunnel state ${tunnel.state.kind}`);
    // a connection while the tunnel is down waits; the tunnel is reopened on the same local port (as Reopen does)
    const trip = roundTrip(port, 100_000, 'after the tunnel was reopened', 90_000);
    await new Promise((r) => setTimeout(r, 1_000));
    await tunnel.open({ readyTimeoutMs: 15_000 });
    await trip;
    assert.equal(forward.state.kind, 'ready');
  } finally {
    forward.stop();
    client.dispose();
    await tunnel.stop();
  }
});
