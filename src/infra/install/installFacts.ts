// Reads what Install Liqo… needs to know from a cluster through its ClusterClient: nodes (names, labels,
// providerIDs, kubelet versions, podCIDRs), running pods' IPs (the pod-CIDR guess when nodes have none), whether
// kube-system runs a kube-controller-manager pod, the API server's version, and the service CIDR from the refusal
// of a dry-run Service with an out-of-range clusterIP (nothing is created).
import type { ClusterClient } from '../cluster/clusterClient.ts';
import { detectDistribution, type NodeFacts } from '../../core/install/distribution.ts';
import { detectPodCidr, serviceCidrFromRefusal, serviceCidrProbe } from '../../core/install/cidrs.ts';
import type { InstallFacts } from '../../core/install/installPlan.ts';
import { dryRunRefusal } from '../writes/applyObject.ts';

interface NodeObj {
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: { providerID?: string; podCIDR?: string; podCIDRs?: string[] };
  status?: { nodeInfo?: { kubeletVersion?: string; osImage?: string }; addresses?: Array<{ type?: string; address?: string }> };
}
interface PodObj {
  spec?: { hostNetwork?: boolean; nodeName?: string };
  status?: { podIP?: string; podIPs?: Array<{ ip?: string }> };
}

export function nodeFacts(n: NodeObj): NodeFacts {
  const podCIDRs = n.spec?.podCIDRs ?? (n.spec?.podCIDR ? [n.spec.podCIDR] : []);
  return {
    name: n.metadata?.name ?? '',
    labels: n.metadata?.labels ?? {},
    ...(n.spec?.providerID ? { providerID: n.spec.providerID } : {}),
    ...(n.status?.nodeInfo?.kubeletVersion ? { kubeletVersion: n.status.nodeInfo.kubeletVersion } : {}),
    ...(n.status?.nodeInfo?.osImage ? { osImage: n.status.nodeInfo.osImage } : {}),
    podCIDRs,
    internalIPs: (n.status?.addresses ?? []).filter((a) => a.type === 'InternalIP' && a.address).map((a) => a.address as string),
  };
}

/** Labels every real (non-virtual) node carries with one value. */
function commonLabels(nodes: readonly NodeFacts[]): Record<string, string> {
  const real = nodes.filter((n) => n.labels['liqo.io/type'] !== 'virtual-node');
  const first = real[0];
  if (!first) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(first.labels)) if (real.every((n) => n.labels[k] === v)) out[k] = v;
  return out;
}

export async function gatherInstallFacts(client: ClusterClient, contextName: string, takenClusterIds: readonly string[], signal?: AbortSignal): Promise<InstallFacts> {
  const [version, nodeList, podList, kcm] = await Promise.all([
    client.version(signal),
    client.list('/api/v1/nodes', {}, signal),
    client.list('/api/v1/pods', { fieldSelector: 'status.phase=Running', limit: 500 }, signal),
    client.list('/api/v1/namespaces/kube-system/pods', { labelSelector: 'component=kube-controller-manager', limit: 1 }, signal),
  ]);
  const nodes = (nodeList.items as NodeObj[]).map(nodeFacts);
  const virtual = new Set(nodes.filter((n) => n.labels['liqo.io/type'] === 'virtual-node').map((n) => n.name));
  const podIPs = (podList.items as PodObj[])
    // Pods on virtual nodes carry the provider's (remapped) addresses, not this cluster's.
    .filter((p) => !p.spec?.hostNetwork && !virtual.has(p.spec?.nodeName ?? ''))
    .map((p) => p.status?.podIP)
    .filter((ip): ip is string => typeof ip === 'string' && ip !== '');
  const guess = detectDistribution(nodes, version.gitVersion);
  const podCidr = detectPodCidr(nodes.filter((n) => !virtual.has(n.name)).flatMap((n) => n.podCIDRs ?? []), podIPs);
  const refusal = await dryRunRefusal(client, '/api/v1/namespaces/default/services/liqo-vscode-service-cidr-probe', serviceCidrProbe('default'), signal);
  const service = refusal ? serviceCidrFromRefusal(refusal) : undefined;
  return {
    contextName,
    distribution: guess.distribution,
    distributionReason: guess.reason,
    ...(podCidr ? { podCidr } : {}),
    ...(service ? { serviceCidr: { cidr: service, source: "the API server's answer to a dry-run Service", guessed: false } } : {}),
    controllerManagerPod: kcm.items.length > 0,
    commonNodeLabels: commonLabels(nodes),
    takenClusterIds,
  };
}
