// What Unpeer… offers when the provider does not answer: Liqo's forced unpeer (`liqoctl force unpeer <cluster-id>`,
// added in v1.1.0, PR #3126), what it leaves on the provider, or — on Liqo v1.0 — the steps by hand. Read in Liqo's
// v1.2.0 sources: the command annotates the consumer's ForeignCluster with
// liqo.io/foreign-cluster-permanently-unreachable=true and deletes the consumer's tenant namespace, waiting for it
// to go. Liqo's controllers (v1.1+) read the annotation (pkg/utils/foreigncluster IsDead): the virtual-node
// controller then deletes the pods on the virtual node instead of evicting them, and the crd-replicator stops
// waiting for the replicas on the peer, so the tenant namespace can go. IsDead is false while the ForeignCluster's
// APIServerStatus is still Established: the force path would then wait like a normal unpeer.
// Nothing is done on the provider; the warning says what stays there and how to clean it if it comes back.
import { compareLiqoVersions, parseLiqoVersion } from '../liqoctl/version.ts';
import { isClusterId } from '../liqoctl/peer.ts';
import { tenantNamespaceName } from './leftover.ts';

export const PERMANENTLY_UNREACHABLE_ANNOTATION = 'liqo.io/foreign-cluster-permanently-unreachable';
/** The first Liqo release with `liqoctl force unpeer` and controllers that honour the annotation. */
export const FORCE_UNPEER_SINCE = 'v1.1.0';

export interface ForceUnpeerFacts {
  readonly consumerContext: string;
  /** The consumer's own Liqo cluster ID (names its tenant namespace and remote namespaces on the provider). */
  readonly consumerClusterId?: string | undefined;
  readonly providerClusterId: string;
  /** The kubeconfig context of the provider, when one is loaded. */
  readonly providerContext?: string | undefined;
  /** Why the provider is taken as not answering (the error seen), said in the dialog. */
  readonly providerProblem: string;
  /** The consumer's Liqo version as the explorer reads it (controller-manager image tag). */
  readonly consumerLiqoVersion?: string | undefined;
  /** `liqoctl version --client` of the liqoctl in use; undefined when none was found. */
  readonly liqoctlVersion?: string | undefined;
  /** The consumer's ForeignCluster for the provider: its name, tenant namespace and APIServerStatus. */
  readonly foreignClusterName: string;
  readonly tenantNamespace?: string | undefined;
  readonly apiServerStatus?: string | undefined;
  /** Namespaces of the consumer offloaded to the provider now (their remote twins live on the provider). */
  readonly offloadedNamespaces?: readonly string[];
  /** Those twins' names on the provider (NamespaceOffloading status.remoteNamespaceName). */
  readonly remoteNamespaces?: readonly string[];
  /** The consumer's virtual nodes for the provider. */
  readonly virtualNodes?: readonly string[];
}

export type ForceUnpeerDecision =
  | { readonly kind: 'force'; readonly question: string; readonly warning: string }
  | { readonly kind: 'liqoctl-too-old'; readonly message: string; readonly wantedVersion: string }
  | { readonly kind: 'still-answering'; readonly message: string }
  | { readonly kind: 'manual'; readonly message: string; readonly steps: readonly string[] };

function atLeast(version: string | undefined, since: string): boolean | undefined {
  const v = version === undefined ? undefined : parseLiqoVersion(version);
  if (!v) return undefined;
  return compareLiqoVersions(v, parseLiqoVersion(since)!) >= 0;
}

/** What the provider keeps (it is not contacted) and how to clean it there, should it ever answer again. */
export function providerLeftovers(f: ForceUnpeerFacts): string {
  const provider = f.providerContext ?? f.providerClusterId;
  const consumerId = f.consumerClusterId ?? '<consumer cluster ID>';
  const remote = f.remoteNamespaces ?? [];
  const ctx = f.providerContext ? ` --context ${f.providerContext}` : '';
  return [
    `Nothing is removed on ${provider}: it is not contacted. There stay the ForeignCluster ${consumerId}, the Tenant ${consumerId} and its tenant namespace ${tenantNamespaceName(consumerId)} (the consumer's certificates, Renew and NamespaceMap copies), ` +
      `the ClusterRoleBinding that lets ${f.consumerContext}'s virtual kubelet in, ` +
      `${remote.length ? `the remote namespace${remote.length === 1 ? '' : 's'} ${remote.join(', ')} with the ShadowPods and pods still running there` : 'any remote namespace made for an offloaded namespace, with its pods'}. ` +
      `Until the Tenant is gone, the credentials ${f.consumerContext} held stay valid there.`,
    `If ${provider} ever answers again, clean it there (everything of this peering carries the label liqo.io/remote-cluster-id=${consumerId}):\n` +
      `kubectl${ctx} delete namespaces -l liqo.io/remote-cluster-id=${consumerId}\n` +
      `kubectl${ctx} delete clusterrolebindings -l liqo.io/remote-cluster-id=${consumerId}\n` +
      `kubectl${ctx} delete foreignclusters.core.liqo.io ${consumerId}`,
  ].join('\n\n');
}

