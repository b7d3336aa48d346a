// Builders of the objects a Liqo v1.0.1 installation and its peerings consist of, with Liqo's own field names,
// enums, labels and condition reasons (apis/*, pkg/consts, the Helm chart and the controllers' status code).
// The scenarios compose them; nothing here talks to a cluster.
import type { KubeObject } from '../kube-rest.ts';
import { EXIT_CODE, FAIL_REASON, FINISHED_AT, KWOK_NODE_ANNOTATION, NODE_CLASS, STARTED_AT } from '../kwok-config.ts';

export const LIQO_VERSION = 'v1.0.1';
export const LIQO_NS = 'liqo';
export const REMOTE_CLUSTER_ID = 'liqo.io/remote-cluster-id';
export const VIRTUAL_NODE_TAINT = 'virtual-node.liqo.io/not-allowed';

export type Obj = KubeObject;
type Labels = Record<string, string>;

export const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
export const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

export const tenantNamespaceName = (remoteClusterId: string) => `liqo-tenant-${remoteClusterId}`;

export function namespace(name: string, labels: Labels = {}, annotations: Labels = {}): Obj {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels, annotations } };
}

export function serviceAccount(ns: string, name = 'default'): Obj {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns } };
}

// --- the Liqo installation (what `liqoctl install` leaves behind, as `liqoctl info` reads it) -------------------

function helmLabels(name: string, component = name): Labels {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/instance': `liqo-${name}`,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': 'liqo',
    'app.kubernetes.io/managed-by': 'Helm',
    'app.kubernetes.io/version': LIQO_VERSION,
    'helm.sh/chart': `liqo-${LIQO_VERSION}`,
  };
}

function liqoDeployment(name: string, container: string, args: string[], labels = helmLabels(name)): Obj {
  const selector = Object.fromEntries(
    ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/component', 'app.kubernetes.io/part-of'].map((k) => [k, labels[k] ?? '']),
  );
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `liqo-${name}`, namespace: LIQO_NS, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: `liqo-${name}`,
          containers: [
            {
              name: container,
              image: `ghcr.io/liqotech/${container === 'controller-manager' ? 'liqo-controller-manager' : `liqo-${name}`}:${LIQO_VERSION}`,
              imagePullPolicy: 'IfNotPresent',
              args,
              env: [
                { name: 'CLUSTER_ID', valueFrom: { configMapKeyRef: { name: 'liqo-clusterid-configmap', key: 'CLUSTER_ID' } } },
                { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
              ],
              resources: { requests: { cpu: '100m', memory: '128Mi' } },
            },
          ],
        },
      },
    },
  };
}

export interface InstallOptions {
  clusterId: string;
  apiServerUrl: string;
  clusterLabels?: Labels;
  podCidr: string;
  serviceCidr: string;
  externalCidr: string;
  internalCidr: string;
}

export function liqoInstallation(o: InstallOptions): Obj[] {
  const cmArgs = [
    '--cluster-id=$(CLUSTER_ID)',
    '--liqo-namespace=$(POD_NAMESPACE)',
    '--networking-enabled=true',
    '--authentication-enabled=true',
    '--offloading-enabled=true',
    '--default-limits-enforcement=None',
    `--api-server-address-override=${o.apiServerUrl}`,
    '--enable-storage=true',
    '--webhook-port=9443',
    ...(o.clusterLabels && Object.keys(o.clusterLabels).length > 0
      ? [`--cluster-labels=${Object.entries(o.clusterLabels).map(([k, v]) => `${k}=${v}`).join(',')}`]
      : []),
    '--enable-api-server-ip-remapping=true',
  ];
  const components = ['controller-manager', 'webhook', 'ipam', 'crd-replicator', 'proxy', 'metric-agent'];
  const network = (name: string, cidr: string, remapped: boolean, preAllocated = 0): Obj => ({
    apiVersion: 'ipam.liqo.io/v1alpha1',
    kind: 'Network',
    metadata: {
      name,
      namespace: LIQO_NS,
      labels: { ...helmLabels('ipam'), 'ipam.liqo.io/network-type': name, ...(remapped ? {} : { 'ipam.liqo.io/network-not-remapped': 'true' }) },
      annotations: { 'liqo.io/preinstalled': 'true' },
    },
    spec: { cidr, preAllocated },
    status: { cidr },
  });
  return [
    namespace(LIQO_NS),
    serviceAccount(LIQO_NS),
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'liqo-clusterid-configmap', namespace: LIQO_NS, labels: helmLabels('clusterid-configmap') },
      data: { CLUSTER_ID: o.clusterId },
    },
    ...components.map((c) => serviceAccount(LIQO_NS, `liqo-${c}`)),
    liqoDeployment('controller-manager', 'controller-manager', cmArgs),
    ...components.slice(1).map((c) => liqoDeployment(c, c, [`--cluster-id=$(CLUSTER_ID)`])),
    network('pod-cidr', o.podCidr, false),
    network('service-cidr', o.serviceCidr, false),
    network('external-cidr', o.externalCidr, true, 1),
    network('internal-cidr', o.internalCidr, true),
  ];
}

