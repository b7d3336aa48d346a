// Explains a failed connection attempt in words a user can act on: what went wrong, and what to check next.
// Input is a plain description of the failure (Node error code, HTTP status, ...) so this stays pure and testable.

export type ConnectionProblemKind =
  | 'timeout'
  | 'refused'
  | 'dns'
  | 'unreachable'
  | 'tls-name-mismatch'
  | 'tls-unknown-authority'
  | 'server-certificate-expired'
  | 'client-certificate-expired'
  | 'not-tls'
  | 'https-expected'
  | 'unauthorized'
  | 'forbidden'
  | 'exec-plugin-missing'
  | 'exec-plugin-failed'
  | 'exec-blocked-untrusted'
  | 'kubeconfig-invalid'
  | 'http-error'
  | 'unknown';

export interface ConnectionFailure {
  readonly server: string;
  readonly code?: string;
  readonly message: string;
  readonly httpStatus?: number;
  readonly timeoutMs?: number;
  readonly execCommand?: string;
  /** ISO date when the client certificate expired (checked locally before connecting). */
  readonly clientCertificateExpiredAt?: string;
  readonly kubeconfigFile?: string;
}

export interface ConnectionProblem {
  readonly kind: ConnectionProblemKind;
  /** One line, for the tree node's description and the first line of the tooltip. */
  readonly summary: string;
  /** What to check next. */
  readonly hint: string;
}

const TLS_UNKNOWN_AUTHORITY = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_SIGNATURE_FAILURE',
]);
const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE', 'EADDRNOTAVAIL', 'UND_ERR_SOCKET']);

export function hostOf(server: string): string {
  try {
    const u = new URL(server);
    return u.port ? `${u.hostname}:${u.port}` : u.hostname;
  } catch {
    return server;
  }
}

export function describeConnectionFailure(f: ConnectionFailure): ConnectionProblem {
  const host = hostOf(f.server);
  const file = f.kubeconfigFile ? ` in ${f.kubeconfigFile}` : '';
  if (f.code === 'KUBECONFIG_INVALID') {
    return { kind: 'kubeconfig-invalid', summary: f.message, hint: `Fix the context${file}, then save: the tree reloads by itself.` };
  }
  if (f.code === 'EXEC_BLOCKED') {
    return {
      kind: 'exec-blocked-untrusted',
      summary: `Not connected: credential plugin "${f.execCommand ?? 'exec'}" is not run in a restricted workspace`,
      hint: 'Trust this workspace (Manage Workspace Trust) to let the extension run credential plugins.',
    };
  }
  if (f.clientCertificateExpiredAt) {
    return {
      kind: 'client-certificate-expired',
      summary: `Client certificate expired on ${f.clientCertificateExpiredAt.slice(0, 10)}`,
      hint: `Get a fresh kubeconfig for this cluster (or renew the certificate, e.g. kubeadm certs renew) and replace the user entry${file}.`,
    };
  }
  if (f.execCommand && f.code === 'ENOENT') {
    return {
      kind: 'exec-plugin-missing',
      summary: `Credential plugin "${f.execCommand}" not found`,
      hint: `Install "${f.execCommand}" and make sure it is on the PATH VS Code was started with, or fix users[].user.exec.command${file}.`,
    };
  }
  // Only a failure that came from a credential program names one (a token user is never told a plugin failed).
  if (f.code === 'EXEC_FAILED' && f.execCommand) {
    return {
      kind: 'exec-plugin-failed',
      summary: `Credential plugin "${f.execCommand ?? 'exec'}" failed`,
      hint: `Run it in a terminal to see why (often an expired login): ${f.message}`,
    };
  }
  if (f.code === 'TIMEOUT') {
    const secs = f.timeoutMs ? `${Math.round(f.timeoutMs / 100) / 10} s` : 'the timeout';
    return {
      kind: 'timeout',
      summary: `No answer from ${host} within ${secs}`,
      hint: 'Check that this machine can reach the address (VPN, SSH tunnel, firewall, security group); if the cluster is only slow, raise liqo.connectionTimeoutSeconds.',
    };
  }
  if (f.code === 'ECONNREFUSED') {
    return {
      kind: 'refused',
      summary: `Connection refused by ${host}`,
      hint: 'Nothing listens at that address: is the cluster running, is the port right, and if it goes through a tunnel (127.0.0.1), is the tunnel open?',
    };
  }
  if (f.code === 'ENOTFOUND' || f.code === 'EAI_AGAIN') {
    return { kind: 'dns', summary: `Cannot resolve host ${hostOf(f.server).split(':')[0]}`, hint: `Check the server address${file} and your DNS/VPN.` };
  }
  if (f.code && UNREACHABLE.has(f.code)) {
    return { kind: 'unreachable', summary: `Cannot reach ${host} (${f.code})`, hint: 'Check routes, VPN and firewalls between this machine and the API server.' };
  }
  if (f.code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const names = /cert's (?:list|altnames|CN):\s*(.*)$/.exec(f.message)?.[1];
    return {
      kind: 'tls-name-mismatch',
      summary: `Certificate not valid for ${hostOf(f.server).split(':')[0]}${names ? ` (it names ${names.replace(/\.$/, '')})` : ''}`,
      hint: 'The address changed (public IP, tunnel) but the certificate did not. Rewrite the server address keeping TLS valid (set tls-server-name to a name the certificate has), or add the address to the API server certificate SANs.',
    };
  }
  if (f.code && TLS_UNKNOWN_AUTHORITY.has(f.code)) {
    return {
      kind: 'tls-unknown-authority',
      summary: `Server certificate not signed by the kubeconfig's certificate authority (${f.code})`,
      hint: `The certificate-authority-data${file} does not match this server: was the cluster recreated, or does the address point at another cluster?`,
    };
  }
  if (f.code === 'CERT_HAS_EXPIRED') {
    return { kind: 'server-certificate-expired', summary: `The API server's certificate at ${host} has expired`, hint: 'Renew the API server certificates on the cluster (e.g. kubeadm certs renew all, or restart k3s).' };
  }
  if (f.code === 'EPROTO' || /wrong version number|packet length too long/i.test(f.message)) {
    return { kind: 'not-tls', summary: `${host} does not answer with TLS`, hint: 'The port is probably not the API server (or it expects http:// through a proxy): check the server URL and port.' };
  }
  if (f.httpStatus === 400 && /HTTP request to an HTTPS server/i.test(f.message)) {
    return {
      kind: 'https-expected',
      summary: `${host} speaks HTTPS, but the server address says http://`,
      hint: `Change the server address${file} to https://${host}, with the cluster's certificate-authority-data.`,
    };
  }
  if (f.httpStatus === 401) {
    return {
      kind: 'unauthorized',
      summary: 'Credentials rejected (401 Unauthorized)',
      hint: `The token or client certificate is expired, revoked or for another cluster: get a fresh kubeconfig or log in again${file}.`,
    };
  }
  if (f.httpStatus === 403) {
    return { kind: 'forbidden', summary: 'Connected, but this user is forbidden to read the server version (403)', hint: 'Ask the cluster admin for read access (the default system:public-info-viewer binding may have been removed).' };
  }
  if (f.httpStatus !== undefined) {
    return { kind: 'http-error', summary: `The API server answered HTTP ${f.httpStatus}`, hint: `Is ${host} really a Kubernetes API server (not a proxy or load balancer page)? ${f.message}`.trim() };
  }
  return { kind: 'unknown', summary: `Cannot connect to ${host}: ${f.message}`, hint: 'See the Liqo output channel for details.' };
}
