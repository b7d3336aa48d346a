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
  const present = candidates.find((n) => s.namespaces.some((ns) => ns.metadata.name === n && !ns.metadata.deletionTimestamp));
  return { foreignCluster: fc.metadata.name, ...(present ? { tenantNamespace: present } : {}) };
}
