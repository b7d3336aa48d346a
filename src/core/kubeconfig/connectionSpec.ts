// What connecting to a resolved context takes, read from its cluster and user entries as client-go reads them:
// server URL (with its path prefix, as Rancher's proxy URLs have), CA, client certificate and key (inline data or a
// file, relative paths against the folder of the file that defined the entry; data wins over file), TLS server
// name, insecure-skip-tls-verify (only when the file says so), the proxy (the cluster's http:// or socks5://
// proxy-url, else the environment's HTTPS_PROXY/HTTP_PROXY/NO_PROXY as kubectl reads them: core/connection/proxy.ts),
// and the credential: token (wins over tokenFile), basic auth, or a credential program (exec plugin, auth provider).
// Pure: infra reads files and passes the environment.
//
// A ConnectionSpec holds secrets (token, password): it is used to connect, never logged.
import * as path from 'node:path';
import type { ResolvedContext } from './resolved.ts';
import { authProviderOf, credentialProgramName, credentialProgramOf } from '../credentials/credentialProgram.ts';
import { parseProxyUrl, proxyFromEnvironment, type ProxyEnvironment, type ProxySpec } from '../connection/proxy.ts';

export type { ProxySpec } from '../connection/proxy.ts';

/** Inline base64 data as written in the kubeconfig, or an absolute file path. */
export type Material = { readonly data: string } | { readonly file: string };

export type AuthSpec =
  | { readonly kind: 'none' }
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'tokenFile'; readonly file: string }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  /** An exec plugin or auth provider: a CredentialProvider gives the credential. `program` names it in messages. */
  | { readonly kind: 'provider'; readonly program: string };

export interface ConnectionSpec {
  readonly protocol: 'https:' | 'http:';
  readonly host: string;
  readonly port: number;
  /** The server URL's path, without a trailing slash ('' for most clusters). Every API path goes after it. */
  readonly basePath: string;
  readonly ca?: Material;
  readonly clientCertificate?: Material;
  readonly clientKey?: Material;
  readonly tlsServerName?: string;
  readonly insecureSkipTlsVerify: boolean;
  readonly proxy?: ProxySpec;
  readonly auth: AuthSpec;
}

export type SpecResult = { readonly ok: true; readonly spec: ConnectionSpec } | { readonly ok: false; readonly message: string };

type Fields = Readonly<Record<string, unknown>>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function material(fields: Fields, dataKey: string, fileKey: string, baseDir: string): Material | undefined {
  const data = str(fields[dataKey]);
  if (data) return { data };
  const file = str(fields[fileKey]);
  return file ? { file: path.resolve(baseDir, file) } : undefined;
}

/**
 * What gives this user's credential through a CredentialProvider, named for messages: its program (exec plugin,
 * auth-provider cmd-path or config.exec), or `auth-provider <name>` (oidc and other stored tokens). Undefined for
 * static credentials (token, tokenFile, basic auth, client certificates).
 */
export function providedCredentialName(user: Fields): string | undefined {
  const program = credentialProgramOf(user);
  if (program) return credentialProgramName(program);
  const provider = authProviderOf(user);
  return provider ? `auth-provider ${str(provider.name) ?? '(unnamed)'}` : undefined;
}

/** `env`: the process environment whose proxy variables apply when the cluster has no proxy-url (none: no proxy). */
export function connectionSpec(ctx: ResolvedContext, env?: ProxyEnvironment): SpecResult {
  const c = ctx.cluster.fields;
  const u = ctx.user.fields;
  const fail = (message: string): SpecResult => ({ ok: false, message });
  const raw = str(c.server);
  if (!raw) return fail(`cluster "${ctx.cluster.name}" has no server address`);
  let url: URL;
  try {
    // client-go takes a bare host:port as https.
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    return fail(`cluster "${ctx.cluster.name}" has a server address that is not a URL: ${raw}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return fail(`cluster "${ctx.cluster.name}": server ${raw} is neither https:// nor http://`);
  const protocol = url.protocol;
  const port = url.port ? Number(url.port) : protocol === 'https:' ? 443 : 80;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const insecureSkipTlsVerify = c['insecure-skip-tls-verify'] === true;
  const ca = material(c, 'certificate-authority-data', 'certificate-authority', ctx.cluster.baseDir);
  if (insecureSkipTlsVerify && ca) return fail(`cluster "${ctx.cluster.name}" sets both a certificate authority and insecure-skip-tls-verify; kubectl refuses this too: remove one`);
  const tlsServerName = str(c['tls-server-name']);

  let proxy: ProxySpec | undefined;
  const proxyUrl = str(c['proxy-url']);
  // kubectl: the cluster's proxy-url wins over the environment.
  const chosen = proxyUrl ? parseProxyUrl(proxyUrl, `cluster "${ctx.cluster.name}": proxy-url`, false) : env ? proxyFromEnvironment(env, { protocol, host, port }) : undefined;
  if (chosen && !chosen.ok) return fail(chosen.message);
  if (chosen?.ok) proxy = chosen.proxy;

  let auth: AuthSpec = { kind: 'none' };
  const program = providedCredentialName(u);
  const token = str(u.token);
  const tokenFile = str(u.tokenFile) ?? str(u['token-file']);
  const username = str(u.username);
  if (program) auth = { kind: 'provider', program };
  else if (token) auth = { kind: 'token', token };
  else if (tokenFile) auth = { kind: 'tokenFile', file: path.resolve(ctx.user.baseDir, tokenFile) };
  if (username && auth.kind !== 'none') return fail(`user "${ctx.user.name}" sets both username/password and ${auth.kind === 'provider' ? 'a credential plugin' : 'a token'}; kubectl allows only one: remove one`);
  if (username) auth = { kind: 'basic', username, password: typeof u.password === 'string' ? u.password : '' };

  const clientCertificate = material(u, 'client-certificate-data', 'client-certificate', ctx.user.baseDir);
  const clientKey = material(u, 'client-key-data', 'client-key', ctx.user.baseDir);
  if (Boolean(clientCertificate) !== Boolean(clientKey)) return fail(`user "${ctx.user.name}" has a client ${clientCertificate ? 'certificate but no key' : 'key but no certificate'}: add the missing one`);
  return {
    ok: true,
    spec: {
      protocol,
      host,
      port,
      basePath: url.pathname.replace(/\/+$/, ''),
      ...(ca ? { ca } : {}),
      ...(clientCertificate ? { clientCertificate } : {}),
      ...(clientKey ? { clientKey } : {}),
      ...(tlsServerName ? { tlsServerName } : {}),
      insecureSkipTlsVerify,
      ...(proxy ? { proxy } : {}),
      auth,
    },
  };
}
