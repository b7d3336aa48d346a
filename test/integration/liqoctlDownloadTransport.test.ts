// The transport of the liqoctl download against real servers on loopback (issue 18): an https release server whose
// certificate a CA made for this run signs, a plain http server, and servers that misbehave. Only verified https is
// fetched (the test CA is trusted only when passed); an http:// base URL is refused unless it is loopback; an
// https → http redirect is refused before the http server is asked anything; the size cap holds while a body
// without Content-Length streams in without end; a server that never answers, or stops mid-body, is given up on
// after the connect or idle timeout. No test bed is needed: the archive packs a small script named liqoctl.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { downloadLiqoctl, LiqoctlDownloadError } from '../../src/infra/liqoctl/download.ts';
import { privateDir, within } from './support/programFixtures.ts';
import { makeTestCa, type TestCa } from './support/testCa.ts';
import { assetName as releaseAsset, sha256, startReleaseServer, tarOf, type ReleaseServer } from './support/liqoctlRelease.ts';

const assetName = releaseAsset();
const binary = Buffer.from('#!/bin/sh\necho liqoctl-from-the-test-release\n');
const archive = gzipSync(tarOf({ liqoctl: { data: binary, mode: 0o755 } }));
let ca: TestCa;
let secure: ReleaseServer;
let plain: ReleaseServer;
let storage: { dir: string; remove(): Promise<void> };
const extraServers: (http.Server | net.Server)[] = [];

function publish(server: ReleaseServer, tag: string): void {
  server.routes.set(`/releases/download/${tag}/${assetName}`, archive);
  server.routes.set(`/releases/download/${tag}/checksums.txt`, Buffer.from(`${sha256(archive)}  ${assetName}\n`));
}

async function listen<T extends http.Server | net.Server>(server: T): Promise<number> {
  extraServers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as net.AddressInfo).port;
}

before(async () => {
  ca = await makeTestCa();
  secure = await startReleaseServer(ca);
  plain = await startReleaseServer();
  storage = await privateDir('liqo-dl-transport-');
});
after(async () => {
  for (const s of extraServers) {
    (s as http.Server).closeAllConnections?.();
    await new Promise((r) => s.close(r));
  }
  await secure.close();
  await plain.close();
  await storage.remove();
});

const installedAt = (tag: string): string => path.join(storage.dir, 'liqoctl', tag, 'liqoctl');
const rejectsWith = (p: Promise<unknown>, re: RegExp): Promise<void> =>
  assert.rejects(within(p, 20_000, 'the download'), (e: unknown) => {
    assert.ok(e instanceof LiqoctlDownloadError, String(e));
    assert.match(e.message, re);
    return true;
  });

test('over https with the test CA: downloaded, verified and installed; without trusting the CA: refused', async () => {
  publish(secure, 'v1.0.1');
  const bin = await downloadLiqoctl({ baseUrl: secure.base, version: 'v1.0.1', storageDir: storage.dir, extraCa: ca.ca });
  assert.equal(bin, installedAt('v1.0.1'));
  assert.deepEqual(await readFile(bin), binary);
  publish(secure, 'v1.0.2');
  await rejectsWith(downloadLiqoctl({ baseUrl: secure.base, version: 'v1.0.2', storageDir: storage.dir }), /Cannot reach https:.*(SELF_SIGNED|UNABLE_TO_VERIFY|unable to verify|self-signed)/i);
  assert.equal(existsSync(installedAt('v1.0.2')), false);
});

test('an http:// base URL is refused unless it is loopback (nothing leaves the machine there)', async () => {
  await rejectsWith(downloadLiqoctl({ baseUrl: 'http://mirror.invalid/releases/download', version: 'v1.0.1', storageDir: storage.dir }), /http:\/\/mirror\.invalid is not https.*liqo\.liqoctlDownloadBaseUrl/);
  await rejectsWith(downloadLiqoctl({ baseUrl: 'ftp://mirror.invalid/x', version: 'v1.0.1', storageDir: storage.dir }), /is not https/);
  publish(plain, 'v1.0.4');
  assert.equal(await downloadLiqoctl({ baseUrl: plain.base, version: 'v1.0.4', storageDir: storage.dir }), installedAt('v1.0.4'));
});

test('an https → http redirect is refused: the http server is never asked, nothing is installed', async () => {
  publish(plain, 'v1.0.5');
  const before = plain.requests.length;
  const port = await listen(
    https.createServer(ca, (req, res) => {
      res.writeHead(302, { location: `${plain.base}${(req.url ?? '').replace('/releases/download', '')}`, connection: 'close' }).end();
    }),
  );
  await rejectsWith(
    downloadLiqoctl({ baseUrl: `https://127.0.0.1:${port}/releases/download`, version: 'v1.0.5', storageDir: storage.dir, extraCa: ca.ca }),
    /redirected to http:\/\/127\.0\.0\.1:\d+, which is not https/,
  );
  assert.equal(plain.requests.length, before, 'the downgraded URL was requested');
  assert.equal(existsSync(installedAt('v1.0.5')), false);
});

test('the size cap holds while a body without Content-Length streams in without end', async () => {
  let sent = 0;
  const port = await listen(
    https.createServer(ca, (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk)) sent += chunk.length;
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
    }),
  );
  // The checksum file is the first thing fetched; its cap is 1 MiB.
  await rejectsWith(downloadLiqoctl({ baseUrl: `https://127.0.0.1:${port}/r`, version: 'v1.0.6', storageDir: storage.dir, extraCa: ca.ca }), /larger than the 1048576 bytes .* the download was stopped/);
  assert.ok(sent < 16 * 1024 * 1024, `the server could send ${sent} bytes before the download stopped`);
});

test('a server that never answers, and one that stops mid-body, are given up on after the timeouts', async () => {
  // Accepts the TCP connection and says nothing: no TLS handshake, no headers (what it reads it drops, so it sees
  // the client leave).
  const silent = await listen(net.createServer((socket) => socket.resume()));
  const t0 = Date.now();
  await rejectsWith(downloadLiqoctl({ baseUrl: `https://127.0.0.1:${silent}/r`, version: 'v1.0.7', storageDir: storage.dir, extraCa: ca.ca, connectTimeoutMs: 700 }), /did not answer within 0\.7 s/);
  assert.ok(Date.now() - t0 < 15_000);
  // Headers and 10 bytes, then nothing, the connection kept open.
  const stalled = await listen(
    https.createServer(ca, (_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('0123456789');
    }),
  );
  await rejectsWith(downloadLiqoctl({ baseUrl: `https://127.0.0.1:${stalled}/r`, version: 'v1.0.8', storageDir: storage.dir, extraCa: ca.ca, idleTimeoutMs: 700 }), /stopped sending for 0\.7 s after 10 bytes/);
});
