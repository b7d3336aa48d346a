// One SSH tunnel to an API server: `ssh -N -L 127.0.0.1:<local>:<api host>:<api port>` as a child of the one
// ProcessRunner (trust gate, its own process group, killed with the group on stop, abort or the runner's dispose).
// ExitOnForwardFailure makes a busy local port an exit, not a tunnel that silently forwards nothing; readiness is
// proven by connecting to the local end. When ssh exits while the tunnel is open, the tunnel is "dropped" (with the
// reason) until it is reopened or stopped.
import { classifySshFailure, localPortBusy } from '../../core/ssh/sshFailure.ts';
import { sshArgv, describeTarget, type SshClientOptions, type SshTarget } from '../../core/ssh/sshTarget.ts';
import type { ProcessRunner, RunResult } from '../process/runner.ts';
import { SshError, fromRunError } from './sshError.ts';
import { freeLocalPort, localPortAccepts as accepts } from '../cluster/localPort.ts';

export { freeLocalPort };

export interface TunnelSpec {
  readonly target: SshTarget;
  readonly client?: SshClientOptions;
  /** 127.0.0.1:<localPort> on this machine. */
  readonly localPort: number;
  /** The API server as the ssh host reaches it. */
  readonly remoteHost: string;
  readonly remotePort: number;
  readonly sshPath?: string;
}

export type TunnelState =
  | { readonly kind: 'starting' }
  | { readonly kind: 'open' }
  | { readonly kind: 'dropped'; readonly message: string }
  | { readonly kind: 'stopped' };

const POLL_MS = 100;

export class SshTunnel {
  readonly spec: TunnelSpec;
  private readonly runner: ProcessRunner;
  private current: { ctl: AbortController; exited: Promise<RunResult | SshError>; stopping: boolean } | undefined;
  private stateNow: TunnelState = { kind: 'stopped' };
  /** The last "open failed" ssh reported for a forwarded connection (the ssh host cannot reach the API server). */
  private forwardFailure: string | undefined;
  private readonly listeners = new Set<(s: TunnelState) => void>();

  constructor(runner: ProcessRunner, spec: TunnelSpec) {
    this.runner = runner;
    this.spec = spec;
  }

  get state(): TunnelState {
    return this.stateNow;
  }

  /** The address clients use: 127.0.0.1:<localPort>. */
  get localAddress(): string {
    return `127.0.0.1:${this.spec.localPort}`;
  }

  get label(): string {
    const r = this.spec.remoteHost.includes(':') ? `[${this.spec.remoteHost}]` : this.spec.remoteHost;
    return `${this.localAddress} → ${r}:${this.spec.remotePort} via ${describeTarget(this.spec.target)}`;
  }

  onDidChange(listener: (s: TunnelState) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Starts ssh and resolves once the local end accepts connections; rejects (ssh stopped) when it cannot. */
  async open(opts: { readyTimeoutMs: number; signal?: AbortSignal }): Promise<void> {
    if (this.current) throw new SshError('other', `The tunnel ${this.label} is already running.`);
    // Readiness is a connection to the local end: it proves ssh listens only if nothing else did before.
    if (await accepts(this.spec.localPort)) {
      const busy = localPortBusy(this.spec.localPort);
      throw new SshError(busy.kind, busy.message);
    }
    const { target, client, localPort, remoteHost, remotePort } = this.spec;
    const remote = remoteHost.includes(':') ? `[${remoteHost}]` : remoteHost;
    const argv = sshArgv(target, { ...client, ...(this.spec.sshPath ? { sshPath: this.spec.sshPath } : {}), extraOptions: { ExitOnForwardFailure: 'yes', ...client?.extraOptions } }, ['-N', '-L', `127.0.0.1:${localPort}:${remote}:${remotePort}`]);
    const ctl = new AbortController();
    const what = `The SSH tunnel to ${describeTarget(target)}`;
    this.forwardFailure = undefined;
    // A connection the ssh host cannot forward does not end ssh: it says so on stderr, kept for forwardProblem().
    const onLine = (line: string, stream: 'stdout' | 'stderr'): void => {
      if (stream === 'stderr' && /open failed|connect failed|administratively prohibited/i.test(line)) this.forwardFailure = line;
    };
    const exited = this.runner.run(this.spec.sshPath ?? 'ssh', argv, { signal: ctl.signal, maxOutputBytes: 64 * 1024, onLine }).catch((err: unknown) => {
      try {
        fromRunError(err, what);
      } catch (e) {
        return e instanceof SshError ? e : new SshError('other', String(e));
      }
    });
    const run = { ctl, exited, stopping: false };
    this.current = run;
    this.set({ kind: 'starting' });
    void exited.then((r) => this.onExit(run, r));

    const onAbort = (): void => ctl.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const deadline = Date.now() + opts.readyTimeoutMs;
      let gone: RunResult | SshError | undefined;
      void exited.then((r) => (gone = r));
      for (;;) {
        if (gone) throw this.failureOf(gone);
        if (await accepts(localPort)) {
          // ssh might have exited between the connect and now (something else took the port): check once more.
          await new Promise((r) => setTimeout(r, 50));
          if (gone) throw this.failureOf(gone);
          this.set({ kind: 'open' });
          return;
        }
        if (opts.signal?.aborted) throw new SshError('cancelled', `${what} was cancelled.`);
        if (Date.now() > deadline) throw new SshError('tunnel-not-ready', `${what} did not start listening on ${this.localAddress} within ${Math.round(opts.readyTimeoutMs / 1000)} s and was stopped. Try "ssh -N -L ${localPort}:${remote}:${remotePort} ${describeTarget(target)}" in a terminal to see why.`);
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    } catch (err) {
      await this.stop();
      throw err;
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Why connections through the open tunnel fail on the far side, if ssh reported it (explained with its fix). */
  forwardProblem(): string | undefined {
    if (!this.forwardFailure) return undefined;
    return classifySshFailure(255, this.forwardFailure, { target: this.spec.target, localPort: this.spec.localPort, forwardTo: `${this.spec.remoteHost}:${this.spec.remotePort}` }).message;
  }

  /** Stops ssh (its whole process group) and waits for it to exit. */
  async stop(): Promise<void> {
    const run = this.current;
    if (!run) {
      if (this.stateNow.kind !== 'stopped') this.set({ kind: 'stopped' });
      return;
    }
    run.stopping = true;
    run.ctl.abort();
    await run.exited;
    if (this.current === run) this.current = undefined;
    this.set({ kind: 'stopped' });
  }

  private onExit(run: NonNullable<SshTunnel['current']>, r: RunResult | SshError): void {
    if (this.current !== run) return;
    this.current = undefined;
    if (run.stopping) return;
    // Exits during start are reported by open(); after it, an exit is a drop.
    if (this.stateNow.kind === 'open') this.set({ kind: 'dropped', message: this.failureOf(r).message });
  }

  private failureOf(r: RunResult | SshError): SshError {
    if (r instanceof SshError) return r;
    const f = classifySshFailure(r.exitCode, r.stderr, { target: this.spec.target, localPort: this.spec.localPort, forwardTo: `${this.spec.remoteHost}:${this.spec.remotePort}` });
    return new SshError(f.kind, f.kind === 'other' ? `The SSH tunnel ${this.label} ended (${r.exitCode === undefined ? 'killed' : `exit ${r.exitCode}`}). ${f.message}` : f.message);
  }

  private set(s: TunnelState): void {
    this.stateNow = s;
    for (const l of [...this.listeners]) l(s);
  }
}
