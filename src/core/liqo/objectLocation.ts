// Where one object a row stands for lives in the API: the collection of its kind (in its namespace when its key
// names one) and its name, to read and watch that object alone (Reveal in YAML).
import { WATCHED_KINDS, type WatchedKind } from './snapshot.ts';

/** Each watched kind's API group version and resource (several kinds are one resource seen through a selector). */
const RESOURCES: Readonly<Record<WatchedKind, { readonly group: string; readonly resource: string }>> = {
  clusterIdConfigMaps: { group: '/api/v1', resource: 'configmaps' },
  liqoDeployments: { group: '/apis/apps/v1', resource: 'deployments' },
  liqoPods: { group: '/api/v1', resource: 'pods' },
  namespaces: { group: '/api/v1', resource: 'namespaces' },
  foreignclusters: { group: '/apis/core.liqo.io/v1beta1', resource: 'foreignclusters' },
  virtualnodes: { group: '/apis/offloading.liqo.io/v1beta1', resource: 'virtualnodes' },
  virtualNodeNodes: { group: '/api/v1', resource: 'nodes' },
  resourceslices: { group: '/apis/authentication.liqo.io/v1beta1', resource: 'resourceslices' },
  namespaceoffloadings: { group: '/apis/offloading.liqo.io/v1beta1', resource: 'namespaceoffloadings' },
  tenants: { group: '/apis/authentication.liqo.io/v1beta1', resource: 'tenants' },
  shadowpods: { group: '/apis/offloading.liqo.io/v1beta1', resource: 'shadowpods' },
  pods: { group: '/api/v1', resource: 'pods' },
};

export interface ObjectLocation {
  /** The collection path the object is listed and watched in (its namespace's, for a namespaced object). */
  readonly collection: string;
  readonly name: string;
  /** The object's key as the caches and rows name it: `namespace/name` or `name`. */
  readonly key: string;
}

/** Undefined for a kind the tree does not watch or a key that names no object (empty parts). */
export function objectLocation(kind: string, key: string): ObjectLocation | undefined {
  if (!(WATCHED_KINDS as readonly string[]).includes(kind)) return undefined;
  const { group, resource } = RESOURCES[kind as WatchedKind];
  const slash = key.indexOf('/');
  const namespace = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (name === '' || name.includes('/') || namespace === '') return undefined;
  const collection = namespace === undefined ? `${group}/${resource}` : `${group}/namespaces/${encodeURIComponent(namespace)}/${resource}`;
  return { collection, name, key };
}
