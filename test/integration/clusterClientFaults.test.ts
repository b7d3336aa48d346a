// The ClusterClient's failure handling against real test-bed API servers: tls-server-name, an x509 name mismatch
// explained with the certificate's names, a token user on an http:// address, a black-holed connection found dead
// within the timeout (HTTP/2 through a TCP forwarder; HTTP/1.1 through a frozen `kubectl proxy`), and a provider's
// credential refreshed once on 401.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { ensureTestbed, type Testbed } from '../testbed/index.ts';
import { createClusterClient } from '../../src/infra/cluster/httpClusterClient.ts';
import { KubeApiError } from '../../src/infra/cluster/clusterClient.ts';
import { ConnectionPool, H1_REQUEST_SOCKETS } from '../../src/infra/cluster/connectionPool.ts';
import { ClusterCredentials } from '../../src/infra/cluster/clusterCredentials.ts';
import { connectionSpec } from '../../src/core/kubeconfig/connectionSpec.ts';
import { probeCluster } from '../../src/infra/cluster/probe.ts';
import { describeConnectionFailure } from '../../src/core/connection/describe.ts';
import type { Credential, CredentialProvider } from '../../src/infra/credentials/credentialProvider.ts';
import { testbedContexts, type Contexts } from './support/contexts.ts';
import { startForwarder } from './support/tcpForwarder.ts';
import { startConnectProxy } from './support/connectProxy.ts';
import { FaultProxy } from './support/faultProxy.ts';

const CONSUMER = 'kind-mlops-platform';
const run = promisify(execFile);

let tb: Testbed;
let contexts: Contexts;

before(async () => {
  tb = await ensureTestbed('seed-000');
  contexts = await testbedContexts(tb.kubeconfig);
});

after(() => contexts.dispose());

