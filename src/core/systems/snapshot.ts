// What the explorer knows of the other federation systems in one cluster, built from the cached objects of their
// watches (infra/systems/systemsWatches.ts). A system absent from the cluster is absent here: no empty folders.
import type { Deployment, KubeObject, Namespace, Node, Pod } from '../liqo/objects.ts';
import { decodeSource, decodeTarget, delegateParent, virtualNodeTarget, type AdmiraltySourceObject, type AdmiraltyTargetObject, type DelegateParent, type SourceView, type TargetRef, type TargetView } from './admiralty.ts';
import { decodeFederatedResource, decodeMemberCluster, type FederatedObject, type FederatedResource, type KubeFedClusterObject, type MemberCluster } from './kubefed.ts';
import { decodeIstiod, meshIdOf, networkOf, type IstiodView, type RemoteSecret } from './istio.ts';
import { endpointOfKubeconfig, secretValue, type EndpointResult } from './endpoint.ts';

export type SystemName = 'admiralty' | 'kubefed' | 'istio';

/** The CRD whose presence says a system is installed (watched by name: a tiny watch, and no 404s on absent types). */
export const MARKER_CRDS: Readonly<Record<Exclude<SystemName, 'istio'>, string>> = {
  admiralty: 'targets.multicluster.admiralty.io',
  kubefed: 'kubefedclusters.core.kubefed.io',
};

export interface PodState {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly phase: string;
  readonly ready: boolean;
  readonly nodeName?: string;
}

export interface AdmiraltyView {
  readonly targets: readonly (TargetView & { readonly endpoint?: EndpointResult })[];
  readonly sources: readonly SourceView[];
  readonly virtualNodes: readonly { readonly name: string; readonly target: TargetRef; readonly ready: boolean }[];
  readonly proxyPods: readonly (PodState & { readonly target?: TargetRef })[];
  readonly delegatePods: readonly (PodState & { readonly parent: DelegateParent })[];
}

export interface KubeFedView {
  readonly members: readonly MemberCluster[];
  readonly resources: readonly FederatedResource[];
}

export interface IstioView {
  readonly namespace: string;
  readonly istiod: readonly IstiodView[];
  readonly meshId?: string;
  readonly network?: string;
  readonly remoteSecrets: readonly RemoteSecret[];
}

export interface SystemsSnapshot {
  readonly admiralty?: AdmiraltyView;
  readonly kubefed?: KubeFedView;
  readonly istio?: IstioView;
}

export function podState(p: Pod): PodState {
  const ready = p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  return { namespace: p.metadata.namespace ?? '', name: p.metadata.name, uid: p.metadata.uid ?? '', phase: p.status?.phase ?? 'Pending', ready, ...(p.spec?.nodeName ? { nodeName: p.spec.nodeName } : {}) };
}

/**
 * A Target's kubeconfig Secret as the cache keeps it: the endpoint read out of it (server, CA fingerprints), the
 * Secret's data dropped. `key` and `context` are the Target's.
 */
export interface KubeconfigSecretSummary extends KubeObject {
  readonly endpointsByKey: Readonly<Record<string, EndpointResult>>;
}

export function summarizeKubeconfigSecret(secret: KubeObject & { readonly data?: Readonly<Record<string, string>> }): KubeconfigSecretSummary {
  const endpointsByKey: Record<string, EndpointResult> = {};
  for (const key of Object.keys(secret.data ?? {})) endpointsByKey[key] = endpointOfKubeconfig(secretValue(secret, key) ?? '');
  const { name, namespace, uid, resourceVersion } = secret.metadata;
  return { kind: 'Secret', metadata: { name, ...(namespace ? { namespace } : {}), ...(uid ? { uid } : {}), ...(resourceVersion ? { resourceVersion } : {}) }, endpointsByKey };
}

export interface AdmiraltyObjects {
  readonly targets: readonly AdmiraltyTargetObject[];
  readonly clusterTargets: readonly AdmiraltyTargetObject[];
  readonly sources: readonly AdmiraltySourceObject[];
  readonly clusterSources: readonly AdmiraltySourceObject[];
  readonly nodes: readonly Node[];
  readonly proxyPods: readonly Pod[];
  readonly delegatePods: readonly Pod[];
  /** the Targets' kubeconfig Secrets, reduced (summarizeKubeconfigSecret) */
  readonly secrets: readonly KubeconfigSecretSummary[];
}

export function admiraltyView(o: AdmiraltyObjects): AdmiraltyView {
  const secretOf = (ns: string, name: string) => o.secrets.find((s) => s.metadata.namespace === ns && s.metadata.name === name);
  const targets = [...o.targets.map((t) => decodeTarget(t, 'Target')), ...o.clusterTargets.map((t) => decodeTarget(t, 'ClusterTarget'))].map((t) => {
    if (!t.secret) return t;
    const s = secretOf(t.secret.namespace, t.secret.name);
    const endpoint: EndpointResult = !s
      ? { ok: false, problem: `its Secret ${t.secret.namespace}/${t.secret.name} was not found (or may not be read)` }
      : (s.endpointsByKey[t.secret.key] ?? { ok: false, problem: `its Secret ${t.secret.namespace}/${t.secret.name} has no key ${t.secret.key}` });
    return { ...t, endpoint };
  });
  const nodes = new Map(o.nodes.map((n) => [n.metadata.name, n]));
  return {
    targets,
    sources: [...o.sources.map((s) => decodeSource(s, 'Source')), ...o.clusterSources.map((s) => decodeSource(s, 'ClusterSource'))],
    virtualNodes: o.nodes.flatMap((n) => {
      const target = virtualNodeTarget(n);
      return target ? [{ name: n.metadata.name, target, ready: n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false }] : [];
    }),
    proxyPods: o.proxyPods.map((p) => {
      const node = p.spec?.nodeName ? nodes.get(p.spec.nodeName) : undefined;
      const target = node ? virtualNodeTarget(node) : undefined;
      return { ...podState(p), ...(target ? { target } : {}) };
    }),
    delegatePods: o.delegatePods.flatMap((p) => {
      const parent = delegateParent(p);
      return parent ? [{ ...podState(p), parent }] : [];
    }),
  };
}

export function kubeFedView(members: readonly KubeFedClusterObject[], federated: readonly FederatedObject[]): KubeFedView {
  return { members: members.map(decodeMemberCluster), resources: federated.map(decodeFederatedResource) };
}

export function istioView(namespace: string, istiods: readonly Deployment[], meshConfig: { readonly data?: Readonly<Record<string, string>> } | undefined, ns: Namespace | undefined, remoteSecrets: readonly RemoteSecret[]): IstioView {
  const meshId = meshIdOf(meshConfig);
  const network = networkOf(ns);
  return { namespace, istiod: istiods.map(decodeIstiod), ...(meshId ? { meshId } : {}), ...(network ? { network } : {}), remoteSecrets };
}
