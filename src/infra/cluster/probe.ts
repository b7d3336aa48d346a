// Asks one cluster's API server for its version, with a timeout and cancellation, and turns any failure into a
// ConnectionFailure that core explains. Credentials are applied by client-node; nothing secret is logged or returned.
import { request, type RequestOptions } from 'node:https';
import { request as httpRequest } from 'node:http';
import { readFile } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import type { ConnectionFailure } from '../../core/connection/describe.ts';
import { credentialProgram } from './kubeClient.ts';

export type ProbeResult = { readonly ok: true; readonly gitVersion: string } | { readonly ok: false; readonly failure: ConnectionFailure };

export interface ProbeOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** False in restricted workspaces: exec credential plugins are programs and must not run there. */
  readonly allowExec: boolean;
  readonly kubeconfigFile?: string;
}

class ProbeTimeout extends Error {}

export async function probeCluster(kc: KubeConfig, opts: ProbeOptions): Promise<ProbeResult> {
  const cluster = kc.getCurrentCluster();
  const user = kc.getCurrentUser();
  const server = cluster?.server ?? '';
  const base = { server, ...(opts.kubeconfigFile ? { kubeconfigFile: opts.kubeconfigFile } : {}) };
  const execCommand = credentialProgram(kc);
  if (!cluster) return { ok: false, failure: { ...base, code: 'KUBECONFIG_INVALID', message: 'the context has no cluster' } };
  if (execCommand && !opts.allowExec) return { ok: false, failure: { ...base, code: 'EXEC_BLOCKED', message: 'restricted workspace', execCommand } };
  const expiredAt = await clientCertificateExpiry(user?.certData, user?.certFile);
  if (expiredAt) return { ok: false, failure: { ...base, message: 'client certificate expired', clientCertificateExpiredAt: expiredAt } };

  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  try {
    const body = await withAbort(signal, async (s) => {
      const url = new URL('/version', server);
      const reqOpts: RequestOptions = { method: 'GET', headers: { Accept: 'application/json' } };
      try {
        await kc.applyToHTTPSOptions(reqOpts);
      } catch (err) {
        throw Object.assign(new Error((err as Error).message), { code: (err as NodeJS.ErrnoException).code ?? 'EXEC_FAILED', fromExec: Boolean(execCommand) });
      }
      return getJson(url, reqOpts, s);
    });
    const gitVersion = typeof body === 'object' && body && 'gitVersion' in body ? String((body as { gitVersion: unknown }).gitVersion) : 'unknown version';
    return { ok: true, gitVersion };
  } catch (err) {
    if (err instanceof ProbeTimeout || (timeout.aborted && !(opts.signal?.aborted ?? false))) {
      return { ok: false, failure: { ...base, code: 'TIMEOUT', message: 'timed out', timeoutMs: opts.timeoutMs } };
    }
    const e = err as NodeJS.ErrnoException & { status?: number; fromExec?: boolean };
    const failure: ConnectionFailure = {
      ...base,
      message: e.message,
      ...(e.code ? { code: e.fromExec && e.code !== 'ENOENT' ? 'EXEC_FAILED' : e.code } : {}),
      ...(e.status !== undefined ? { httpStatus: e.status } : {}),
      ...(execCommand ? { execCommand } : {}),
    };
    return { ok: false, failure };
  }
}

async function withAbort<T>(signal: AbortSignal, run: (s: AbortSignal) => Promise<T>): Promise<T> {
  if (signal.aborted) throw new ProbeTimeout();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new ProbeTimeout());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([run(signal), aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

function getJson(url: URL, opts: RequestOptions, signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'http:' ? httpRequest : request;
    const req = send(url, { ...opts, signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        if (chunks.length < 64) chunks.push(c);
      });
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          try {
            resolve(JSON.parse(text));
          } catch {
            reject(Object.assign(new Error('the answer to /version is not JSON'), { status }));
          }
          return;
        }
        let message = `HTTP ${status}`;
        try {
          const parsed = JSON.parse(text) as { message?: string };
          if (parsed.message) message = parsed.message;
        } catch {
          // not a Kubernetes Status object
        }
        reject(Object.assign(new Error(message), { status }));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function clientCertificateExpiry(certData: string | undefined, certFile: string | undefined): Promise<string | undefined> {
  try {
    const pem = certData ? Buffer.from(certData, 'base64') : certFile ? await readFile(certFile) : undefined;
    if (!pem) return undefined;
    const cert = new X509Certificate(pem);
    const until = new Date(cert.validTo);
    return until.getTime() < Date.now() ? until.toISOString() : undefined;
  } catch {
    // Unparseable certificates are left to the TLS handshake, which explains them better.
    return undefined;
  }
}
