// The objects `liqoctl install` leaves in a cluster, as `liqoctl info` reads them (Helm chart labels, the
// controller-manager's container and args, the cluster-id ConfigMap, IPAM Networks), and the cluster's Nodes:
// kwok-played workers and control plane, and the Node Liqo's virtual kubelet registers for a VirtualNode.
import { KWOK_NODE_ANNOTATION, NODE_CLASS } from '../../kwok-config.ts';
import { LIQO_NS, LIQO_VERSION, REMOTE_CLUSTER_ID, VIRTUAL_NODE_TAINT, namespace, serviceAccount, type Labels, type Obj } from './common.ts';

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

function liqoDeployment(ns: string, name: string, container: string, args: string[], labels = helmLabels(name)): Obj {
  const selector = Object.fromEntries(
    ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/component', 'app.kubernetes.io/part-of'].map((k) => [k, labels[k] ?? '']),
  );
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `liqo-${name}`, namespace: ns, labels },
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
  /** where Liqo is installed (default `liqo`, as `liqoctl install`; Helm users often choose `liqo-system`) */
  namespace?: string;
  clusterId: string;
  apiServerUrl: string;
  clusterLabels?: Labels;
  podCidr: string;
  serviceCidr: string;
  externalCidr: string;
  internalCidr: string;
}

export function liqoInstallation(o: InstallOptions): Obj[] {
  const ns = o.namespace ?? LIQO_NS;
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
      namespace: ns,
      labels: { ...helmLabels('ipam'), 'ipam.liqo.io/network-type': name, ...(remapped ? {} : { 'ipam.liqo.io/network-not-remapped': 'true' }) },
      annotations: { 'liqo.io/preinstalled': 'true' },
    },
    spec: { cidr, preAllocated },
    status: { cidr },
  });
  return [
    namespace(ns),
    serviceAccount(ns),
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'liqo-clusterid-configmap', namespace: ns, labels: helmLabels('clusterid-configmap') },
      data: { CLUSTER_ID: o.clusterId },
    },
    ...components.map((c) => serviceAccount(ns, `liqo-${c}`)),
    liqoDeployment(ns, 'controller-manager', 'controller-manager', cmArgs),
    ...components.slice(1).map((c) => liqoDeployment(ns, c, c, [`--cluster-id=$(CLUSTER_ID)`])),
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
