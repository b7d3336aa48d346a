// Downloads the liqoctl release that matches a cluster's Liqo into the extension's storage: the archive for this OS
// and architecture from `<base>/<tag>/liqoctl-<os>-<arch>.tar.gz`, its SHA-256 checked against the published
// checksum before anything is unpacked (no checksum, no install: an unverified binary is never run), the binary
// taken out of the archive and written atomically as `<storage>/liqoctl/<tag>/liqoctl` (0755).
// The transport protects what the checksum cannot: the archive and its checksum come from the same place, so both
// must arrive over verified TLS. Only https is fetched (plain http only to a loopback mirror, which never leaves this
// machine), a redirect may not downgrade to http, the size cap is enforced while the body streams in, and a server
// that does not answer (connect, TLS, headers) or stops sending mid-body is given up on after a timeout.
import { createHash } from 'node:crypto';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import { isIP } from 'node:net';
import * as path from 'node:path';
import { rootCertificates } from 'node:tls';
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
  /** Certificates trusted besides Node's roots (a mirror behind a private CA; the tests' loopback CA). */
  readonly extraCa?: string | readonly string[];
  /** Give up when the connection, TLS handshake and response headers take longer (default 30 s). */
  readonly connectTimeoutMs?: number;
  /** Give up when the body stops arriving for this long (default 30 s). */
  readonly idleTimeoutMs?: number;
}

export class LiqoctlDownloadError extends Error {
  override readonly name = 'LiqoctlDownloadError';
}

const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

interface Transport {
  readonly signal: AbortSignal | undefined;
  readonly ca: readonly string[] | undefined;
  readonly connectTimeoutMs: number;
  readonly idleTimeoutMs: number;
}

function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1';
}

/** https anywhere; http only to loopback. Says which setting to fix. */
export function checkDownloadUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new LiqoctlDownloadError(`"${raw}" is not a URL: set liqo.liqoctlDownloadBaseUrl to an https:// address.`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  throw new LiqoctlDownloadError(
    `${url.origin} is not https: liqoctl and its checksum are only downloaded over verified TLS (plain http only from this machine's loopback). Set liqo.liqoctlDownloadBaseUrl to an https:// mirror.`,
  );
}

/** One response after its headers (connect timeout), or the transport's error in words. */
function request(url: URL, t: Transport): Promise<{ res: http.IncomingMessage; req: http.ClientRequest }> {
  return new Promise((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.get(url, {
      // rejectUnauthorized stays true: TLS is verified against Node's roots, plus the extra CA when given.
      ...(url.protocol === 'https:' && t.ca ? { ca: [...rootCertificates, ...t.ca] } : {}),
      headers: { 'user-agent': 'liqo-vscode', accept: '*/*' },
      agent: false,
    });
    const fail = (e: Error): void => {
      clearTimeout(connectTimer);
      t.signal?.removeEventListener('abort', onAbort);
      reject(e);
    };
    const connectTimer = setTimeout(
      () => req.destroy(new LiqoctlDownloadError(`${url.origin} did not answer within ${t.connectTimeoutMs / 1000} s. Check liqo.liqoctlDownloadBaseUrl and the network.`)),
      t.connectTimeoutMs,
    );
    const onAbort = (): void => {
      req.destroy(new LiqoctlDownloadError('The liqoctl download was cancelled.'));
    };
    if (t.signal?.aborted) onAbort();
    t.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e instanceof LiqoctlDownloadError) return fail(e);
      fail(new LiqoctlDownloadError(`Cannot reach ${url.href}: ${e.code ?? e.message}. Check liqo.liqoctlDownloadBaseUrl and the network.`));
    });
    req.on('response', (res) => {
      clearTimeout(connectTimer);
      resolve({ res, req });
    });
    req.on('close', () => {
      clearTimeout(connectTimer);
      t.signal?.removeEventListener('abort', onAbort);
    });
  });
}

