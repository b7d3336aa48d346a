// Networking objects of a peering: Configuration (CIDRs and their remapping), Connection, the gateway pair.
import { LIQO_NS, REMOTE_CLUSTER_ID, now, type Obj } from './common.ts';

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
