// Peer and Unpeer as operations: `liqoctl peer` / `liqoctl unpeer` through the one runner, each side handed over as
// a temporary minified kubeconfig (0600, private folder, removed whatever happens), output lines streamed to the
// caller (already redacted by the runner). Unpeer carries `--skip-confirm`: the caller asked the user first. Each
// side's facts for the pre-flight checks (and the Liqo namespace liqoctl is then given) are read from the cluster.
import type { ResolvedContext } from '../../core/kubeconfig/resolved.ts';
import { DEFAULT_LIQO_NAMESPACE } from '../../core/liqo/liqoNamespace.ts';
import type { PeerSideFacts } from '../../core/peering/preflight.ts';
import type { ClusterClient } from '../cluster/clusterClient.ts';
import { findLiqo, type LiqoInstallation } from '../liqo/liqoInstallation.ts';
import { peerCommand, unpeerCommand, type PeerOptions } from '../../core/liqoctl/peer.ts';
import type { LiqoctlRunner } from '../liqoctl/liqoctlRunner.ts';

export interface PeeringSide {
  readonly resolved: ResolvedContext;
  /** Where Liqo runs on that cluster (`liqo` by default). */
  readonly liqoNamespace?: string;
}

export interface LiqoctlStepOptions {
  readonly signal?: AbortSignal;
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  readonly timeoutMs?: number;
}

export type PeerChoices = Omit<PeerOptions, 'consumer' | 'provider'>;

/**
 * One side as the pre-flight checks see it: its Liqo (namespace, cluster ID, version) found on the cluster, or why
 * the cluster did not answer. `facts.liqoNamespace` is what liqoctl must be told for that side.
 */
export async function peerSideFacts(contextName: string, client: ClusterClient, signal?: AbortSignal): Promise<{ facts: PeerSideFacts; liqo?: LiqoInstallation }> {
  try {
    const liqo = await findLiqo(client, signal);
    return {
      facts: {
        contextName,
        server: client.server,
        liqoNamespace: liqo?.namespace ?? DEFAULT_LIQO_NAMESPACE,
        ...(liqo?.version ? { liqoVersion: liqo.version } : {}),
        ...(liqo?.clusterId ? { clusterId: liqo.clusterId } : {}),
        ...(liqo?.clusterIdProblem ? { clusterIdProblem: liqo.clusterIdProblem } : {}),
      },
      ...(liqo ? { liqo } : {}),
    };
  } catch (e) {
    return { facts: { contextName, server: client.server, liqoNamespace: DEFAULT_LIQO_NAMESPACE, unreachable: e instanceof Error ? e.message : String(e) } };
  }
}

function runOptions(o: LiqoctlStepOptions) {
  return { ...(o.signal ? { signal: o.signal } : {}), ...(o.onLine ? { onLine: o.onLine } : {}), ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}) };
}

export function peerClusters(liqoctl: LiqoctlRunner, consumer: PeeringSide, provider: PeeringSide, choices: PeerChoices, o: LiqoctlStepOptions = {}): Promise<void> {
  return liqoctl.runOn(
    [consumer.resolved, provider.resolved],
    ([ck, pk]) =>
      peerCommand({
        consumer: { kubeconfig: ck!.path, context: ck!.contextName, ...(consumer.liqoNamespace ? { liqoNamespace: consumer.liqoNamespace } : {}) },
        provider: { kubeconfig: pk!.path, context: pk!.contextName, ...(provider.liqoNamespace ? { liqoNamespace: provider.liqoNamespace } : {}) },
        ...choices,
      }),
    runOptions(o),
  );
}

export function unpeerClusters(liqoctl: LiqoctlRunner, consumer: PeeringSide, provider: PeeringSide, o: LiqoctlStepOptions & { deleteNamespaces?: boolean } = {}): Promise<void> {
  return liqoctl.runOn(
    [consumer.resolved, provider.resolved],
    ([ck, pk]) =>
      unpeerCommand({
        consumer: { kubeconfig: ck!.path, context: ck!.contextName, ...(consumer.liqoNamespace ? { liqoNamespace: consumer.liqoNamespace } : {}) },
        provider: { kubeconfig: pk!.path, context: pk!.contextName, ...(provider.liqoNamespace ? { liqoNamespace: provider.liqoNamespace } : {}) },
        ...(o.deleteNamespaces ? { deleteNamespaces: true } : {}),
      }),
    runOptions(o),
  );
}
