// Which kubeconfig contexts reach which Liqo cluster: each context's cluster ID is read once from its cluster-ID
// ConfigMap (key CLUSTER_ID, in whichever namespace Liqo runs: `liqo`, `liqo-system`, …) and cached, so an
// offloaded pod's provider is found by the cluster ID its virtual node carries. A context that cannot be read
// (unreachable, no Liqo) is simply not a match. It also knows every context's server and CA (connected or not), so
// that a kubeconfig another system carries (an Admiralty Target's) is matched to a context.
import type { ClusterClient } from '../cluster/clusterClient.ts';
import { liqoClusterId } from '../liqo/liqoInstallation.ts';
import type { ContextEndpoint } from '../../core/systems/endpoint.ts';

export interface ClusterHandle {
  readonly context: string;
  readonly client: ClusterClient;
}

export class ClusterDirectory {
  private readonly ids = new Map<string, Promise<string | undefined>>();
  private readonly handles: () => readonly ClusterHandle[];
  private readonly contextEndpoints: () => readonly ContextEndpoint[];

  /**
   * `handles`: every context of the loaded kubeconfigs that has a client (the caller owns the clients);
   * `endpoints`: every context's server and CA, connected or not (none given: no context matches an endpoint).
   */
  constructor(handles: () => readonly ClusterHandle[], endpoints: () => readonly ContextEndpoint[] = () => []) {
    this.handles = handles;
    this.contextEndpoints = endpoints;
  }

  endpoints(): readonly ContextEndpoint[] {
    return this.contextEndpoints();
  }

  all(): readonly ClusterHandle[] {
    return this.handles();
  }

  handle(context: string): ClusterHandle | undefined {
    return this.handles().find((h) => h.context === context);
  }

  clusterIdOf(h: ClusterHandle, signal: AbortSignal): Promise<string | undefined> {
    let p = this.ids.get(h.context);
    if (!p) {
      p = liqoClusterId(h.client, AbortSignal.any([signal, AbortSignal.timeout(10_000)])).catch(() => {
        this.ids.delete(h.context); // not cached: the cluster may come back
        return undefined;
      });
      this.ids.set(h.context, p);
    }
    return p;
  }

  /** The contexts whose cluster ID is `clusterId`, besides `except` (the consumer itself). */
  async contextsFor(clusterId: string, signal: AbortSignal, except?: string): Promise<ClusterHandle[]> {
    const hs = this.handles().filter((h) => h.context !== except);
    const ids = await Promise.all(hs.map((h) => this.clusterIdOf(h, signal)));
    return hs.filter((_, i) => ids[i] === clusterId);
  }
}
