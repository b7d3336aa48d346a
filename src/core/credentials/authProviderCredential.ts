// Legacy `auth-provider:` users, read as kubectl and client-node read them. gcp/azure style providers name a
// command (`cmd-path`) whose arguments are one string (`cmd-args`, split on whitespace like Go's strings.Fields:
// no shell, so no quoting, globbing or variables), and say where the token and its expiry sit in the JSON it prints
// (`token-key`, `expiry-key`: `{.credential.access_token}`). A provider may carry an `access-token` still valid
// (with `expiry` or azure's `expires-on`), which is used without running anything. oidc passes its `id-token`
// through; refreshing it (a network call to the issuer) is out of scope, so an expired one is reported.
// Pure: the program runs in src/infra. Messages never quote a token, an argument or the command's output.
import type { ExecCredentialStatus, Parsed } from './execCredential.ts';

const DEFAULT_TOKEN_KEY = '{.access_token}';
const DEFAULT_EXPIRY_KEY = '{.token_expiry}';

export interface AuthProviderCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly tokenKey: string;
  readonly expiryKey: string;
}

/** Go's strings.Fields: the argument string split on runs of whitespace, nothing else interpreted. */
export function splitCmdArgs(cmdArgs: string): string[] {
  return cmdArgs.split(/\s+/).filter((a) => a !== '');
}

export function authProviderCommand(config: Readonly<Record<string, unknown>>): AuthProviderCommand | undefined {
  const command = config['cmd-path'];
  if (typeof command !== 'string' || command.trim() === '') return undefined;
  const cmdArgs = typeof config['cmd-args'] === 'string' ? config['cmd-args'] : '';
  const key = (k: string, fallback: string): string => (typeof config[k] === 'string' && config[k] !== '' ? (config[k] as string) : fallback);
  return { command, args: splitCmdArgs(cmdArgs), tokenKey: key('token-key', DEFAULT_TOKEN_KEY), expiryKey: key('expiry-key', DEFAULT_EXPIRY_KEY) };
}

/**
 * Splits a kubectl JSONPath key (`{.credential.access_token}`, `.a.b`, `{.a['b.c']}`, `{$.a[0]}`) into its steps.
 * Only child and index steps: that is all a token key ever uses. Undefined when the key is not of that form.
 */
export function jsonPathSteps(key: string): (string | number)[] | undefined {
  let k = key.trim();
  if (k.startsWith('{') && k.endsWith('}')) k = k.slice(1, -1).trim();
  if (k.startsWith('$')) k = k.slice(1);
  const steps: (string | number)[] = [];
  const step = /^(?:\.([A-Za-z0-9_-]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\])/;
  while (k !== '') {
    const m = step.exec(k);
    if (!m) return undefined;
    if (m[1] !== undefined) steps.push(m[1]);
    else if (m[2] !== undefined) steps.push(Number(m[2]));
    else steps.push((m[3] ?? m[4]) as string);
    k = k.slice(m[0].length);
  }
  return steps.length ? steps : undefined;
}

export function valueAtJsonPath(doc: unknown, key: string): unknown {
  const steps = jsonPathSteps(key);
  if (!steps) return undefined;
  let cur: unknown = doc;
  for (const s of steps) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[s];
  }
  return cur;
}

/** Reads the command's JSON output with the provider's keys. */
export function parseAuthProviderOutput(stdout: string, cmd: AuthProviderCommand): Parsed<ExecCredentialStatus> {
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    return { ok: false, message: 'printed something that is not JSON on stdout.' };
  }
  if (!jsonPathSteps(cmd.tokenKey)) return { ok: false, message: `token-key "${cmd.tokenKey}" is not a JSONPath like {.credential.access_token}.` };
  const token = valueAtJsonPath(doc, cmd.tokenKey);
  if (typeof token !== 'string' || token === '') return { ok: false, message: `printed JSON without a token at ${cmd.tokenKey} (token-key).` };
  const expiry = valueAtJsonPath(doc, cmd.expiryKey);
  let expiresAt: Date | undefined;
  if (typeof expiry === 'string' && expiry !== '') {
    const ms = Date.parse(expiry);
    if (Number.isNaN(ms)) return { ok: false, message: `printed an expiry at ${cmd.expiryKey} (expiry-key) that is not a time.` };
    expiresAt = new Date(ms);
  }
  return { ok: true, value: { token, expiresAt } };
}

/**
 * The provider's stored `access-token`, when client-node would use it without running anything: present, and its
 * `expiry` (RFC 3339) or `expires-on` (Unix seconds) is absent or still ahead. Undefined when a run is needed.
 */
export function storedAccessToken(config: Readonly<Record<string, unknown>>, now: Date): ExecCredentialStatus | undefined {
  const token = config['access-token'];
  if (typeof token !== 'string' || token === '') return undefined;
  let expiresAt: Date | undefined;
  if (typeof config['expiry'] === 'string' && config['expiry'] !== '') expiresAt = new Date(Date.parse(config['expiry']));
  else if (config['expires-on'] !== undefined && config['expires-on'] !== '') expiresAt = new Date(Number(config['expires-on']) * 1000);
  if (expiresAt && (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= now.getTime())) return undefined;
  return { token, expiresAt };
}

/** When a JWT (an oidc id-token) expires, from its `exp` claim; undefined if it is not a JWT or has no exp. */
export function jwtExpiry(token: string): Date | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<string, unknown>;
    return typeof payload['exp'] === 'number' ? new Date(payload['exp'] * 1000) : undefined;
  } catch {
    return undefined;
  }
}
