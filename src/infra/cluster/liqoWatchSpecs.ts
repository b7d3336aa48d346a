// The watches that find Liqo in a cluster: the cluster-ID ConfigMap and the controller-manager Deployment, listed
// cluster-wide with selectors (Liqo may live in `liqo`, `liqo-system` or any namespace), and the pods of the
// namespace they are found in. When a cluster-wide listing is forbidden, the same watch narrowed to one namespace.
import { CLUSTER_ID_FIELD_SELECTOR, CONTROLLER_MANAGER_SELECTOR } from '../../core/liqo/liqoNamespace.ts';
import { cachedPod } from '../../core/liqo/cachedObjects.ts';
import { collectionPath, resourceName } from '../../core/liqo/objectLocation.ts';
import type { WatchSpec } from './resourceWatch.ts';

/** The kinds whose watch finds Liqo's namespace. */
export type LocatingKind = 'clusterIdConfigMaps' | 'liqoDeployments';
export const LOCATING_KINDS: readonly LocatingKind[] = ['clusterIdConfigMaps', 'liqoDeployments'];

const SELECTORS: Readonly<Record<LocatingKind, Omit<WatchSpec, 'path'>>> = {
  // By name, as the commands look it up too (infra/liqo/liqoInstallation.ts); a missing chart label is reported.
  clusterIdConfigMaps: { fieldSelector: CLUSTER_ID_FIELD_SELECTOR },
  liqoDeployments: { labelSelector: CONTROLLER_MANAGER_SELECTOR },
};

/** Cluster-wide when `namespace` is undefined, else only in that namespace (the fallback after a 403). */
export function locatingSpec(kind: LocatingKind, namespace?: string): WatchSpec {
  return { path: collectionPath(kind, namespace), ...SELECTORS[kind] };
}

export function isClusterWide(path: string): boolean {
  return !path.includes('/namespaces/');
}

export function liqoPodsSpec(namespace: string): WatchSpec {
  return { path: collectionPath('liqoPods', namespace), keep: cachedPod };
}

/** What the tooltip says when a cluster-wide listing was refused. */
export function limitedByText(kinds: readonly LocatingKind[], namespace: string): string {
  const what = kinds.map(resourceName).join(' and ');
  return `this user may not list ${what} cluster-wide (403), so Liqo was looked for only in namespace ${namespace}`;
}