// --- nodes ------------------------------------------------------------------------------------------------------

export interface NodeOptions {
  name: string;
  labels?: Labels;
  taints?: { key: string; value?: string; effect: string }[];
  capacity: Record<string, string>;
  nodeClass: 'worker' | 'virtual' | 'virtual-not-ready';
  kubeletVersion?: string;
  /** kwok plays this node's kubelet (false: nobody does, the node goes stale) */
  managed?: boolean;
}

export function node(o: NodeOptions): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: o.name,
      labels: {
        'kubernetes.io/hostname': o.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': 'amd64',
        ...o.labels,
      },
      annotations: {
        ...(o.managed === false ? {} : { [KWOK_NODE_ANNOTATION]: 'fake' }),
        [NODE_CLASS]: o.nodeClass,
        'node.alpha.kubernetes.io/ttl': '0',
      },
    },
    spec: { taints: o.taints ?? [] },
    status: {
      capacity: o.capacity,
      allocatable: o.capacity,
      nodeInfo: { kubeletVersion: o.kubeletVersion ?? 'v1.34.4', architecture: 'amd64', operatingSystem: 'linux' },
    },
  };
}

export function workerNode(name: string, capacity: Record<string, string>, extra: Partial<NodeOptions> = {}): Obj {
  return node({ name, capacity, nodeClass: 'worker', ...extra });
}

