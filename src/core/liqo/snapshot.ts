// What one cluster's watches currently know, and what the tree derives from it: Liqo's presence, version, cluster
// ID and health; where each pod runs; which namespaces are offloaded, twins or tenants.
import type {
  ConfigMap,
  Deployment,
  ForeignCluster,
  KubeObject,
  Namespace,
  NamespaceOffloading,
  Node,
  Pod,
  ResourceList,
  ResourceSlice,
  Service,
  ShadowPod,
  Tenant,
  VirtualNode,
} from './objects.ts';
import { ANNOTATION_ORIGINAL_NAME, CLUSTER_ID_CONFIGMAP, CLUSTER_ID_KEY, LABEL_REMOTE_CLUSTER_ID, LABEL_TENANT_NAMESPACE } from './objects.ts';
import { clusterIdConfigMapIn, clusterIdConfigMapProblem, inLiqoNamespace, type LiqoLocation } from './liqoNamespace.ts';

/** Every kind a cluster session watches. */
export const WATCHED_KINDS = [
  'clusterIdConfigMaps',
  'liqoDeployments',
  'liqoPods',
  'namespaces',
  'foreignclusters',
  'virtualnodes',
  'virtualNodeNodes',
  'resourceslices',
  'namespaceoffloadings',
  'tenants',
  'shadowpods',
  'services',
  'pods',
] as const;
export type WatchedKind = (typeof WATCHED_KINDS)[number];

/** The kinds that exist only where Liqo's CRDs are installed. */
export const LIQO_KINDS: readonly WatchedKind[] = ['foreignclusters', 'virtualnodes', 'resourceslices', 'namespaceoffloadings', 'tenants', 'shadowpods'];

export type KindState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready' }
  /** 404: the resource type does not exist on this cluster (Liqo's CRDs absent). */
  | { readonly kind: 'absent' }
  | { readonly kind: 'forbidden'; readonly message: string }
  | { readonly kind: 'error'; readonly message: string; readonly retryInSeconds?: number };

export interface ClusterSnapshot {
  readonly kinds: Readonly<Record<WatchedKind, KindState>>;
  /** The namespace Liqo was found in (cluster-ID ConfigMap, controller-manager), and any limit on the search. */
  readonly liqoLocation: LiqoLocation;
  readonly configMaps: readonly ConfigMap[];
  readonly liqoDeployments: readonly Deployment[];
  readonly liqoPods: readonly Pod[];
  readonly namespaces: readonly Namespace[];
  readonly foreignClusters: readonly ForeignCluster[];
  readonly virtualNodes: readonly VirtualNode[];
  readonly nodes: readonly Node[];
  readonly resourceSlices: readonly ResourceSlice[];
  readonly offloadings: readonly NamespaceOffloading[];
  readonly tenants: readonly Tenant[];
  readonly shadowPods: readonly ShadowPod[];
  /** Every Service of the cluster, cached trimmed (watched only while the cluster is expanded). */
  readonly services: readonly Service[];
  readonly pods: readonly Pod[];
  /**
   * One of `pods` by its key (namespace/name), without building the list: a status change of one pod among
   * thousands looks up only that pod. Absent: search `pods`.
   */
  readonly pod?: (key: string) => Pod | undefined;
}

export function emptySnapshot(): ClusterSnapshot {
  const kinds = Object.fromEntries(WATCHED_KINDS.map((k) => [k, { kind: 'loading' }])) as Record<WatchedKind, KindState>;
  return { kinds, liqoLocation: {}, configMaps: [], liqoDeployments: [], liqoPods: [], namespaces: [], foreignClusters: [], virtualNodes: [], nodes: [], resourceSlices: [], offloadings: [], tenants: [], shadowPods: [], services: [], pods: [] };
}

export type LiqoPresence = 'installed' | 'not-installed' | 'unknown';

export interface LiqoInfo {
  readonly presence: LiqoPresence;
  readonly clusterId?: string;
  readonly version?: string;
  readonly healthy?: boolean;
  /** What keeps liqoctl and Liqo's controllers from finding the cluster ID (the ConfigMap's missing label). */
  readonly clusterIdProblem?: string;
  /** Why `healthy` is undefined: what the explorer could not see (no Liqo pods, pods not listable…). */
  readonly healthUnknown?: string;
  readonly unhealthyPods: readonly string[];
  /** Where Liqo runs (`liqo`, `liqo-system`, …), once found. */
  readonly namespace?: string;
  /** Why Liqo could only be looked for in one namespace (a 403 on a cluster-wide listing). */
  readonly limitedBy?: string;
}

