// Admiralty v0.17.0's objects (multicluster.admiralty.io, CRDs pinned in test/testbed/crds/admiralty), shaped as
// its controllers and webhook write them. Each builder cites the upstream file (admiraltyio/admiralty at v0.17.0)
// its labels, annotations and fields come from. Nothing here talks to a cluster.
import { stringify } from 'yaml';
import { podSpec, type PodOptions } from './workloads.ts';
import type { Labels, Obj } from './common.ts';

const GROUP = 'multicluster.admiralty.io/v1alpha1';
/** pkg/common/constants.go: KeyPrefix */
export const ADMIRALTY_PREFIX = 'multicluster.admiralty.io/';
export const ELECT = `${ADMIRALTY_PREFIX}elect`;
export const SOURCEPOD_MANIFEST = `${ADMIRALTY_PREFIX}sourcepod-manifest`;
export const PARENT_UID = `${ADMIRALTY_PREFIX}parent-uid`;
export const PARENT_CLUSTER_NAME = `${ADMIRALTY_PREFIX}parent-cluster-name`;
export const PARENT_NAME = `${ADMIRALTY_PREFIX}parent-name`;
export const PARENT_NAMESPACE = `${ADMIRALTY_PREFIX}parent-namespace`;

/** A Target (namespaced) reading its cluster's kubeconfig from a Secret in the same namespace (key `config`, the default in pkg/config/agent/agent.go). */
export function target(ns: string, name: string, secretName: string): Obj {
  return { apiVersion: GROUP, kind: 'Target', metadata: { name, namespace: ns }, spec: { kubeconfigSecret: { name: secretName } } };
}

/** A ClusterTarget: its kubeconfig Secret names its namespace (crds/admiralty/clustertarget.yaml). */
export function clusterTarget(name: string, secretNs: string, secretName: string): Obj {
  return { apiVersion: GROUP, kind: 'ClusterTarget', metadata: { name }, spec: { kubeconfigSecret: { name: secretName, namespace: secretNs } } };
}

/** A Source on the target cluster: who may send pods here (the user or service account the source cluster uses). */
export function source(ns: string, name: string, serviceAccountName: string): Obj {
  return { apiVersion: GROUP, kind: 'Source', metadata: { name, namespace: ns }, spec: { serviceAccountName } };
}

/** The Secret a Target reads: a kubeconfig under key `config`. */
export function kubeconfigSecret(ns: string, name: string, kubeconfig: string): Obj {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns }, type: 'Opaque', stringData: { config: kubeconfig } };
}

/**
 * The virtual node Admiralty's agent registers per target: name from pkg/config/agent/agent.go (Target.complete:
 * name.FromParts(Long, [0], [1], "admiralty", namespace, name); parts without dashes get no hash suffix), labels
 * from pkg/model/virtualnode/model.go (BaseLabels), the NoSchedule taint from pkg/vk/node/node.go.
 */
export function virtualNodeName(targetNamespace: string, targetName: string): string {
  if ([targetNamespace, targetName].some((p) => p.includes('-'))) throw new Error(`forge: '${targetNamespace}/${targetName}' would get Admiralty's hash suffix; use names without dashes`);
  return ['admiralty', targetNamespace, targetName].filter((p) => p !== '').join('-');
}

export function virtualNodeLabels(targetNamespace: string, targetName: string): Labels {
  return {
    type: 'virtual-kubelet',
    'virtual-kubelet.io/provider': 'admiralty',
    'kubernetes.io/role': 'cluster',
    'alpha.service-controller.kubernetes.io/exclude-balancer': 'true',
    'node.kubernetes.io/exclude-from-external-load-balancers': 'true',
    ...(targetNamespace === ''
      ? { [`${ADMIRALTY_PREFIX}cluster-target-name`]: targetName }
      : { [`${ADMIRALTY_PREFIX}target-namespace`]: targetNamespace, [`${ADMIRALTY_PREFIX}target-name`]: targetName }),
  };
}

export const virtualNodeTaint = { key: 'virtual-kubelet.io/provider', value: 'admiralty', effect: 'NoSchedule' };

