// Fetches a kubeconfig from a host with the system ssh, through the one ProcessRunner (trust gate, argv only,
// process-group kill on timeout or cancel). The script goes on stdin; the file comes back on stdout and is only
// returned, never logged (the runner logs the command line and the exit, not the output).
import { FETCH_COMMAND, fetchScript, parseFetchOutput, type FetchedKubeconfig } from '../../core/ssh/remoteKubeconfig.ts';
import { classifySshFailure } from '../../core/ssh/sshFailure.ts';
import { sshArgv, describeTarget, type SshClientOptions, type SshTarget } from '../../core/ssh/sshTarget.ts';
import type { ProcessRunner } from '../process/runner.ts';
import { SshError, fromRunError } from './sshError.ts';

export interface FetchOptions {
  readonly paths: readonly string[];
  readonly sudo: boolean;
  readonly client?: SshClientOptions;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** The ssh binary; default `ssh` from PATH. */
  readonly sshPath?: string;
}

const MAX_KUBECONFIG_BYTES = 8 * 1024 * 1024;

export async function fetchRemoteKubeconfig(runner: ProcessRunner, target: SshTarget, opts: FetchOptions): Promise<FetchedKubeconfig> {
  const script = fetchScript(opts.paths, opts.sudo);
  const argv = sshArgv(target, { ...opts.client, ...(opts.sshPath ? { sshPath: opts.sshPath } : {}) }, [], FETCH_COMMAND);
  const what = `Import over SSH from ${describeTarget(target)}`;
  const result = await runner
    .run(opts.sshPath ?? 'ssh', argv, { stdin: script, timeoutMs: opts.timeoutMs, maxOutputBytes: MAX_KUBECONFIG_BYTES + 4096, ...(opts.signal ? { signal: opts.signal } : {}) })
    .catch((err: unknown) => fromRunError(err, what));
  if (result.exitCode !== 0) {
    const f = classifySshFailure(result.exitCode, result.stderr, { target, paths: opts.paths });
    throw new SshError(f.kind, f.message);
  }
  if (result.stdoutTruncated) throw new SshError('not-a-kubeconfig', `The file on ${target.host} is larger than 8 MiB: it is not a kubeconfig. Enter the right path.`);
  const fetched = parseFetchOutput(result.stdout, opts.paths);
  if (!fetched) throw new SshError('other', `${what}: the host answered with something other than the file (a login banner on stdout?). Try "ssh ${describeTarget(target)} cat <path>" in a terminal.`);
  return fetched;
}