export function liqoInfo(s: ClusterSnapshot): LiqoInfo {
  const fc = s.kinds.foreignclusters.kind;
  // A 403 on ForeignClusters says nothing about Liqo being there; any other Liqo kind listed does.
  const anyLiqoKindListed = LIQO_KINDS.some((k) => s.kinds[k].kind === 'ready');
  const presence: LiqoPresence = fc === 'absent' ? 'not-installed' : anyLiqoKindListed ? 'installed' : 'unknown';
  const { namespace, limitedBy } = s.liqoLocation;
  const cm = clusterIdConfigMapIn(s.configMaps, namespace);
  const clusterId = cm?.data?.[CLUSTER_ID_KEY];
  const clusterIdProblem = clusterIdConfigMapProblem(cm);
  const version = controllerManagerVersion(inLiqoNamespace(s.liqoDeployments, namespace));
  const unhealthyPods = s.liqoPods.filter((p) => !isPodReady(p)).map((p) => p.metadata.name);
  const healthy = s.kinds.liqoPods.kind === 'ready' && s.liqoPods.length > 0 ? unhealthyPods.length === 0 : undefined;
  const healthUnknown = healthy === undefined ? whyHealthUnknown(s, namespace) : undefined;
  return {
    presence,
    unhealthyPods,
    ...(healthUnknown ? { healthUnknown } : {}),
    ...(clusterIdProblem ? { clusterIdProblem } : {}),
    ...(clusterId ? { clusterId } : {}),
    ...(version ? { version } : {}),
    ...(healthy !== undefined ? { healthy } : {}),
    ...(namespace ? { namespace } : {}),
    ...(limitedBy ? { limitedBy } : {}),
  };
}

/**
 * Why Liqo's health cannot be judged from its pods, in a few words for the cluster row: the pods are not readable,
 * or there are none (a controller-manager scaled to 0, or Liqo's controllers running outside the cluster).
 */
function whyHealthUnknown(s: ClusterSnapshot, namespace: string | undefined): string {
  const st = s.kinds.liqoPods;
  const where = namespace ?? 'its namespace';
  if (!namespace) return "Liqo's namespace not found";
  if (st.kind === 'loading') return `reading Liqo's pods in ${where}`;
  if (st.kind === 'forbidden') return `no permission to list pods in ${where}`;
  if (st.kind === 'error') return `cannot list pods in ${where}: ${st.message}`;
  const managers = inLiqoNamespace(s.liqoDeployments, namespace);
  if (managers.length > 0 && managers.every((d) => d.spec?.replicas === 0)) return `no Liqo pods in ${where}: controller-manager scaled to 0`;
  return `no Liqo pods in ${where}`;
}

/** As liqoctl does: the image tag of the `controller-manager` container of the controller-manager Deployment. */
export function controllerManagerVersion(deployments: readonly Deployment[]): string | undefined {
  for (const d of deployments) {
    const c = d.spec?.template?.spec?.containers?.find((x) => x.name === 'controller-manager');
    const image = c?.image;
    if (!image) continue;
    const at = image.lastIndexOf(':');
    if (at > image.lastIndexOf('/')) return image.slice(at + 1);
  }
  return undefined;
}

export function isPodReady(p: Pod): boolean {
  const ready = p.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready) return ready.status === 'True';
  return p.status?.phase === 'Succeeded';
}

export type NamespaceRole =
  | { readonly kind: 'offloaded'; readonly offloading: NamespaceOffloading }
  | { readonly kind: 'twin'; readonly originClusterId: string; readonly originalName?: string }
  | { readonly kind: 'tenant'; readonly remoteClusterId?: string }
  | { readonly kind: 'liqo' }
  | { readonly kind: 'plain' };

export function namespaceRole(ns: Namespace, offloadings: readonly NamespaceOffloading[]): NamespaceRole {
  const name = ns.metadata.name;
  const off = offloadings.find((o) => o.metadata.namespace === name);
  if (off) return { kind: 'offloaded', offloading: off };
  const labels = ns.metadata.labels ?? {};
  const remote = labels[LABEL_REMOTE_CLUSTER_ID];
  if (labels[LABEL_TENANT_NAMESPACE] === 'true') return remote ? { kind: 'tenant', remoteClusterId: remote } : { kind: 'tenant' };
  const original = ns.metadata.annotations?.[ANNOTATION_ORIGINAL_NAME];
  if (remote) return original ? { kind: 'twin', originClusterId: remote, originalName: original } : { kind: 'twin', originClusterId: remote };
  if (name === 'liqo' || name.startsWith('liqo-')) return { kind: 'liqo' };
  return { kind: 'plain' };
}

export type PodPlacement =
  | { readonly kind: 'virtual'; readonly nodeName: string; readonly remoteClusterId?: string }
  | { readonly kind: 'local'; readonly nodeName: string }
  | { readonly kind: 'unscheduled' };

