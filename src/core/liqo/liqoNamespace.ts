// Where Liqo is installed in a cluster. `liqoctl install` uses `liqo`, but Helm users often pick `liqo-system` (or
// anything else), so the namespace is read from what Liqo leaves behind: the cluster-ID ConfigMap and the
// controller-manager Deployment, both found by a cluster-wide LIST with a selector.
import type { ConfigMap, Deployment, KubeObject } from './objects.ts';
import { CLUSTER_ID_CONFIGMAP, CLUSTER_ID_KEY } from './objects.ts';

/** The namespace `liqoctl install` uses; also where we look when the user may not list cluster-wide. */
export const DEFAULT_LIQO_NAMESPACE = 'liqo';

/** The Helm chart's labels on the controller-manager Deployment (Liqo v1.0.x). */
export const CONTROLLER_MANAGER_SELECTOR = 'app.kubernetes.io/name=controller-manager,app.kubernetes.io/component=controller-manager';

/** Liqo's own components and liqoctl find the cluster-ID ConfigMap by this label (pkg/consts ClusterIDConfigMapSelector). */
export const CLUSTER_ID_LABEL_KEY = 'app.kubernetes.io/name';
export const CLUSTER_ID_LABEL_VALUE = 'clusterid-configmap';

/**
 * The one way the explorer finds the cluster-ID ConfigMap, for the tree's watch and for the commands' look-ups alike:
 * by its name, so that a ConfigMap missing the label is still found and its missing label is said (see below).
 */
export const CLUSTER_ID_FIELD_SELECTOR = `metadata.name=${CLUSTER_ID_CONFIGMAP}`;

/**
 * What is wrong with the cluster-ID ConfigMap for Liqo itself: liqoctl (peer, unpeer, info) and Liqo's controllers
 * look it up by label, so without the label they find no cluster ID although the ConfigMap is there.
 */
export function clusterIdConfigMapProblem(cm: ConfigMap | undefined): string | undefined {
  if (!cm) return undefined;
  if (cm.metadata.labels?.[CLUSTER_ID_LABEL_KEY] === CLUSTER_ID_LABEL_VALUE) return undefined;
  const ns = cm.metadata.namespace ?? DEFAULT_LIQO_NAMESPACE;
  return `ConfigMap ${ns}/${cm.metadata.name} lacks the label ${CLUSTER_ID_LABEL_KEY}=${CLUSTER_ID_LABEL_VALUE}, by which liqoctl and Liqo's controllers find the cluster ID: they will say Liqo has no cluster ID. Add it: kubectl label configmap -n ${ns} ${cm.metadata.name} ${CLUSTER_ID_LABEL_KEY}=${CLUSTER_ID_LABEL_VALUE}`;
}

/** The cluster-ID ConfigMap of the Liqo found in `namespace`, among those listed by name. */
export function clusterIdConfigMapIn(configMaps: readonly ConfigMap[], namespace: string | undefined): ConfigMap | undefined {
  return inLiqoNamespace(configMaps, namespace).find((c) => c.metadata.name === CLUSTER_ID_CONFIGMAP);
}

/** How the namespace was found, for the cluster's tooltip. */
export interface LiqoLocation {
  /** Undefined while nothing Liqo left behind was found. */
  readonly namespace?: string;
  /**
   * Set when the user may not list ConfigMaps or Deployments cluster-wide (403): Liqo was then looked for only in
   * `namespace`, and a Liqo installed elsewhere would be missed. Says which listing was refused.
   */
  readonly limitedBy?: string;
}

const nsOf = (o: KubeObject): string | undefined => o.metadata.namespace;

/**
 * The namespace Liqo runs in: where both the cluster-ID ConfigMap and the controller-manager are, else where either
 * one is. Several candidates (a leftover copy, a second install) resolve to the default namespace first, then by
 * name, so the choice is stable across relists.
 */
export function locateLiqoNamespace(configMaps: readonly ConfigMap[], deployments: readonly Deployment[]): string | undefined {
  const order = (a: string, b: string): number => Number(b === DEFAULT_LIQO_NAMESPACE) - Number(a === DEFAULT_LIQO_NAMESPACE) || a.localeCompare(b);
  const withId = configMaps
    .filter((c) => c.metadata.name === CLUSTER_ID_CONFIGMAP && c.data?.[CLUSTER_ID_KEY])
    .map(nsOf)
    .filter((n): n is string => Boolean(n))
    .sort(order);
  const withManager = deployments
    .map(nsOf)
    .filter((n): n is string => Boolean(n))
    .sort(order);
  return withId.find((n) => withManager.includes(n)) ?? withManager[0] ?? withId[0];
}

/** Only the objects in Liqo's namespace (a cluster-wide LIST may return copies elsewhere). */
export function inLiqoNamespace<T extends KubeObject>(objects: readonly T[], namespace: string | undefined): T[] {
  return namespace === undefined ? [...objects] : objects.filter((o) => o.metadata.namespace === namespace);
}
