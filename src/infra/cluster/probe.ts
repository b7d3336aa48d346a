// Asks one cluster's API server for its version through its ClusterClient, within the connection timeout, and turns
// any failure into a ConnectionFailure that core explains. A credential program is named only when the failure came
// from one (a token user is never told a plugin failed). Nothing secret is logged or returned.
import { readFile } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import type { ConnectionFailure } from '../../core/connection/describe.ts';
import type { ResolvedContext } from '../../core/kubeconfig/resolved.ts';
import { connectionSpec } from '../../core/kubeconfig/connectionSpec.ts';
import { CredentialError } from '../credentials/credentialProvider.ts';
import type { ClusterClient } from './clusterClient.ts';
import { toKubeApiError } from './kubeErrors.ts';

export type ProbeResult = { readonly ok: true; readonly gitVersion: string } | { readonly ok: false; readonly failure: ConnectionFailure };

export interface ProbeOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly kubeconfigFile?: string;
}

export async function probeCluster(client: ClusterClient, resolved: ResolvedContext, opts: ProbeOptions): Promise<ProbeResult> {
  const base = { server: client.server, ...(opts.kubeconfigFile ? { kubeconfigFile: opts.kubeconfigFile } : {}) };
  const expiredAt = await clientCertificateExpiry(resolved);
  if (expiredAt) return { ok: false, failure: { ...base, message: 'client certificate expired', clientCertificateExpiredAt: expiredAt } };
  try {
    // The credential first, outside the connection timeout: a plugin has its own (the provider's), and its
    // failure is the plugin's, not the server's.
    await client.authenticate(opts.signal);
  } catch (err) {
    return { ok: false, failure: { ...base, ...failureOf(err, opts.timeoutMs, false) } };
  }
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  try {
    const v = await client.version(signal);
    return { ok: true, gitVersion: v.gitVersion };
  } catch (err) {
    return { ok: false, failure: { ...base, ...failureOf(err, opts.timeoutMs, timeout.aborted) } };
  }
}

function failureOf(err: unknown, timeoutMs: number, timedOut: boolean): Omit<ConnectionFailure, 'server' | 'kubeconfigFile'> {
  if (err instanceof CredentialError) {
    const code = err.code === 'TIMEOUT' ? 'EXEC_FAILED' : err.code;
    return { code, message: err.code === 'TIMEOUT' ? `it did not finish in time (${err.message})` : err.message, execCommand: err.program };
  }
  const e = toKubeApiError(err);
  if (e.code === 'ETIMEDOUT' || (timedOut && e.status === undefined)) return { code: 'TIMEOUT', message: 'timed out', timeoutMs };
  return { message: e.message, ...(e.code ? { code: e.code } : {}), ...(e.status !== undefined ? { httpStatus: e.status } : {}) };
}

/** An expired client certificate is told as such (the server would only say 401). */
async function clientCertificateExpiry(resolved: ResolvedContext): Promise<string | undefined> {
  const r = connectionSpec(resolved);
  const m = r.ok ? r.spec.clientCertificate : undefined;
  if (!m) return undefined;
  try {
    const pem = 'data' in m ? Buffer.from(m.data, 'base64') : await readFile(m.file);
    const until = new Date(new X509Certificate(pem).validTo);
    return until.getTime() < Date.now() ? until.toISOString() : undefined;
  } catch {
    // Unreadable or unparseable: the request itself explains it better.
    return undefined;
  }
}
