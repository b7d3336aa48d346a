// Runs a credential program through the one runner and turns every way it can fail into a CredentialError whose
// message says what happened and what to do next. The tree shows these words next to a cluster, so they say when
// the plugin (not the API server) is at fault. Messages carry the command and a redacted tail of its stderr, never
// its arguments, its environment or its stdout (the credential).
import { redactSecrets } from '../../core/secrets/redactText.ts';
import { ProcessRunError, type ProcessRunner } from '../process/runner.ts';
import { CredentialError } from './credentialProvider.ts';

export interface CredentialProgramRun {
  readonly runner: ProcessRunner;
  /** The command as written in the kubeconfig (for messages). */
  readonly program: string;
  /** The command to start (resolved against the kubeconfig's folder when relative). */
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly trusted: boolean | (() => boolean);
  readonly signal: AbortSignal;
  readonly installHint?: string;
}

const LOGIN_HINT = /\b(tty|terminal|interactive|log ?in|sign ?in|browser|device code|reauth|expired)\b/i;
const TERMINAL_ADVICE = 'If it needs you to log in, log in in a terminal (for example run kubectl with this context there once), then Retry.';

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** stdout of a successful run (exit code 0). */
export async function runCredentialProgram(run: CredentialProgramRun): Promise<string> {
  const { program } = run;
  let result;
  try {
    result = await run.runner.run(run.command, run.args, {
      env: run.env,
      timeoutMs: run.timeoutMs,
      signal: run.signal,
      trusted: run.trusted,
      logArguments: false,
      maxOutputBytes: 1024 * 1024,
    });
  } catch (e) {
    if (!(e instanceof ProcessRunError)) throw e;
    switch (e.reason) {
      case 'BLOCKED':
        throw new CredentialError(
          'EXEC_BLOCKED',
          program,
          `Credential plugin "${program}" was not run: this workspace is restricted, and restricted workspaces run no programs. Trust the workspace to connect with this context.`,
        );
      case 'NOT_FOUND':
        throw new CredentialError(
          'ENOENT',
          program,
          `Credential plugin "${program}" was not found${run.command.includes('/') ? ` at ${run.command}` : ' in PATH'}.` +
            (run.installHint ? ` ${run.installHint.trim()}` : ' Install it, or fix the command in the kubeconfig.'),
        );
      case 'TIMEOUT':
        throw new CredentialError(
          'TIMEOUT',
          program,
          `Credential plugin "${program}" did not answer within ${seconds(run.timeoutMs)} and was stopped; the API server was not contacted yet, so the plugin, not the server, did not answer. ` +
            `It may be waiting for a login in a browser or a terminal. ${TERMINAL_ADVICE}`,
        );
      case 'ABORTED':
      case 'DISPOSED':
        throw new CredentialError('EXEC_FAILED', program, `Credential plugin "${program}" was stopped: its cluster connection was closed.`);
      default:
        throw new CredentialError('EXEC_FAILED', program, `Credential plugin "${program}" could not be started: ${e.message}`);
    }
  }
  if (result.exitCode !== 0) {
    const tail = redactSecrets(result.stderr).trim().slice(-400).replace(/\s+/g, ' ');
    const how = result.exitCode === undefined ? `was ended by ${result.signal ?? 'a signal'}` : `exited with code ${result.exitCode}`;
    const advice = LOGIN_HINT.test(result.stderr) ? ` ${TERMINAL_ADVICE}` : '';
    throw new CredentialError('EXEC_FAILED', program, `Credential plugin "${program}" ${how}${tail ? `: ${tail}` : ' without a message'}.${advice}`);
  }
  if (result.stdoutTruncated) {
    throw new CredentialError('EXEC_FAILED', program, `Credential plugin "${program}" printed more than 1 MiB; a credential was expected.`);
  }
  return result.stdout;
}
