// Reads and rewrites the address part of a kubeconfig `server` URL, keeping its scheme and path as written.
import { KubeconfigEditError } from './editError.ts';

const AUTHORITY = /^(https?:\/\/)(\[[^\]]*\]|[^/:?#]*)(?::(\d*))?/i;

export interface ServerAddress {
  readonly scheme: 'http' | 'https';
  /** Without IPv6 brackets. */
  readonly host: string;
  readonly port: number | undefined;
}

export function parseServer(server: string): ServerAddress {
  const m = AUTHORITY.exec(server);
  const rawHost = m?.[2] ?? '';
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
  const port = m?.[3] ? Number(m[3]) : undefined;
  if (!m || host === '' || (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535))) {
    throw new KubeconfigEditError('invalid-server', `"${server}" is not a server address: use https://<host>:<port>`);
  }
  return { scheme: m[1]!.toLowerCase().startsWith('https') ? 'https' : 'http', host, port };
}

/** The server URL with its host and/or port replaced; the rest (scheme, path) as written. */
export function withAddress(server: string, change: { host?: string; port?: number }): string {
  const cur = parseServer(server);
  const host = change.host ?? cur.host;
  checkHost(host);
  const port = change.port ?? cur.port;
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) {
    throw new KubeconfigEditError('invalid-server', `${port} is not a port: use a number from 1 to 65535`);
  }
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return server.replace(AUTHORITY, (_all, scheme: string) => `${scheme}${hostPart}${port === undefined ? '' : `:${port}`}`);
}

export function checkHost(host: string): void {
  if (!/^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*)$/.test(host)) {
    throw new KubeconfigEditError('invalid-server', `"${host}" is not a host name or IP address`);
  }
}

/** Loopback or the unspecified address: a server only valid on the machine the kubeconfig was written on. */
export function isLocalOnlyHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '0.0.0.0' || h === '::' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** host, host:port, [v6]:port or :port. */
export function parseAddress(v: string): { host?: string; port?: number } | undefined {
  const m = /^\s*(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]]*))(?::(\d{1,5}))?\s*$/.exec(v);
  if (!m) return undefined;
  const host = m[1] ?? (m[2] || undefined);
  const port = m[3] ? Number(m[3]) : undefined;
  if (!host && port === undefined) return undefined;
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  return { ...(host ? { host } : {}), ...(port !== undefined ? { port } : {}) };
}
