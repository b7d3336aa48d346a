// The forced unpeer as an operation on the consumer alone (its provider is gone): whether the provider answers, the
// facts the decision in core/peering/forceUnpeer.ts needs (read from the consumer's API server), and the real
// `liqoctl force unpeer <provider-id> --skip-confirm` run with one temporary kubeconfig (the caller asked the user).
import { forceUnpeerCommand } from '../../core/liqoctl/peer.ts';
import type { ForceUnpeerFacts } from '../../core/peering/forceUnpeer.ts';
import type { ForeignCluster, NamespaceOffloading, VirtualNode } from '../../core/liqo/objects.ts';
import type { ClusterClient } from '../cluster/clusterClient.ts';
import { findLiqo } from '../liqo/liqoInstallation.ts';
import type { LiqoctlRunner } from '../liqoctl/liqoctlRunner.ts';
import type { LiqoctlStepOptions, PeeringSide } from './peering.ts';

/** Undefined when the cluster answers (its /version), else what it said or why it did not (within `timeoutMs`). */
export async function unansweredBecause(client: ClusterClient | undefined, timeoutMs = 10_000, signal?: AbortSignal): Promise<string | undefined> {
  if (!client) return 'no kubeconfig context reaches it';
  const bounded = AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])]);
  try {
    await client.version(bounded);
    return undefined;
  } catch (e) {
    if (signal?.aborted) throw e;
    return e instanceof Error ? e.message : String(e);
  }
}

export interface ForceUnpeerContext {
  readonly consumerContext: string;
  readonly consumer: ClusterClient;
  readonly providerClusterId: string;
  readonly providerContext?: string | undefined;
  readonly providerProblem: string;
  readonly liqoctlVersion?: string | undefined;
}

/** The facts for the decision, read from the consumer: its Liqo, the ForeignCluster, what is offloaded to the provider. */
export async function readForceUnpeerFacts(c: ForceUnpeerContext, signal?: AbortSignal): Promise<ForceUnpeerFacts> {
  const [liqo, fcs, offloadings, vns] = await Promise.all([
    findLiqo(c.consumer, signal),
    c.consumer.list('/apis/core.liqo.io/v1beta1/foreignclusters', {}, signal),
    c.consumer.list('/apis/offloading.liqo.io/v1beta1/namespaceoffloadings', {}, signal).catch(() => ({ items: [] })),
    c.consumer.list('/apis/offloading.liqo.io/v1beta1/virtualnodes', {}, signal).catch(() => ({ items: [] })),
  ]);
  const fc = (fcs.items as ForeignCluster[]).find((f) => (f.spec?.clusterID || f.metadata.name) === c.providerClusterId);
  if (!fc) throw new Error(`${c.consumerContext} has no ForeignCluster for ${c.providerClusterId}: there is no peering to unpeer.`);
  const reaching = (offloadings.items as NamespaceOffloading[])
    .filter((o) => Object.keys(o.status?.remoteNamespacesConditions ?? {}).includes(c.providerClusterId))
    .sort((a, b) => (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? ''));
  const offloaded = reaching.map((o) => o.metadata.namespace ?? '');
  const remote = reaching.map((o) => o.status?.remoteNamespaceName).filter((n): n is string => Boolean(n));
  const nodes = (vns.items as VirtualNode[]).filter((v) => v.spec?.clusterID === c.providerClusterId).map((v) => v.metadata.name).sort();
  return {
    consumerContext: c.consumerContext,
    consumerClusterId: liqo?.clusterId,
    providerClusterId: c.providerClusterId,
    providerContext: c.providerContext,
    providerProblem: c.providerProblem,
    consumerLiqoVersion: liqo?.version,
    liqoctlVersion: c.liqoctlVersion,
    foreignClusterName: fc.metadata.name,
    tenantNamespace: fc.status?.tenantNamespace?.local,
    apiServerStatus: fc.status?.conditions?.find((x) => x.type === 'APIServerStatus')?.status,
    offloadedNamespaces: offloaded,
    remoteNamespaces: remote,
    virtualNodes: nodes,
  };
}

/** `liqoctl force unpeer` on the consumer: returns once liqoctl saw the tenant namespace gone. */
export function forceUnpeer(liqoctl: LiqoctlRunner, consumer: PeeringSide, providerClusterId: string, o: LiqoctlStepOptions = {}): Promise<void> {
  // Through runOn, as every liqoctl run that reaches a cluster: a read-only consumer context is refused there.
  return liqoctl.runOn([consumer.resolved], ([ck]) => forceUnpeerCommand({ kubeconfig: ck!.path, context: ck!.contextName }, providerClusterId), {
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.onLine ? { onLine: o.onLine } : {}),
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
  });
}
