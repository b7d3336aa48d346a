// Picks the CredentialProvider a kubeconfig user needs, as kubectl and client-node would authenticate it:
//  - `exec:` and `auth-provider.config.exec`: an exec plugin (client.authentication.k8s.io v1/v1beta1);
//  - `auth-provider` with `cmd-path` (gcp/azure style): the command, its JSON read with token-key/expiry-key, unless
//    the stored `access-token` is still valid;
//  - `auth-provider` oidc: the `id-token` as is (no program); other providers: their stored `access-token`.
// Users with a token, a token file or client certificates need no provider (undefined). Every program runs through
// the one ProcessRunner, gated by trust there; each provider runs its program at most once at a time and caches.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { authProviderCommand, jwtExpiry, parseAuthProviderOutput, storedAccessToken } from '../../core/credentials/authProviderCredential.ts';
import { authProviderOf, credentialProgramName, credentialProgramOf } from '../../core/credentials/credentialProgram.ts';
import {
  execClusterInfo,
  execInfoJson,
  parseExecConfig,
  parseExecCredential,
  resolveCommandPath,
  type ExecClusterInfo,
  type ExecPluginConfig,
} from '../../core/credentials/execCredential.ts';
import type { ResolvedContext, ResolvedEntry } from '../../core/kubeconfig/resolved.ts';
import type { ProcessRunner } from '../process/runner.ts';
import { CachedCredentialProvider, type CredentialFetch } from './cachedCredentialProvider.ts';
import { CredentialError, type Credential, type CredentialProvider } from './credentialProvider.ts';
import { runCredentialProgram } from './runCredentialProgram.ts';

export interface CredentialProviderOptions {
  /** Workspace trust, read at each fetch (restricted workspaces run no program). */
  readonly trusted: boolean | (() => boolean);
  readonly runner: ProcessRunner;
  /** A plugin that has not answered by then (a login waiting in a browser) is killed and reported as TIMEOUT. */
  readonly timeoutMs: number;
  /** Extra environment for programs, on top of the extension host's (tests point HOME or PATH elsewhere). */
  readonly env?: Readonly<Record<string, string>>;
  /** The context's cluster: exec plugins with `provideClusterInfo: true` receive it in KUBERNETES_EXEC_INFO. */
  readonly cluster?: ResolvedEntry;
  /** Refresh this long before expiry. Default 5 s. */
  readonly expirySkewMs?: number;
}

type RawMap = Readonly<Record<string, unknown>>;
const asMap = (v: unknown): RawMap | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as RawMap) : undefined);

/** The provider this user's credential needs, or undefined when it needs none (static token or certificates). */
export function credentialProviderFor(user: ResolvedEntry, opts: CredentialProviderOptions): CredentialProvider | undefined {
  const fields = user.fields;
  const program = credentialProgramOf(fields);
  const cache = { expirySkewMs: opts.expirySkewMs };
  if (program) {
    const name = credentialProgramName(program);
    if (program.source === 'auth-provider cmd-path') {
      const config = asMap(authProviderOf(fields)?.['config']) ?? {};
      return new CachedCredentialProvider(name, authProviderCommandFetch(user, config, name, opts), cache);
    }
    const raw = program.source === 'exec' ? fields['exec'] : asMap(authProviderOf(fields)?.['config'])?.['exec'];
    const where = program.source === 'exec' ? `user "${user.name}" exec` : `user "${user.name}" auth-provider.config.exec`;
    return new CachedCredentialProvider(name, execPluginFetch(user, raw, where, name, opts), cache);
  }
  const provider = authProviderOf(fields);
  if (!provider) return undefined;
  return new CachedCredentialProvider(`auth-provider ${String(provider['name'] ?? '(unnamed)')}`, storedTokenFetch(user, provider), cache);
}

/** The same for a resolved context: its user, with its cluster for plugins that ask for cluster info. */
export function credentialProviderForContext(
  context: ResolvedContext,
  opts: Omit<CredentialProviderOptions, 'cluster'>,
): CredentialProvider | undefined {
  return credentialProviderFor(context.user, { ...opts, cluster: context.cluster });
}

