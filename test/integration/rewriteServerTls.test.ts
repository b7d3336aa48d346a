// Issue 10 on the test bed: a context's server rewritten to an address its certificate does not name (127.0.0.2,
// forwarded to the API server by a small TCP forwarder started here). With the tls-server-name the workbench picks
// from the live certificate, both our probe and the test bed's kubectl connect with TLS verified; without it the
// x509 failure is explained as a name mismatch with the rewrite as its fix.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { ensureTestbed, type Testbed } from '../testbed/index.ts';
import { rewriteServer } from '../../src/core/kubeconfig/edits.ts';
import { parseServer, withAddress } from '../../src/core/kubeconfig/serverAddress.ts';
import { chooseTlsServerName, certificateNames } from '../../src/core/kubeconfig/tlsServerName.ts';
import { describeConnectionFailure } from '../../src/core/connection/describe.ts';
import { readCertificateNames } from '../../src/infra/cluster/serverCertificate.ts';
import { probeEditedKubeconfig } from '../../src/infra/kubeconfig/probeEdited.ts';
import { privateDir } from './support/programFixtures.ts';

const run = promisify(execFile);
let tb: Testbed;
let dir: string;
let remove: () => Promise<void>;
let forwarder: Server;
const sockets = new Set<Socket>();
let original: string;
let contextName: string;
let server: string;

before(async () => {
  tb = await ensureTestbed('seed-000');
  ({ dir, remove } = await privateDir('liqo-rewrite-'));
  original = await readFile(tb.kubeconfig, 'utf8');
  contextName = tb.contexts[0]!;
  const out = await run(tb.kubectl, ['--kubeconfig', tb.kubeconfig, 'config', 'view', '--minify', '--context', contextName, '-o', 'jsonpath={.clusters[0].cluster.server}']);
  server = out.stdout.trim();
  const target = parseServer(server);
  forwarder = createServer((client) => {
    const upstream = connect({ host: target.host, port: target.port! });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => forwarder.listen(0, '127.0.0.2', resolve));
});

after(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => forwarder.close(resolve));
  await remove();
});

const forwarded = (): string => withAddress(server, { host: '127.0.0.2', port: (forwarder.address() as { port: number }).port });

async function kubectlVersion(file: string): Promise<{ ok: boolean; output: string }> {
  try {
    const r = await run(tb.kubectl, ['--kubeconfig', file, '--context', contextName, '--request-timeout', '10s', 'get', '--raw', '/version']);
    return { ok: true, output: r.stdout };
  } catch (err) {
    return { ok: false, output: String((err as { stderr?: string }).stderr ?? err) };
  }
}

test('the live certificate does not name the forwarded address; the workbench picks a name it holds', async () => {
  const names = await readCertificateNames(forwarded(), { timeoutMs: 10_000 });
  assert.ok(!certificateNames(names, '127.0.0.2'));
  assert.ok(certificateNames(names, parseServer(server).host));
  assert.deepEqual(chooseTlsServerName('127.0.0.2', names, parseServer(server).host), { needed: true, name: parseServer(server).host });
});

test('without tls-server-name: our probe and kubectl fail on x509, explained as a name mismatch', async () => {
  const edited = rewriteServer(original, contextName, { server: forwarded(), tlsServerName: null }).text;
  const file = path.join(dir, 'no-tls-name.yaml');
  await writeFile(file, edited, { mode: 0o600 });
  const probe = await probeEditedKubeconfig(file, edited, contextName, { timeoutMs: 10_000 });
  assert.equal(probe.ok, false);
  const problem = describeConnectionFailure((probe as { failure: Parameters<typeof describeConnectionFailure>[0] }).failure);
  assert.equal(problem.kind, 'tls-name-mismatch');
  assert.match(problem.summary, /Certificate not valid for 127\.0\.0\.2/);
  assert.match(problem.hint, /tls-server-name/);
  const k = await kubectlVersion(file);
  assert.equal(k.ok, false);
  assert.match(k.output, /x509: certificate is valid for .*not 127\.0\.0\.2/);
});

test('with the chosen tls-server-name: our probe and kubectl connect with TLS verified', async () => {
  const names = await readCertificateNames(forwarded(), { timeoutMs: 10_000 });
  const choice = chooseTlsServerName('127.0.0.2', names, parseServer(server).host);
  assert.ok(choice.needed && choice.name);
  const result = rewriteServer(original, contextName, { server: forwarded(), tlsServerName: choice.name });
  assert.ok(!/insecure-skip-tls-verify/.test(result.text));
  const file = path.join(dir, 'tls-name.yaml');
  await writeFile(file, result.text, { mode: 0o600 });
  const probe = await probeEditedKubeconfig(file, result.text, contextName, { timeoutMs: 10_000 });
  assert.ok(probe.ok, JSON.stringify(probe));
  const k = await kubectlVersion(file);
  assert.ok(k.ok, k.output);
  assert.match(k.output, /"gitVersion"/);
});
