// The liqoctl download path against a local https server (its certificate signed by a CA made for the run) that
// serves Liqo's release layout (`<base>/<tag>/liqoctl-<os>-<arch>.tar.gz`, with the test bed's real liqoctl v1.0.1
// packed inside): the checksum is verified, the binary lands in the storage folder and runs; a tampered archive and
// a missing checksum are refused and install nothing. The transport's refusals: liqoctlDownloadTransport.test.ts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';
import { ensureTestbed } from '../testbed/index.ts';
import { downloadLiqoctl, LiqoctlDownloadError } from '../../src/infra/liqoctl/download.ts';
import { ProcessRunner } from '../../src/infra/process/runner.ts';
import { LiqoctlRunner } from '../../src/infra/liqoctl/liqoctlRunner.ts';
import { versionCommand } from '../../src/core/liqoctl/version.ts';
import { privateDir } from './support/programFixtures.ts';
import { makeTestCa } from './support/testCa.ts';
import { assetName as releaseAsset, releaseArchive, sha256 as sha, startReleaseServer, tampered as tamperedCopy, type ReleaseServer } from './support/liqoctlRelease.ts';

const assetName = releaseAsset();
let release: ReleaseServer;
let routes: Map<string, Buffer>;
let requests: string[];
let base: string;
let storage: { dir: string; remove(): Promise<void> };
let archive: Buffer;
let ca: string;

before(async () => {
  const tb = await ensureTestbed('seed-000');
  archive = await releaseArchive(tb.liqoctl);
  const testCa = await makeTestCa();
  ca = testCa.ca;
  release = await startReleaseServer(testCa);
  ({ routes, requests, base } = release);
  storage = await privateDir('liqo-storage-');
});
after(async () => {
  await release.close();
  await storage.remove();
});

test('the matching release is downloaded, its checksum verified, and the binary runs', async () => {
  routes.clear();
  routes.set(`/releases/download/v1.0.1/${assetName}`, archive);
  routes.set('/releases/download/v1.0.1/checksums.txt', Buffer.from(`${'0'.repeat(64)}  liqoctl-other-arch.tar.gz\n${sha(archive)}  ${assetName}\n`));
  const lines: string[] = [];
  const bin = await downloadLiqoctl({ baseUrl: `${base}/`, version: 'v1.0.1', storageDir: storage.dir, extraCa: ca, logger: { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) } });
  assert.equal(bin, path.join(storage.dir, 'liqoctl', 'v1.0.1', 'liqoctl'));
  assert.ok(lines.some((l) => l.includes(`SHA-256 ${sha(archive)} verified`)));
  // The sidecar .sha256 was tried first (404 here), then checksums.txt.
  assert.deepEqual(requests.slice(-3), [`/releases/download/v1.0.1/${assetName}.sha256`, '/releases/download/v1.0.1/checksums.txt', `/releases/download/v1.0.1/${assetName}`]);
  const runner = new ProcessRunner({ trusted: true });
  try {
    assert.equal((await new LiqoctlRunner(runner, () => bin).run(versionCommand())).client, 'v1.0.1');
  } finally {
    runner.dispose();
  }
});

test('a tampered archive is refused and nothing is installed', async () => {
  routes.clear();
  const tampered = tamperedCopy(archive);
  routes.set(`/releases/download/v1.0.2/${assetName}`, tampered);
  routes.set(`/releases/download/v1.0.2/${assetName}.sha256`, Buffer.from(`${sha(archive)}\n`));
  await assert.rejects(
    downloadLiqoctl({ baseUrl: base, version: '1.0.2', storageDir: storage.dir, extraCa: ca }),
    (e: unknown) => e instanceof LiqoctlDownloadError && /does not match its checksum/.test(e.message) && e.message.includes(sha(tampered)),
  );
  assert.equal(existsSync(path.join(storage.dir, 'liqoctl', 'v1.0.2')), false);
});

test('no published checksum: refused; an unreachable base URL: said so', async () => {
  routes.clear();
  routes.set(`/releases/download/v1.0.3/${assetName}`, archive);
  await assert.rejects(downloadLiqoctl({ baseUrl: base, version: 'v1.0.3', storageDir: storage.dir, extraCa: ca }), /No checksum .* an unverified liqoctl is never installed/);
  assert.equal(existsSync(path.join(storage.dir, 'liqoctl', 'v1.0.3')), false);
  await mkdir(storage.dir, { recursive: true });
  const closed = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
  await assert.rejects(downloadLiqoctl({ baseUrl: `https://127.0.0.1:${closed}/x`, version: 'v1.0.1', storageDir: storage.dir }), /Cannot reach https:\/\/127\.0\.0\.1:\d+\/x\/v1\.0\.1\/.*ECONNREFUSED/);
});
