// `liqoctl peer` and `liqoctl unpeer` as data. The consumer is liqoctl's local side, the provider its remote side
// (`--remote-kubeconfig`); each is a temporary minified kubeconfig the caller extracted.
import { requireSuccess, targetArgs, type LiqoctlCommand, type LiqoctlTarget } from './command.ts';

export type GatewayServiceType = 'LoadBalancer' | 'NodePort' | 'ClusterIP';
export const GATEWAY_SERVICE_TYPES: readonly GatewayServiceType[] = ['LoadBalancer', 'NodePort', 'ClusterIP'];
export const DEFAULT_GATEWAY_PORT = 51840;

export interface PeerOptions {
  readonly consumer: LiqoctlTarget;
  readonly provider: LiqoctlTarget;
  readonly gatewayServiceType?: GatewayServiceType;
  readonly gatewayServicePort?: number;
  readonly networkingDisabled?: boolean;
  /** Resource quantities for the ResourceSlice liqoctl creates (`4`, `8Gi`, `110`); empty: the provider decides. */
  readonly cpu?: string;
  readonly memory?: string;
  readonly pods?: string;
  /** liqoctl's --timeout (`10m` by default). */
  readonly timeout?: string;
  /** `false`: no ResourceSlice (the restore plan creates the recorded ones itself); default: liqoctl's (one slice). */
  readonly createResourceSlice?: boolean;
}

export function peerCommand(o: PeerOptions): LiqoctlCommand<void> {
  const args = ['peer', ...targetArgs(o.consumer), ...targetArgs(o.provider, 'remote')];
  if (o.networkingDisabled) args.push('--networking-disabled');
  else {
    if (o.gatewayServiceType !== undefined) args.push(`--gw-server-service-type=${o.gatewayServiceType}`);
    if (o.gatewayServicePort !== undefined) args.push(`--gw-server-service-port=${o.gatewayServicePort}`);
  }
  for (const [flag, value] of [['cpu', o.cpu], ['memory', o.memory], ['pods', o.pods]] as const) {
    if (value !== undefined && value.trim() !== '') args.push(`--${flag}=${value.trim()}`);
  }
  if (o.createResourceSlice === false) args.push('--create-resource-slice=false');
  if (o.timeout !== undefined) args.push(`--timeout=${o.timeout}`);
  return { args, title: `peer ${o.consumer.context ?? 'consumer'} → ${o.provider.context ?? 'provider'}`, parse: requireSuccess };
}

export interface UnpeerOptions {
  readonly consumer: LiqoctlTarget;
  readonly provider: LiqoctlTarget;
  readonly deleteNamespaces?: boolean;
  readonly timeout?: string;
}

export function unpeerCommand(o: UnpeerOptions): LiqoctlCommand<void> {
  const args = ['unpeer', ...targetArgs(o.consumer), ...targetArgs(o.provider, 'remote'), '--skip-confirm'];
  if (o.deleteNamespaces) args.push('--delete-namespaces');
  if (o.timeout !== undefined) args.push(`--timeout=${o.timeout}`);
  return { args, title: `unpeer ${o.consumer.context ?? 'consumer'} ↛ ${o.provider.context ?? 'provider'}`, parse: requireSuccess };
}

/** A Liqo cluster ID as liqoctl takes it for an argument: a DNS name, so never something read as a flag. */
export function isClusterId(id: string): boolean {
  return id.length <= 253 && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(id);
}

/**
 * `liqoctl force unpeer <provider-cluster-id>` on the consumer (liqoctl v1.1+): no remote side, no Liqo namespace
 * flag (the command has none; it finds the ForeignCluster and tenant namespace by cluster ID). The ID must be a
 * cluster ID, so it is never read as a flag.
 */
export function forceUnpeerCommand(consumer: LiqoctlTarget, providerClusterId: string): LiqoctlCommand<void> {
  if (!isClusterId(providerClusterId)) throw new Error(`"${providerClusterId}" is not a Liqo cluster ID: liqoctl force unpeer takes the provider's cluster ID (the ForeignCluster's spec.clusterID).`);
  const args = ['force', 'unpeer', ...targetArgs(consumer, 'local', false), '--skip-confirm', providerClusterId];
  return { args, title: `force unpeer ${consumer.context ?? 'consumer'} ↛ ${providerClusterId}`, parse: requireSuccess };
}

/** Quantities as Kubernetes writes them (`500m`, `4`, `8Gi`, `1.5`): checked before liqoctl would refuse them. */
export function isQuantity(text: string): boolean {
  return /^[+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+|[KMGTPE]i?|[munk]|)$/.test(text.trim());
}
