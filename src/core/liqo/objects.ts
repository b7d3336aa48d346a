// The Kubernetes and Liqo v1.0.x objects the explorer reads, typed as the API returns them (JSON), with only the
// fields the tree uses. Field names and enums follow Liqo v1.0.1's apis/*/v1beta1 types and CRDs.

export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly creationTimestamp?: string;
  readonly deletionTimestamp?: string;
}

export interface KubeObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: ObjectMeta;
}

export type ResourceList = Readonly<Record<string, string>>;

// core.liqo.io/v1beta1
export type PeeringRole = 'Consumer' | 'Provider' | 'ConsumerAndProvider' | 'Unknown';
export type LiqoConditionStatus = 'None' | 'Pending' | 'Established' | 'Error' | 'Ready' | 'NotReady' | 'SomeNotReady';
export interface LiqoCondition {
  readonly type: string;
  readonly status: LiqoConditionStatus;
  readonly lastTransitionTime?: string;
  readonly reason?: string;
  readonly message?: string;
}
export interface LiqoModule {
  readonly enabled?: boolean;
  readonly conditions?: readonly LiqoCondition[];
}
export interface ForeignCluster extends KubeObject {
  readonly spec?: { readonly clusterID?: string };
  readonly status?: {
    readonly role?: PeeringRole;
    readonly modules?: { readonly networking?: LiqoModule; readonly authentication?: LiqoModule; readonly offloading?: LiqoModule };
    readonly apiServerUrl?: string;
    readonly foreignProxyUrl?: string;
    readonly tenantNamespace?: { readonly local?: string; readonly remote?: string };
    readonly conditions?: readonly LiqoCondition[];
  };
}

// offloading.liqo.io/v1beta1
export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}
export interface VirtualNodeCondition {
  readonly type: 'VirtualKubelet' | 'Node' | string;
  readonly status: 'None' | 'Running' | 'Creating' | 'Draining' | 'Deleting' | string;
  readonly reason?: string;
  readonly message?: string;
}
export interface VirtualNode extends KubeObject {
  readonly spec?: {
    readonly clusterID?: string;
    readonly createNode?: boolean;
    readonly labels?: Readonly<Record<string, string>>;
    readonly taints?: readonly Taint[];
    readonly resourceQuota?: { readonly hard?: ResourceList };
  };
  readonly status?: { readonly conditions?: readonly VirtualNodeCondition[] };
}
export type OffloadingPhase = 'Ready' | 'NoClusterSelected' | 'InProgress' | 'SomeFailed' | 'AllFailed' | 'Terminating';
export interface RemoteNamespaceCondition {
  readonly type: 'OffloadingRequired' | 'Ready' | string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason?: string;
  readonly message?: string;
}
export interface NodeSelectorRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[];
}
export interface NamespaceOffloading extends KubeObject {
  readonly spec?: {
    readonly namespaceMappingStrategy?: 'EnforceSameName' | 'DefaultName' | 'SelectedName';
    readonly remoteNamespaceName?: string;
    readonly podOffloadingStrategy?: 'Local' | 'Remote' | 'LocalAndRemote';
    readonly clusterSelector?: { readonly nodeSelectorTerms?: readonly { readonly matchExpressions?: readonly NodeSelectorRequirement[] }[] };
  };
  readonly status?: {
    readonly remoteNamespaceName?: string;
    readonly offloadingPhase?: OffloadingPhase;
    readonly remoteNamespacesConditions?: Readonly<Record<string, readonly RemoteNamespaceCondition[]>>;
  };
}
export interface ShadowPod extends KubeObject {
  readonly status?: { readonly phase?: string };
}

// authentication.liqo.io/v1beta1
export interface ResourceSlice extends KubeObject {
  readonly spec?: { readonly consumerClusterID?: string; readonly providerClusterID?: string; readonly resources?: ResourceList; readonly class?: string };
  readonly status?: {
    readonly conditions?: readonly { readonly type: string; readonly status: 'Accepted' | 'Denied' | string; readonly reason?: string; readonly message?: string }[];
    readonly resources?: ResourceList;
  };
}
export interface Tenant extends KubeObject {
  readonly spec?: { readonly clusterID?: string; readonly tenantCondition?: 'Active' | 'Cordoned' | 'Drained' };
  readonly status?: { readonly tenantNamespace?: string };
}

