// What a request carries to authenticate and what a new connection presents: the CA and client certificate (inline
// data or files, read when a connection opens) and the Authorization header (token, tokenFile re-read every minute
// as client-go does for rotating tokens, basic auth, or a credential from the CredentialProvider). Secrets stay in
// memory and in request headers; errors name files and fields, never their contents.
import { readFile } from 'node:fs/promises';
import type { ConnectionSpec, Material } from '../../core/kubeconfig/connectionSpec.ts';
import { CredentialError, type Credential, type CredentialProvider } from '../credentials/credentialProvider.ts';
import { KubeApiError } from './clusterClient.ts';
import type { TlsMaterial } from './socketConnect.ts';

const TOKEN_FILE_TTL_MS = 60_000;

export class ClusterCredentials {
  private readonly spec: ConnectionSpec;
  private readonly provider: CredentialProvider | undefined;
  private tokenFile: { token: string; readAt: number } | undefined;
  /** The client certificate the provider gave last; a different one needs a new connection. */
  private providerCert: Credential | undefined;

  constructor(spec: ConnectionSpec, provider: CredentialProvider | undefined) {
    this.spec = spec;
    this.provider = provider;
  }

  get usesProvider(): boolean {
    return this.spec.auth.kind === 'provider';
  }

  /** For a new connection: the CA, and the client certificate from the file or from the provider. */
  async tls(): Promise<TlsMaterial> {
    const [ca, cert, key] = await Promise.all([
      readMaterial(this.spec.ca, 'certificate-authority'),
      readMaterial(this.spec.clientCertificate, 'client-certificate'),
      readMaterial(this.spec.clientKey, 'client-key'),
    ]);
    const pc = this.providerCert;
    return {
      ...(ca ? { ca } : {}),
      ...(cert && key ? { cert, key } : pc?.clientCertificatePem && pc.clientKeyPem ? { cert: pc.clientCertificatePem, key: pc.clientKeyPem } : {}),
    };
  }

  /**
   * Adds the Authorization header. Returns whether the credential came from the provider (a 401 then invalidates
   * it) and whether its client certificate changed (the caller then renews the connection).
   */
  async authorize(headers: Record<string, string>, signal?: AbortSignal): Promise<{ fromProvider: boolean; certificateChanged: boolean }> {
    const auth = this.spec.auth;
    switch (auth.kind) {
      case 'none':
        return { fromProvider: false, certificateChanged: false };
      case 'token':
        headers.authorization = `Bearer ${auth.token}`;
        return { fromProvider: false, certificateChanged: false };
      case 'tokenFile':
        headers.authorization = `Bearer ${await this.readTokenFile(auth.file)}`;
        return { fromProvider: false, certificateChanged: false };
      case 'basic':
        headers.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
        return { fromProvider: false, certificateChanged: false };
      case 'provider': {
        if (!this.provider) throw new CredentialError('EXEC_BLOCKED', auth.program, `no credential runner is available to run "${auth.program}"`);
        const cred = await this.provider.get(signal);
        if (cred.token) headers.authorization = `Bearer ${cred.token}`;
        const before = this.providerCert;
        const certificateChanged = Boolean(cred.clientCertificatePem) && (before?.clientCertificatePem !== cred.clientCertificatePem || before?.clientKeyPem !== cred.clientKeyPem);
        if (cred.clientCertificatePem) this.providerCert = cred;
        return { fromProvider: true, certificateChanged };
      }
    }
  }

  /** The API server rejected the provider's credential: fetch a new one next time. */
  invalidate(): void {
    this.provider?.invalidate();
  }

  dispose(): void {
    this.provider?.dispose();
  }

  private async readTokenFile(file: string): Promise<string> {
    const hit = this.tokenFile;
    if (hit && Date.now() - hit.readAt < TOKEN_FILE_TTL_MS) return hit.token;
    const buf = await readMaterial({ file }, 'tokenFile');
    const token = buf!.toString('utf8').trim();
    if (!token) throw new KubeApiError(`the tokenFile ${file} is empty`, undefined, 'KUBECONFIG_INVALID');
    this.tokenFile = { token, readAt: Date.now() };
    return token;
  }
}

async function readMaterial(m: Material | undefined, field: string): Promise<Buffer | undefined> {
  if (!m) return undefined;
  if ('data' in m) {
    const buf = Buffer.from(m.data, 'base64');
    if (buf.length === 0) throw new KubeApiError(`${field}-data is not base64`, undefined, 'KUBECONFIG_INVALID');
    return buf;
  }
  try {
    return await readFile(m.file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (err as Error).message;
    throw new KubeApiError(`cannot read ${field} ${m.file}: ${why}`, undefined, 'KUBECONFIG_INVALID');
  }
}
