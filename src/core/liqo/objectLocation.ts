// Where the watched kinds live in the API: each kind's collection (cluster-wide, or in one namespace), which the
// cluster watches list and watch; and where one object a row stands for lives (its collection and name, to read and
// watch that object alone: Reveal in YAML), with its apiVersion and kind, which the items of a LIST of a built-in
// resource do not carry.
import type { KubeObject } from './objects.ts';
import { WATCHED_KINDS, type WatchedKind } from './snapshot.ts';

/** Each watched kind's API group version, resource and kind (several kinds are one resource seen through a selector). */
const RESOURCES: Readonly<Record<WatchedKind, { readonly group: string; readonly resource: string; readonly kind: string }>> = {
  clusterIdConfigMaps: { group: '/api/v1', resource: 'configmaps', kind: 'ConfigMap' },
  liqoDeployments: { group: '/apis/apps/v1', resource: 'deployments', kind: 'Deployment' },
  liqoPods: { group: '/api/v1', resource: 'pods', kind: 'Pod' },
  namespaces: { group: '/api/v1', resource: 'namespaces', kind: 'Namespace' },
  foreignclusters: { group: '/apis/core.liqo.io/v1beta1', resource: 'foreignclusters', kind: 'ForeignCluster' },
  virtualnodes: { group: '/apis/offloading.liqo.io/v1beta1', resource: 'virtualnodes', kind: 'VirtualNode' },
  virtualNodeNodes: { group: '/api/v1', resource: 'nodes', kind: 'Node' },
  resourceslices: { group: '/apis/authentication.liqo.io/v1beta1', resource: 'resourceslices', kind: 'ResourceSlice' },
  namespaceoffloadings: { group: '/apis/offloading.liqo.io/v1beta1', resource: 'namespaceoffloadings', kind: 'NamespaceOffloading' },
  tenants: { group: '/apis/authentication.liqo.io/v1beta1', resource: 'tenants', kind: 'Tenant' },
  shadowpods: { group: '/apis/offloading.liqo.io/v1beta1', resource: 'shadowpods', kind: 'ShadowPod' },
  services: { group: '/api/v1', resource: 'services', kind: 'Service' },
  pods: { group: '/api/v1', resource: 'pods', kind: 'Pod' },
};

/** The collection a kind is listed and watched in: cluster-wide when `namespace` is undefined. */
export function collectionPath(kind: WatchedKind, namespace?: string): string {
  const { group, resource } = RESOURCES[kind];
  return namespace === undefined ? `${group}/${resource}` : `${group}/namespaces/${encodeURIComponent(namespace)}/${resource}`;
}

/** The kind's resource name as the API and RBAC know it (`configmaps`). */
export function resourceName(kind: WatchedKind): string {
  return RESOURCES[kind].resource;
}

export interface ObjectLocation {
  /** The collection path the object is listed and watched in (its namespace's, for a namespaced object). */
  readonly collection: string;
  readonly name: string;
  /** The object's key as the caches and rows name it: `namespace/name` or `name`. */
  readonly key: string;
  /** As the object's YAML names them: `v1`, `offloading.liqo.io/v1beta1`; `Pod`. */
  readonly apiVersion: string;
  readonly kind: string;
}

/** Undefined for a kind the tree does not watch or a key that names no object (empty parts). */
export function objectLocation(kind: string, key: string): ObjectLocation | undefined {
  if (!(WATCHED_KINDS as readonly string[]).includes(kind)) return undefined;
  const { group, kind: objectKind } = RESOURCES[kind as WatchedKind];
  const slash = key.indexOf('/');
  const namespace = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (name === '' || name.includes('/') || namespace === '') return undefined;
  return { collection: collectionPath(kind as WatchedKind, namespace), name, key, apiVersion: group.replace(/^\/apis?\//, ''), kind: objectKind };
}

/** The object with its apiVersion and kind first, as kubectl shows it (a LIST item of a built-in kind has neither). */
export function withTypeMeta(o: KubeObject, at: Pick<ObjectLocation, 'apiVersion' | 'kind'>): KubeObject {
  if (o.apiVersion && o.kind) return o;
  return { apiVersion: at.apiVersion, kind: at.kind, ...o };
}
