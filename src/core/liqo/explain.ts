// Plain-words explanations of Liqo v1.0.x conditions that are not healthy: what is wrong, on which side, and what
// to check next. Keyed by ForeignCluster condition type (core.liqo.io/v1beta1) and offloading phases.
import type { LiqoCondition, LiqoConditionStatus, OffloadingPhase, RemoteNamespaceCondition } from './objects.ts';

export type Health = 'healthy' | 'pending' | 'failed' | 'disabled' | 'unknown';

export function conditionHealth(status: LiqoConditionStatus | string | undefined): Health {
  switch (status) {
    case 'Established':
    case 'Ready':
      return 'healthy';
    case 'Pending':
      return 'pending';
    case 'Error':
    case 'NotReady':
    case 'SomeNotReady':
      return 'failed';
    case 'None':
      return 'disabled';
    default:
      return 'unknown';
  }
}

export function worstHealth(values: readonly Health[]): Health {
  const order: Health[] = ['failed', 'pending', 'unknown', 'healthy', 'disabled'];
  for (const h of order) if (values.includes(h)) return h;
  return 'unknown';
}

interface ConditionText {
  /** Short name shown as the row label. */
  readonly title: string;
  /** Which cluster the component lives on, from the point of view of the cluster showing the ForeignCluster. */
  readonly side: string;
  readonly whenFailed: string;
  readonly whenPending: string;
  readonly check: string;
}

const TEXTS: Readonly<Record<string, ConditionText>> = {
  APIServerStatus: {
    title: 'Remote API server',
    side: 'the peer cluster',
    whenFailed: "the peer's API server does not answer from this cluster",
    whenPending: "the peer's API server has not been checked yet",
    check: "Check that the peer's API server URL (status.apiServerUrl) is reachable from this cluster's nodes, not only from your workstation.",
  },
  NetworkConfigurationStatus: {
    title: 'Network configuration',
    side: 'both clusters',
    whenFailed: 'the pod/external CIDRs of the two clusters could not be exchanged or remapped',
    whenPending: 'waiting for the peer to publish its network configuration (Configuration resource)',
    check: 'Check the Configuration resources in the tenant namespace on both sides and that the pod CIDRs do not make the remapping fail.',
  },
  NetworkConnectionStatus: {
    title: 'Network connection',
    side: 'between the two gateways',
    whenFailed: 'the WireGuard tunnel between the gateways is down',
    whenPending: 'the tunnel between the gateways is still connecting',
    check:
      "Check that the gateway server's endpoint (address and UDP port, default 51840) is reachable from the client cluster: firewall, security group, LoadBalancer or NodePort. Then check the gateway pods' logs in the tenant namespace on both sides.",
  },
  NetworkGatewayPresence: {
    title: 'Gateway presence',
    side: 'this cluster',
    whenFailed: 'no gateway (server or client) exists for this peering here',
    whenPending: 'the gateway for this peering is being created',
    check: 'Check the GatewayServer/GatewayClient resources in the tenant namespace; re-run liqoctl peer if they were deleted.',
  },
  NetworkGatewayServerStatus: {
    title: 'Gateway server',
    side: 'this cluster',
    whenFailed: 'the gateway server here is not ready',
    whenPending: 'the gateway server here is starting',
    check: 'Check the gateway server pod and its Service (type LoadBalancer needs an external address; NodePort needs the port open on the nodes).',
  },
  NetworkGatewayClientStatus: {
    title: 'Gateway client',
    side: 'this cluster',
    whenFailed: 'the gateway client here cannot reach the peer gateway server',
    whenPending: 'the gateway client here is starting',
    check: "Check the gateway client pod's logs and that the server endpoint it dials is reachable from this cluster's nodes.",
  },
  AuthIdentityControlPlaneStatus: {
    title: 'Control-plane identity',
    side: 'the provider (issuer) and this consumer',
    whenFailed: 'the identity the provider issued to this cluster is missing or invalid',
    whenPending: 'waiting for the provider to sign the identity (certificate) for this cluster',
    check: "Check the Identity in the tenant namespace here and the Tenant on the provider (liqoctl info peer shows both sides). An expired or re-created provider CA needs a new peering.",
  },
  AuthTenantStatus: {
    title: 'Tenant',
    side: 'this cluster (as provider)',
    whenFailed: 'the Tenant for this consumer is not ready here',
    whenPending: 'the Tenant for this consumer is being set up here',
    check: "Check the Tenant resource and its tenant namespace on this cluster; a Cordoned or Drained tenant stops new offloading.",
  },
  OffloadingVirtualNodeStatus: {
    title: 'Virtual node',
    side: 'this cluster (as consumer)',
    whenFailed: 'the VirtualNode for this provider is not running',
    whenPending: 'the VirtualNode for this provider is being created',
    check: "Check the VirtualNode and the virtual-kubelet pod in the tenant namespace (label offloading.liqo.io/component=virtual-kubelet); its logs say why it cannot reach the provider.",
  },
  OffloadingNodeStatus: {
    title: 'Node',
    side: 'this cluster (as consumer)',
    whenFailed: 'the virtual Node object is NotReady: pods on it are marked remote-unavailable',
    whenPending: 'the virtual Node object is being created',
    check: "Check the virtual-kubelet pod; a NotReady virtual node usually means the provider's API server or the network tunnel is down.",
  },
};

