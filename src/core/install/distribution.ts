// Which Kubernetes distribution a cluster is, from what its nodes and API server say about themselves: node names
// (kind's `<cluster>-control-plane`), labels (EKS node groups, GKE node pools, AKS, OpenShift), providerID schemes
// (aws://, gce://, azure://, kind://) and version strings (`+k3s1`, `+k0s`, `-eks-`, `-gke.`). The strongest
// evidence wins; each detection says why, so the install dialog can show it and the user can disagree.

export type Distribution = 'kind' | 'k3s' | 'k0s' | 'kubeadm' | 'eks' | 'gke' | 'aks' | 'openshift' | 'unknown';

export interface NodeFacts {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly providerID?: string;
  readonly kubeletVersion?: string;
  readonly osImage?: string;
  readonly podCIDRs?: readonly string[];
  readonly internalIPs?: readonly string[];
}

export interface DistributionGuess {
  readonly distribution: Distribution;
  /** The evidence, in words ("node kind-a-control-plane is named as kind names nodes"). */
  readonly reason: string;
}

interface Rule {
  readonly distribution: Distribution;
  readonly test: (n: NodeFacts, serverVersion: string) => string | undefined;
}

const hasLabelPrefix = (n: NodeFacts, prefix: string): string | undefined => Object.keys(n.labels).find((k) => k.startsWith(prefix));

// Ordered from the most specific evidence to the least: a k3s cluster on EC2 is k3s, an OpenShift on Azure is
// OpenShift, and kubeadm (control-plane label without anything else) comes last.
const RULES: readonly Rule[] = [
  {
    distribution: 'openshift',
    test: (n) => (hasLabelPrefix(n, 'node.openshift.io/') ? `node ${n.name} has OpenShift labels` : /Red Hat Enterprise Linux CoreOS/i.test(n.osImage ?? '') ? `node ${n.name} runs RHCOS` : undefined),
  },
  { distribution: 'k3s', test: (n, v) => (/\+k3s/.test(n.kubeletVersion ?? '') ? `node ${n.name}'s kubelet is ${n.kubeletVersion}` : /\+k3s/.test(v) ? `the API server is ${v}` : n.labels['node.kubernetes.io/instance-type'] === 'k3s' ? `node ${n.name} has instance-type k3s` : undefined) },
  { distribution: 'k0s', test: (n, v) => (/\+k0s/.test(n.kubeletVersion ?? '') ? `node ${n.name}'s kubelet is ${n.kubeletVersion}` : /\+k0s/.test(v) ? `the API server is ${v}` : undefined) },
  {
    distribution: 'eks',
    test: (n, v) => (hasLabelPrefix(n, 'eks.amazonaws.com/') ? `node ${n.name} has EKS labels` : /-eks-/.test(n.kubeletVersion ?? '') || /-eks-/.test(v) ? 'the version string is an EKS one' : undefined),
  },
  {
    distribution: 'gke',
    test: (n, v) => (hasLabelPrefix(n, 'cloud.google.com/gke-') ? `node ${n.name} has GKE labels` : /-gke\./.test(v) || /-gke\./.test(n.kubeletVersion ?? '') ? 'the version string is a GKE one' : undefined),
  },
  { distribution: 'aks', test: (n) => (hasLabelPrefix(n, 'kubernetes.azure.com/') ? `node ${n.name} has AKS labels` : undefined) },
  {
    distribution: 'kind',
    test: (n) => (n.providerID?.startsWith('kind://') ? `node ${n.name}'s providerID is ${n.providerID}` : /-control-plane\d*$/.test(n.name) && n.labels['node-role.kubernetes.io/control-plane'] !== undefined ? `node ${n.name} is named as kind names its control plane` : undefined),
  },
  // Cloud providerIDs without their distribution's labels: self-managed clusters on that cloud, so kubeadm-like.
  { distribution: 'eks', test: (n) => (n.providerID?.startsWith('aws://') && hasLabelPrefix(n, 'alpha.eksctl.io/') ? `node ${n.name} was made by eksctl` : undefined) },
  { distribution: 'kubeadm', test: (n) => (n.labels['node-role.kubernetes.io/control-plane'] !== undefined ? `node ${n.name} is a control-plane node (kubeadm's labels)` : undefined) },
];

/** The distribution, judged over every node (virtual nodes excluded: they describe the remote cluster). */
export function detectDistribution(nodes: readonly NodeFacts[], serverVersion: string): DistributionGuess {
  const real = nodes.filter((n) => n.labels['liqo.io/type'] !== 'virtual-node' && n.labels.type !== 'virtual-kubelet');
  for (const rule of RULES) {
    for (const n of real.length ? real : [{ name: '(none)', labels: {} } as NodeFacts]) {
      const reason = rule.test(n, serverVersion);
      if (reason) return { distribution: rule.distribution, reason };
    }
  }
  return { distribution: 'unknown', reason: 'nothing in the node names, labels, providerIDs or version strings names a distribution' };
}
