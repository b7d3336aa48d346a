// One ClusterSession per kubeconfig context: owns the private client configuration for that context and its
// connection state. The only place (with what it starts) that talks to that cluster's API server.
import type { KubeConfig } from '@kubernetes/client-node';
import type { ClusterEntry } from '../../core/kubeconfig/clusters.ts';
import type { ConnectionState } from '../../core/tree/clusterNodes.ts';
import { describeConnectionFailure } from '../../core/connection/describe.ts';
import { kubeConfigFor } from './kubeClient.ts';
import { probeCluster } from './probe.ts';
import type { Logger } from '../log.ts';

export interface SessionOptions {
  readonly timeoutMs: number;
  readonly allowExec: boolean;
}

export class ClusterSession {
  private _entry: ClusterEntry;
  private text: string;
  private _state: ConnectionState = { kind: 'idle' };
  private abort: AbortController | undefined;
  private kc: KubeConfig | undefined;
  private readonly onChange: () => void;
  private readonly log: Logger;
  private options: SessionOptions;
  private disposed = false;

  constructor(entry: ClusterEntry, text: string, options: SessionOptions, onChange: () => void, log: Logger) {
    this._entry = entry;
    this.text = text;
    this.options = options;
    this.onChange = onChange;
    this.log = log;
  }

  get entry(): ClusterEntry {
    return this._entry;
  }

  get state(): ConnectionState {
    return this._state;
  }

  /** Takes a reloaded entry; returns true when what the connection depends on changed (so it reconnects). */
  update(entry: ClusterEntry, text: string, options: SessionOptions): boolean {
    const changed =
      text !== this.text || options.timeoutMs !== this.options.timeoutMs || options.allowExec !== this.options.allowExec || JSON.stringify(entry) !== JSON.stringify(this._entry);
    this._entry = entry;
    this.text = text;
    this.options = options;
    if (changed) {
      this.kc = undefined;
      if (this._state.kind !== 'idle') void this.connect();
    }
    return changed;
  }

  /** Probes the API server; safe to call again (the previous attempt is cancelled). */
  async connect(): Promise<void> {
    if (this.disposed) return;
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    const e = this._entry;
    if (e.configError) {
      this.setState({ kind: 'failed', problem: describeConnectionFailure({ server: e.server, code: 'KUBECONFIG_INVALID', message: e.configError, kubeconfigFile: e.filePath }) });
      return;
    }
    this.setState({ kind: 'connecting' });
    let kc: KubeConfig;
    try {
      kc = this.kc ??= kubeConfigFor(e.filePath, this.text, e.contextName);
    } catch (err) {
      this.setState({ kind: 'failed', problem: describeConnectionFailure({ server: e.server, code: 'KUBECONFIG_INVALID', message: (err as Error).message, kubeconfigFile: e.filePath }) });
      return;
    }
    const result = await probeCluster(kc, { timeoutMs: this.options.timeoutMs, signal: abort.signal, allowExec: this.options.allowExec, kubeconfigFile: e.filePath });
    if (abort.signal.aborted || this.disposed) return;
    if (result.ok) {
      this.log.info(`${e.contextName}: connected to ${e.server} (${result.gitVersion})`);
      this.setState({ kind: 'reachable', serverVersion: result.gitVersion });
    } else {
      const problem = describeConnectionFailure(result.failure);
      this.log.warn(`${e.contextName}: ${problem.summary} [${problem.kind}; ${e.filePath}]`);
      this.setState({ kind: 'failed', problem });
    }
  }

  private setState(state: ConnectionState): void {
    this._state = state;
    this.onChange();
  }

  dispose(): void {
    this.disposed = true;
    this.abort?.abort();
  }
}
