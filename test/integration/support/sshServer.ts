// A real OpenSSH server on loopback for the SSH import and tunnel tests: /usr/sbin/sshd -D -e with its own config,
// host key, authorized key and client keys in a private temporary folder, listening on 127.0.0.x:<free port>. The
// client side never touches ~/.ssh: the tests pass the identity and known_hosts files explicitly (real users keep
// their defaults). stop() kills the daemon and every session process it started.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { SshClientOptions } from '../../../src/core/ssh/sshTarget.ts';
import { privateDir } from './programFixtures.ts';

const run = promisify(execFile);
export const SSHD = '/usr/sbin/sshd';

export interface SshServer {
  readonly host: string;
  readonly port: number;
  /** The folder every file of this server lives in: a unique marker in every ssh argv (pgrep -f). */
  readonly dir: string;
  /** Client options that authenticate with the authorized key and know the host key. */
  readonly client: SshClientOptions;
  /** An ssh_config with the same settings for every host: the jump host's ssh (-J) reads only this, not -o. */
  readonly configFile: string;
  /** A key that is not authorized. */
  readonly deniedKey: string;
  /** A known_hosts file without this host's key. */
  readonly emptyKnownHosts: string;
  /** Kills the per-connection sshd processes (as a dropped link would), keeping the listener. */
  dropSessions(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(host: string): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, host, resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

async function keygen(file: string, comment: string): Promise<void> {
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
}

export async function startSshServer(host = '127.0.0.1'): Promise<SshServer> {
  const { dir, remove } = await privateDir('liqo-sshd-');
  // The authorized key is read with the logging-in user's rights (a non-root user too): a world-readable folder.
  const { dir: pub, remove: removePub } = await privateDir('liqo-sshd-pub-');
  await chmod(pub, 0o755);
  const hostKey = path.join(dir, 'host_ed25519');
  const clientKey = path.join(dir, 'client_ed25519');
  const deniedKey = path.join(dir, 'denied_ed25519');
  await Promise.all([keygen(hostKey, 'liqo-test-host'), keygen(clientKey, 'liqo-test-client'), keygen(deniedKey, 'liqo-test-denied')]);
  await writeFile(path.join(pub, 'authorized_keys'), await readFile(`${clientKey}.pub`), { mode: 0o644 });
  const port = await freePort(host);
  const hostPub = (await readFile(`${hostKey}.pub`, 'utf8')).trim().split(' ').slice(0, 2).join(' ');
  const knownHosts = path.join(dir, 'known_hosts');
  // The host by its address, and as `localhost` (a jump-host test needs a second name: ssh refuses a jump to itself).
  await writeFile(knownHosts, `[${host}]:${port} ${hostPub}\n[localhost]:${port} ${hostPub}\n`, { mode: 0o600 });
  const emptyKnownHosts = path.join(dir, 'known_hosts.empty');
  await writeFile(emptyKnownHosts, '', { mode: 0o600 });
  const configFile = path.join(dir, 'ssh_config');
  await writeFile(
    configFile,
    ['Host *', '  BatchMode yes', '  StrictHostKeyChecking yes', `  IdentityFile ${clientKey}`, '  IdentitiesOnly yes', '  IdentityAgent none', `  UserKnownHostsFile ${knownHosts}`, '  GlobalKnownHostsFile /dev/null', ''].join('\n'),
    { mode: 0o600 },
  );
  const config = path.join(dir, 'sshd_config');
  await writeFile(
    config,
    [
      `Port ${port}`,
      `ListenAddress ${host}`,
      `HostKey ${hostKey}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${path.join(pub, 'authorized_keys')}`,
      // The tests run as root on CI; keys only, never a password.
      'PermitRootLogin prohibit-password',
      'StrictModes no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      // PAM, as Debian's sshd runs it: a locked password ("!") then does not block key logins of system accounts.
      'UsePAM yes',
      'AllowTcpForwarding yes',
      'X11Forwarding no',
      'PermitTTY no',
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  // sshd needs its privilege-separation folder; a machine where sshd never ran as a service lacks it.
  if (!existsSync('/run/sshd') && process.getuid?.() === 0) await mkdir('/run/sshd', { mode: 0o755 });

  const daemon: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  daemon.stderr!.on('data', (c: Buffer) => {
    log = (log + c.toString()).slice(-8000);
  });
  const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  while (!log.includes('Server listening')) {
    if (daemon.exitCode !== null || Date.now() > deadline) {
      daemon.kill('SIGKILL');
      await remove();
      await removePub();
      throw new Error(`sshd did not start: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  const sessionPids = async (): Promise<number[]> => {
    const out = await run('pgrep', ['-P', String(daemon.pid)]).catch(() => ({ stdout: '' }));
    return out.stdout.split('\n').filter(Boolean).map(Number);
  };
  return {
    host,
    port,
    dir,
    client: { identityFile: clientKey, knownHostsFile: knownHosts, connectTimeoutSeconds: 5, extraOptions: { IdentityAgent: 'none' } },
    configFile,
    deniedKey,
    emptyKnownHosts,
    async dropSessions() {
      for (const pid of await sessionPids()) process.kill(pid, 'SIGKILL');
    },
    async stop() {
      for (const pid of await sessionPids()) process.kill(pid, 'SIGKILL');
      daemon.kill('SIGTERM');
      await exited;
      await remove();
      await removePub();
    },
  };
}

/** Processes whose command line holds `marker` (ssh clients started with this server's files). */
export async function processesWith(marker: string): Promise<number[]> {
  const out = await run('pgrep', ['-f', marker]).catch(() => ({ stdout: '' }));
  return out.stdout.split('\n').filter(Boolean).map(Number).filter((p) => p !== process.pid);
}

/** A local account other than root that can log in (for sudo without rights), if this machine has one. */
export async function nonRootLoginUser(): Promise<string | undefined> {
  const shells = new Set((await readFile('/etc/shells', 'utf8').catch(() => '')).split('\n').map((l) => l.trim()).filter((l) => l.startsWith('/')));
  const passwd = await readFile('/etc/passwd', 'utf8');
  for (const line of passwd.split('\n')) {
    const [name, , uid, , , , shell] = line.split(':');
    if (name && Number(uid) >= 1000 && Number(uid) < 60000 && shell && shells.has(shell)) return name;
  }
  return undefined;
}

