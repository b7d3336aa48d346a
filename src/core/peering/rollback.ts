// How to undo a Peer Clusters… that was cancelled midway. liqoctl peer stopped by Cancel leaves what it had made so
// far: on v1.2.0 seen as a Tenant and a ForeignCluster on the provider ("Consumer · healthy") with no ForeignCluster
// on the consumer, where `liqoctl unpeer` fails ("foreign cluster with ID … not found"). The plan compares each side
// before the peering with after the Cancel and removes only what appeared in between: through `liqoctl unpeer` when
// the consumer's ForeignCluster is new (Liqo's own teardown; `--delete-namespaces` only when both tenant namespaces
// are new), else by deleting the new Tenants and Identities, then the new tenant namespaces, then the new
// ForeignClusters. A ForeignCluster the consumer had before means a reverse peering: liqoctl unpeer would reset the
// networking it shares (it spares it only for role ConsumerAndProvider), so only the new objects go. Nothing that
// existed before is touched.
import { tenantNamespaceName } from './leftover.ts';

export interface PeeringSideState {
  /** Peer cluster IDs this cluster has a ForeignCluster for (its name). */
  readonly foreignClusters: readonly string[];
  /** Names of its namespaces labelled liqo.io/tenant-namespace=true. */
  readonly tenantNamespaces: readonly string[];
  /** Its Tenants (a provider's record of a consumer): where, and for which cluster ID. */
  readonly tenants: readonly NamespacedFor[];
  /** Its Identities (a consumer's credentials for a provider). */
  readonly identities: readonly NamespacedFor[];
}

export interface NamespacedFor {
  readonly namespace: string;
  readonly name: string;
  readonly clusterId: string;
}

export type Side = 'consumer' | 'provider';

export type RollbackStep =
  | { readonly kind: 'unpeer'; readonly deleteNamespaces: boolean }
  | { readonly kind: 'delete'; readonly side: Side; readonly path: string; readonly what: string };

export interface PeeringIds {
  readonly consumerId: string;
  readonly providerId: string;
}

const FC_PATH = '/apis/core.liqo.io/v1beta1/foreignclusters';
const AUTH_PATH = '/apis/authentication.liqo.io/v1beta1';

function added<T>(after: readonly T[], before: readonly T[], same: (a: T, b: T) => boolean = (a, b) => a === b): T[] {
  return after.filter((a) => !before.some((b) => same(a, b)));
}

export function rollbackPlan(ids: PeeringIds, before: Readonly<Record<Side, PeeringSideState>>, after: Readonly<Record<Side, PeeringSideState>>): RollbackStep[] {
  const peerOf: Record<Side, string> = { consumer: ids.providerId, provider: ids.consumerId };
  const newNs = (side: Side): string | undefined => {
    const name = tenantNamespaceName(peerOf[side]);
    return after[side].tenantNamespaces.includes(name) && !before[side].tenantNamespaces.includes(name) ? name : undefined;
  };
  const newFc = (side: Side): string | undefined => (after[side].foreignClusters.includes(peerOf[side]) && !before[side].foreignClusters.includes(peerOf[side]) ? peerOf[side] : undefined);
  const steps: RollbackStep[] = [];
  const fcSteps = (['provider', 'consumer'] as const).flatMap((side) => {
    const fc = newFc(side);
    return fc ? [{ kind: 'delete', side, path: `${FC_PATH}/${encodeURIComponent(fc)}`, what: `ForeignCluster ${fc}` } as const] : [];
  });
  if (newFc('consumer')) {
    // liqoctl unpeer works from here: it deletes the slices, virtual nodes, identity, tenant and networking.
    steps.push({ kind: 'unpeer', deleteNamespaces: Boolean(newNs('consumer') && newNs('provider')) });
    return [...steps, ...(newNs('consumer') && newNs('provider') ? fcSteps : [])];
  }
  const key = (t: NamespacedFor) => `${t.namespace}/${t.name}`;
  const sameKey = (a: NamespacedFor, b: NamespacedFor) => key(a) === key(b);
  for (const t of added(after.provider.tenants, before.provider.tenants, sameKey).filter((x) => x.clusterId === ids.consumerId)) {
    steps.push({ kind: 'delete', side: 'provider', path: `${AUTH_PATH}/namespaces/${encodeURIComponent(t.namespace)}/tenants/${encodeURIComponent(t.name)}`, what: `Tenant ${key(t)}` });
  }
  for (const i of added(after.consumer.identities, before.consumer.identities, sameKey).filter((x) => x.clusterId === ids.providerId)) {
    steps.push({ kind: 'delete', side: 'consumer', path: `${AUTH_PATH}/namespaces/${encodeURIComponent(i.namespace)}/identities/${encodeURIComponent(i.name)}`, what: `Identity ${key(i)}` });
  }
  for (const side of ['provider', 'consumer'] as const) {
    const ns = newNs(side);
    if (ns) steps.push({ kind: 'delete', side, path: `/api/v1/namespaces/${encodeURIComponent(ns)}`, what: `namespace ${ns}` });
  }
  return [...steps, ...fcSteps];
}
