// The client.authentication.k8s.io exec plugin protocol, as kubectl (client-go) speaks it: reading the kubeconfig's
// `exec:` entry, building the KUBERNETES_EXEC_INFO the plugin receives, and reading the ExecCredential it prints.
// Pure: the process is run in src/infra. The editor is never a terminal, so the plugin is always told
// `interactive: false`, and an entry that insists on a terminal (`interactiveMode: Always`) is refused up front.
//
// Messages name fields and the command, never argument or environment values, nor anything the plugin printed on
// stdout (that is the credential).
import * as path from 'node:path';

export const EXEC_API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'] as const;
export type ExecApiVersion = (typeof EXEC_API_VERSIONS)[number];

export interface ExecPluginConfig {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly apiVersion: ExecApiVersion;
  readonly interactiveMode: 'Never' | 'IfAvailable' | 'Always';
  readonly provideClusterInfo: boolean;
  readonly installHint?: string;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/** What the plugin printed, decoded: a token or a client certificate and key, and when it expires. */
export interface ExecCredentialStatus {
  readonly token?: string;
  readonly clientCertificatePem?: string;
  readonly clientKeyPem?: string;
  readonly expiresAt?: Date;
}

const fail = (message: string): { ok: false; message: string } => ({ ok: false, message });

/** Reads an `exec:` map (from `user.exec` or `auth-provider.config.exec`); `where` names it in messages. */
export function parseExecConfig(raw: unknown, where: string): Parsed<ExecPluginConfig> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return fail(`${where} must be a map with a command.`);
  const m = raw as Record<string, unknown>;
  const command = m['command'];
  if (typeof command !== 'string' || command.trim() === '') return fail(`${where}.command is missing: name the credential plugin to run.`);
  const args = m['args'] ?? [];
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) return fail(`${where}.args must be a list of strings.`);
  const envRaw = m['env'] ?? [];
  if (!Array.isArray(envRaw)) return fail(`${where}.env must be a list of {name, value} entries.`);
  const env: { name: string; value: string }[] = [];
  for (const [i, e] of envRaw.entries()) {
    const entry = e as Record<string, unknown> | null;
    if (!entry || typeof entry['name'] !== 'string' || entry['name'] === '' || typeof entry['value'] !== 'string') {
      return fail(`${where}.env[${i}] must have a name and a string value.`);
    }
    env.push({ name: entry['name'], value: entry['value'] });
  }
  const apiVersion = m['apiVersion'];
  if (apiVersion === 'client.authentication.k8s.io/v1alpha1') {
    return fail(`${where}.apiVersion client.authentication.k8s.io/v1alpha1 is no longer supported by kubectl: use client.authentication.k8s.io/v1.`);
  }
  if (!EXEC_API_VERSIONS.includes(apiVersion as ExecApiVersion)) {
    return fail(`${where}.apiVersion must be one of ${EXEC_API_VERSIONS.join(', ')}.`);
  }
  const mode = m['interactiveMode'];
  // v1 requires the field; v1beta1 defaults it to IfAvailable, as client-go does.
  if (mode === undefined && apiVersion === 'client.authentication.k8s.io/v1') {
    return fail(`${where}.interactiveMode is required with client.authentication.k8s.io/v1 (Never, IfAvailable or Always).`);
  }
  const interactiveMode = mode ?? 'IfAvailable';
  if (interactiveMode !== 'Never' && interactiveMode !== 'IfAvailable' && interactiveMode !== 'Always') {
    return fail(`${where}.interactiveMode must be Never, IfAvailable or Always.`);
  }
  const installHint = typeof m['installHint'] === 'string' && m['installHint'] !== '' ? m['installHint'] : undefined;
  return {
    ok: true,
    value: {
      command,
      args: args as string[],
      env,
      apiVersion: apiVersion as ExecApiVersion,
      interactiveMode,
      provideClusterInfo: m['provideClusterInfo'] === true,
      installHint,
    },
  };
}

/**
 * The command as kubectl runs it: a relative path with a directory part resolves against the kubeconfig's folder; a
 * bare name stays bare and is looked up in PATH; an absolute path stays as written.
 */
export function resolveCommandPath(command: string, baseDir: string): string {
  if (path.isAbsolute(command)) return command;
  if (command.includes('/') || (path.sep === '\\' && command.includes('\\'))) return path.resolve(baseDir, command);
  return command;
}

