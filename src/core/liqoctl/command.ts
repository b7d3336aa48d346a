// A liqoctl invocation as data: the argv to run and how to read its result. Builders in this folder return one of
// these; the infra runner executes it, so tests check the argv built and the parsing of captured output without a
// process. Arguments are an array from start to end: a context name with spaces or quotes stays one element.
import { redactSecrets } from '../secrets/redactText.ts';

/** What the runner hands back to a parser (stdout/stderr raw, as liqoctl wrote them). */
export interface LiqoctlOutput {
  readonly exitCode: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

export interface LiqoctlCommand<T> {
  /** The arguments after the program name. */
  readonly args: readonly string[];
  /** Short words for progress and logs ("peer kind-a → cluster-b"). */
  readonly title: string;
  /** Reads a finished run; throws a LiqoctlFailure when liqoctl reported an error. */
  readonly parse: (output: LiqoctlOutput) => T;
}

/** Which cluster a command talks to: a kubeconfig file (usually a temporary minified one) and a context in it. */
export interface LiqoctlTarget {
  readonly kubeconfig: string;
  readonly context?: string;
  /** Where Liqo runs; liqoctl's default is `liqo`, seed 001 uses `liqo-system`. */
  readonly liqoNamespace?: string;
}

export const DEFAULT_LIQO_NAMESPACE = 'liqo';

/** liqoctl exited non-zero: `message` is its own explanation (ERRO lines), already free of terminal colours. */
export class LiqoctlFailure extends Error {
  readonly exitCode: number | undefined;
  constructor(message: string, exitCode: number | undefined) {
    super(message);
    this.name = 'LiqoctlFailure';
    this.exitCode = exitCode;
  }
}

// pterm colours its prefixes even when stdout is not a terminal in some setups; escape sequences never reach a user.
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]|\u001b\][^\u0007]*\u0007/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** liqoctl's error lines (`ERRO …`, pterm's `ERROR …`, a Go `Error: …`), newest last; else the last non-empty lines. */
export function failureReason(output: LiqoctlOutput): string {
  // Redacted before it is cut into lines: a PEM block or a `password: |` value spans several.
  const lines = redactSecrets(stripAnsi(`${output.stderr}\n${output.stdout}`))
    .split(/\r?\n/)
    .map((l) => l.replace(/^[\s⠁-⣿]+/u, '').trim())
    .filter((l) => l !== '');
  const errors = lines.filter((l) => /^(?:ERRO|ERROR|Error:|FATA|FATAL)\b/.test(l) || /^\s*✗|^ERRO/.test(l));
  const chosen = errors.length > 0 ? errors.slice(-3) : lines.slice(-3);
  if (chosen.length === 0) return `liqoctl exited with ${output.exitCode ?? 'a signal'} without a message.`;
  return chosen.map((l) => l.replace(/^(?:ERRO|ERROR|FATA|FATAL)\s*:?\s*/, '').replace(/^Error:\s*/, '')).join('\n');
}

/** Throws a LiqoctlFailure unless liqoctl exited 0. */
export function requireSuccess(output: LiqoctlOutput): void {
  if (output.exitCode !== 0) throw new LiqoctlFailure(failureReason(output), output.exitCode);
}

/** `--kubeconfig x --context y -n ns` (or the `--remote-…` forms for a peer's other side). */
export function targetArgs(target: LiqoctlTarget, side: 'local' | 'remote' = 'local', withNamespace = true): string[] {
  const p = side === 'remote' ? 'remote-' : '';
  // `--flag=value` in one element: a value that starts with `-` can never be read as a flag of its own.
  const args = [`--${p}kubeconfig=${target.kubeconfig}`];
  if (target.context !== undefined) args.push(`--${p}context=${target.context}`);
  if (withNamespace && target.liqoNamespace !== undefined && target.liqoNamespace !== DEFAULT_LIQO_NAMESPACE) {
    args.push(`--${p}namespace=${target.liqoNamespace}`);
  }
  return args;
}