export function podPlacement(p: Pod, virtualNodeNames: ReadonlyMap<string, string | undefined>): PodPlacement {
  const nodeName = p.spec?.nodeName;
  if (!nodeName) return { kind: 'unscheduled' };
  if (virtualNodeNames.has(nodeName)) {
    const remote = virtualNodeNames.get(nodeName);
    return remote ? { kind: 'virtual', nodeName, remoteClusterId: remote } : { kind: 'virtual', nodeName };
  }
  return { kind: 'local', nodeName };
}

/** Virtual node name → remote cluster ID, from the VirtualNodes and the virtual Node objects. */
export function virtualNodeIndex(s: ClusterSnapshot): Map<string, string | undefined> {
  const m = new Map<string, string | undefined>();
  for (const vn of s.virtualNodes) m.set(vn.metadata.name, vn.spec?.clusterID);
  for (const n of s.nodes) if (!m.has(n.metadata.name) || m.get(n.metadata.name) === undefined) m.set(n.metadata.name, n.metadata.labels?.[LABEL_REMOTE_CLUSTER_ID]);
  return m;
}

export interface PodSummary {
  readonly phase: string;
  /** e.g. `Error (exit 1)`, `CrashLoopBackOff`, `OOMKilled (exit 137)`. */
  readonly problem?: string;
  readonly ready: boolean;
  readonly restarts: number;
}

export function podSummary(p: Pod): PodSummary {
  const phase = p.metadata.deletionTimestamp ? 'Terminating' : (p.status?.phase ?? 'Unknown');
  let problem: string | undefined;
  let restarts = 0;
  for (const cs of p.status?.containerStatuses ?? []) {
    restarts += cs.restartCount ?? 0;
    const t = cs.state?.terminated;
    const w = cs.state?.waiting;
    if (!problem && t && (t.exitCode ?? 0) !== 0) problem = `${t.reason ?? 'Terminated'} (exit ${t.exitCode})`;
    if (!problem && w?.reason && w.reason !== 'ContainerCreating') problem = w.reason;
  }
  if (!problem && p.status?.reason) problem = p.status.reason;
  return { phase, ready: isPodReady(p), restarts, ...(problem ? { problem } : {}) };
}

/** Human form of a quantity map: `4 CPU · 16Gi · 110 pods · 2 nvidia.com/gpu`. */
export function formatResources(r: ResourceList | undefined): string {
  if (!r) return '';
  const parts: string[] = [];
  if (r.cpu) parts.push(`${formatCpu(r.cpu)} CPU`);
  if (r.memory) parts.push(formatMemory(r.memory));
  if (r.pods) parts.push(`${r.pods} pods`);
  for (const [k, v] of Object.entries(r).sort(([a], [b]) => a.localeCompare(b))) {
    if (k === 'cpu' || k === 'memory' || k === 'pods' || k === 'ephemeral-storage') continue;
    parts.push(`${v} ${k === 'nvidia.com/gpu' ? 'GPU' : k}`);
  }
  return parts.join(' · ');
}

export function formatCpu(q: string): string {
  if (q.endsWith('m')) {
    const milli = Number(q.slice(0, -1));
    return Number.isFinite(milli) ? String(Math.round(milli / 100) / 10) : q;
  }
  return q;
}

const BINARY: Readonly<Record<string, number>> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50 };
const DECIMAL: Readonly<Record<string, number>> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 };

export function formatMemory(q: string): string {
  const m = /^([0-9.]+)([A-Za-z]*)$/.exec(q);
  if (!m) return q;
  const n = Number(m[1]);
  const unit = m[2] ?? '';
  const bytes = n * (BINARY[unit] ?? DECIMAL[unit] ?? 1);
  if (!Number.isFinite(bytes)) return q;
  for (const [u, f] of [['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20]] as const) {
    if (bytes >= f) {
      const v = bytes / f;
      return `${Number.isInteger(v) ? v : v.toFixed(1)}${u}`;
    }
  }
  return `${bytes}B`;
}

export function byName<T extends KubeObject>(a: T, b: T): number {
  return (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || a.metadata.name.localeCompare(b.metadata.name);
}

/** The API resource behind each watched kind, as a user would type it to kubectl. */
export const KIND_RESOURCE: Readonly<Record<WatchedKind, string>> = {
  clusterIdConfigMaps: `configmaps (${CLUSTER_ID_CONFIGMAP})`,
  liqoDeployments: 'deployments (Liqo controller-manager)',
  liqoPods: "pods (Liqo's namespace)",
  namespaces: 'namespaces',
  foreignclusters: 'foreignclusters.core.liqo.io',
  virtualnodes: 'virtualnodes.offloading.liqo.io',
  virtualNodeNodes: 'nodes',
  resourceslices: 'resourceslices.authentication.liqo.io',
  namespaceoffloadings: 'namespaceoffloadings.offloading.liqo.io',
  tenants: 'tenants.authentication.liqo.io',
  shadowpods: 'shadowpods.offloading.liqo.io',
  services: 'services',
  pods: 'pods',
};