/** The cluster part of KUBERNETES_EXEC_INFO (`provideClusterInfo: true`), with kubectl's JSON field names. */
export interface ExecClusterInfo {
  readonly server: string;
  readonly 'tls-server-name'?: string;
  readonly 'insecure-skip-tls-verify'?: boolean;
  /** Base64 of the CA bundle, as in the kubeconfig's certificate-authority-data. */
  readonly 'certificate-authority-data'?: string;
  readonly 'proxy-url'?: string;
  readonly 'disable-compression'?: boolean;
  readonly config?: unknown;
}

/** The cluster info from a raw `cluster:` map; `caDataBase64` is the CA read from `certificate-authority` if any. */
export function execClusterInfo(cluster: Readonly<Record<string, unknown>>, caDataBase64?: string): ExecClusterInfo {
  const str = (k: string): string | undefined => (typeof cluster[k] === 'string' && cluster[k] !== '' ? (cluster[k] as string) : undefined);
  const bool = (k: string): boolean | undefined => (cluster[k] === true ? true : undefined);
  // The plugin's own settings live in the cluster's extension named client.authentication.k8s.io/exec.
  const extensions = Array.isArray(cluster['extensions']) ? (cluster['extensions'] as unknown[]) : [];
  const execExtension = extensions.find(
    (e) => (e as Record<string, unknown> | null)?.['name'] === 'client.authentication.k8s.io/exec',
  ) as Record<string, unknown> | undefined;
  const info: Record<string, unknown> = {
    server: str('server') ?? '',
    'tls-server-name': str('tls-server-name'),
    'insecure-skip-tls-verify': bool('insecure-skip-tls-verify'),
    'certificate-authority-data': str('certificate-authority-data') ?? caDataBase64,
    'proxy-url': str('proxy-url'),
    'disable-compression': bool('disable-compression'),
    config: execExtension?.['extension'],
  };
  for (const k of Object.keys(info)) if (info[k] === undefined) delete info[k];
  return info as unknown as ExecClusterInfo;
}

/** The KUBERNETES_EXEC_INFO value: always non-interactive here, with the cluster when the entry asks for it. */
export function execInfoJson(apiVersion: ExecApiVersion, cluster?: ExecClusterInfo): string {
  const spec: Record<string, unknown> = { interactive: false };
  if (cluster) spec['cluster'] = cluster;
  return JSON.stringify({ kind: 'ExecCredential', apiVersion, spec });
}

function parseTimestamp(value: unknown): Date | undefined | 'invalid' {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return 'invalid';
  // RFC 3339 (metav1.Time): a date, a time and a zone. Date.parse accepts more; check the shape first.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(value)) return 'invalid';
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? 'invalid' : new Date(ms);
}

/** Reads the plugin's stdout. The message on failure describes the shape, never the content. */
export function parseExecCredential(stdout: string, expected: ExecApiVersion): Parsed<ExecCredentialStatus> {
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    return fail(stdout.trim() === '' ? 'printed nothing on stdout (an ExecCredential was expected).' : 'printed something that is not JSON on stdout (an ExecCredential was expected).');
  }
  const m = doc as Record<string, unknown> | null;
  if (!m || typeof m !== 'object' || Array.isArray(m)) return fail('printed JSON that is not an ExecCredential object.');
  if (m['kind'] !== 'ExecCredential') return fail('printed an object whose kind is not ExecCredential.');
  if (m['apiVersion'] !== expected) {
    const got = typeof m['apiVersion'] === 'string' && m['apiVersion'].length < 100 ? m['apiVersion'] : 'another version';
    return fail(`answered with apiVersion ${got}, but the kubeconfig asks for ${expected}.`);
  }
  const status = m['status'] as Record<string, unknown> | null | undefined;
  if (!status || typeof status !== 'object') return fail('printed an ExecCredential without a status.');
  const token = typeof status['token'] === 'string' && status['token'] !== '' ? status['token'] : undefined;
  const cert = typeof status['clientCertificateData'] === 'string' && status['clientCertificateData'] !== '' ? status['clientCertificateData'] : undefined;
  const key = typeof status['clientKeyData'] === 'string' && status['clientKeyData'] !== '' ? status['clientKeyData'] : undefined;
  if ((cert === undefined) !== (key === undefined)) {
    return fail('returned only one of clientCertificateData and clientKeyData; both are needed.');
  }
  if (token === undefined && cert === undefined) return fail('returned neither a token nor a client certificate.');
  const expiresAt = parseTimestamp(status['expirationTimestamp']);
  if (expiresAt === 'invalid') return fail('returned an expirationTimestamp that is not an RFC 3339 time.');
  return { ok: true, value: { token, clientCertificatePem: cert, clientKeyPem: key, expiresAt } };
}
