// The error every ssh step throws: a failure kind the UI and tests can tell apart, and a message that names the
// input and the next step (from core's classification). Never holds the fetched text or a key.
import type { SshFailureKind } from '../../core/ssh/sshFailure.ts';
import { ProcessRunError } from '../process/runner.ts';

export type SshErrorKind = SshFailureKind | 'ssh-missing' | 'blocked' | 'timeout' | 'cancelled' | 'not-a-kubeconfig' | 'tunnel-not-ready';

export class SshError extends Error {
  readonly kind: SshErrorKind;
  constructor(kind: SshErrorKind, message: string) {
    super(message);
    this.name = 'SshError';
    this.kind = kind;
  }
}

/** The runner's refusals and kills, in ssh's words. */
export function fromRunError(err: unknown, what: string): never {
  if (!(err instanceof ProcessRunError)) throw err;
  switch (err.reason) {
    case 'BLOCKED':
      throw new SshError('blocked', `${what} runs ssh, and this workspace is restricted. Trust the workspace (Manage Workspace Trust) to let the extension run programs.`);
    case 'NOT_FOUND':
      throw new SshError('ssh-missing', `ssh was not found in PATH. Install the OpenSSH client (Debian/Ubuntu: apt install openssh-client), then run ${what} again.`);
    case 'TIMEOUT':
      throw new SshError('timeout', `${what}: ssh did not finish in time and was stopped. Check the host and try again.`);
    case 'ABORTED':
    case 'DISPOSED':
      throw new SshError('cancelled', `${what} was cancelled.`);
    default:
      throw new SshError('other', `${what}: ${err.message}`);
  }
}
