// What an ssh connection is made of (host, user, port, an optional jump host) and the system `ssh` argv that makes
// it: BatchMode (no prompt can hang the editor), StrictHostKeyChecking=yes (an unknown host key is an error, never
// accepted), the user's own agent, keys and known_hosts unless a caller passes others (tests do, to keep ~/.ssh
// untouched). Inputs are checked here, so nothing a user types can become an ssh option.
// A jump host is reached through a ProxyCommand built here rather than `-J`: OpenSSH starts the jump's ssh for -J
// without any -o option given to the outer one (no BatchMode: a prompt could hang; no StrictHostKeyChecking: an
// unknown bastion key could be asked about; no ConnectTimeout, known_hosts or identity), so the same options are
// passed to it explicitly, each argument single-quoted for the shell ssh runs it with and `%` doubled.
export interface SshTarget {
  readonly host: string;
  /** Empty or undefined: ssh's default (the local user name, or the ssh config's User). */
  readonly user?: string;
  /** Undefined: ssh's default (22, or the ssh config's Port). */
  readonly port?: number;
  /** `[user@]host[:port]` of a jump host (`ssh -J`). */
  readonly jump?: string;
}

/** Options real users leave unset; tests point them into a temporary folder. */
export interface SshClientOptions {
  /** An ssh_config to read instead of ~/.ssh/config (-F); the jump host's ssh (-J) reads it too. */
  readonly configFile?: string;
  readonly identityFile?: string;
  readonly knownHostsFile?: string;
  /** Seconds ssh waits for the TCP connection. Default 10. */
  readonly connectTimeoutSeconds?: number;
  /** Further `-o Key=Value` options (tests: ` IdentityAgent=none`). */
  readonly extraOptions?: Readonly<Record<string, string>>;
  /** The ssh binary the jump host's ProxyCommand runs; default `ssh` from PATH. */
  readonly sshPath?: string;
}

export class SshInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SshInputError';
  }
}

const HOST = /^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?|\[?[0-9A-Fa-f:.]+\]?)$/;
const USER = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

export function checkTarget(t: SshTarget): void {
  if (!HOST.test(t.host)) throw new SshInputError(`"${t.host}" is not a host name or IP address: enter something like k3s-server.example or 192.168.1.10`);
  if (t.user !== undefined && t.user !== '' && !USER.test(t.user)) throw new SshInputError(`"${t.user}" is not a user name: use letters, digits, '.', '_' or '-'`);
  if (t.port !== undefined && (!Number.isInteger(t.port) || t.port < 1 || t.port > 65535)) throw new SshInputError(`${t.port} is not a port: use a number from 1 to 65535`);
  if (t.jump !== undefined && t.jump !== '') parseJump(t.jump);
}

/** `[user@]host[:port]` as typed (a jump host, or the import's destination field). */
export function parseDestination(v: string): SshTarget {
  const m = /^\s*(?:([^@\s]+)@)?(\[[0-9A-Fa-f:.]+\]|[^:@\s[\]]+)(?::(\d{1,5}))?\s*$/.exec(v);
  if (!m) throw new SshInputError(`"${v}" is not an ssh destination: use host, user@host or user@host:port`);
  const host = m[2]!.replace(/^\[|\]$/g, '');
  const t: SshTarget = { host, ...(m[1] ? { user: m[1] } : {}), ...(m[3] ? { port: Number(m[3]) } : {}) };
  checkTarget({ ...t });
  return t;
}

function parseJump(jump: string): string {
  const t = parseDestination(jump);
  return `${t.user ? `${t.user}@` : ''}${t.host.includes(':') ? `[${t.host}]` : t.host}${t.port ? `:${t.port}` : ''}`;
}

/** The target as people write it: user@host:port. */
export function describeTarget(t: SshTarget): string {
  return `${t.user ? `${t.user}@` : ''}${t.host}${t.port ? `:${t.port}` : ''}`;
}

/** Options the jump's ssh must not get: they are about the target's session, not the hop to it. */
const TARGET_ONLY_OPTIONS = new Set(['ExitOnForwardFailure', 'RemoteCommand', 'RequestTTY', 'LocalForward', 'RemoteForward', 'DynamicForward']);

/** The options shared by the target's ssh and the jump's. */
function commonOptions(client: SshClientOptions, forJump: boolean): string[] {
  const o = (k: string, v: string): string[] => ['-o', `${k}=${v}`];
  const argv = [
    ...(client.configFile ? ['-F', client.configFile] : []),
    ...o('BatchMode', 'yes'),
    ...o('StrictHostKeyChecking', 'yes'),
    ...o('ConnectTimeout', String(client.connectTimeoutSeconds ?? 10)),
    // A dead link is noticed in about 45 s instead of never (tunnels), and the exit is reported as a drop.
    ...o('ServerAliveInterval', '15'),
    ...o('ServerAliveCountMax', '3'),
  ];
  if (client.knownHostsFile) argv.push(...o('UserKnownHostsFile', client.knownHostsFile), ...o('GlobalKnownHostsFile', '/dev/null'));
  if (client.identityFile) argv.push('-i', client.identityFile, ...o('IdentitiesOnly', 'yes'));
  for (const [k, v] of Object.entries(client.extraOptions ?? {})) {
    if (!/^[A-Za-z]+$/.test(k) || /[\r\n]/.test(v)) throw new SshInputError(`"${k}" is not an ssh option`);
    if (forJump && TARGET_ONLY_OPTIONS.has(k)) continue;
    argv.push(...o(k, v));
  }
  return argv;
}

/** One argument for the shell ssh runs a ProxyCommand with: single-quoted, and `%` doubled (ssh's own tokens). */
function proxyArg(arg: string): string {
  return `'${arg.replace(/'/g, "'\\''").replace(/%/g, '%%')}'`;
}

/** `ssh <the same options> -W [%h]:%p [-p port] [-l user] -- jump`, as one ProxyCommand value. */
export function jumpProxyCommand(jump: string, client: SshClientOptions): string {
  const j = parseDestination(jump);
  const argv = [...commonOptions(client, true), '-W', '[%h]:%p'];
  if (j.port !== undefined) argv.push('-p', String(j.port));
  if (j.user) argv.push('-l', j.user);
  argv.push('--', j.host);
  // -W's %h and %p are ssh's tokens (the target's host and port): the only argument not escaped. Hosts are checked.
  // ssh itself prefixes `exec ` when it hands the command to the shell.
  return [proxyArg(client.sshPath ?? 'ssh'), ...argv.map((a) => (a === '[%h]:%p' ? `'${a}'` : proxyArg(a)))].join(' ');
}

/** The options every ssh run starts with, then the destination. `extra` goes before the destination (-N, -L). */
export function sshArgv(t: SshTarget, client: SshClientOptions, extra: readonly string[] = [], remoteCommand?: readonly string[]): string[] {
  checkTarget(t);
  const argv = commonOptions(client, false);
  if (t.port !== undefined) argv.push('-p', String(t.port));
  if (t.user) argv.push('-l', t.user);
  if (t.jump) argv.push('-o', `ProxyCommand=${jumpProxyCommand(t.jump, client)}`);
  argv.push(...extra, '--', t.host);
  if (remoteCommand) argv.push(...remoteCommand);
  return argv;
}
