// Admiralty (multicluster.admiralty.io, v0.17) as the explorer reads it: Targets and ClusterTargets (where a cluster
// sends pods, through a kubeconfig Secret), Sources (who may send here), the virtual node per target, proxy pods
// and their delegates. Label, annotation and field names are Admiralty v0.17.0's (pkg/common/constants.go,
// pkg/model/virtualnode, pkg/controller/controller.go AddRemoteControllerReference, pkg/webhooks/proxypod).
import type { KubeObject, Node, Pod } from '../liqo/objects.ts';

export const ADMIRALTY_GROUP = 'multicluster.admiralty.io';
const PREFIX = `${ADMIRALTY_GROUP}/`;
export const LABEL_PARENT_UID = `${PREFIX}parent-uid`;
export const LABEL_PARENT_CLUSTER_NAME = `${PREFIX}parent-cluster-name`;
export const ANNOTATION_PARENT_NAME = `${PREFIX}parent-name`;
export const ANNOTATION_PARENT_NAMESPACE = `${PREFIX}parent-namespace`;
export const ANNOTATION_ELECT = `${PREFIX}elect`;
const LABEL_TARGET_NAMESPACE = `${PREFIX}target-namespace`;
const LABEL_TARGET_NAME = `${PREFIX}target-name`;
const LABEL_CLUSTER_TARGET_NAME = `${PREFIX}cluster-target-name`;
const LABEL_VK_PROVIDER = 'virtual-kubelet.io/provider';
export const PROXY_SCHEDULER = 'admiralty-proxy';
export const CANDIDATE_SCHEDULER = 'admiralty-candidate';
/** the Secret key a Target's kubeconfig is under when it names none (pkg/config/agent/agent.go) */
const DEFAULT_KUBECONFIG_KEY = 'config';

export interface AdmiraltyTargetObject extends KubeObject {
  readonly spec?: {
    readonly self?: boolean;
    readonly kubeconfigSecret?: { readonly name?: string; readonly namespace?: string; readonly key?: string; readonly context?: string };
  };
}

export interface AdmiraltySourceObject extends KubeObject {
  readonly spec?: { readonly userName?: string; readonly serviceAccountName?: string; readonly serviceAccount?: { readonly name?: string; readonly namespace?: string } };
}

/** Which target a virtual node or a proxy pod belongs to: `namespace` is absent for a ClusterTarget. */
export interface TargetRef {
  readonly kind: 'Target' | 'ClusterTarget';
  readonly namespace?: string;
  readonly name: string;
}

export interface TargetView extends TargetRef {
  /** sends to its own cluster (no kubeconfig) */
  readonly self: boolean;
  /** where its kubeconfig is; absent when `self` or when the spec names none (invalid: Admiralty ignores it) */
  readonly secret?: { readonly namespace: string; readonly name: string; readonly key: string; readonly context?: string };
  readonly problem?: string;
}

export function targetRefKey(t: TargetRef): string {
  return t.namespace ? `${t.namespace}/${t.name}` : t.name;
}

export function decodeTarget(o: AdmiraltyTargetObject, kind: 'Target' | 'ClusterTarget'): TargetView {
  const self = o.spec?.self === true;
  const ks = o.spec?.kubeconfigSecret;
  const ref = { kind, name: o.metadata.name, ...(kind === 'Target' && o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) };
  // Admiralty's agent skips a target unless exactly one of self and kubeconfigSecret is set (addTarget, addClusterTarget).
  if (self === (ks !== undefined)) return { ...ref, self, problem: self ? 'both self and a kubeconfig Secret are set: Admiralty ignores it' : 'neither self nor a kubeconfig Secret is set: Admiralty ignores it' };
  if (!ks) return { ...ref, self };
  const secretNs = kind === 'Target' ? o.metadata.namespace : ks.namespace;
  if (!ks.name || !secretNs) return { ...ref, self, problem: 'its kubeconfig Secret names no Secret (or, for a ClusterTarget, no namespace)' };
  return { ...ref, self, secret: { namespace: secretNs, name: ks.name, key: ks.key || DEFAULT_KUBECONFIG_KEY, ...(ks.context ? { context: ks.context } : {}) } };
}

export interface SourceView {
  readonly kind: 'Source' | 'ClusterSource';
  readonly namespace?: string;
  readonly name: string;
  /** the identity the sending cluster authenticates as */
  readonly identity: string;
}

export function decodeSource(o: AdmiraltySourceObject, kind: 'Source' | 'ClusterSource'): SourceView {
  const sa = o.spec?.serviceAccount;
  const identity = o.spec?.userName
    ? `user ${o.spec.userName}`
    : o.spec?.serviceAccountName
      ? `service account ${o.metadata.namespace ?? ''}/${o.spec.serviceAccountName}`
      : sa?.name
        ? `service account ${sa.namespace ?? ''}/${sa.name}`
        : 'no user or service account';
  return { kind, name: o.metadata.name, ...(kind === 'Source' && o.metadata.namespace ? { namespace: o.metadata.namespace } : {}), identity };
}

/** The target an Admiralty virtual node stands for (pkg/model/virtualnode BaseLabels), or undefined for other nodes. */
export function virtualNodeTarget(node: Node): TargetRef | undefined {
  const l = node.metadata.labels ?? {};
  if (l[LABEL_VK_PROVIDER] !== 'admiralty') return undefined;
  const ct = l[LABEL_CLUSTER_TARGET_NAME];
  if (ct) return { kind: 'ClusterTarget', name: ct };
  const ns = l[LABEL_TARGET_NAMESPACE];
  const name = l[LABEL_TARGET_NAME];
  return ns && name ? { kind: 'Target', namespace: ns, name } : undefined;
}

interface PodWithScheduler extends Pod {
  readonly spec?: Pod['spec'] & { readonly schedulerName?: string };
}

/** A proxy pod: Admiralty's webhook gave it the proxy scheduler (pkg/model/proxypod IsProxy). */
export function isProxyPod(pod: PodWithScheduler): boolean {
  return pod.spec?.schedulerName === PROXY_SCHEDULER;
}

/** The parent (proxy pod) a delegate pod names, or undefined for a pod Admiralty did not make. */
export interface DelegateParent {
  readonly uid: string;
  /** the name the sending cluster goes by here (its Source's name, usually) */
  readonly clusterName: string;
  readonly namespace: string;
  readonly name: string;
}

export function delegateParent(pod: Pod): DelegateParent | undefined {
  const l = pod.metadata.labels ?? {};
  const a = pod.metadata.annotations ?? {};
  const uid = l[LABEL_PARENT_UID];
  const clusterName = l[LABEL_PARENT_CLUSTER_NAME];
  if (uid === undefined || clusterName === undefined) return undefined;
  // pkg/controller/controller.go ParentKey: an empty annotation means the child's own namespace and name
  return { uid, clusterName, namespace: a[ANNOTATION_PARENT_NAMESPACE] || (pod.metadata.namespace ?? ''), name: a[ANNOTATION_PARENT_NAME] || pod.metadata.name };
}

/** The label selector that lists a proxy pod's delegates in its target cluster (as Admiralty's own lookups do). */
export function delegateSelector(proxyUid: string): string {
  return `${LABEL_PARENT_UID}=${proxyUid}`;
}

/** The target a proxy pod was sent to: the target of the virtual node it is bound to. */
export function proxyPodTarget(pod: Pod, nodes: ReadonlyMap<string, Node>): TargetRef | undefined {
  const node = pod.spec?.nodeName ? nodes.get(pod.spec.nodeName) : undefined;
  return node ? virtualNodeTarget(node) : undefined;
}