/** The body, read while counting: more than maxBytes, or a pause longer than the idle timeout, ends the download. */
function readBody(url: URL, res: http.IncomingMessage, req: http.ClientRequest, maxBytes: number, t: Transport): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (e?: Error): void => {
      if (done) return;
      done = true;
      clearTimeout(idle);
      t.signal?.removeEventListener('abort', onAbort);
      if (e) {
        req.destroy();
        reject(e);
      } else resolve(Buffer.concat(chunks, size));
    };
    let idle: NodeJS.Timeout;
    const arm = (): void => {
      clearTimeout(idle);
      idle = setTimeout(() => finish(new LiqoctlDownloadError(`${url.href} stopped sending for ${t.idleTimeoutMs / 1000} s after ${size} bytes; the download was given up.`)), t.idleTimeoutMs);
    };
    const onAbort = (): void => finish(new LiqoctlDownloadError('The liqoctl download was cancelled.'));
    if (t.signal?.aborted) return onAbort();
    t.signal?.addEventListener('abort', onAbort, { once: true });
    arm();
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) return finish(new LiqoctlDownloadError(`${url.href} is larger than the ${maxBytes} bytes a liqoctl archive may be; the download was stopped.`));
      chunks.push(c);
      arm();
    });
    res.on('end', () => finish());
    res.on('error', (e) => finish(new LiqoctlDownloadError(`${url.href} broke off after ${size} bytes: ${e.message}.`)));
    res.on('aborted', () => finish(new LiqoctlDownloadError(`${url.href} broke off after ${size} bytes.`)));
  });
}

async function get(raw: string, t: Transport, maxBytes: number): Promise<Buffer | undefined> {
  let url = checkDownloadUrl(raw);
  for (let hops = 0; ; hops++) {
    const { res, req } = await request(url, t);
    const status = res.statusCode ?? 0;
    if (REDIRECTS.has(status)) {
      res.resume();
      const location = res.headers.location;
      if (!location) throw new LiqoctlDownloadError(`${url.href} answered ${status} without a Location.`);
      if (hops >= MAX_REDIRECTS) throw new LiqoctlDownloadError(`${raw} redirected more than ${MAX_REDIRECTS} times.`);
      const next = new URL(location, url);
      if (url.protocol === 'https:' && next.protocol !== 'https:') {
        throw new LiqoctlDownloadError(`${url.href} redirected to ${next.origin}, which is not https: the archive and its checksum would arrive unprotected. Nothing was installed.`);
      }
      url = checkDownloadUrl(next.href);
      continue;
    }
    if (status === 404) {
      res.resume();
      return undefined;
    }
    if (status < 200 || status >= 300) {
      res.resume();
      throw new LiqoctlDownloadError(`${url.href} answered ${status} ${res.statusMessage ?? ''}.`.replace(' .', '.'));
    }
    const length = Number(res.headers['content-length'] ?? '0');
    if (length > maxBytes) {
      req.destroy();
      throw new LiqoctlDownloadError(`${url.href} is ${length} bytes, more than the ${maxBytes} a liqoctl archive may be.`);
    }
    return readBody(url, res, req, maxBytes, t);
  }
}

async function expectedChecksum(asset: ReleaseAsset, t: Transport): Promise<{ digest: string; from: string }> {
  for (const url of asset.checksumUrls) {
    const body = await get(url, t, 1024 * 1024);
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
  checkDownloadUrl(o.baseUrl);
  const extra = o.extraCa === undefined ? undefined : typeof o.extraCa === 'string' ? [o.extraCa] : [...o.extraCa];
  const t: Transport = { signal: o.signal, ca: extra, connectTimeoutMs: o.connectTimeoutMs ?? 30_000, idleTimeoutMs: o.idleTimeoutMs ?? 30_000 };
  const { digest, from } = await expectedChecksum(asset, t);
  const archive = await get(asset.url, t, maxBytes);
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
