// Downloads the liqoctl release that matches a cluster's Liqo into the extension's storage: the archive for this OS
// and architecture from `<base>/<tag>/liqoctl-<os>-<arch>.tar.gz`, its SHA-256 checked against the published
// checksum before anything is unpacked (no checksum, no install: an unverified binary is never run), the binary
// taken out of the archive and written atomically as `<storage>/liqoctl/<tag>/liqoctl` (0755). fetch() keeps TLS
// verification on; the signal cancels every request.
import { createHash } from 'node:crypto';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { checksumFor, releaseAsset, releasePlatform, type ReleaseAsset } from '../../core/liqoctl/release.ts';
import { silentLogger, type Logger } from '../log.ts';

export interface DownloadOptions {
  readonly baseUrl: string;
  readonly version: string;
  readonly storageDir: string;
  readonly platform?: string;
  readonly arch?: string;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
  /** Refuse archives larger than this (default 256 MiB). */
  readonly maxBytes?: number;
}

export class LiqoctlDownloadError extends Error {
  override readonly name = 'LiqoctlDownloadError';
}

async function get(url: string, signal: AbortSignal | undefined, maxBytes: number): Promise<Buffer | undefined> {
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'follow', ...(signal ? { signal } : {}) });
  } catch (e) {
    if (signal?.aborted) throw new LiqoctlDownloadError('The liqoctl download was cancelled.');
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new LiqoctlDownloadError(`Cannot reach ${url}: ${cause?.code ?? cause?.message ?? (e as Error).message}. Check liqo.liqoctlDownloadBaseUrl and the network.`);
  }
  if (res.status === 404) {
    await res.body?.cancel();
    return undefined;
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new LiqoctlDownloadError(`${url} answered ${res.status} ${res.statusText}.`);
  }
  const length = Number(res.headers.get('content-length') ?? '0');
  if (length > maxBytes) {
    await res.body?.cancel();
    throw new LiqoctlDownloadError(`${url} is ${length} bytes, more than the ${maxBytes} a liqoctl archive may be.`);
  }
  const buf = Buffer.from(await res.arrayBuffer());
  if (buf.length > maxBytes) throw new LiqoctlDownloadError(`${url} is larger than the ${maxBytes} bytes a liqoctl archive may be.`);
  return buf;
}

async function expectedChecksum(asset: ReleaseAsset, signal: AbortSignal | undefined): Promise<{ digest: string; from: string }> {
  for (const url of asset.checksumUrls) {
    const body = await get(url, signal, 1024 * 1024);
    if (!body) continue;
    const digest = checksumFor(body.toString('utf8'), asset.fileName);
    if (digest) return { digest, from: url };
  }
  throw new LiqoctlDownloadError(
    `No checksum for ${asset.fileName} was found (${asset.checksumUrls.join(', ')}): an unverified liqoctl is never installed. Install liqoctl yourself and set liqo.liqoctlPath, or point liqo.liqoctlDownloadBaseUrl at a mirror that publishes checksums.`,
  );
}

/** The file named `name` (or `./name`, `*\/name`) in an uncompressed tar archive. */
export function fileFromTar(tar: Buffer, name: string): Buffer | undefined {
  let off = 0;
  while (off + 512 <= tar.length) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) return undefined;
    const field = (start: number, len: number): string => header.subarray(start, start + len).toString('utf8').replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const entry = (prefix ? `${prefix}/` : '') + field(0, 100);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    const start = off + 512;
    if ((type === '0' || type === '') && (entry === name || entry === `./${name}` || entry.endsWith(`/${name}`))) return tar.subarray(start, start + size);
    off = start + Math.ceil(size / 512) * 512;
  }
  return undefined;
}

/** Downloads, verifies and installs; returns the binary's path. */
export async function downloadLiqoctl(o: DownloadOptions): Promise<string> {
  const log = o.logger ?? silentLogger;
  const platform = releasePlatform(o.platform ?? process.platform, o.arch ?? process.arch);
  if (!platform) throw new LiqoctlDownloadError(`Liqo publishes no liqoctl for ${o.platform ?? process.platform}/${o.arch ?? process.arch}. Build it from source and set liqo.liqoctlPath.`);
  const asset = releaseAsset(o.baseUrl, o.version, platform.os, platform.arch);
  const maxBytes = o.maxBytes ?? 256 * 1024 * 1024;
  log.info(`Downloading ${asset.url}`);
  const { digest, from } = await expectedChecksum(asset, o.signal);
  const archive = await get(asset.url, o.signal, maxBytes);
  if (!archive) throw new LiqoctlDownloadError(`${asset.url} does not exist: Liqo ${asset.tag} has no liqoctl for ${platform.os}/${platform.arch} there.`);
  const actual = createHash('sha256').update(archive).digest('hex');
  if (actual !== digest) {
    throw new LiqoctlDownloadError(`The downloaded ${asset.fileName} does not match its checksum (expected ${digest} from ${from}, got ${actual}). It was not installed.`);
  }
  log.info(`${asset.fileName}: SHA-256 ${actual} verified against ${from}.`);
  let binary: Buffer | undefined;
  try {
    binary = fileFromTar(gunzipSync(archive), asset.binaryName);
  } catch (e) {
    throw new LiqoctlDownloadError(`${asset.fileName} is not a gzip-compressed tar archive (${(e as Error).message}).`);
  }
  if (!binary) throw new LiqoctlDownloadError(`${asset.fileName} holds no ${asset.binaryName}.`);
  const dir = path.join(o.storageDir, 'liqoctl', asset.tag);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const target = path.join(dir, asset.binaryName);
  const partial = `${target}.partial-${process.pid}`;
  try {
    await writeFile(partial, binary, { mode: 0o700 });
    await chmod(partial, 0o755);
    await rename(partial, target);
  } finally {
    await rm(partial, { force: true });
  }
  log.info(`liqoctl ${asset.tag} installed at ${target}.`);
  return target;
}