// core/v1 and apps/v1
export interface NodeCondition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason?: string;
  readonly message?: string;
}
export interface Node extends KubeObject {
  readonly spec?: { readonly taints?: readonly Taint[]; readonly unschedulable?: boolean };
  readonly status?: { readonly capacity?: ResourceList; readonly allocatable?: ResourceList; readonly conditions?: readonly NodeCondition[] };
}
export interface Namespace extends KubeObject {
  readonly status?: { readonly phase?: string };
}
export interface ContainerStatus {
  readonly name: string;
  readonly ready?: boolean;
  readonly restartCount?: number;
  readonly state?: {
    readonly waiting?: { readonly reason?: string; readonly message?: string };
    readonly running?: { readonly startedAt?: string };
    readonly terminated?: { readonly exitCode?: number; readonly reason?: string; readonly message?: string };
  };
}
/** A container's requests (what the scheduler counts); limits are not read. */
export interface PodContainer {
  readonly name: string;
  readonly image?: string;
  readonly resources?: { readonly requests?: ResourceList };
  /** `Always` on an init container: a sidecar, running alongside the app containers. */
  readonly restartPolicy?: string;
}
export interface Pod extends KubeObject {
  readonly spec?: { readonly nodeName?: string; readonly containers?: readonly PodContainer[]; readonly initContainers?: readonly PodContainer[]; readonly overhead?: ResourceList };
  readonly status?: {
    readonly phase?: string;
    readonly reason?: string;
    readonly message?: string;
    readonly conditions?: readonly { readonly type: string; readonly status: string }[];
    readonly containerStatuses?: readonly ContainerStatus[];
  };
}
/**
 * A Service as the cluster caches keep it (core/liqo/cachedObjects.ts cachedService): its TCP/UDP ports without
 * their targets, and whether it selects pods, not the selector itself (a forward resolves the target pod on the
 * API server when it starts, infra/cluster/servicePortForward.ts).
 */
export interface Service extends KubeObject {
  readonly spec?: {
    readonly type?: string;
    readonly ports?: readonly { readonly name?: string; readonly port: number; readonly protocol?: string }[];
    readonly hasSelector?: boolean;
  };
}
export interface Deployment extends KubeObject {
  readonly spec?: { readonly replicas?: number; readonly template?: { readonly spec?: { readonly containers?: readonly { readonly name: string; readonly image?: string }[] } } };
  readonly status?: { readonly replicas?: number; readonly readyReplicas?: number };
}
export interface ConfigMap extends KubeObject {
  readonly data?: Readonly<Record<string, string>>;
}

// Labels and names Liqo v1.0.1 uses (pkg/consts).
export const CLUSTER_ID_CONFIGMAP = 'liqo-clusterid-configmap';
export const CLUSTER_ID_KEY = 'CLUSTER_ID';
export const LABEL_TYPE = 'liqo.io/type';
export const TYPE_VIRTUAL_NODE = 'virtual-node';
export const LABEL_REMOTE_CLUSTER_ID = 'liqo.io/remote-cluster-id';
export const LABEL_TENANT_NAMESPACE = 'liqo.io/tenant-namespace';
export const LABEL_SCHEDULING_ENABLED = 'liqo.io/scheduling-enabled';
export const LABEL_SHADOW_POD = 'liqo.io/shadowPod';
export const LABEL_MANAGED_BY = 'liqo.io/managed-by';
export const LABEL_REMOTE_UNAVAILABLE = 'liqo.io/remote-unavailable';
export const ANNOTATION_ORIGINAL_NAME = 'liqo.io/original-name';
export const LABEL_ORIGIN = 'offloading.liqo.io/origin';
export const LABEL_NODENAME = 'offloading.liqo.io/nodename';
export const NAMESPACE_OFFLOADING_NAME = 'offloading';

export function objectKey(o: KubeObject): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;
}
