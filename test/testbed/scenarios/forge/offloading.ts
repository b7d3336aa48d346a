// Offloading objects: VirtualNode, the virtual kubelet's Deployment, NamespaceMap, NamespaceOffloading.
import { LIQO_VERSION, REMOTE_CLUSTER_ID, ago, type Labels, type Obj } from './common.ts';

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