export function controlPlaneNode(name: string): Obj {
  return node({
    name,
    nodeClass: 'worker',
    capacity: { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' },
    labels: { 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' },
    taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
  });
}

/** The Node Liqo's virtual kubelet registers for a VirtualNode (pkg/virtualKubelet, v1.0.1 labels and taint). */
export function virtualNode(name: string, remoteClusterId: string, capacity: Record<string, string>, userLabels: Labels, ready: boolean): Obj {
  return node({
    name,
    capacity,
    nodeClass: ready ? 'virtual' : 'virtual-not-ready',
    kubeletVersion: LIQO_VERSION,
    labels: {
      'liqo.io/type': 'virtual-node',
      [REMOTE_CLUSTER_ID]: remoteClusterId,
      'kubernetes.io/role': 'agent',
      type: 'virtual-kubelet',
      ...userLabels,
    },
    taints: [{ key: VIRTUAL_NODE_TAINT, value: 'true', effect: 'NoExecute' }],
  });
}

// --- peering objects ---------------------------------------------------------------------------------------------

export type FcStatus = 'None' | 'Pending' | 'Established' | 'Error' | 'Ready' | 'NotReady' | 'SomeNotReady';
export interface FcCondition {
  type: string;
  status: FcStatus;
  reason: string;
  message: string;
}

/** Conditions as the ForeignCluster controller writes them (pkg/liqo-controller-manager/core/foreigncluster-controller). */
export const fcConditions = {
  apiServer: (ok: boolean): FcCondition =>
    ok
      ? { type: 'APIServerStatus', status: 'Established', reason: 'APIServerReady', message: 'The foreign cluster API Server is ready' }
      : { type: 'APIServerStatus', status: 'Error', reason: 'APIServerNotReady', message: 'The foreign cluster API Server is not ready' },
  networkConfiguration: (): FcCondition => ({
    type: 'NetworkConfigurationStatus',
    status: 'Ready',
    reason: 'NetworkConfigurationPresence',
    message: 'The network configuration of the peer cluster is present',
  }),
  gatewayPresence: (): FcCondition => ({
    type: 'NetworkGatewayPresence',
    status: 'Ready',
    reason: 'GatewayPresence',
    message: 'There is a gateway connecting to the foreign cluster',
  }),
  gateway: (type: 'NetworkGatewayServerStatus' | 'NetworkGatewayClientStatus'): FcCondition => ({
    type,
    status: 'Ready',
    reason: 'GatewaysReady',
    message: 'All gateway replicas are ready',
  }),
  connection: (value: 'Connected' | 'Connecting' | 'Error'): FcCondition =>
    value === 'Connected'
      ? { type: 'NetworkConnectionStatus', status: 'Established', reason: 'ConnectionEstablished', message: 'The network connection with the foreign cluster is established' }
      : value === 'Connecting'
        ? { type: 'NetworkConnectionStatus', status: 'Pending', reason: 'ConnectionPending', message: 'The network connection with the foreign cluster is connecting' }
        : { type: 'NetworkConnectionStatus', status: 'Error', reason: 'ConnectionError', message: 'The network connection with the foreign cluster is in error' },
  identity: (status: 'Ready' | 'NotReady' | 'Pending'): FcCondition =>
    status === 'Ready'
      ? { type: 'AuthIdentityControlPlaneStatus', status, reason: 'IdentityReady', message: 'The identity has been successfully configured' }
      : { type: 'AuthIdentityControlPlaneStatus', status, reason: 'IdentityNotReady', message: 'The identity is not correctly configured' },
  tenant: (ready: boolean): FcCondition =>
    ready
      ? { type: 'AuthTenantStatus', status: 'Ready', reason: 'TenantReady', message: 'The tenant has been successfully configured' }
      : { type: 'AuthTenantStatus', status: 'NotReady', reason: 'TenantNotReady', message: 'The tenant is not correctly configured' },
  virtualNodes: (ready: boolean): FcCondition =>
    ready
      ? { type: 'OffloadingVirtualNodeStatus', status: 'Ready', reason: 'VirtualNodesReady', message: 'All virtual nodes are ready' }
      : { type: 'OffloadingVirtualNodeStatus', status: 'NotReady', reason: 'VirtualNodesNotReady', message: 'All virtual nodes are not ready' },
  nodes: (ready: boolean): FcCondition =>
    ready
      ? { type: 'OffloadingNodeStatus', status: 'Ready', reason: 'NodesReady', message: 'All nodes are ready' }
      : { type: 'OffloadingNodeStatus', status: 'NotReady', reason: 'NodesNotReady', message: 'All nodes are not ready' },
};

const stamp = (conditions: FcCondition[]) => conditions.map((c) => ({ ...c, lastTransitionTime: ago(600) }));

export interface ForeignClusterOptions {
  clusterId: string;
  role: 'Consumer' | 'Provider' | 'ConsumerAndProvider' | 'Unknown';
  apiServerUrl: string;
  localTenantNamespace: string;
  remoteTenantNamespace: string;
  networking?: FcCondition[];
  authentication?: FcCondition[];
  offloading?: FcCondition[];
  conditions: FcCondition[];
}

export function foreignCluster(o: ForeignClusterOptions): Obj {
  const mod = (conds?: FcCondition[]) => (conds ? { enabled: true, conditions: stamp(conds) } : { enabled: false });
  return {
    apiVersion: 'core.liqo.io/v1beta1',
    kind: 'ForeignCluster',
    metadata: { name: o.clusterId, labels: { [REMOTE_CLUSTER_ID]: o.clusterId } },
    spec: { clusterID: o.clusterId },
    status: {
      role: o.role,
      modules: { networking: mod(o.networking), authentication: mod(o.authentication), offloading: mod(o.offloading) },
      apiServerUrl: o.apiServerUrl,
      tenantNamespace: { local: o.localTenantNamespace, remote: o.remoteTenantNamespace },
      conditions: stamp(o.conditions),
    },
  };
}

export function tenantNamespace(remoteClusterId: string): Obj {
  return namespace(tenantNamespaceName(remoteClusterId), { 'liqo.io/tenant-namespace': 'true', [REMOTE_CLUSTER_ID]: remoteClusterId });
}

export function kubeconfigSecret(ns: string, name: string, kubeconfig: string, remoteClusterId: string): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: ns, labels: { [REMOTE_CLUSTER_ID]: remoteClusterId, 'liqo.io/identity-type': 'ControlPlane' } },
    type: 'Opaque',
    stringData: { kubeconfig },
  };
}