function execPluginFetch(user: ResolvedEntry, raw: unknown, where: string, name: string, opts: CredentialProviderOptions): CredentialFetch {
  return async (signal) => {
    const parsed = parseExecConfig(raw, where);
    if (!parsed.ok) throw new CredentialError('EXEC_FAILED', name, `${parsed.message} (in ${user.filePath})`);
    const config = parsed.value;
    if (config.interactiveMode === 'Always') {
      // kubectl refuses too when stdin is not a terminal; the editor never is one.
      throw new CredentialError(
        'EXEC_FAILED',
        name,
        `Credential plugin "${name}" needs a terminal (interactiveMode: Always), and the editor is not one. Log in with it in a terminal, and set interactiveMode to IfAvailable in ${user.filePath} if it can then answer without one.`,
      );
    }
    const clusterInfo = config.provideClusterInfo && opts.cluster ? await clusterInfoFor(opts.cluster, name) : undefined;
    const stdout = await runCredentialProgram({
      runner: opts.runner,
      program: name,
      command: resolveCommandPath(config.command, user.baseDir),
      args: config.args,
      env: execEnv(config, opts.env, clusterInfo),
      timeoutMs: opts.timeoutMs,
      trusted: opts.trusted,
      signal,
      installHint: config.installHint,
    });
    const status = parseExecCredential(stdout, config.apiVersion);
    if (!status.ok) throw new CredentialError('EXEC_FAILED', name, `Credential plugin "${name}" ${status.message}`);
    return status.value;
  };
}

function execEnv(config: ExecPluginConfig, extra: Readonly<Record<string, string>> | undefined, cluster: ExecClusterInfo | undefined): Record<string, string> {
  const env: Record<string, string> = { ...extra };
  for (const e of config.env) env[e.name] = e.value;
  env['KUBERNETES_EXEC_INFO'] = execInfoJson(config.apiVersion, cluster);
  return env;
}

async function clusterInfoFor(cluster: ResolvedEntry, name: string): Promise<ExecClusterInfo> {
  const caFile = cluster.fields['certificate-authority'];
  if (typeof caFile !== 'string' || caFile === '' || typeof cluster.fields['certificate-authority-data'] === 'string') {
    return execClusterInfo(cluster.fields);
  }
  const file = path.resolve(cluster.baseDir, caFile);
  try {
    return execClusterInfo(cluster.fields, (await readFile(file)).toString('base64'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new CredentialError('EXEC_FAILED', name, `Cannot give credential plugin "${name}" its cluster's CA: ${file} (${code}). Fix certificate-authority of cluster "${cluster.name}".`);
  }
}

function authProviderCommandFetch(user: ResolvedEntry, config: RawMap, name: string, opts: CredentialProviderOptions): CredentialFetch {
  // The stored token is used once, as client-node does; after it expires or is refused, the command runs.
  let stored = storedAccessToken(config, new Date());
  return async (signal) => {
    const usable = stored;
    stored = undefined;
    if (usable?.token && (!usable.expiresAt || usable.expiresAt.getTime() > Date.now())) return usable;
    const cmd = authProviderCommand(config);
    if (!cmd) throw new CredentialError('EXEC_FAILED', name, `User "${user.name}" auth-provider has no cmd-path (in ${user.filePath}).`);
    const stdout = await runCredentialProgram({
      runner: opts.runner,
      program: name,
      command: resolveCommandPath(cmd.command, user.baseDir),
      args: cmd.args,
      env: { ...opts.env },
      timeoutMs: opts.timeoutMs,
      trusted: opts.trusted,
      signal,
    });
    const status = parseAuthProviderOutput(stdout, cmd);
    if (!status.ok) throw new CredentialError('EXEC_FAILED', name, `Auth provider command "${name}" ${status.message}`);
    return status.value;
  };
}

function storedTokenFetch(user: ResolvedEntry, provider: RawMap): CredentialFetch {
  const providerName = String(provider['name'] ?? '(unnamed)');
  const config = asMap(provider['config']) ?? {};
  const label = `auth-provider ${providerName}`;
  return async (): Promise<Credential> => {
    if (providerName === 'oidc') {
      const idToken = config['id-token'];
      if (typeof idToken !== 'string' || idToken === '') {
        throw new CredentialError('EXEC_FAILED', label, `User "${user.name}" uses oidc without an id-token. Log in with your OIDC login tool (for example kubelogin) in a terminal, then Retry.`);
      }
      const expiresAt = jwtExpiry(idToken);
      if (expiresAt && expiresAt.getTime() <= Date.now()) {
        throw new CredentialError(
          'EXEC_FAILED',
          label,
          `The oidc id-token of user "${user.name}" expired at ${expiresAt.toISOString()}. This extension does not refresh oidc tokens (refresh-token flows are out of scope): refresh it with kubectl or your OIDC login tool in a terminal, then Retry.`,
        );
      }
      return { token: idToken, expiresAt };
    }
    const stored = storedAccessToken(config, new Date());
    if (stored) return stored;
    throw new CredentialError(
      'EXEC_FAILED',
      label,
      `User "${user.name}" uses auth-provider "${providerName}" with no valid access-token and no cmd-path to get one; this extension does not refresh it. Refresh it with kubectl in a terminal, or switch the user to an exec plugin (kubelogin), then Retry.`,
    );
  };
}
