// The liqoctl download path against a local HTTP server that serves Liqo's release layout
// (`<base>/<tag>/liqoctl-<os>-<arch>.tar.gz`, with the test bed's real liqoctl v1.0.1 packed inside): the checksum
// is verified, the binary lands in the storage folder and runs; a tampered archive and a missing checksum are
// refused and install nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureTestbed } from '../testbed/index.ts';
import { downloadLiqoctl, LiqoctlDownloadError } from '../../src/infra/liqoctl/download.ts';
import { ProcessRunner } from '../../src/infra/process/runner.ts';
import { LiqoctlRunner } from '../../src/infra/liqoctl/liqoctlRunner.ts';
import { versionCommand } from '../../src/core/liqoctl/version.ts';
import { releasePlatform } from '../../src/core/liqoctl/release.ts';
import { privateDir } from './support/programFixtures.ts';

/** A ustar archive of the given files (what `tar -czf` makes, minus ownership details). */
function tarOf(files: Record<string, { data: Buffer; mode: number }>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, { data, mode }] of Object.entries(files)) {
    const h = Buffer.alloc(512);
    h.write(name, 0, 100, 'utf8');
    h.write(`${mode.toString(8).padStart(7, '0')}\0`, 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    h.write(`${Math.floor(Date.now() / 1000).toString(8).padStart(11, '0')}\0`, 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    parts.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

const platform = releasePlatform(process.platform, process.arch)!;
const assetName = `liqoctl-${platform.os}-${platform.arch}.tar.gz`;
const routes = new Map<string, Buffer>();
let server: http.Server;
let base: string;
let storage: { dir: string; remove(): Promise<void> };
let archive: Buffer;
const requests: string[] = [];

before(async () => {
  const tb = await ensureTestbed('seed-000');
  archive = gzipSync(tarOf({ liqoctl: { data: await readFile(tb.liqoctl), mode: 0o755 }, LICENSE: { data: Buffer.from('Apache-2.0\n'), mode: 0o644 } }), { level: 1 });
  server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const body = routes.get(req.url ?? '');
    if (!body) {
      res.writeHead(404, { connection: 'close' }).end('not found');
      return;
    }
    // connection: close — no keep-alive socket for fetch to reuse while the server times it out.
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length, connection: 'close' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}/releases/download`;
  storage = await privateDir('liqo-storage-');
});
after(async () => {
  server.close();
  await storage.remove();
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('the matching release is downloaded, its checksum verified, and the binary runs', async () => {
  routes.clear();
  routes.set(`/releases/download/v1.0.1/${assetName}`, archive);
  routes.set('/releases/download/v1.0.1/checksums.txt', Buffer.from(`${'0'.repeat(64)}  liqoctl-other-arch.tar.gz\n${sha(archive)}  ${assetName}\n`));
  const lines: string[] = [];
  const bin = await downloadLiqoctl({ baseUrl: `${base}/`, version: 'v1.0.1', storageDir: storage.dir, logger: { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) } });
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
  const tampered = Buffer.from(archive);
  tampered[tampered.length - 100] = (tampered[tampered.length - 100] ?? 0) ^ 0xff;
  routes.set(`/releases/download/v1.0.2/${assetName}`, tampered);
  routes.set(`/releases/download/v1.0.2/${assetName}.sha256`, Buffer.from(`${sha(archive)}\n`));
  await assert.rejects(
    downloadLiqoctl({ baseUrl: base, version: '1.0.2', storageDir: storage.dir }),
    (e: unknown) => e instanceof LiqoctlDownloadError && /does not match its checksum/.test(e.message) && e.message.includes(sha(tampered)),
  );
  assert.equal(existsSync(path.join(storage.dir, 'liqoctl', 'v1.0.2')), false);
});

test('no published checksum: refused; an unreachable base URL: said so', async () => {
  routes.clear();
  routes.set(`/releases/download/v1.0.3/${assetName}`, archive);
  await assert.rejects(downloadLiqoctl({ baseUrl: base, version: 'v1.0.3', storageDir: storage.dir }), /No checksum .* an unverified liqoctl is never installed/);
  assert.equal(existsSync(path.join(storage.dir, 'liqoctl', 'v1.0.3')), false);
  await mkdir(storage.dir, { recursive: true });
  const closed = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
  await assert.rejects(downloadLiqoctl({ baseUrl: `http://127.0.0.1:${closed}/x`, version: 'v1.0.1', storageDir: storage.dir }), /Cannot reach http:\/\/127\.0\.0\.1:\d+\/x\/v1\.0\.1\/.*ECONNREFUSED/);
});
