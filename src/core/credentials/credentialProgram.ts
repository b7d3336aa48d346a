// Says, for a kubeconfig `user:` map as written in the file, which program getting its credential would run: an
// exec plugin (`exec.command`), a gcp/azure-style auth provider's `cmd-path`, or an auth provider's `config.exec`
// (client-node runs that too). Restricted workspaces must run none of them, so this is the one place that knows
// every way a kubeconfig can name a program. Pure: it reads the map, it runs and resolves nothing.

export type CredentialProgramSource = 'exec' | 'auth-provider cmd-path' | 'auth-provider config.exec';

export interface CredentialProgram {
  readonly source: CredentialProgramSource;
  /** The command as written (a bare name looked up in PATH, or a path); undefined when the entry names none. */
  readonly command?: string;
}

type RawMap = Readonly<Record<string, unknown>>;

function asMap(value: unknown): RawMap | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as RawMap) : undefined;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** The raw `auth-provider:` map (client-node's objects spell it `authProvider`). */
export function authProviderOf(user: RawMap | undefined): RawMap | undefined {
  return asMap(user?.['auth-provider']) ?? asMap(user?.['authProvider']);
}

/** The program this user's credential would run, or undefined when it runs none (token, certificates, oidc). */
export function credentialProgramOf(user: RawMap | undefined): CredentialProgram | undefined {
  if (!user) return undefined;
  // An `exec:` key with any value means kubectl would try to run a plugin (and fail without a command): it counts.
  if (user['exec'] !== undefined && user['exec'] !== null) {
    return { source: 'exec', command: nonEmptyString(asMap(user['exec'])?.['command']) };
  }
  const provider = authProviderOf(user);
  const config = asMap(provider?.['config']);
  const execEntry = config?.['exec'];
  // client-node runs `config.exec` for any provider, and tries to for a provider named `exec` even without one.
  if ((execEntry !== undefined && execEntry !== null && execEntry !== '') || provider?.['name'] === 'exec') {
    return { source: 'auth-provider config.exec', command: nonEmptyString(asMap(execEntry)?.['command']) };
  }
  const cmdPath = nonEmptyString(config?.['cmd-path']);
  if (cmdPath) return { source: 'auth-provider cmd-path', command: cmdPath };
  return undefined;
}

/** The program's name for messages: its command, or what kind of entry names it when the command is missing. */
export function credentialProgramName(program: CredentialProgram): string {
  return program.command ?? `${program.source} (no command)`;
}
