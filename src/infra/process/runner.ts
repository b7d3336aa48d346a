// The one program runner: every binary the extension starts (credential plugins, liqoctl, kubectl) goes through
// run(). It owns four guarantees so no caller has to remember them:
//  - workspace trust: in a restricted workspace run() refuses before anything is spawned (ProcessRunError BLOCKED);
//  - argv only: the program and an argument array go to execa without a shell, so nothing in a kubeconfig or a
//    setting is ever parsed by one;
//  - the whole process tree ends: each program leads its own process group, and a timeout, an abort or dispose()
//    signals the group (SIGTERM, then SIGKILL after a grace period), so a plugin's children (a browser login helper,
//    a `sleep`) cannot outlive it;
//  - bounded output, and nothing secret in logs: output is captured up to a limit, lines streamed to the caller and
//    anything this module logs pass through redactSecrets first.
// A non-zero exit is a result, not an error: the caller knows what the program's exit codes mean.
import * as path from 'node:path';
import type * as Execa from 'execa';
import { redactArgs, redactSecrets } from '../../core/secrets/redactText.ts';
import { silentLogger, type Logger } from '../log.ts';
import { LineSplitter, OutputBuffer } from './outputBuffer.ts';

export type RunFailure = 'BLOCKED' | 'NOT_FOUND' | 'SPAWN_FAILED' | 'TIMEOUT' | 'ABORTED' | 'DISPOSED';

/** The program could not run to its end. `stderrTail` is redacted and short: safe to show. */
export class ProcessRunError extends Error {
  readonly reason: RunFailure;
  readonly program: string;
  readonly stderrTail: string;
  constructor(reason: RunFailure, program: string, message: string, stderrTail = '') {
    super(message);
    this.name = 'ProcessRunError';
    this.reason = reason;
    this.program = program;
    this.stderrTail = stderrTail;
  }
}

export interface RunOptions {
  /** Variables added to (or, with undefined, removed from) the extension host's environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** Written to the program's stdin, which is then closed; without it stdin is /dev/null (never a terminal). */
  readonly stdin?: string;
  /** Kill the process tree after this long; undefined: no limit (only abort and dispose end it). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** A further trust condition for this run; both it and the runner's must hold. */
  readonly trusted?: boolean | (() => boolean);
  /** Each output line as it arrives, already redacted (for a live output channel). */
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Whether the log names the arguments (redacted); credential plugins pass false: their args stay unlogged. */
  readonly logArguments?: boolean;
  /** Captured bytes per stream; default the runner's. */
  readonly maxOutputBytes?: number;
}

export interface RunResult {
  /** The exit code, or undefined when a signal not sent by us ended it (see `signal`). */
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  /** Raw output (stdout's head, stderr's tail, up to maxOutputBytes each): may hold secrets, never log it as is. */
  readonly stdout: string;
  readonly stderr: string;
  readonly stdoutTruncated: boolean;
  readonly stderrTruncated: boolean;
  readonly durationMs: number;
}

export interface ProcessRunnerOptions {
  /** The workspace's trust, read at each run (it can be granted while the extension runs). */
  readonly trusted: boolean | (() => boolean);
  readonly logger?: Logger;
  /** Between SIGTERM and SIGKILL to the process group. Default 2 s. */
  readonly killGraceMs?: number;
  /** Default 4 MiB per stream. */
  readonly maxOutputBytes?: number;
}

const isTrue = (t: boolean | (() => boolean) | undefined): boolean => (typeof t === 'function' ? t() : t !== false);
const STDERR_TAIL_CHARS = 600;

let execaModule: Promise<typeof Execa> | undefined;
/**
 * execa, loaded at the first program run: its module initialisation (signal tables, child_process) is not paid at
 * activation, before the tree's first rows. esbuild keeps a dynamically imported module lazy inside the bundle.
 */
function loadExeca(): Promise<typeof Execa> {
  execaModule ??= import('execa');
  return execaModule;
}

interface Running {
  kill(reason: RunFailure): void;
}

export class ProcessRunner {
  private readonly running = new Set<Running>();
  private disposed = false;
  private readonly logger: Logger;
  private readonly killGraceMs: number;
  private readonly maxOutputBytes: number;
  private readonly options: ProcessRunnerOptions;

  constructor(options: ProcessRunnerOptions) {
    this.options = options;
    this.logger = options.logger ?? silentLogger;
    this.killGraceMs = options.killGraceMs ?? 2000;
    this.maxOutputBytes = options.maxOutputBytes ?? 4 * 1024 * 1024;
  }

  /** How many programs are running now. */
  get activeCount(): number {
    return this.running.size;
  }

