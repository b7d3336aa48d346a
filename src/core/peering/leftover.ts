// What is left of a peering on one cluster after `liqoctl unpeer` (or a peering that never finished): Liqo keeps the
// ForeignCluster and the tenant namespace `liqo-tenant-<id>`, and its controller goes on writing the ForeignCluster's
// status — role Unknown with every module disabled on v1.0.x, role Provider with authentication "enabled" and no
// condition on v1.2 (it still finds the control-plane Secret in the kept tenant namespace). Such a ForeignCluster is
// no peering: no module reports anything and nothing of a peering (VirtualNode, ResourceSlice, Tenant) names it.
// The clean-up is the one Liqo documents: the tenant namespace (`liqoctl unpeer --delete-namespaces`) and then the
// ForeignCluster (docs/faq "How to force unpeer a cluster?": delete it once nothing of the peering is left).
import type { ForeignCluster } from '../liqo/objects.ts';
import type { ClusterSnapshot } from '../liqo/snapshot.ts';

const MODULE_KEYS = ['networking', 'authentication', 'offloading'] as const;

/** The tenant namespace Liqo names after the peer (pkg/tenantnamespace: `liqo-tenant-<cluster ID>`). */
export function tenantNamespaceName(clusterId: string): string {
  return `liqo-tenant-${clusterId}`;
}

function peerIdOf(fc: ForeignCluster): string {
  return fc.spec?.clusterID || fc.metadata.name;
}

/**
 * True when this ForeignCluster is only what a peering left: no module has a condition, and the snapshot (fully
 * listed) holds no VirtualNode, ResourceSlice or Tenant for the peer. Unknown lists (loading, 403) say nothing.
 */
export function isLeftoverPeering(fc: ForeignCluster, s: ClusterSnapshot): boolean {
  if (fc.metadata.deletionTimestamp) return false;
  if (!(['virtualnodes', 'resourceslices', 'tenants'] as const).every((k) => s.kinds[k].kind === 'ready' || s.kinds[k].kind === 'absent')) return false;
  const modules = fc.status?.modules;
  if (MODULE_KEYS.some((k) => (modules?.[k]?.conditions?.length ?? 0) > 0)) return false;
  const id = peerIdOf(fc);
  if (s.virtualNodes.some((v) => v.spec?.clusterID === id)) return false;
  if (s.resourceSlices.some((r) => r.spec?.providerClusterID === id || r.spec?.consumerClusterID === id)) return false;
  if (s.tenants.some((t) => t.spec?.clusterID === id)) return false;
  return true;
}

export interface LeftoverCleanUp {
  readonly foreignCluster: string;
  /** The tenant namespace to delete first, when it still exists on the cluster. */
  readonly tenantNamespace?: string;
}

/** What Clean Up deletes for a leftover ForeignCluster: its tenant namespace (when present), then itself. */
export function leftoverCleanUp(fc: ForeignCluster, s: ClusterSnapshot): LeftoverCleanUp {
  const id = peerIdOf(fc);
  const candidates = [fc.status?.tenantNamespace?.local, tenantNamespaceName(id)].filter((n): n is string => Boolean(n));
  // A namespace already Terminating stays in the plan: Clean Up waits for it (and says what holds it).
  const present = candidates.find((n) => s.namespaces.some((ns) => ns.metadata.name === n));
  return { foreignCluster: fc.metadata.name, ...(present ? { tenantNamespace: present } : {}) };
}

/** An object that holds a tenant namespace in Terminating by a finalizer of Liqo's CRD replicator. */
export interface StuckObject {
  /** As kubectl names the resource: `renews.authentication.liqo.io`, `secret`. */
  readonly resource: string;
  readonly name: string;
  /** All its finalizers (those of the replicator among them). */
  readonly finalizers: readonly string[];
}

/** Finalizers that only Liqo's crd-replicator removes, after deleting the object's replica on the peer. */
export const REPLICATOR_FINALIZER_PREFIX = 'crdreplicator.liqo.io/';

/**
 * What to tell when the tenant namespace stays Terminating. Seen with Liqo v1.2.0 after unpeer: the consumer's Renew
 * and control-plane Secret keep crdreplicator.liqo.io finalizers because the crd-replicator may no longer delete the
 * Renew's replica on the provider (the provider revoked this cluster's access with its Tenant). Liqo's FAQ ("How to
 * force unpeer a cluster?") says to remove such finalizers by hand; the commands do exactly that, object by object.
 */
export function stuckNamespaceAdvice(namespace: string, stuck: readonly StuckObject[]): { readonly message: string; readonly commands: readonly (readonly string[])[] } {
  // A merge patch that keeps every other finalizer: only the replicator's go.
  const keep = (o: StuckObject) => o.finalizers.filter((f) => !f.startsWith(REPLICATOR_FINALIZER_PREFIX));
  const commands = stuck.map((o) => ['kubectl', 'patch', o.resource, o.name, '-n', namespace, '--type=merge', '-p', JSON.stringify({ metadata: { finalizers: keep(o) } })]);
  const what = stuck.map((o) => `${o.resource}/${o.name} (${o.finalizers.filter((f) => f.startsWith(REPLICATOR_FINALIZER_PREFIX)).join(', ')})`).join(', ');
  const message = stuck.length
    ? `Namespace ${namespace} stays Terminating: ${what} keep${stuck.length === 1 ? 's' : ''} finalizers that Liqo's crd-replicator removes only after deleting their copies on the peer, which no longer lets this cluster do so. Liqo's FAQ (How to force unpeer a cluster?) says to remove such finalizers by hand, then Clean Up again: ${commands.map((c) => c.map((a) => (/^[\w./:=-]+$/.test(a) ? a : `'${a}'`)).join(' ')).join(' ; ')}`
    : `Namespace ${namespace} is still being deleted; Clean Up again once it is gone (kubectl get namespace ${namespace} -o yaml shows what it waits for).`;
  return { message, commands };
}