export function identity(ns: string, remoteClusterId: string, apiServer: string, secretName: string | undefined): Obj {
  return {
    apiVersion: 'authentication.liqo.io/v1beta1',
    kind: 'Identity',
    metadata: { name: `controlplane-${remoteClusterId}`, namespace: ns, labels: { [REMOTE_CLUSTER_ID]: remoteClusterId, 'liqo.io/identity-type': 'ControlPlane' } },
    spec: { clusterID: remoteClusterId, type: 'ControlPlane', authParams: { apiServer } },
    status: secretName ? { kubeconfigSecretRef: { name: secretName } } : {},
  };
}

export function tenant(ns: string, consumerClusterId: string): Obj {
  return {
    apiVersion: 'authentication.liqo.io/v1beta1',
    kind: 'Tenant',
    metadata: { name: consumerClusterId, namespace: ns, labels: { [REMOTE_CLUSTER_ID]: consumerClusterId } },
    spec: { clusterID: consumerClusterId, tenantCondition: 'Active' },
    status: { tenantNamespace: ns },
  };
}

export function resourceSlice(
  ns: string,
  name: string,
  consumer: string,
  provider: string,
  resources: Record<string, string>,
  nodeLabels: Labels,
  accepted: boolean,
  extraLabels: Labels = {},
): Obj {
  const cond = (type: string) => ({
    type,
    status: accepted ? 'Accepted' : 'Denied',
    lastTransitionTime: ago(600),
    ...(accepted ? {} : { reason: 'ResourcesNotAvailable', message: 'the provider cannot grant the requested resources' }),
  });
  return {
    apiVersion: 'authentication.liqo.io/v1beta1',
    kind: 'ResourceSlice',
    metadata: {
      name,
      namespace: ns,
      labels: { [REMOTE_CLUSTER_ID]: extraLabels[REMOTE_CLUSTER_ID] ?? provider, 'liqo.io/replication': 'true', ...extraLabels },
      annotations: { 'liqo.io/create-virtual-node': 'true' },
    },
    spec: { consumerClusterID: consumer, providerClusterID: provider, class: 'default', resources },
    status: { conditions: [cond('Authentication'), cond('Resources')], resources: accepted ? resources : {}, nodeLabels },
  };
}

export function virtualNodeCr(ns: string, name: string, remoteClusterId: string, quota: Record<string, string>, labels: Labels, running: boolean): Obj {
  const cond = (type: string) => ({ type, status: running ? 'Running' : 'Creating', lastTransitionTime: ago(600) });
  return {
    apiVersion: 'offloading.liqo.io/v1beta1',
    kind: 'VirtualNode',
    metadata: { name, namespace: ns, labels: { [REMOTE_CLUSTER_ID]: remoteClusterId, 'liqo.io/resourceslice-name': name } },
    spec: {
      clusterID: remoteClusterId,
      createNode: true,
      disableNetworkCheck: false,
      kubeconfigSecretRef: { name: `kubeconfig-controlplane-${remoteClusterId}` },
      resourceQuota: { hard: quota },
      labels,
      storageClasses: [{ storageClassName: 'liqo', default: true }],
    },
    status: { conditions: [cond('VirtualKubelet'), cond('Node')] },
  };
}

/** The virtual kubelet's Deployment, in the tenant namespace (labels from pkg/consts and the VK forge). */
export function virtualKubeletDeployment(ns: string, vnName: string, remoteClusterId: string): Obj {
  const labels = {
    'offloading.liqo.io/component': 'virtual-kubelet',
    'liqo.io/virtual-node': vnName,
    [REMOTE_CLUSTER_ID]: remoteClusterId,
    'app.kubernetes.io/name': 'virtual-kubelet',
    'app.kubernetes.io/part-of': 'liqo',
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `vk-${vnName}`, namespace: ns, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: 'default',
          containers: [
            {
              name: 'virtual-kubelet',
              image: `ghcr.io/liqotech/virtual-kubelet:${LIQO_VERSION}`,
              args: [`--foreign-cluster-id=${remoteClusterId}`, `--nodename=${vnName}`, '--liqo-namespace=liqo'],
            },
          ],
        },
      },
    },
  };
}

export function namespaceMap(ns: string, remoteClusterId: string, mappings: Record<string, string>): Obj {
  return {
    apiVersion: 'offloading.liqo.io/v1beta1',
    kind: 'NamespaceMap',
    metadata: { name: remoteClusterId, namespace: ns, labels: { [REMOTE_CLUSTER_ID]: remoteClusterId } },
    spec: { desiredMapping: mappings },
    status: {
      currentMapping: Object.fromEntries(Object.entries(mappings).map(([local, remote]) => [local, { remoteNamespace: remote, phase: 'Accepted' }])),
    },
  };
}