  async run(program: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const name = path.basename(program);
    if (this.disposed) throw new ProcessRunError('DISPOSED', program, `Not running "${name}": the extension is shutting down.`);
    // The trust gate: nothing below this line runs in a restricted workspace.
    if (typeof this.options.trusted === 'function' ? !this.options.trusted() : !this.options.trusted) {
      throw blocked(program, name);
    }
    if (!isTrue(options.trusted)) throw blocked(program, name);
    if (options.signal?.aborted) throw new ProcessRunError('ABORTED', program, `Cancelled before "${name}" started.`);
    const { execa } = await loadExeca();
    // The module loaded in between: the runner may have been disposed, or the caller cancelled, meanwhile.
    if (this.disposed) throw new ProcessRunError('DISPOSED', program, `Not running "${name}": the extension is shutting down.`);
    if (options.signal?.aborted) throw new ProcessRunError('ABORTED', program, `Cancelled before "${name}" started.`);

    const commandLine = options.logArguments === false ? `${program} (arguments not logged)` : [program, ...redactArgs(args)].join(' ');
    this.logger.info(`Running ${redactSecrets(commandLine)}`);
    const started = Date.now();
    const max = options.maxOutputBytes ?? this.maxOutputBytes;
    const stdout = new OutputBuffer(max, 'head');
    const stderr = new OutputBuffer(max, 'tail');

    const subprocess = execa(program, [...args], {
      env: options.env,
      extendEnv: true,
      cwd: options.cwd,
      ...(options.stdin !== undefined ? { input: options.stdin } : { stdin: 'ignore' as const }),
      buffer: false,
      reject: false,
      shell: false,
      windowsHide: true,
      // Own process group (Unix) / taskkill /T (Windows): kill() reaches the whole tree. cleanup: killed if we exit.
      killDescendants: true,
      cleanup: true,
      forceKillAfterDelay: false,
    });

    let killedFor: RunFailure | undefined;
    const pid = subprocess.pid;
    const escalate = (): void => {
      // SIGKILL to the group also reaches children that ignore SIGTERM and outlived the leader: the group id stays
      // reserved while any member lives, so it cannot name an unrelated process.
      try {
        if (pid !== undefined && process.platform !== 'win32') process.kill(-pid, 'SIGKILL');
        else subprocess.kill('SIGKILL');
      } catch {
        // The group is gone: nothing left to kill.
      }
    };
    // A descendant that left the group (setsid) survives the kill and may hold our pipes open: after a further
    // grace period the pipes are closed from this end, so run() settles whatever such a process does.
    const letGo = (): void => {
      subprocess.stdout?.destroy();
      subprocess.stderr?.destroy();
    };
    const handle: Running = {
      kill: (reason) => {
        if (killedFor) return;
        killedFor = reason;
        subprocess.kill('SIGTERM');
        setTimeout(escalate, this.killGraceMs);
        setTimeout(letGo, 2 * this.killGraceMs);
      },
    };
    this.running.add(handle);
    const timer = options.timeoutMs !== undefined ? setTimeout(() => handle.kill('TIMEOUT'), options.timeoutMs) : undefined;
    const onAbort = (): void => handle.kill('ABORTED');
    options.signal?.addEventListener('abort', onAbort, { once: true });

    // A throwing callback runs inside a stream event, where it would take the extension host down: it is logged.
    const emit = (line: string, stream: 'stdout' | 'stderr'): void => {
      try {
        options.onLine?.(redactSecrets(line), stream);
      } catch (e) {
        this.logger.error(`The output handler of ${name} failed: ${redactSecrets(e instanceof Error ? e.message : String(e))}`);
      }
    };
    const splitters = options.onLine
      ? { stdout: new LineSplitter((l) => emit(l, 'stdout')), stderr: new LineSplitter((l) => emit(l, 'stderr')) }
      : undefined;
    subprocess.stdout?.on('data', (c: Buffer) => {
      stdout.push(c);
      splitters?.stdout.push(c);
    });
    subprocess.stderr?.on('data', (c: Buffer) => {
      stderr.push(c);
      splitters?.stderr.push(c);
    });

    try {
      const result = await subprocess;
      splitters?.stdout.flush();
      splitters?.stderr.flush();
      const durationMs = Date.now() - started;
      const stderrText = stderr.text();
      // Redacted whole, then cut: a cut could drop the `-----BEGIN` or `password:` that marks what follows as secret.
      const tail = redactSecrets(stderrText).slice(-STDERR_TAIL_CHARS).trim();
      if (killedFor) {
        this.logger.warn(`${name} stopped (${killedFor.toLowerCase()}) after ${durationMs} ms; its process group was killed.`);
        throw killedError(killedFor, program, name, options.timeoutMs, tail);
      }
      const spawnCode = (result as { code?: string }).code;
      if (pid === undefined || (result.exitCode === undefined && !result.signal && spawnCode)) {
        this.logger.warn(`${name} could not be started (${spawnCode ?? 'unknown error'}).`);
        if (spawnCode === 'ENOENT') {
          throw new ProcessRunError('NOT_FOUND', program, `"${program}" was not found${program.includes('/') ? '' : ' in PATH'}.`);
        }
        throw new ProcessRunError('SPAWN_FAILED', program, `"${program}" could not be started (${spawnCode ?? 'unknown error'}).`);
      }
      this.logger.info(`${name} exited with ${result.exitCode ?? result.signal} after ${durationMs} ms.`);
      return {
        exitCode: result.exitCode,
        signal: result.signal,
        stdout: stdout.text(),
        stderr: stderrText,
        stdoutTruncated: stdout.truncated,
        stderrTruncated: stderr.truncated,
        durationMs,
      };
    } finally {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      this.running.delete(handle);
    }
  }

  /** Kills every running program's process tree; later runs are refused. */
  dispose(): void {
    this.disposed = true;
    for (const r of [...this.running]) r.kill('DISPOSED');
  }
}

function blocked(program: string, name: string): ProcessRunError {
  return new ProcessRunError(
    'BLOCKED',
    program,
    `Not running "${name}": this workspace is restricted. Trust the workspace (Manage Workspace Trust) to let the extension run programs.`,
  );
}

function killedError(reason: RunFailure, program: string, name: string, timeoutMs: number | undefined, tail: string): ProcessRunError {
  if (reason === 'TIMEOUT') {
    return new ProcessRunError('TIMEOUT', program, `"${name}" did not finish within ${Math.round((timeoutMs ?? 0) / 100) / 10} s and was stopped.`, tail);
  }
  if (reason === 'DISPOSED') return new ProcessRunError('DISPOSED', program, `"${name}" was stopped: the extension is shutting down.`, tail);
  return new ProcessRunError('ABORTED', program, `"${name}" was cancelled.`, tail);
}