export interface ConditionExplanation {
  readonly title: string;
  readonly health: Health;
  /** Plain words, only for non-healthy conditions. */
  readonly what?: string;
  readonly side?: string;
  readonly check?: string;
}

export function explainCondition(c: LiqoCondition): ConditionExplanation {
  const t = TEXTS[c.type];
  const health = conditionHealth(c.status);
  const title = t?.title ?? c.type;
  if (health === 'healthy' || health === 'disabled') return { title, health };
  if (!t) return { title, health, what: c.message || `${c.type} is ${c.status}`, check: 'See the condition message and the Liqo controller-manager logs.' };
  return { title, health, what: health === 'pending' ? t.whenPending : t.whenFailed, side: t.side, check: t.check };
}

const PHASE_TEXT: Readonly<Record<OffloadingPhase, { readonly health: Health; readonly what?: string; readonly check?: string }>> = {
  Ready: { health: 'healthy' },
  InProgress: { health: 'pending', what: 'the remote namespaces are being created', check: 'Wait a few seconds; if it stays InProgress, check the NamespaceMap in the tenant namespace.' },
  NoClusterSelected: {
    health: 'failed',
    what: "no virtual node matches the namespace's cluster selector",
    check: 'Compare spec.clusterSelector with the labels of the virtual nodes (Virtual Nodes → a node → Labels).',
  },
  SomeFailed: {
    health: 'failed',
    what: 'the remote namespace could not be created on some clusters',
    check: 'See the per-cluster conditions below: a namespace with the same name may already exist remotely (EnforceSameName), or the tenant lacks permissions.',
  },
  AllFailed: {
    health: 'failed',
    what: 'the remote namespace could not be created on any selected cluster',
    check: 'See the per-cluster conditions below and the NamespaceMap in each tenant namespace.',
  },
  Terminating: { health: 'pending', what: 'the namespace is being unoffloaded', check: 'Remote namespaces are deleted first; a phase stuck here usually means a remote namespace cannot be deleted (finalizers).' },
};

export function explainOffloadingPhase(phase: OffloadingPhase | undefined): { readonly health: Health; readonly what?: string; readonly check?: string } {
  if (!phase) return { health: 'pending', what: 'Liqo has not processed this NamespaceOffloading yet', check: 'Check that the Liqo controller-manager is running.' };
  return PHASE_TEXT[phase] ?? { health: 'unknown' };
}

/** The state of one remote namespace, from its conditions in status.remoteNamespacesConditions[clusterID]. */
export function remoteNamespaceHealth(conds: readonly RemoteNamespaceCondition[]): { readonly health: Health; readonly reason?: string; readonly message?: string } {
  const ready = conds.find((c) => c.type === 'Ready');
  const required = conds.find((c) => c.type === 'OffloadingRequired');
  if (required && required.status === 'False') return { health: 'disabled', ...(required.reason ? { reason: required.reason } : {}), ...(required.message ? { message: required.message } : {}) };
  if (!ready) return { health: 'pending' };
  const health: Health = ready.status === 'True' ? 'healthy' : ready.status === 'False' ? 'failed' : 'pending';
  return { health, ...(ready.reason ? { reason: ready.reason } : {}), ...(ready.message ? { message: ready.message } : {}) };
}
