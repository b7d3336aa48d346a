// Proxies as kubectl honours them (issue 18), against a test bed API server behind real proxies on loopback: a
// SOCKS5 server and an HTTP CONNECT proxy written as test parts, each counting what it carries. A cluster's
// socks5:// proxy-url is used (with and without username/password); HTTPS_PROXY from the environment is used for a
// server named by a name only the proxy knows (`api.proxied.test`, never resolved here: the proxies map it to the
// API server on 127.0.0.1, and tls-server-name `kubernetes` keeps TLS verified); NO_PROXY sends it direct (the
// direct attempt cannot resolve the name, which proves the proxy was skipped); and the environment never captures
// the test bed's own 127.0.0.1 address (Go's rule). The environment is passed to the client, not set globally.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { ensureTestbed } from '../testbed/index.ts';
import { createClusterClient } from '../../src/infra/cluster/httpClusterClient.ts';
import { KubeApiError } from '../../src/infra/cluster/clusterClient.ts';
import type { ProxyEnvironment } from '../../src/core/connection/proxy.ts';
import type { ResolvedContext } from '../../src/core/kubeconfig/resolved.ts';
import { testbedContexts, type Contexts } from './support/contexts.ts';
import { startConnectProxy, type ConnectProxy } from './support/connectProxy.ts';
import { startSocks5Server, type Socks5Server } from './support/socks5Server.ts';

const CONSUMER = 'kind-mlops-platform';
const NAME = 'api.proxied.test';
let contexts: Contexts;
let api: { host: string; port: number };
let socks: Socks5Server;
let socksAuth: Socks5Server;
let connect: ConnectProxy;

before(async () => {
  const tb = await ensureTestbed('seed-000');
  contexts = await testbedContexts(tb.kubeconfig);
  api = contexts.address(CONSUMER);
  const hosts = { [NAME]: api.host };
  socks = await startSocks5Server({ hosts });
  socksAuth = await startSocks5Server({ hosts, auth: { username: 'ada', password: 'p:ss@word' } });
  connect = await startConnectProxy(undefined, hosts);
});
after(async () => {
  await socks?.close();
  await socksAuth?.close();
  await connect?.close();
  contexts?.dispose();
});

async function namespaces(resolved: ResolvedContext, env: ProxyEnvironment = {}): Promise<number> {
  const client = createClusterClient(resolved, { timeoutMs: 6000, proxyEnvironment: env });
  try {
    return (await client.list('/api/v1/namespaces')).items.length;
  } finally {
    client.dispose();
  }
}

const byName = (edit?: (c: Record<string, unknown>) => void) =>
  contexts.resolve(CONSUMER, (c) => {
    c.server = `https://${NAME}:${api.port}`;
    c['tls-server-name'] = 'kubernetes';
    edit?.(c);
  });

test('proxy-url socks5://: requests go through the SOCKS5 proxy, the name resolved by the proxy', async () => {
  const before = socks.accepted();
  assert.ok((await namespaces(await byName((c) => (c['proxy-url'] = `socks5://127.0.0.1:${socks.port}`)))) > 0);
  assert.ok(socks.accepted() > before);
  assert.equal(socks.targets.at(-1), `${NAME}:${api.port}`);
  // The test bed's own address through it too: proxy-url applies whatever the server's address.
  assert.ok((await namespaces(await contexts.resolve(CONSUMER, (c) => (c['proxy-url'] = `socks5://127.0.0.1:${socks.port}`)))) > 0);
  assert.equal(socks.targets.at(-1), `${api.host}:${api.port}`);
});

test('proxy-url socks5:// with username and password (RFC 1929); wrong ones are an EPROXY error that says so', async () => {
  assert.ok((await namespaces(await byName((c) => (c['proxy-url'] = `socks5://ada:p%3Ass%40word@127.0.0.1:${socksAuth.port}`)))) > 0);
  assert.equal(socksAuth.targets.at(-1), `${NAME}:${api.port}`);
  const err = await namespaces(await byName((c) => (c['proxy-url'] = `socks5://ada:wrong@127.0.0.1:${socksAuth.port}`))).catch((e: unknown) => e);
  assert.ok(err instanceof KubeApiError, String(err));
  assert.equal(err.code, 'EPROXY');
  assert.match(err.message, /refused the username and password/);
  assert.ok(!err.message.includes('wrong'), 'no password in the message');
});

test('HTTPS_PROXY from the environment: an http CONNECT proxy or a socks5 one carries the connection', async () => {
  const tunnels = connect.tunnels.length;
  assert.ok((await namespaces(await byName(), { HTTPS_PROXY: `http://127.0.0.1:${connect.port}` })) > 0);
  assert.deepEqual(connect.tunnels.slice(tunnels), [`${NAME}:${api.port}`]);
  const before = socks.accepted();
  assert.ok((await namespaces(await byName(), { https_proxy: `socks5://127.0.0.1:${socks.port}` })) > 0);
  assert.ok(socks.accepted() > before);
});

test('NO_PROXY sends the server direct (domain, and domain:port), but not for another port', async () => {
  const env = { HTTPS_PROXY: `http://127.0.0.1:${connect.port}` };
  for (const noProxy of ['.test', `${NAME}:${api.port}`, 'proxied.test', '*']) {
    const tunnels = connect.tunnels.length;
    const err = await namespaces(await byName(), { ...env, NO_PROXY: noProxy }).catch((e: unknown) => e);
    assert.ok(err instanceof KubeApiError, `NO_PROXY=${noProxy}: the name resolved directly?`);
    assert.match(String(err.code), /ENOTFOUND|EAI_AGAIN/, `NO_PROXY=${noProxy}: ${err.message}`);
    assert.equal(connect.tunnels.length, tunnels, `NO_PROXY=${noProxy}: the proxy was used`);
  }
  const tunnels = connect.tunnels.length;
  assert.ok((await namespaces(await byName(), { ...env, NO_PROXY: `${NAME}:1` })) > 0);
  assert.equal(connect.tunnels.length, tunnels + 1);
});

test("the environment's proxy never captures the test bed's loopback address (Go does not proxy loopback)", async () => {
  const tunnels = connect.tunnels.length;
  assert.ok((await namespaces(await contexts.resolve(CONSUMER), { HTTPS_PROXY: `http://127.0.0.1:${connect.port}`, NO_PROXY: '' })) > 0);
  assert.equal(connect.tunnels.length, tunnels, 'a 127.0.0.1 server went through the proxy');
});

test('a proxy that cannot be reached is named as the failure (with where it was set), not the API server', async () => {
  const closed = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
  for (const env of [{ HTTPS_PROXY: `http://127.0.0.1:${closed}` }, { HTTPS_PROXY: `socks5://127.0.0.1:${closed}` }]) {
    const err = await namespaces(await byName(), env).catch((e: unknown) => e);
    assert.ok(err instanceof KubeApiError, String(err));
    assert.equal(err.code, 'EPROXY', err.message);
    assert.match(err.message, new RegExp(`proxy 127\\.0\\.0\\.1:${closed} \\(HTTPS_PROXY\\): ECONNREFUSED`));
  }
});