export interface RemoteNsCondition {
  type: 'OffloadingRequired' | 'Ready';
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

/** Conditions from pkg/liqo-controller-manager/offloading/namespaceoffloading-controller/status.go. */
export const remoteNsConditions = {
  selected: (): RemoteNsCondition => ({
    type: 'OffloadingRequired',
    status: 'True',
    reason: 'ClusterSelected',
    message: 'The remote cluster has been selected through the ClusterSelector field',
  }),
  created: (): RemoteNsCondition => ({ type: 'Ready', status: 'True', reason: 'NamespaceCreated', message: 'Namespace correctly offloaded to the remote cluster' }),
  loopBackOff: (): RemoteNsCondition => ({
    type: 'Ready',
    status: 'False',
    reason: 'CreationLoopBackOff',
    message: 'Some problems occurred during remote namespace creation',
  }),
};

export function namespaceOffloading(
  ns: string,
  remoteNamespaceName: string,
  phase: 'Ready' | 'NoClusterSelected' | 'InProgress' | 'SomeFailed' | 'AllFailed' | 'Terminating',
  perCluster: Record<string, RemoteNsCondition[]>,
): Obj {
  return {
    apiVersion: 'offloading.liqo.io/v1beta1',
    kind: 'NamespaceOffloading',
    metadata: { name: 'offloading', namespace: ns },
    spec: {
      namespaceMappingStrategy: 'DefaultName',
      podOffloadingStrategy: 'LocalAndRemote',
      clusterSelector: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'liqo.io/type', operator: 'In', values: ['virtual-node'] }] }] },
    },
    status: {
      remoteNamespaceName,
      offloadingPhase: phase,
      observedGeneration: 1,
      remoteNamespacesConditions: Object.fromEntries(
        Object.entries(perCluster).map(([id, conds]) => [id, conds.map((c) => ({ ...c, lastTransitionTime: ago(500) }))]),
      ),
    },
  };
}

export function networkConfiguration(ns: string, remoteClusterId: string, local: { pod: string; external: string }, remote: { pod: string; external: string }, remapped: { pod: string; external: string }): Obj {
  return {
    apiVersion: 'networking.liqo.io/v1beta1',
    kind: 'Configuration',
    metadata: { name: remoteClusterId, namespace: ns, labels: { [REMOTE_CLUSTER_ID]: remoteClusterId, 'configuration.liqo.io/configured': 'true' } },
    spec: { local: { cidr: { pod: [local.pod], external: [local.external] } }, remote: { cidr: { pod: [remote.pod], external: [remote.external] } } },
    status: { remote: { cidr: { pod: [remapped.pod], external: [remapped.external] } } },
  };
}

export function connection(ns: string, remoteClusterId: string, type: 'Server' | 'Client', value: 'Connected' | 'Connecting' | 'Error', latency?: string): Obj {
  const gatewayKind = type === 'Server' ? 'GatewayServer' : 'GatewayClient';
  return {
    apiVersion: 'networking.liqo.io/v1beta1',
    kind: 'Connection',
    metadata: { name: remoteClusterId, namespace: ns, labels: { [REMOTE_CLUSTER_ID]: remoteClusterId } },
    spec: { type, gatewayRef: { apiVersion: 'networking.liqo.io/v1beta1', kind: gatewayKind, name: remoteClusterId, namespace: ns } },
    status: { value, ...(latency ? { latency: { value: latency, timestamp: now() } } : {}) },
  };
}

/** The WireGuard gateway pair: the consumer runs the client, the provider the server (liqoctl peer's default). */
export function gatewayClient(ns: string, remoteClusterId: string, serverAddress: string, port: number): Obj {
  return {
    apiVersion: 'networking.liqo.io/v1beta1',
    kind: 'GatewayClient',
    metadata: { name: remoteClusterId, namespace: ns, labels: { [REMOTE_CLUSTER_ID]: remoteClusterId } },
    spec: {
      clientTemplateRef: { apiVersion: 'networking.liqo.io/v1beta1', kind: 'WgGatewayClientTemplate', name: 'wireguard-client', namespace: LIQO_NS },
      mtu: 1340,
      endpoint: { addresses: [serverAddress], port, protocol: 'UDP' },
      secretRef: { name: `gw-keys-${remoteClusterId}` },
    },
    status: { clientRef: { apiVersion: 'networking.liqo.io/v1beta1', kind: 'WgGatewayClient', name: remoteClusterId, namespace: ns } },
  };
}

