// Turns what a failed ssh run left (exit code and stderr) into one of the failures a user can act on, with a
// message that names the input and the next step (stderr quoted redacted). ssh's own failures exit 255 with its English messages (the
// strings matched here are OpenSSH's); the fetch script's failures have their own exit codes.
import { FETCH_EXIT } from './remoteKubeconfig.ts';
import { redactSecrets } from '../secrets/redactText.ts';
import { describeTarget, type SshTarget } from './sshTarget.ts';

export type SshFailureKind =
  | 'unknown-host-key'
  | 'changed-host-key'
  | 'unreachable'
  | 'unresolved-host'
  | 'denied'
  | 'remote-file-missing'
  | 'remote-file-unreadable'
  | 'sudo-password'
  | 'sudo-missing'
  | 'local-port-busy'
  | 'forward-refused'
  | 'other';

export interface SshFailure {
  readonly kind: SshFailureKind;
  readonly message: string;
}

export interface FailureContext {
  readonly target: SshTarget;
  /** The paths the fetch tried (import), for the missing-file message. */
  readonly paths?: readonly string[];
  /** The local port of a tunnel. */
  readonly localPort?: number;
  /** host:port the tunnel forwards to, as seen from the ssh host. */
  readonly forwardTo?: string;
}

const lastLines = (stderr: string): string =>
  stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('Warning: Permanently added'))
    .slice(-3)
    .join(' ')
    .replace(/\.$/, '');

export function classifySshFailure(exitCode: number | undefined, rawStderr: string, ctx: FailureContext): SshFailure {
  // Messages quote ssh's (and the remote script's) last lines: a remote host may print anything there, keys included.
  const stderr = redactSecrets(rawStderr);
  const t = ctx.target;
  const where = describeTarget(t);
  const port = t.port ?? 22;
  const user = t.user || 'your user';
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/i.test(stderr)) {
    return {
      kind: 'changed-host-key',
      message: `The host key of ${t.host} has CHANGED since it was stored in your known_hosts: this can be a reinstalled host or someone intercepting the connection. Nothing was fetched. Ask the host's admin for its key fingerprint; if it matches, remove the old key (ssh-keygen -R ${port === 22 ? t.host : `'[${t.host}]:${port}'`}) and trust the new one.`,
    };
  }
  if (/Host key verification failed|No \S+ host key is known for|host key is not known/i.test(stderr)) {
    return {
      kind: 'unknown-host-key',
      message: `The host key of ${t.host}:${port} is not in your known_hosts, and it is never accepted silently; nothing was fetched. Check its fingerprint with the host's admin (on the host: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), then trust it: ssh-keyscan -p ${port} ${t.host} >> ~/.ssh/known_hosts (or connect once in a terminal: ssh -p ${port} ${t.user ? `${t.user}@` : ''}${t.host}), and run the command again.`,
    };
  }
  if (/Could not resolve hostname|Name or service not known|nodename nor servname/i.test(stderr)) {
    return { kind: 'unresolved-host', message: `The host name "${t.host}" does not resolve. Check its spelling, or enter its IP address.` };
  }
  if (/Permission denied \(|Too many authentication failures|no mutual signature|Authentication failed/i.test(stderr)) {
    return {
      kind: 'denied',
      message: `${where} refused your key (${lastLines(stderr)}). Passwords are not asked for here: add your public key to ${user === 'your user' ? '~' : `~${user}`}/.ssh/authorized_keys on ${t.host} (ssh-copy-id -p ${port} ${t.user ? `${t.user}@` : ''}${t.host}), or load the key into your ssh agent (ssh-add), and check the user name.`,
    };
  }
  if (/bind \[?[0-9.:a-f]*\]?:\d+: Address already in use|cannot listen to port|Could not request local forwarding/i.test(stderr)) {
    return localPortBusy(ctx.localPort);
  }
  // Before the unreachable check: a forwarded connection refused on the far side also says "Connection refused".
  if (/open failed: connect failed|administratively prohibited/i.test(stderr)) {
    return {
      kind: 'forward-refused',
      message: `${t.host} could not open the forwarded connection to ${ctx.forwardTo ?? 'the API server'} (${lastLines(stderr)}). Check that the API server address is right as seen from ${t.host}, and that its sshd allows TCP forwarding (AllowTcpForwarding).`,
    };
  }
  if (/Connection refused|Connection timed out|Operation timed out|No route to host|Network is unreachable|Connection closed by|Connection reset by|timed out during banner exchange|kex_exchange_identification/i.test(stderr) && exitCode === 255) {
    return {
      kind: 'unreachable',
      message: `Cannot reach ssh on ${t.host}:${port} (${lastLines(stderr)}). Check that the host is up, that sshd listens on port ${port}, and that no firewall is in the way${t.jump ? ` (through the jump host ${t.jump})` : ''}.`,
    };
  }
  if (exitCode === FETCH_EXIT.missing) {
    const tried = (ctx.paths ?? []).join(', ');
    return {
      kind: 'remote-file-missing',
      message: `No kubeconfig at ${tried} on ${t.host} (or its folder is not readable by ${user}). Enter the path of the kubeconfig on the host${ctx.paths && ctx.paths.length > 1 ? '' : ', or leave the default to try the k3s, k0s and ~/.kube/config locations'}; if it lies in a folder only root can read, run the import again with sudo.`,
    };
  }
  if (exitCode === FETCH_EXIT.unreadable) {
    const file = /unreadable: (.*)/.exec(stderr)?.[1]?.trim() ?? 'the kubeconfig';
    return {
      kind: 'remote-file-unreadable',
      message: `${file} on ${t.host} exists but ${user} may not read it. Run the import again with sudo, or make it readable (k3s: start it with --write-kubeconfig-mode 0640 and a group of ${user}).`,
    };
  }
  if (exitCode === FETCH_EXIT.sudoPassword || /sudo: (a )?password is required|sudo: a terminal is required/i.test(stderr)) {
    return {
      kind: 'sudo-password',
      message: `sudo on ${t.host} asks ${user} for a password, and the import never types passwords (it runs sudo -n). Allow ${user} to run cat without a password (a sudoers rule such as "${t.user || 'USER'} ALL=(root) NOPASSWD: /usr/bin/cat, /usr/bin/test"), or copy the kubeconfig somewhere ${user} can read and import that path without sudo.`,
    };
  }
  if (exitCode === FETCH_EXIT.sudoMissing) {
    return { kind: 'sudo-missing', message: `sudo is not installed on ${t.host}. Import without sudo, as a user that may read the kubeconfig (or root).` };
  }
  const detail = lastLines(stderr);
  return {
    kind: 'other',
    message: `ssh to ${where} failed (${exitCode === undefined ? 'killed by a signal' : `exit ${exitCode}`}${detail ? `: ${detail}` : ''}). Try "ssh ${t.port ? `-p ${t.port} ` : ''}${t.user ? `${t.user}@` : ''}${t.host}" in a terminal to see why.`,
  };
}

/** The tunnel's local port is taken (found before ssh starts, or reported by ssh's ExitOnForwardFailure). */
export function localPortBusy(port: number | undefined): SshFailure {
  return { kind: 'local-port-busy', message: `The local port ${port ?? ''} is in use by another program, so the tunnel could not listen on it. Choose another local port, or stop the program that holds it.` };
}
