// KubeFed (core.kubefed.io, types.kubefed.io; v0.10.0, archived upstream) as the explorer reads it: member clusters
// (KubeFedCluster readiness) and federated resources (placement, overrides, propagation per cluster). Field names
// and status values are KubeFed v0.10.0's (pkg/apis/core/v1beta1, pkg/controller/sync/status/status.go).
import type { KubeObject } from '../liqo/objects.ts';

export const KUBEFED_CORE_GROUP = 'core.kubefed.io';
export const KUBEFED_TYPES_GROUP = 'types.kubefed.io';

interface Condition {
  readonly type?: string;
  readonly status?: string;
  readonly reason?: string;
  readonly message?: string;
}

export interface KubeFedClusterObject extends KubeObject {
  readonly spec?: { readonly apiEndpoint?: string; readonly caBundle?: string; readonly disabledTLSValidations?: readonly string[] };
  readonly status?: { readonly conditions?: readonly Condition[]; readonly kubernetesVersion?: string; readonly region?: string; readonly zones?: readonly string[] };
}

export interface MemberCluster {
  readonly name: string;
  readonly apiEndpoint: string;
  /** base64 PEM of the CA KubeFed trusts (compared by fingerprint, never shown) */
  readonly caBundle?: string;
  readonly ready: 'True' | 'False' | 'Unknown';
  /** `Offline` condition True: the controller could not reach it */
  readonly offline: boolean;
  readonly reason?: string;
  readonly message?: string;
  readonly kubernetesVersion?: string;
  /** TLS checks KubeFed skips for it (`*`, SubjectName, ValidityPeriod) */
  readonly disabledTLSValidations: readonly string[];
}

export function decodeMemberCluster(o: KubeFedClusterObject): MemberCluster {
  const conds = o.status?.conditions ?? [];
  const ready = conds.find((c) => c.type === 'Ready');
  const status = ready?.status === 'True' || ready?.status === 'False' ? ready.status : 'Unknown';
  const why = status === 'True' ? undefined : (ready ?? conds.find((c) => c.type === 'Offline'));
  return {
    name: o.metadata.name,
    apiEndpoint: o.spec?.apiEndpoint ?? '',
    ...(o.spec?.caBundle ? { caBundle: o.spec.caBundle } : {}),
    ready: status,
    offline: conds.some((c) => c.type === 'Offline' && c.status === 'True'),
    ...(why?.reason ? { reason: why.reason } : {}),
    ...(why?.message ? { message: why.message } : {}),
    ...(o.status?.kubernetesVersion ? { kubernetesVersion: o.status.kubernetesVersion } : {}),
    disabledTLSValidations: o.spec?.disabledTLSValidations ?? [],
  };
}

interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] }[];
}

export interface FederatedObject extends KubeObject {
  readonly spec?: {
    readonly placement?: { readonly clusters?: readonly { readonly name: string }[]; readonly clusterSelector?: LabelSelector };
    readonly overrides?: readonly { readonly clusterName: string; readonly clusterOverrides?: readonly { readonly path: string; readonly op?: string; readonly value?: unknown }[] }[];
  };
  readonly status?: {
    readonly conditions?: readonly (Condition & { readonly lastUpdateTime?: string })[];
    readonly clusters?: readonly { readonly name: string; readonly status?: string }[];
  };
}

export type Placement =
  | { readonly by: 'clusters'; readonly clusters: readonly string[] }
  | { readonly by: 'selector'; readonly selector: string }
  | { readonly by: 'none' };

export interface ClusterPropagation {
  readonly cluster: string;
  /** '' when propagated (KubeFed's ClusterPropagationOK), else its PropagationStatus (CreationFailed, ClusterNotReady…) */
  readonly status: string;
}

export interface FederatedResource {
  /** e.g. FederatedDeployment; what it federates is the kind without the prefix */
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly placement: Placement;
  /** per cluster, the paths its overrides change (op and path, values left out: they may hold anything) */
  readonly overrides: readonly { readonly cluster: string; readonly paths: readonly string[] }[];
  /** the Propagation condition: True, False (with its aggregate reason) or Unknown before the controller ran */
  readonly propagation: { readonly status: 'True' | 'False' | 'Unknown'; readonly reason?: string };
  readonly clusters: readonly ClusterPropagation[];
}

function selectorText(s: LabelSelector): string {
  const parts = [
    ...Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(s.matchExpressions ?? []).map((e) => `${e.key} ${e.operator}${e.values?.length ? ` (${e.values.join(', ')})` : ''}`),
  ];
  return parts.length > 0 ? parts.join(', ') : 'every cluster (empty selector)';
}

/**
 * KubeFed's placement rule (pkg/controller/util/placement.go ComputePlacement): a `clusters` list, even empty, wins
 * over the selector; without either the resource is placed nowhere.
 */
export function decodePlacement(o: FederatedObject): Placement {
  const p = o.spec?.placement;
  if (p?.clusters) return { by: 'clusters', clusters: p.clusters.map((c) => c.name) };
  if (p?.clusterSelector) return { by: 'selector', selector: selectorText(p.clusterSelector) };
  return { by: 'none' };
}

export function decodeFederatedResource(o: FederatedObject): FederatedResource {
  const cond = o.status?.conditions?.find((c) => c.type === 'Propagation');
  const status = cond?.status === 'True' || cond?.status === 'False' ? cond.status : 'Unknown';
  return {
    kind: o.kind ?? 'Federated?',
    ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
    name: o.metadata.name,
    placement: decodePlacement(o),
    overrides: (o.spec?.overrides ?? []).map((ov) => ({ cluster: ov.clusterName, paths: (ov.clusterOverrides ?? []).map((c) => `${c.op ?? 'replace'} ${c.path}`) })),
    propagation: { status, ...(cond?.reason ? { reason: cond.reason } : {}) },
    clusters: (o.status?.clusters ?? []).map((c) => ({ cluster: c.name, status: c.status ?? '' })),
  };
}

/** One line per placed cluster: propagated, failing (with KubeFed's status) or not yet reported. */
export function propagationByCluster(r: FederatedResource): { cluster: string; state: 'propagated' | 'failing' | 'pending'; status?: string }[] {
  const placed = r.placement.by === 'clusters' ? r.placement.clusters : r.clusters.map((c) => c.cluster);
  return placed.map((cluster) => {
    const c = r.clusters.find((x) => x.cluster === cluster);
    if (!c) return { cluster, state: 'pending' };
    return c.status === '' ? { cluster, state: 'propagated' } : { cluster, state: 'failing', status: c.status };
  });
}
