// Reads the names a live API server's certificate holds, with one TLS handshake and nothing sent. The certificate
// is not trusted by this: it only tells which name tls-server-name can take; the connection that verifies the
// result is a normal probe with the kubeconfig's certificate authority.
import { connect } from 'node:tls';
import { isIP } from 'node:net';
import { parseServer } from '../../core/kubeconfig/serverAddress.ts';
import { parseSubjectAltNames, type CertificateNames } from '../../core/kubeconfig/tlsServerName.ts';

export async function readCertificateNames(server: string, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<CertificateNames> {
  const { host, port } = parseServer(server);
  return new Promise<CertificateNames>((resolve, reject) => {
    const socket = connect({ host, port: port ?? 443, rejectUnauthorized: false, ...(isIP(host) ? {} : { servername: host }) });
    const done = (err?: Error, names?: CertificateNames): void => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (err) reject(err);
      else resolve(names!);
    };
    const onAbort = (): void => done(new Error('cancelled'));
    const timer = setTimeout(() => done(new Error(`no TLS answer from ${host}:${port ?? 443} within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => done(undefined, parseSubjectAltNames(socket.getPeerCertificate().subjectaltname)));
    socket.once('error', (err: NodeJS.ErrnoException) => done(new Error(`cannot read the certificate of ${host}:${port ?? 443}: ${err.code ?? err.message}`)));
  });
}