/** The pod the user's controller (here a Job) submits, with the elect annotation (the source pod). */
export interface SourcePod extends PodOptions {
  labels: Labels;
}

/**
 * The proxy pod, as Admiralty's mutating webhook turns the source pod into one (pkg/webhooks/proxypod/proxypod.go):
 * the source manifest kept in an annotation, the node selector and tolerations of Admiralty's virtual nodes,
 * scheduler `admiralty-proxy`, grace period 0, label has-finalizer. Bound to the target's virtual node.
 * (The webhook also adds one finalizer per target in the namespace; the test bed leaves it out so that a test can
 * delete the pod without Admiralty's feedback controller to remove it.)
 */
export function proxyPod(src: SourcePod, virtualNode: string): Obj {
  const srcManifest = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: src.name, namespace: src.namespace, labels: src.labels, annotations: { [ELECT]: '' } },
    spec: { ...podSpec(src), nodeName: undefined },
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: src.name,
      namespace: src.namespace,
      labels: { ...src.labels, [`${ADMIRALTY_PREFIX}has-finalizer`]: 'true' },
      annotations: { [ELECT]: '', [SOURCEPOD_MANIFEST]: stringify(srcManifest) },
    },
    spec: {
      ...podSpec({ ...src, nodeName: virtualNode }),
      schedulerName: 'admiralty-proxy',
      nodeSelector: { 'virtual-kubelet.io/provider': 'admiralty' },
      tolerations: [
        { key: 'virtual-kubelet.io/provider', value: 'admiralty' },
        { key: 'node.kubernetes.io/network-unavailable', operator: 'Exists' },
      ],
      terminationGracePeriodSeconds: 0,
    },
  };
}

/**
 * The delegate's labels: the source pod's, each key re-prefixed with Admiralty's domain
 * (pkg/model/delegatepod/model.go ChangeLabels), plus the remote controller reference
 * (pkg/controller/controller.go AddRemoteControllerReference: parent-uid and parent-cluster-name labels).
 */
export function delegateLabels(srcLabels: Labels, parentUid: string, parentClusterName: string): Labels {
  const out: Labels = {};
  for (const [k, v] of Object.entries(srcLabels)) out[k.startsWith(ADMIRALTY_PREFIX) ? k : ADMIRALTY_PREFIX + (k.split('/').pop() ?? k)] = v;
  return { ...out, [PARENT_UID]: parentUid, [PARENT_CLUSTER_NAME]: parentClusterName };
}

export interface Delegate {
  /** `<proxy pod>-<suffix>`: the PodChaperon's generateName is the proxy pod's name and a dash */
  name: string;
  namespace: string;
  labels: Labels;
  parentName: string;
  parentNamespace: string;
  spec: PodOptions;
}

/** The PodChaperon the proxy scheduler creates in the target cluster (pkg/model/delegatepod/model.go MakeDelegatePod). */
export function podChaperon(d: Delegate): Obj {
  return {
    apiVersion: GROUP,
    kind: 'PodChaperon',
    metadata: { name: d.name, namespace: d.namespace, labels: d.labels, annotations: { [PARENT_NAMESPACE]: d.parentNamespace, [PARENT_NAME]: d.parentName } },
    spec: { ...podSpec(d.spec), nodeName: undefined, schedulerName: 'admiralty-candidate' },
  };
}

/** The delegate pod the chaperon controller makes of it: same name, labels and annotations, controlled by the chaperon (pkg/controllers/chaperon/controller.go newPod). */
export function delegatePod(d: Delegate, chaperonUid: string | undefined): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: d.name,
      namespace: d.namespace,
      labels: d.labels,
      annotations: { [PARENT_NAMESPACE]: d.parentNamespace, [PARENT_NAME]: d.parentName },
      ownerReferences: [{ apiVersion: GROUP, kind: 'PodChaperon', name: d.name, uid: chaperonUid, controller: true, blockOwnerDeletion: true }],
    },
    spec: { ...podSpec(d.spec), schedulerName: 'admiralty-candidate' },
  };
}