export function gatewayServer(ns: string, remoteClusterId: string, address: string, nodePort: number): Obj {
  return {
    apiVersion: 'networking.liqo.io/v1beta1',
    kind: 'GatewayServer',
    metadata: { name: remoteClusterId, namespace: ns, labels: { [REMOTE_CLUSTER_ID]: remoteClusterId } },
    spec: {
      serverTemplateRef: { apiVersion: 'networking.liqo.io/v1beta1', kind: 'WgGatewayServerTemplate', name: 'wireguard-server', namespace: LIQO_NS },
      mtu: 1340,
      endpoint: { port: 51840, serviceType: 'NodePort', nodePort },
      secretRef: { name: `gw-keys-${remoteClusterId}` },
    },
    status: {
      serverRef: { apiVersion: 'networking.liqo.io/v1beta1', kind: 'WgGatewayServer', name: remoteClusterId, namespace: ns },
      endpoint: { addresses: [address], port: nodePort, protocol: 'UDP' },
    },
  };
}

// --- workloads ---------------------------------------------------------------------------------------------------

export interface PodOptions {
  namespace: string;
  name: string;
  nodeName: string;
  image: string;
  container?: string;
  labels?: Labels;
  annotations?: Labels;
  requests?: Record<string, string>;
  limits?: Record<string, string>;
  tolerations?: object[];
  /** the pod terminates with this reason and exit code instead of running (its container ran between the times) */
  fail?: { reason: string; exitCode: number; startedSecondsAgo: number; finishedSecondsAgo: number };
  ownerReferences?: object[];
}

export function pod(o: PodOptions): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: o.name,
      namespace: o.namespace,
      labels: o.labels ?? {},
      annotations: {
        ...o.annotations,
        ...(o.fail
          ? {
              [FAIL_REASON]: o.fail.reason,
              [EXIT_CODE]: String(o.fail.exitCode),
              [STARTED_AT]: ago(o.fail.startedSecondsAgo),
              [FINISHED_AT]: ago(o.fail.finishedSecondsAgo),
            }
          : {}),
      },
      ...(o.ownerReferences ? { ownerReferences: o.ownerReferences } : {}),
    },
    spec: podSpec(o),
  };
}

export function podSpec(o: PodOptions): Record<string, unknown> {
  return {
    nodeName: o.nodeName,
    restartPolicy: o.fail ? 'Never' : 'Always',
    containers: [
      {
        name: o.container ?? 'main',
        image: o.image,
        resources: { ...(o.requests ? { requests: o.requests } : {}), ...(o.limits ? { limits: o.limits } : {}) },
      },
    ],
    tolerations: o.tolerations ?? [],
  };
}

export const virtualNodeToleration = { key: VIRTUAL_NODE_TAINT, operator: 'Exists', effect: 'NoExecute' };

export function shadowPod(ns: string, name: string, spec: Record<string, unknown>, labels: Labels, phase: string): Obj {
  const { nodeName: _nodeName, ...rest } = spec;
  return {
    apiVersion: 'offloading.liqo.io/v1beta1',
    kind: 'ShadowPod',
    metadata: { name, namespace: ns, labels },
    spec: { pod: rest },
    status: { phase },
  };
}

export interface EventOptions {
  namespace: string;
  involved: { kind: string; name: string; uid?: string; apiVersion?: string; fieldPath?: string };
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  component: string;
  host?: string;
  secondsAgo: number;
  count?: number;
}

export function event(o: EventOptions): Obj {
  const when = ago(o.secondsAgo);
  const suffix = `${o.reason.toLowerCase()}${o.secondsAgo}`;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${o.involved.name}.${suffix}`, namespace: o.namespace },
    involvedObject: { apiVersion: o.involved.apiVersion ?? 'v1', namespace: o.namespace, ...o.involved },
    type: o.type,
    reason: o.reason,
    message: o.message,
    source: { component: o.component, ...(o.host ? { host: o.host } : {}) },
    reportingComponent: o.component,
    reportingInstance: o.host ?? o.component,
    firstTimestamp: when,
    lastTimestamp: when,
    count: o.count ?? 1,
  };
}
