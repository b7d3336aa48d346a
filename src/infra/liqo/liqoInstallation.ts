// Where Liqo runs on a cluster and what it is: the namespace (found by the cluster-ID ConfigMap, looked up by name
// exactly as the tree's watch does, so `liqo` and `liqo-system` alike), the cluster ID, whether liqoctl can find that
// ConfigMap (its label), and the version from the controller-manager image tag, read through the ClusterClient.
// Used by pre-flight checks, Install Liqo's guard, version warnings and the download of the matching liqoctl.
import { KubeApiError, type ClusterClient } from '../cluster/clusterClient.ts';
import { CONTROLLER_MANAGER_SELECTOR, liqoVersionOfDeployment } from '../../core/liqoctl/version.ts';
import { CLUSTER_ID_FIELD_SELECTOR, DEFAULT_LIQO_NAMESPACE, clusterIdConfigMapProblem, locateLiqoNamespace } from '../../core/liqo/liqoNamespace.ts';
import type { ConfigMap, Deployment } from '../../core/liqo/objects.ts';

export interface LiqoInstallation {
  readonly namespace: string;
  readonly clusterId?: string;
  /** The controller-manager image tag; undefined when no controller-manager was found. */
  readonly version?: string;
  /** Why liqoctl would not find the cluster ID although the ConfigMap is there (its missing label). */
  readonly clusterIdProblem?: string;
}

/** Where Liqo is installed by convention: looked in when the user may not list ConfigMaps cluster-wide. */
const CONVENTIONAL_NAMESPACES = [DEFAULT_LIQO_NAMESPACE, 'liqo-system'];

type ClusterIdMap = ConfigMap;

/** The cluster-ID ConfigMap, wherever Liqo is installed; undefined when none exists (Liqo not installed). */
async function clusterIdConfigMap(client: ClusterClient, signal?: AbortSignal): Promise<ClusterIdMap | undefined> {
  let found: ClusterIdMap[];
  try {
    found = (await client.list('/api/v1/configmaps', { fieldSelector: CLUSTER_ID_FIELD_SELECTOR, limit: 5 }, signal)).items as ClusterIdMap[];
  } catch (e) {
    // Without cluster-wide list rights, try the two namespaces Liqo is installed in by convention.
    if (!(e instanceof KubeApiError && e.status === 403)) throw e;
    for (const ns of CONVENTIONAL_NAMESPACES) {
      try {
        const found = (await client.list(`/api/v1/namespaces/${ns}/configmaps`, { fieldSelector: CLUSTER_ID_FIELD_SELECTOR }, signal)).items[0];
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
  const namespace = locateLiqoNamespace(found, managers);
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
  const clusterIdProblem = clusterIdConfigMapProblem(cm);
  return { namespace, ...(clusterId ? { clusterId } : {}), ...(version ? { version } : {}), ...(clusterIdProblem ? { clusterIdProblem } : {}) };
}
