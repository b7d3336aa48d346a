// Polls one cluster's resource metrics API (metrics.k8s.io: NodeMetrics and PodMetrics lists, cluster-wide, two GETs
// per poll) through its ClusterClient, at the metrics' own window, and only while someone wants it (the cluster's row
// expanded in a visible view). Where no metrics API answers, it says so once and stops asking until asked again.
import { KubeApiError, type ClusterClient } from '../cluster/clusterClient.ts';
import { nodeUsages, podUsages, pollSeconds, type UsageState } from '../../core/metrics/usage.ts';
import type { Logger } from '../log.ts';

export const NODE_METRICS_PATH = '/apis/metrics.k8s.io/v1beta1/nodes';
export const POD_METRICS_PATH = '/apis/metrics.k8s.io/v1beta1/pods';

export type { UsageState };

/** Why a metrics request failed, in words; undefined for a failure that may pass (transport, timeouts, 5xx but 503). */
export function absentReason(err: unknown): string | undefined {
  if (!(err instanceof KubeApiError) || err.status === undefined) return undefined;
  if (err.status === 404) return 'metrics.k8s.io is not served (no metrics-server)';
  if (err.status === 503) return 'the metrics.k8s.io APIService is unavailable (metrics-server not answering)';
  if (err.status === 401 || err.status === 403) return `reading metrics.k8s.io is not allowed (${err.status})`;
  return undefined;
}

export class ClusterUsage {
  private current: UsageState = { kind: 'unknown' };
  private timer: NodeJS.Timeout | undefined;
  private inFlight: AbortController | undefined;
  private wanted = false;
  private told = false;
  private readonly client: () => ClusterClient | undefined;
  private readonly contextName: string;
  private readonly log: Logger;
  private readonly onChange: () => void;

  constructor(client: () => ClusterClient | undefined, contextName: string, log: Logger, onChange: () => void = () => undefined) {
    this.client = client;
    this.contextName = contextName;
    this.log = log;
    this.onChange = onChange;
  }

  get state(): UsageState {
    return this.current;
  }

  get polling(): boolean {
    return this.wanted;
  }

  /** Start (now, then every window) or stop polling. Wanting it again after an absent API asks once more. */
  want(wanted: boolean): void {
    if (wanted === this.wanted) return;
    this.wanted = wanted;
    if (!wanted) return this.stop();
    void this.poll();
  }

  /** One poll now (tests, and the first hover before a poll ended); resolves when it ended. */
  async poll(): Promise<UsageState> {
    const client = this.client();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!client) return this.schedule(5); // not connected yet
    this.inFlight?.abort();
    const ac = new AbortController();
    this.inFlight = ac;
    try {
      const [nodes, pods] = await Promise.all([client.get(NODE_METRICS_PATH, undefined, ac.signal), client.get(POD_METRICS_PATH, undefined, ac.signal)]);
      if (ac.signal.aborted) return this.current;
      const snapshot = { nodes: nodeUsages(nodes), pods: podUsages(pods) };
      this.set({ kind: 'available', snapshot, readAt: Date.now() });
      return this.schedule(pollSeconds(snapshot));
    } catch (err) {
      if (ac.signal.aborted) return this.current;
      const reason = absentReason(err);
      if (reason) {
        if (!this.told) this.log.info(`no metrics API on ${this.contextName}: showing capacity only (${reason})`);
        this.told = true;
        this.set({ kind: 'absent', reason });
        // asked again when a row is expanded again (want), not on a timer: an absent API stays absent for a while
        this.wanted = false;
        return this.current;
      }
      this.log.warn(`reading usage on ${this.contextName} failed: ${(err as Error).message}; trying again at the next window`);
      return this.schedule(60);
    } finally {
      if (this.inFlight === ac) this.inFlight = undefined;
    }
  }

  private schedule(seconds: number): UsageState {
    if (!this.wanted) return this.current;
    this.timer = setTimeout(() => void this.poll(), seconds * 1000);
    this.timer.unref?.();
    return this.current;
  }

  private set(state: UsageState): void {
    this.current = state;
    this.onChange();
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.inFlight?.abort();
    this.inFlight = undefined;
  }

  dispose(): void {
    this.wanted = false;
    this.stop();
  }
}
