// Liqo's release layout served from loopback, for the liqoctl download path (integration tier and workbench): a
// `<base>/<tag>/liqoctl-<os>-<arch>.tar.gz` archive that packs a real liqoctl binary (the test bed's), next to the
// checksum files the tests choose (a sidecar `.sha256`, a `checksums.txt`, or none). Every request is recorded, so a
// test can tell which checksum source was read.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import { gzipSync } from 'node:zlib';
import { releasePlatform } from '../../../src/core/liqoctl/release.ts';

/** A ustar archive of the given files (what `tar -czf` makes, minus ownership details). */
export function tarOf(files: Record<string, { data: Buffer; mode: number }>): Buffer {
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

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** The asset name Liqo publishes for this machine's OS and architecture. */
export function assetName(): string {
  const platform = releasePlatform(process.platform, process.arch);
  if (!platform) throw new Error(`Liqo publishes no liqoctl for ${process.platform}/${process.arch}`);
  return `liqoctl-${platform.os}-${platform.arch}.tar.gz`;
}

/** A release archive as Liqo publishes it: the liqoctl binary at `liqoctlBinary` and a LICENSE. */
export async function releaseArchive(liqoctlBinary: string): Promise<Buffer> {
  return gzipSync(tarOf({ liqoctl: { data: await readFile(liqoctlBinary), mode: 0o755 }, LICENSE: { data: Buffer.from('Apache-2.0\n'), mode: 0o644 } }), { level: 1 });
}

/** A copy of `archive` with one byte flipped near its end: same size, another checksum. */
export function tampered(archive: Buffer): Buffer {
  const copy = Buffer.from(archive);
  copy[copy.length - 100] = (copy[copy.length - 100] ?? 0) ^ 0xff;
  return copy;
}

export interface ReleaseServer {
  /** `https://127.0.0.1:<port>/releases/download` (http:// without `tls`): what `liqo.liqoctlDownloadBaseUrl` takes. */
  readonly base: string;
  /** Path → body; anything else is a 404. */
  readonly routes: Map<string, Buffer>;
  /** Every path requested, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

/**
 * A server on loopback that serves `routes` (under /releases/download/…) and records every request: https with the
 * given key and certificate (the download verifies it against the test CA), else plain http (loopback only).
 */
export async function startReleaseServer(tls?: { key: string; cert: string }): Promise<ReleaseServer> {
  const routes = new Map<string, Buffer>();
  const requests: string[] = [];
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    requests.push(req.url ?? '');
    const body = routes.get(req.url ?? '');
    if (!body) {
      res.writeHead(404, { connection: 'close' }).end('not found');
      return;
    }
    // connection: close — no keep-alive socket for fetch to reuse while the server times it out.
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length, connection: 'close' }).end(body);
  };
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as { port: number }).port}/releases/download`,
    routes,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