test('tls-server-name makes an address the certificate lacks valid; without it the mismatch is explained', async () => {
  const fwd = await startForwarder(contexts.address(CONSUMER), '127.0.0.2');
  const server = `https://127.0.0.2:${fwd.port}`;
  try {
    const plain = await contexts.resolve(CONSUMER, (c) => (c.server = server));
    const c1 = createClusterClient(plain, { timeoutMs: 4000 });
    const r1 = await probeCluster(c1, plain, { timeoutMs: 4000 });
    c1.dispose();
    assert.ok(!r1.ok);
    const p = describeConnectionFailure(r1.failure);
    assert.equal(p.kind, 'tls-name-mismatch');
    assert.match(p.summary, /^Certificate not valid for 127\.0\.0\.2 \(it names .*127\.0\.0\.1/);

    const named = await contexts.resolve(CONSUMER, (c) => {
      c.server = server;
      c['tls-server-name'] = 'kubernetes';
    });
    const c2 = createClusterClient(named, { timeoutMs: 4000 });
    try {
      assert.match((await c2.version()).gitVersion, /^v1\.34\./);
    } finally {
      c2.dispose();
    }
  } finally {
    await fwd.close();
  }
});

test('a token user on an http:// address is told the server speaks HTTPS, not that a plugin failed', async () => {
  const { host, port } = contexts.address(CONSUMER);
  const resolved = await contexts.resolve(CONSUMER, (c, u) => {
    c.server = `http://${host}:${port}`;
    delete c['certificate-authority-data'];
    for (const k of Object.keys(u)) delete u[k];
    u.token = 'a-token-value';
  });
  const client = createClusterClient(resolved, { timeoutMs: 4000 });
  try {
    const r = await probeCluster(client, resolved, { timeoutMs: 4000, kubeconfigFile: resolved.filePath });
    assert.ok(!r.ok);
    const p = describeConnectionFailure(r.failure);
    assert.equal(p.kind, 'https-expected');
    assert.equal(p.summary, `${host}:${port} speaks HTTPS, but the server address says http://`);
    assert.doesNotMatch(`${p.summary} ${p.hint}`, /plugin|a-token-value/);
  } finally {
    client.dispose();
  }
});

test('HTTP/2: a black-holed connection fails the open watch with ETIMEDOUT, then a fresh connection works', async () => {
  const fwd = await startForwarder(contexts.address(CONSUMER));
  const timeoutMs = 2000;
  const client = createClusterClient(await contexts.resolve(CONSUMER, (c) => (c.server = `https://127.0.0.1:${fwd.port}`)), { timeoutMs });
  try {
    let connected!: () => void;
    const isConnected = new Promise<void>((r) => (connected = r));
    const watching = client.watch('/api/v1/namespaces', {}, { onEvent: () => undefined, onConnected: connected }, new AbortController().signal);
    await isConnected;
    fwd.blackhole(true);
    const t0 = Date.now();
    const err = await Promise.race([watching.then(() => 'ended normally', (e: unknown) => e), new Promise((r) => setTimeout(() => r('still open'), timeoutMs + 8000))]);
    const ms = Date.now() - t0;
    assert.ok(err instanceof KubeApiError, String(err));
    assert.equal(err.code, 'ETIMEDOUT');
    assert.ok(err.isTransport);
    console.log(`# h2 dead connection noticed after ${ms} ms (timeout ${timeoutMs} ms)`);
    fwd.blackhole(false);
    assert.match((await client.version()).gitVersion, /^v1\.34\./);
    assert.equal(fwd.accepted, 2, 'the request after the failure opened a fresh connection');
    assert.equal(client.openConnections, 1);
  } finally {
    client.dispose();
    await fwd.close();
  }
});

test('HTTP/1.1 (kubectl proxy, plain http): pooled keep-alive, and a frozen server fails the watch with ETIMEDOUT', async () => {
  const proxy = spawn(tb.kubectl, ['--kubeconfig', tb.kubeconfig, '--context', CONSUMER, 'proxy', '--port=0', '--address=127.0.0.1'], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const port = await servingPort(proxy);
    const timeoutMs = 2000;
    const resolved = await contexts.resolve(CONSUMER, (c, u) => {
      c.server = `http://127.0.0.1:${port}`;
      delete c['certificate-authority-data'];
      for (const k of Object.keys(u)) delete u[k];
    });
    const client = createClusterClient(resolved, { timeoutMs });
    try {
      for (let i = 0; i < 10; i++) await client.list('/api/v1/namespaces');
      assert.equal(client.openConnections, 1, 'keep-alive: sequential requests reuse one socket');
      let connected!: () => void;
      const isConnected = new Promise<void>((r) => (connected = r));
      const watching = client.watch('/api/v1/namespaces', {}, { onEvent: () => undefined, onConnected: connected }, new AbortController().signal);
      await isConnected;
      proxy.kill('SIGSTOP');
      const t0 = Date.now();
      const err = await Promise.race([watching.then(() => 'ended normally', (e: unknown) => e), new Promise((r) => setTimeout(() => r('still open'), timeoutMs + 8000))]);
      const ms = Date.now() - t0;
      proxy.kill('SIGCONT');
      assert.ok(err instanceof KubeApiError, String(err));
      assert.equal(err.code, 'ETIMEDOUT');
      console.log(`# h1 dead connection noticed after ${ms} ms (timeout ${timeoutMs} ms)`);
      assert.equal((await client.list('/api/v1/namespaces')).items.length > 0, true, 'a fresh connection works once the server answers again');
    } finally {
      client.dispose();
    }
  } finally {
    proxy.kill('SIGCONT');
    proxy.kill('SIGTERM');
  }
});

test('HTTP/1.1 (kubectl proxy): 50 parallel requests share a capped pool, and watches beyond it still connect', async () => {
  const proxy = spawn(tb.kubectl, ['--kubeconfig', tb.kubeconfig, '--context', CONSUMER, 'proxy', '--port=0', '--address=127.0.0.1'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const stop = new AbortController();
  try {
    const port = await servingPort(proxy);
    const resolved = await contexts.resolve(CONSUMER, (c, u) => {
      c.server = `http://127.0.0.1:${port}`;
      delete c['certificate-authority-data'];
      for (const k of Object.keys(u)) delete u[k];
    });
    const client = createClusterClient(resolved, { timeoutMs: 4000 });
    try {
      let most = 0;
      const sample = setInterval(() => (most = Math.max(most, client.openConnections)), 5);
      const lists = await Promise.all(Array.from({ length: 50 }, () => client.list('/api/v1/namespaces')));
      clearInterval(sample);
      most = Math.max(most, client.openConnections);
      assert.ok(lists.every((l) => l.items.length > 0));
      console.log(`# 50 parallel LISTs over HTTP/1.1 used at most ${most} connections (cap ${H1_REQUEST_SOCKETS})`);
      assert.ok(most <= H1_REQUEST_SOCKETS, `${most} connections for 50 parallel requests; the cap is ${H1_REQUEST_SOCKETS}`);
      // Long watches do not starve behind the short requests' cap, nor short requests behind the watches.
      const connected: Promise<void>[] = [];
      for (let i = 0; i < H1_REQUEST_SOCKETS + 4; i++) {
        connected.push(new Promise<void>((resolve) => void client.watch('/api/v1/namespaces', {}, { onEvent: () => undefined, onConnected: resolve }, stop.signal).catch(() => undefined)));
      }
      await Promise.all(connected);
      assert.ok((await Promise.all(Array.from({ length: 20 }, () => client.list('/api/v1/namespaces')))).every((l) => l.items.length > 0));
      assert.ok(client.openConnections <= H1_REQUEST_SOCKETS + H1_REQUEST_SOCKETS + 4 + 1, `${client.openConnections} connections`);
    } finally {
      stop.abort();
      client.dispose();
    }
  } finally {
    proxy.kill('SIGTERM');
  }
});

test('HTTP/1.1 over TLS (a server that offers no h2): the same capped pool, TLS verified with the cluster CA', async () => {
  const proxy = await FaultProxy.start(tb.kubeconfig, CONSUMER, tb.stateDir, { http1Only: true });
  const client = createClusterClient(await contexts.resolve(CONSUMER, (c) => (c.server = proxy.url)), { timeoutMs: 4000 });
  const stop = new AbortController();
  try {
    let most = 0;
    const sample = setInterval(() => (most = Math.max(most, client.openConnections)), 5);
    const lists = await Promise.all(Array.from({ length: 50 }, () => client.list('/api/v1/namespaces')));
    clearInterval(sample);
    most = Math.max(most, client.openConnections);
    assert.ok(lists.every((l) => l.items.length > 0));
    console.log(`# 50 parallel LISTs over HTTP/1.1 with TLS used at most ${most} connections (cap ${H1_REQUEST_SOCKETS})`);
    assert.ok(most > 1, 'HTTP/1.1 indeed: HTTP/2 would have carried them all on one connection');
    assert.ok(most <= H1_REQUEST_SOCKETS, `${most} connections for 50 parallel requests; the cap is ${H1_REQUEST_SOCKETS}`);
    await new Promise<void>((resolve) => void client.watch('/api/v1/namespaces', {}, { onEvent: () => undefined, onConnected: resolve }, stop.signal).catch(() => undefined));
  } finally {
    stop.abort();
    client.dispose();
    await proxy.close();
  }
});

test('proxy-url: requests go through an http:// CONNECT proxy with its credentials, still one HTTP/2 connection', async () => {
  const proxy = await startConnectProxy(`Basic ${btoa('bob:s@cret')}`);
  const { host, port } = contexts.address(CONSUMER);
  const client = createClusterClient(await contexts.resolve(CONSUMER, (c) => (c['proxy-url'] = `http://bob:s%40cret@127.0.0.1:${proxy.port}`)), { timeoutMs: 4000 });
  try {
    await Promise.all(Array.from({ length: 10 }, () => client.list('/api/v1/namespaces')));
    assert.deepEqual(proxy.tunnels, [`${host}:${port}`]);
    assert.equal(client.openConnections, 1);
  } finally {
    client.dispose();
  }
  const refused = createClusterClient(await contexts.resolve(CONSUMER, (c) => (c['proxy-url'] = `http://127.0.0.1:${proxy.port}`)), { timeoutMs: 4000 });
  try {
    const err = (await refused.version().catch((e: unknown) => e)) as KubeApiError;
    assert.equal(err.code, 'EPROXY');
    assert.match(err.message, /refused the tunnel .* \(HTTP 407\)/);
  } finally {
    refused.dispose();
    await proxy.close();
  }
});

test('an HTTP/2 answer the server already ended is still read by a reader that starts later', async () => {
  // A LIST through a CONNECT proxy on a loaded machine failed with "Premature close": the server had ended the small
  // answer before its reader started, and Node had closed the stream. The pool must hand out a body that waits.
  const r = connectionSpec(await contexts.resolve(CONSUMER), {});
  assert.ok(r.ok);
  const credentials = new ClusterCredentials(r.spec, undefined);
  const pool = new ConnectionPool({ spec: r.spec, timeoutMs: 4000, tls: () => credentials.tls() });
  try {
    for (let i = 0; i < 3; i++) {
      const headers: Record<string, string> = { accept: 'application/json' };
      await credentials.authorize(headers);
      const res = await pool.request({ method: 'GET', path: `${r.spec.basePath}/version`, headers });
      assert.equal(res.status, 200);
      await new Promise((resolve) => setTimeout(resolve, 100)); // the reader is busy elsewhere meanwhile
      const parts: Buffer[] = [];
      for await (const c of res.body as AsyncIterable<Buffer>) parts.push(c);
      assert.match((JSON.parse(Buffer.concat(parts).toString('utf8')) as { gitVersion: string }).gitVersion, /^v1\.34\./);
    }
    assert.equal(pool.protocol, 'h2');
  } finally {
    pool.dispose();
    credentials.dispose();
  }
});

/** A fake CredentialProvider (the real one runs programs): a rejected token first, then a real service-account token. */
class FakeTokenProvider implements CredentialProvider {
  readonly program = 'fake-token-source';
  gets = 0;
  invalidations = 0;
  private readonly tokens: string[];
  constructor(tokens: string[]) {
    this.tokens = tokens;
  }
  get(): Promise<Credential> {
    this.gets++;
    return Promise.resolve({ token: this.tokens[Math.min(this.invalidations, this.tokens.length - 1)]! });
  }
  invalidate(): void {
    this.invalidations++;
  }
  retryNow(): void {}
  dispose(): void {}
}

test('a 401 on a provider credential invalidates it and retries once', async () => {
  const { stdout } = await run(tb.kubectl, ['--kubeconfig', tb.kubeconfig, '--context', CONSUMER, 'create', 'token', 'default', '-n', 'default']);
  const token = stdout.trim();
  const resolved = await contexts.resolve(CONSUMER, (_c, u) => {
    for (const k of Object.keys(u)) delete u[k];
    u.exec = { apiVersion: 'client.authentication.k8s.io/v1', command: 'fake-token-source' };
  });
  const good = new FakeTokenProvider(['rejected-token', token]);
  const c1 = createClusterClient(resolved, { timeoutMs: 4000, credentials: good });
  try {
    const err = (await c1.get('/api/v1/namespaces/default/secrets').catch((e: unknown) => e)) as KubeApiError;
    assert.equal(err.status, 403, 'authenticated (as the service account) after one refresh');
    assert.match(err.message, /system:serviceaccount:default:default/);
    assert.deepEqual([good.gets, good.invalidations], [2, 1]);
  } finally {
    c1.dispose();
  }
  const bad = new FakeTokenProvider(['rejected-token']);
  const c2 = createClusterClient(resolved, { timeoutMs: 4000, credentials: bad });
  try {
    const err = (await c2.version().catch((e: unknown) => e)) as KubeApiError;
    assert.equal(err.status, 401);
    assert.deepEqual([bad.gets, bad.invalidations], [2, 1], 'one retry, not a loop');
  } finally {
    c2.dispose();
  }
});

function servingPort(proc: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error(`kubectl proxy did not start: ${out}`)), 15_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Starting to serve on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(t);
        resolve(Number(m[1]));
      }
    });
    proc.once('exit', (code) => reject(new Error(`kubectl proxy exited (${code}): ${out}`)));
  });
}