/** Liqo's FAQ "How to force unpeer a cluster?" made exact for this peering: kubectl commands on the consumer. */
export function manualForceUnpeerSteps(f: ForceUnpeerFacts): string[] {
  const tenant = f.tenantNamespace ?? tenantNamespaceName(f.providerClusterId);
  const k = `kubectl --context ${f.consumerContext}`;
  const nodes = f.virtualNodes?.length ? f.virtualNodes : [f.providerClusterId];
  const unfinalize = `'{"metadata":{"finalizers":null}}'`;
  return [
    ...nodes.map((n) => `${k} delete pods -A --field-selector spec.nodeName=${n} --force --grace-period=0`),
    `${k} -n ${tenant} delete namespacemaps.offloading.liqo.io,resourceslices.authentication.liqo.io,virtualnodes.offloading.liqo.io --all --wait=false`,
    `${k} -n ${tenant} get namespacemaps.offloading.liqo.io,resourceslices.authentication.liqo.io,virtualnodes.offloading.liqo.io -o name | xargs -r -I{} ${k} -n ${tenant} patch {} --type=merge -p ${unfinalize}`,
    ...nodes.map((n) => `${k} delete node ${n} --ignore-not-found`),
    `${k} delete namespace ${tenant} --wait=false`,
    // Deleted first: an object being deleted takes no new finalizer, so the crd-replicator cannot put its own back.
    `${k} -n ${tenant} delete identities.authentication.liqo.io,secrets --all --wait=false`,
    `${k} -n ${tenant} get identities.authentication.liqo.io,secrets -o name | xargs -r -I{} ${k} -n ${tenant} patch {} --type=merge -p ${unfinalize}`,
    `${k} delete foreignclusters.core.liqo.io ${f.foreignClusterName}`,
  ];
}

/** The one decision: force (with its warning), a liqoctl to get first, wait (Liqo still sees the API server), or by hand. */
export function forceUnpeerDecision(f: ForceUnpeerFacts): ForceUnpeerDecision {
  const provider = f.providerContext ? `${f.providerContext} (${f.providerClusterId})` : f.providerClusterId;
  const consumerFits = atLeast(f.consumerLiqoVersion, FORCE_UNPEER_SINCE);
  if (consumerFits !== true) {
    const why = consumerFits === undefined
      ? `The Liqo version of ${f.consumerContext} is ${f.consumerLiqoVersion ? `${f.consumerLiqoVersion}, not a release version` : 'unknown'}, so whether it has a forced unpeer cannot be told.`
      : `${f.consumerContext} runs Liqo ${f.consumerLiqoVersion}: the forced unpeer (liqoctl force unpeer) came with Liqo ${FORCE_UNPEER_SINCE}, and older controllers ignore the ${PERMANENTLY_UNREACHABLE_ANNOTATION} annotation.`;
    return {
      kind: 'manual',
      message: `${provider} does not answer (${f.providerProblem}), so liqoctl unpeer cannot run. ${why} To unpeer by hand, as Liqo's FAQ "How to force unpeer a cluster?" describes, run on ${f.consumerContext}, in this order (a NotFound from a patch only means that object went by itself meanwhile):`,
      steps: manualForceUnpeerSteps(f),
    };
  }
  if (!isClusterId(f.providerClusterId)) {
    return { kind: 'manual', message: `The peer's cluster ID "${f.providerClusterId}" is not a cluster ID liqoctl takes as an argument; unpeer by hand, as Liqo's FAQ "How to force unpeer a cluster?" describes:`, steps: manualForceUnpeerSteps(f) };
  }
  if (atLeast(f.liqoctlVersion, FORCE_UNPEER_SINCE) !== true) {
    return {
      kind: 'liqoctl-too-old',
      wantedVersion: f.consumerLiqoVersion!,
      message: `${provider} does not answer (${f.providerProblem}). ${f.consumerContext} runs Liqo ${f.consumerLiqoVersion}, which has a forced unpeer, but liqoctl ${f.liqoctlVersion ?? '(not found)'} has no "force unpeer" (it came with ${FORCE_UNPEER_SINCE}): use liqoctl ${f.consumerLiqoVersion} (set liqo.liqoctlPath, or download it) and run Unpeer… again.`,
    };
  }
  if (f.apiServerStatus === 'Established') {
    return {
      kind: 'still-answering',
      message: `${provider} does not answer here (${f.providerProblem}), but Liqo on ${f.consumerContext} still reports its API server Established (ForeignCluster ${f.foreignClusterName}, condition APIServerStatus): Liqo treats a cluster as gone only once it stops answering Liqo too, and a forced unpeer would wait for it. If ${provider} is alive, add or fix its kubeconfig context and use Unpeer… again; if it is gone, try again once that condition has changed.`,
    };
  }
  const tenant = f.tenantNamespace ?? tenantNamespaceName(f.providerClusterId);
  const offloaded = f.offloadedNamespaces ?? [];
  return {
    kind: 'force',
    question: `${provider} does not answer. Force unpeer ${f.consumerContext} from it?`,
    warning: [
      `${provider} does not answer (${f.providerProblem}), so liqoctl unpeer cannot run. Use the forced unpeer only for a provider that is gone for good; it cannot be undone (to use ${provider} again, peer again).`,
      `On ${f.consumerContext}, liqoctl force unpeer ${f.providerClusterId} marks the ForeignCluster ${f.foreignClusterName} ${PERMANENTLY_UNREACHABLE_ANNOTATION}=true and deletes the tenant namespace ${tenant} with the VirtualNode, ResourceSlices and Identity in it; the virtual node goes, and the pods on it are deleted without waiting for ${provider}` +
        `${offloaded.length ? ` (offloaded: ${offloaded.join(', ')}; their controllers recreate them on the nodes left, or they stay Pending)` : ''}.`,
      providerLeftovers(f),
    ].join('\n\n'),
  };
}
