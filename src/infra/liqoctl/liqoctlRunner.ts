// Runs liqoctl commands (src/core/liqoctl: argv + parser) through the one ProcessRunner: the binary from the
// setting or PATH, every output line streamed (redacted by the runner) to the caller's log, cancellation through an
// AbortSignal (the runner ends the whole process tree), and every way it can end turned into one clear message.
import { ProcessRunError, type ProcessRunner, type RunResult } from '../process/runner.ts';
import { LiqoctlFailure, type LiqoctlCommand } from '../../core/liqoctl/command.ts';
import type { ResolvedContext } from '../../core/kubeconfig/resolved.ts';
import { withTempKubeconfigs, type TempKubeconfig } from '../kubeconfig/tempKubeconfig.ts';
import type { WriteGate } from '../writes/readOnlyGuard.ts';

export interface LiqoctlRunOptions {
  readonly signal?: AbortSignal;
  /** Each line liqoctl writes, redacted, as it arrives (for the "Liqo" output channel and the progress text). */
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  readonly timeoutMs?: number;
}

/** liqoctl could not run or failed; the message is meant for a notification as it is. */
export class LiqoctlRunError extends Error {
  readonly reason: 'NOT_FOUND' | 'BLOCKED' | 'CANCELLED' | 'TIMEOUT' | 'FAILED' | 'OTHER';
  constructor(reason: LiqoctlRunError['reason'], message: string) {
    super(message);
    this.name = 'LiqoctlRunError';
    this.reason = reason;
  }
}

export const LIQOCTL_INSTALL_HINT =
  'Set "Liqo: Liqoctl Path" (liqo.liqoctlPath, in File > Preferences > Settings, User tab) to the liqoctl binary, put liqoctl on PATH (https://docs.liqo.io/en/stable/installation/liqoctl.html), or let the extension download the release that matches your cluster (Liqo: Download Liqoctl…).';

export class LiqoctlRunner {
  private readonly runner: ProcessRunner;
  private readonly binary: () => string;
  private readonly writeGate: WriteGate | undefined;

  /**
   * `binary`: read at each run (the setting may change): an absolute path, or `liqoctl` to look it up in PATH.
   * `writeGate`: asked for every context before a run against clusters (the read-only guard).
   */
  constructor(runner: ProcessRunner, binary: () => string, writeGate?: WriteGate) {
    this.runner = runner;
    this.binary = binary;
    this.writeGate = writeGate;
  }

  /**
   * The one way liqoctl reaches clusters: every context is asked of the write gate first (a read-only one ends it
   * here: no kubeconfig written, no process), then each gets a temporary minified kubeconfig for `build`'s command.
   */
  async runOn<T>(contexts: readonly ResolvedContext[], build: (files: TempKubeconfig[]) => LiqoctlCommand<T>, options: LiqoctlRunOptions = {}): Promise<T> {
    for (const c of contexts) this.writeGate?.assertWritable(c.contextName, 'liqoctl');
    return withTempKubeconfigs(contexts, (files) => this.run(build(files), options));
  }

  get program(): string {
    return this.binary();
  }

  /**
   * Runs a command as it is. Extension code reaches clusters through runOn only (test/unit/readOnlyDoors.test.ts
   * checks that nothing else in src writes a temporary kubeconfig); tests hand their own kubeconfigs here.
   */
  async run<T>(command: LiqoctlCommand<T>, options: LiqoctlRunOptions = {}): Promise<T> {
    const program = this.binary();
    let result: RunResult;
    try {
      result = await this.runner.run(program, command.args, {
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onLine ? { onLine: options.onLine } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        // liqoctl's spinners and colours are for terminals; plain lines read better in an output channel.
        env: { NO_COLOR: '1', TERM: 'dumb' },
      });
    } catch (e) {
      throw explainRunError(e, command.title);
    }
    try {
      return command.parse(result);
    } catch (e) {
      if (e instanceof LiqoctlFailure) throw new LiqoctlRunError('FAILED', `liqoctl ${command.title} failed: ${e.message}`);
      throw new LiqoctlRunError('OTHER', `liqoctl ${command.title}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

function explainRunError(e: unknown, title: string): LiqoctlRunError {
  if (!(e instanceof ProcessRunError)) return new LiqoctlRunError('OTHER', `liqoctl ${title}: ${e instanceof Error ? e.message : String(e)}`);
  switch (e.reason) {
    case 'NOT_FOUND':
      return new LiqoctlRunError('NOT_FOUND', `liqoctl was not found (${e.program}). ${LIQOCTL_INSTALL_HINT}`);
    case 'BLOCKED':
      return new LiqoctlRunError('BLOCKED', e.message);
    case 'ABORTED':
    case 'DISPOSED':
      return new LiqoctlRunError('CANCELLED', `liqoctl ${title} was cancelled; its processes were stopped.`);
    case 'TIMEOUT':
      return new LiqoctlRunError('TIMEOUT', `liqoctl ${title} took too long and was stopped.${e.stderrTail ? ` Last output: ${e.stderrTail}` : ''}`);
    default:
      return new LiqoctlRunError('OTHER', `liqoctl ${title}: ${e.message}`);
  }
}
