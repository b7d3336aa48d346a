// Where Liqo runs on a cluster and what it is: the namespace (found by the cluster-ID ConfigMap's label, so `liqo`
// and `liqo-system` alike), the cluster ID, and the version from the controller-manager image tag, read through the
// ClusterClient. Used by pre-flight checks, version warnings and the download of the matching liqoctl.
import { KubeApiError, type ClusterClient } from '../cluster/clusterClient.ts';
import { CONTROLLER_MANAGER_SELECTOR, liqoVersionOfDeployment } from '../../core/liqoctl/version.ts';
import { DEFAULT_LIQO_NAMESPACE, locateLiqoNamespace } from '../../core/liqo/liqoNamespace.ts';
import type { ConfigMap, Deployment } from '../../core/liqo/objects.ts';

export interface LiqoInstallation {
  readonly namespace: string;
  readonly clusterId?: string;
  /** The controller-manager image tag; undefined when no controller-manager was found. */
  readonly version?: string;
}

const CLUSTER_ID_SELECTOR = 'app.kubernetes.io/name=clusterid-configmap';

/** Where Liqo is installed by convention: looked in when the user may not list ConfigMaps cluster-wide. */
const CONVENTIONAL_NAMESPACES = [DEFAULT_LIQO_NAMESPACE, 'liqo-system'];

type ClusterIdMap = { metadata?: { namespace?: string }; data?: Record<string, string> };

/** The cluster-ID ConfigMap, wherever Liqo is installed; undefined when none exists (Liqo not installed). */
async function clusterIdConfigMap(client: ClusterClient, signal?: AbortSignal): Promise<ClusterIdMap | undefined> {
  let found: ClusterIdMap[];
  try {
    found = (await client.list('/api/v1/configmaps', { labelSelector: CLUSTER_ID_SELECTOR, limit: 5 }, signal)).items as ClusterIdMap[];
  } catch (e) {
    // Without cluster-wide list rights, try the two namespaces Liqo is installed in by convention.
    if (!(e instanceof KubeApiError && e.status === 403)) throw e;
    for (const ns of CONVENTIONAL_NAMESPACES) {
      try {
        const found = (await client.list(`/api/v1/namespaces/${ns}/configmaps`, { labelSelector: CLUSTER_ID_SELECTOR }, signal)).items[0];
        if (found) return found as ClusterIdMap;
      } catch {
        // not readable either: Liqo unknown here
      }
    }
    return undefined;
  }
  if (found.length <= 1) return found[0];
  // Several (a leftover copy, a second install): the one next to a controller-manager, chosen as the tree chooses.
  let managers: Deployment[] = [];
  try {
    managers = (await client.list('/apis/apps/v1/deployments', { labelSelector: CONTROLLER_MANAGER_SELECTOR }, signal)).items as Deployment[];
  } catch (e) {
    if (!(e instanceof KubeApiError && e.status === 403)) throw e;
  }
  const namespace = locateLiqoNamespace(found as ConfigMap[], managers);
  return found.find((c) => c.metadata?.namespace === namespace) ?? found[0];
}

/** The cluster's Liqo cluster ID (from its cluster-ID ConfigMap, in whichever namespace Liqo runs), if any. */
export async function liqoClusterId(client: ClusterClient, signal?: AbortSignal): Promise<string | undefined> {
  return (await clusterIdConfigMap(client, signal))?.data?.CLUSTER_ID || undefined;
}

/** Liqo on this cluster, or undefined when no cluster-ID ConfigMap exists anywhere (Liqo not installed). */
export async function findLiqo(client: ClusterClient, signal?: AbortSignal): Promise<LiqoInstallation | undefined> {
  const cm = await clusterIdConfigMap(client, signal);
  const namespace = cm?.metadata?.namespace;
  if (!namespace) return undefined;
  const deployments = await client.list(`/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments`, { labelSelector: CONTROLLER_MANAGER_SELECTOR }, signal);
  const version = deployments.items.length === 1 ? liqoVersionOfDeployment(deployments.items[0]) : undefined;
  const clusterId = cm.data?.CLUSTER_ID;
  return { namespace, ...(clusterId ? { clusterId } : {}), ...(version ? { version } : {}) };
}
