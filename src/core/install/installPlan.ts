// The plan of Install Liqo…: from what was detected on the cluster (distribution, CIDRs, whether liqoctl's
// provider can read the CIDRs itself) to the exact `liqoctl install` argv, a proposed cluster ID and labels, and
// the notes the dialog shows. Where liqoctl's provider would fail (kind/kubeadm without a kube-controller-manager
// pod to read), the generic form with the detected CIDRs is planned instead, and the note says why.
import type { Distribution } from './distribution.ts';
import type { CidrFinding } from './cidrs.ts';
import { installArgs, type InstallProvider } from '../liqoctl/install.ts';

export interface InstallFacts {
  readonly contextName: string;
  readonly distribution: Distribution;
  readonly distributionReason: string;
  readonly podCidr?: CidrFinding;
  readonly serviceCidr?: CidrFinding;
  /** Whether kube-system has a kube-controller-manager pod (kind and kubeadm providers read their CIDRs there). */
  readonly controllerManagerPod: boolean;
  /** Labels every real node shares (topology.kubernetes.io/region…), for the proposed cluster labels. */
  readonly commonNodeLabels: Readonly<Record<string, string>>;
  /** Cluster IDs already used in the federation (a new one must differ). */
  readonly takenClusterIds: readonly string[];
}

export interface InstallPlan {
  readonly provider: InstallProvider;
  readonly clusterId: string;
  readonly clusterLabels: Readonly<Record<string, string>>;
  readonly podCidr?: string;
  readonly serviceCidr?: string;
  /** The argv after `liqoctl` (no kubeconfig flags: the runner adds the temporary kubeconfig's). */
  readonly args: readonly string[];
  /** What the user must know before confirming (guesses, missing inputs, fallbacks). */
  readonly notes: readonly string[];
  /** Inputs without which liqoctl will refuse to run (cloud identifiers, a CIDR not found). */
  readonly missing: readonly string[];
}

/** A DNS-1123 label from a context name, distinct from the taken IDs (`-2`, `-3`… appended). */
export function proposeClusterId(contextName: string, taken: readonly string[]): string {
  let base = contextName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 55)
    .replace(/-+$/, '');
  if (base === '') base = 'cluster';
  if (!/^[a-z]/.test(base)) base = `c-${base}`;
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}-${i}`)) return `${base}-${i}`;
}

const LABEL_KEYS_WORTH_PROPOSING = ['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.region'];

export function planInstall(f: InstallFacts): InstallPlan {
  const notes: string[] = [`Distribution: ${f.distribution} (${f.distributionReason}).`];
  const missing: string[] = [];
  let provider: InstallProvider;
  switch (f.distribution) {
    case 'kind':
    case 'kubeadm':
      if (f.controllerManagerPod) provider = f.distribution;
      else {
        provider = '';
        notes.push(`liqoctl's ${f.distribution} provider reads the CIDRs from the kube-controller-manager pod, which this cluster does not have: the generic install with the detected CIDRs is used.`);
      }
      break;
    case 'k3s':
    case 'openshift':
    case 'eks':
    case 'gke':
    case 'aks':
      provider = f.distribution;
      break;
    default:
      provider = '';
  }
  if (provider === 'eks') missing.push('--eks-cluster-region', '--eks-cluster-name');
  if (provider === 'gke') missing.push('--credentials-path', '--project-id', '--cluster-id (GKE)', '--zone or --region');
  if (provider === 'aks') missing.push('--resource-group-name', '--resource-name');
  const needsCidrs = provider === '' || provider === 'k3s';
  if (needsCidrs) {
    if (!f.podCidr) missing.push('--pod-cidr (not found on the nodes nor from pod IPs)');
    if (!f.serviceCidr) missing.push('--service-cidr (the API server did not name its range)');
  }
  for (const [what, c] of [['Pod CIDR', f.podCidr], ['Service CIDR', f.serviceCidr]] as const) {
    if (c) notes.push(`${what} ${c.cidr} from ${c.source}${needsCidrs ? '' : ' (liqoctl reads it itself for this provider)'}.`);
  }
  const clusterId = proposeClusterId(f.contextName, f.takenClusterIds);
  const clusterLabels: Record<string, string> = {};
  for (const k of LABEL_KEYS_WORTH_PROPOSING) {
    const v = f.commonNodeLabels[k];
    if (v !== undefined && v !== '') clusterLabels[k] = v;
  }
  const podCidr = f.podCidr?.cidr;
  const serviceCidr = f.serviceCidr?.cidr;
  const args = installArgs({
    provider,
    clusterId,
    clusterLabels,
    ...(podCidr ? { podCidr } : {}),
    ...(serviceCidr ? { serviceCidr } : {}),
  });
  return { provider, clusterId, clusterLabels, ...(podCidr ? { podCidr } : {}), ...(serviceCidr ? { serviceCidr } : {}), args, notes, missing };
}
