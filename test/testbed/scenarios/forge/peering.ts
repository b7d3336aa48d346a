// A peering's control-plane objects: ForeignCluster (with the conditions its controller writes), tenant
// namespace, Identity and its kubeconfig Secret, Tenant, ResourceSlice.
import { REMOTE_CLUSTER_ID, ago, namespace, tenantNamespaceName, type Labels, type Obj } from './common.ts';

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
      // as liqoctl and the controllers label it (pkg/liqo-controller-manager/authentication/forge/resourceslice.go);
      // the provider's replicated copy overrides them through extraLabels
      labels: { [REMOTE_CLUSTER_ID]: extraLabels[REMOTE_CLUSTER_ID] ?? provider, 'liqo.io/replication': 'true', 'liqo.io/remoteID': provider, ...extraLabels },
      annotations: { 'liqo.io/create-virtual-node': 'true' },
    },
    spec: { consumerClusterID: consumer, providerClusterID: provider, class: 'default', resources },
    status: { conditions: [cond('Authentication'), cond('Resources')], resources: accepted ? resources : {}, nodeLabels },
  };
}
